package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

func run(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	err := m.Run(context.Background(), args)
	if err != nil {
		return out.String() + errb.String(), err
	}
	return out.String(), nil
}

// TestSegmentSameThroughCLIClientAndHTTP segments one click three ways and
// compares the masks byte for byte.
func TestSegmentSameThroughCLIClientAndHTTP(t *testing.T) {
	e := enginetest.Start(t)
	scene := synth.StandardScene(800, 600, 31)
	dir := t.TempDir()
	file := filepath.Join(dir, "scene.png")
	os.WriteFile(file, scene.PNG(), 0o644)
	m := e.Upload(t, scene.PNG())
	x0, y0, x1, y1, _ := scene.Shape("blue").Mask.BBox()
	pt := [2]float64{float64(x0+x1) / 2, float64(y0+y1) / 2}
	box := [4]float64{float64(x0 - 5), float64(y0 - 5), float64(x1 + 5), float64(y1 + 5)}
	req := &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{pt}, Labels: []int{1}, Box: &box}}}

	viaClient, err := e.Client.SegmentImage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(req)
	resp, err := http.Post(e.URL+"/v1/pvs/image", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var viaHTTP api.PVSImageResponse
	json.NewDecoder(resp.Body).Decode(&viaHTTP)
	resp.Body.Close()

	outJSON := filepath.Join(dir, "out.json")
	env := map[string]string{"SAMWISE_DATA_DIR": t.TempDir(), "SAMWISE_PROVIDER": "cpu", "SAMWISE_LOG_LEVEL": "warn"}
	if out, err := run(t, env, "segment", file, "--point", fmt.Sprintf("%g,%g,1", pt[0], pt[1]), "--box", fmt.Sprintf("%g,%g,%g,%g", box[0], box[1], box[2], box[3]), "-o", outJSON); err != nil {
		t.Fatalf("engine segment: %v\n%s", err, out)
	}
	var viaCLI api.PVSImageResponse
	data, _ := os.ReadFile(outJSON)
	if err := json.Unmarshal(data, &viaCLI); err != nil {
		t.Fatal(err)
	}
	a, b, c := viaClient.Objects[0].Mask.Counts, viaHTTP.Objects[0].Mask.Counts, viaCLI.Objects[0].Mask.Counts
	if a != b || a != c {
		t.Fatalf("the three paths disagree: client %d chars, HTTP %d, CLI %d", len(a), len(b), len(c))
	}
	got, _ := mask.Decode(*viaCLI.Objects[0].Mask)
	if iou := mask.IoU(got, scene.Shape("blue").Mask); iou < 0.95 {
		t.Errorf("IoU %.3f", iou)
	}
	// The PNG output is the mask.
	outPNG := filepath.Join(dir, "out.png")
	if out, err := run(t, env, "segment", file, "--point", fmt.Sprintf("%g,%g", pt[0], pt[1]), "-o", outPNG); err != nil {
		t.Fatalf("engine segment -o png: %v\n%s", err, out)
	}
	png, _ := os.ReadFile(outPNG)
	pm, err := mask.FromPNG(png, 800, 600)
	if err != nil || mask.IoU(pm, scene.Shape("blue").Mask) < 0.95 {
		t.Errorf("PNG output: %v", err)
	}
	// Usage errors say what to do.
	for _, args := range [][]string{{"segment"}, {"segment", file}, {"segment", file, "--point", "1"}, {"segment", file, "--point", "1,2", "-o", "x.txt"}} {
		if out, err := run(t, env, args...); err == nil {
			t.Errorf("%v succeeded: %s", args, out)
		}
	}
}

// TestSegmentConceptFromTheCommandLine finds "red" with --text: every red shape, as JSON
// and as one PNG mask; --text with a point is refused.
func TestSegmentConceptFromTheCommandLine(t *testing.T) {
	p := synth.NewPainter(480, 360, 5, 3)
	p.Rect("red square", synth.Red, 30, 30, 120, 120)
	p.Circle("red circle", synth.Red, 300, 90, 50)
	p.Rect("blue square", synth.Blue, 60, 220, 170, 330)
	scene := p.Scene()
	dir := t.TempDir()
	file := filepath.Join(dir, "scene.png")
	os.WriteFile(file, scene.PNG(), 0o644)
	env := map[string]string{"SAMWISE_DATA_DIR": t.TempDir(), "SAMWISE_PROVIDER": "cpu", "SAMWISE_LOG_LEVEL": "warn"}
	outJSON := filepath.Join(dir, "red.json")
	if out, err := run(t, env, "segment", file, "--text", "red", "-o", outJSON); err != nil {
		t.Fatalf("engine segment --text: %v\n%s", err, out)
	}
	var res api.PCSImageResponse
	data, _ := os.ReadFile(outJSON)
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Objects) != 2 || len(res.PromptToObjIDs["red"]) != 2 || res.Presence < 0.5 {
		t.Fatalf("\"red\" found %d objects, ids %v, presence %.3f", len(res.Objects), res.PromptToObjIDs, res.Presence)
	}
	outPNG := filepath.Join(dir, "red.png")
	if out, err := run(t, env, "segment", file, "--text", "red", "-o", outPNG); err != nil {
		t.Fatalf("engine segment --text -o png: %v\n%s", err, out)
	}
	png, _ := os.ReadFile(outPNG)
	got, err := mask.FromPNG(png, 480, 360)
	if err != nil {
		t.Fatal(err)
	}
	union := mask.New(480, 360)
	for _, name := range []string{"red square", "red circle"} {
		for i, v := range scene.Shape(name).Mask.Pix {
			union.Pix[i] |= v
		}
	}
	if iou := mask.IoU(got, union); iou < 0.9 {
		t.Errorf("the PNG covers the red shapes with IoU %.3f", iou)
	}
	if out, err := run(t, env, "segment", file, "--text", "red", "--point", "10,10"); err == nil || !strings.Contains(err.Error(), "leave out --point") {
		t.Errorf("--text with --point: %v %s", err, out)
	}
}

// TestPrecomputeFillsTheCache precomputes a folder; segmenting one of its
// images afterwards uses the cached embedding.
func TestPrecomputeFillsTheCache(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("img%d.png", i)), synth.StandardScene(320, 240, uint64(40+i)).PNG(), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an image"), 0o644)
	env := map[string]string{"SAMWISE_DATA_DIR": t.TempDir(), "SAMWISE_PROVIDER": "cpu", "SAMWISE_LOG_LEVEL": "warn"}
	out, err := run(t, env, "precompute", dir)
	if err != nil || !strings.Contains(out, "3 images: 3 encoded") {
		t.Fatalf("precompute: %v\n%s", err, out)
	}
	out, err = run(t, env, "precompute", dir)
	if err != nil || !strings.Contains(out, "3 already cached") {
		t.Fatalf("second precompute: %v\n%s", err, out)
	}
	out, err = run(t, env, "segment", filepath.Join(dir, "img1.png"), "--point", "100,150")
	if err != nil {
		t.Fatal(err)
	}
	var res api.PVSImageResponse
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Timing.Cached {
		t.Fatalf("segment after precompute: cached=%v (%v)", res.Timing.Cached, err)
	}
}
