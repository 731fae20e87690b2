//go:build integration

package app_test

// The desktop's methods against the real engine: TestMain builds the
// engine binary, and each test runs it under the real supervisor, as the
// app does. ONNX Runtime comes from build/lib (build/fetch-onnxruntime.sh),
// which the engine finds walking up from the working directory.

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/app"
	"github.com/samwise-app/samwise/app/proxy"
	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
)

var engineBin string

func TestMain(m *testing.M) { enginetest.RunWithEngine(m, &engineBin) }

// readyWait bounds the wait for a (re)started engine.
const readyWait = 90 * time.Second

// startEngine runs the engine under a supervisor until the test ends.
func startEngine(t *testing.T) *supervisor.Supervisor {
	t.Helper()
	sup := supervisor.New(supervisor.Config{
		Binary:       engineBin,
		DataDir:      t.TempDir(),
		ReadyTimeout: time.Minute,
		Logger:       slog.New(slog.NewTextHandler(t.Output(), nil)),
	})
	if err := sup.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := sup.Close(ctx); err != nil {
			t.Errorf("stopping the engine: %v", err)
		}
	})
	waitReady(t, sup, 0)
	return sup
}

// waitReady waits until the engine is ready with a pid other than notPID.
func waitReady(t *testing.T, sup *supervisor.Supervisor, notPID int) supervisor.Status {
	t.Helper()
	deadline := time.Now().Add(readyWait)
	for {
		st := sup.Status()
		if st.State == supervisor.StateReady && st.PID != notPID {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("the engine is not ready after %s: %+v", readyWait, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{40, 40, 200, 255}
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				c = color.RGBA{220, 60, 30, 255}
			}
			img.Set(x, y, c)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// writeVideo makes a 1 s, 5 fps clip with ffmpeg (installed by
// build/setup-debian.sh run).
func writeVideo(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
		"-i", "testsrc=size=64x48:rate=5:duration=1", "-pix_fmt", "yuv420p", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
}

// mediaDir holds two images, a clip, a text file and an empty image.
func mediaDir(t *testing.T) string {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"), 64, 48)
	writePNG(t, filepath.Join(dir, "b.png"), 32, 40)
	writeVideo(t, filepath.Join(dir, "clip.mp4"))
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not media"), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.png"), nil, 0o644)
	return dir
}

func names(ms []api.Media) string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s:%s:%dx%d:%d", m.Name, m.Kind, m.Width, m.Height, m.Frames))
	}
	return strings.Join(out, " ")
}

func TestOpenImagesRegistersTheChosenFiles(t *testing.T) {
	sup := startEngine(t)
	dir := mediaDir(t)
	native := &fakeNative{files: []string{filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png"), filepath.Join(dir, "notes.txt"), filepath.Join(dir, "empty.png")}}
	d := newShell(native, sup, app.ShellOptions{}).Desktop

	res, err := d.OpenImages()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res.Media); got != "a.png:image:64x48:1 b.png:image:32x40:1" {
		t.Errorf("registered %s", got)
	}
	if len(res.Failed) != 2 || res.Failed[0].Path != filepath.Join(dir, "notes.txt") || res.Failed[1].Path != filepath.Join(dir, "empty.png") {
		t.Fatalf("failed = %+v", res.Failed)
	}
	if !strings.Contains(res.Failed[0].Error, "unsupported") || !strings.Contains(res.Failed[1].Error, "empty") {
		t.Errorf("the engine's reasons are lost: %+v", res.Failed)
	}
	// The engine knows them now.
	ep, _ := sup.Endpoint()
	c, _ := client.New(ep.URL.String(), ep.Token, nil)
	m, err := c.Media(context.Background(), res.Media[0].MediaID)
	if err != nil || m.Name != "a.png" {
		t.Errorf("GET /v1/media/%s = %+v, %v", res.Media[0].MediaID, m, err)
	}
}

func TestOpenFolderAndOpenVideoRegisterMedia(t *testing.T) {
	sup := startEngine(t)
	dir := mediaDir(t)
	native := &fakeNative{dir: dir, file: filepath.Join(dir, "clip.mp4")}
	d := newShell(native, sup, app.ShellOptions{}).Desktop

	res, err := d.OpenFolder()
	if err != nil {
		t.Fatal(err)
	}
	// empty.png has an image's name: the engine refuses it.
	if got := names(res.Media); got != "a.png:image:64x48:1 b.png:image:32x40:1 clip.mp4:video:64x48:5" {
		t.Errorf("folder registered %s", got)
	}
	if len(res.Failed) != 1 || !strings.HasSuffix(res.Failed[0].Path, "empty.png") {
		t.Errorf("folder failures = %+v", res.Failed)
	}

	res, err = d.OpenVideo()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res.Media); got != "clip.mp4:video:64x48:5" {
		t.Errorf("video registered %s", got)
	}
	if dlg := native.Dialogs()[1]; dlg.kind != "file" || dlg.Filters[0].DisplayName != "Videos" {
		t.Errorf("video dialog = %+v", dlg)
	}

	res, err = d.RegisterPaths([]string{filepath.Join(dir, "a.png"), dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Media) != 4 || res.Media[0].Name != "a.png" || res.Media[3].Name != "clip.mp4" {
		t.Errorf("RegisterPaths = %s", names(res.Media))
	}
}

func TestSaveExportSavesTheEnginesFile(t *testing.T) {
	sup := startEngine(t)
	dir := mediaDir(t)
	out := t.TempDir()
	native := &fakeNative{files: []string{filepath.Join(dir, "a.png")}, save: filepath.Join(out, "chosen.json")}
	d := newShell(native, sup, app.ShellOptions{}).Desktop
	res, err := d.OpenImages()
	if err != nil || len(res.Media) != 1 {
		t.Fatalf("open: %+v %v", res, err)
	}
	ep, _ := sup.Endpoint()
	c, _ := client.New(ep.URL.String(), ep.Token, nil)
	var p api.Project
	if err := c.Do(context.Background(), "POST", "/v1/projects", api.ProjectRequest{Name: "Trucks"}, &p); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(context.Background(), "POST", "/v1/projects/"+p.ProjectID+"/media", api.ProjectMediaRequest{MediaIDs: []string{res.Media[0].MediaID}}, nil); err != nil {
		t.Fatal(err)
	}

	saved, err := d.SaveExport("coco", p.ProjectID, app.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if saved != native.save {
		t.Errorf("saved to %q, want %q", saved, native.save)
	}
	dlg := native.Dialogs()[1]
	if dlg.kind != "save" || !strings.HasSuffix(dlg.DefaultFilename, ".json") || dlg.Filters[0].Pattern != "*.json" {
		t.Errorf("save dialog = %+v, want the engine's file name", dlg)
	}
	b, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	var coco struct {
		Images []struct {
			FileName string `json:"file_name"`
			Width    int    `json:"width"`
		} `json:"images"`
	}
	if err := json.Unmarshal(b, &coco); err != nil || len(coco.Images) != 1 || coco.Images[0].Width != 64 {
		t.Errorf("saved export = %s (%v)", b, err)
	}

	// With its pictures: a zip of the annotations and the image as it is.
	native.save = filepath.Join(out, "chosen.zip")
	if saved, err = d.SaveExport("coco", p.ProjectID, app.ExportOptions{Pictures: true}); err != nil {
		t.Fatal(err)
	}
	if dlg := native.Dialogs()[2]; !strings.HasSuffix(dlg.DefaultFilename, "-coco-dataset.zip") || dlg.Filters[0].Pattern != "*.zip" {
		t.Errorf("save dialog = %+v, want the dataset's zip name", dlg)
	}
	zr, err := zip.OpenReader(saved)
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, f := range zr.File {
		entries = append(entries, f.Name)
	}
	zr.Close()
	if want := "annotations/instances.json images/a.png"; strings.Join(entries, " ") != want {
		t.Errorf("dataset holds %v, want %s", entries, want)
	}
	os.Remove(saved)
	os.Remove(filepath.Join(out, "chosen.json"))
	// The polygon detail reaches the engine (COCO with RLE has no polygons).
	tol := 2.0
	if _, err := d.SaveExport("coco", p.ProjectID, app.ExportOptions{Tolerance: &tol}); !client.IsStatus(err, http.StatusBadRequest) || !strings.Contains(err.Error(), "no polygons") {
		t.Errorf("tolerance on COCO RLE: %v", err)
	}
	// The split reaches the engine (which cannot split one media).
	if _, err := d.SaveExport("yolo", p.ProjectID, app.ExportOptions{Pictures: true, Val: 0.2}); !client.IsStatus(err, http.StatusBadRequest) || !strings.Contains(err.Error(), "cannot be split") {
		t.Errorf("split of one media: %v", err)
	}

	// A video that breaks while the dataset streams: an error that says
	// so, and no file.
	vid, err := d.RegisterPaths([]string{filepath.Join(dir, "clip.mp4")})
	if err != nil || len(vid.Media) != 1 {
		t.Fatalf("register the video: %+v %v", vid, err)
	}
	full := mask.New(vid.Media[0].Width, vid.Media[0].Height)
	full.Pix[0] = 1
	doc := api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Visible: true, Masks: map[string]api.RLE{"1": mask.Encode(full)}}}}
	if err := c.Do(context.Background(), "POST", "/v1/projects/"+p.ProjectID+"/media", api.ProjectMediaRequest{MediaIDs: []string{vid.Media[0].MediaID}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(context.Background(), "PUT", "/v1/projects/"+p.ProjectID+"/annotations/"+vid.Media[0].MediaID, doc, nil); err != nil {
		t.Fatal(err)
	}
	enginetest.Damage(t, filepath.Join(dir, "clip.mp4"))
	if _, err := d.SaveExport("yolo", p.ProjectID, app.ExportOptions{Pictures: true}); err == nil || !strings.Contains(err.Error(), "stopped before its end") {
		t.Errorf("broken dataset: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a broken export left %v", entries)
	}

	// Cancelling the dialog saves nothing.
	native.save = ""
	os.Remove(saved)
	if got, err := d.SaveExport("yolo", p.ProjectID, app.ExportOptions{}); got != "" || err != nil {
		t.Errorf("cancelled export = %q, %v", got, err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a cancelled export left %v", entries)
	}
	// The engine's errors come back typed.
	if _, err := d.SaveExport("coco", "ffffffffffffffffffffffff", app.ExportOptions{}); !client.IsStatus(err, http.StatusNotFound) {
		t.Errorf("unknown project: %v", err)
	}
}

func TestTheProxyAddsTheTokenAndAnswers503WhenTheEngineIsGone(t *testing.T) {
	sup := startEngine(t)
	dir := mediaDir(t)
	page := httptest.NewServer(app.Middleware(proxy.New(sup, nil, nil))(http.NotFoundHandler()))
	defer page.Close()

	// Straight to the engine without the token: refused.
	ep, _ := sup.Endpoint()
	resp, err := http.Get(ep.URL.String() + "/v1/media")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the engine answered %d without its token", resp.StatusCode)
	}
	// Through the proxy, as the page does: accepted, body included.
	resp, err = http.Post(page.URL+"/v1/media", "application/json", strings.NewReader(`{"path": "`+filepath.Join(dir, "a.png")+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var m api.Media
	json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || m.Width != 64 {
		t.Fatalf("POST /v1/media through the proxy = %d %+v", resp.StatusCode, m)
	}
	for _, path := range []string{"/ready", "/v1/media", "/openapi.json"} {
		resp, err := http.Get(page.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s through the proxy = %d", path, resp.StatusCode)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sup.Close(ctx); err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(page.URL + "/v1/media")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env api.ErrorResponse
	json.NewDecoder(resp.Body).Decode(&env)
	if resp.StatusCode != http.StatusServiceUnavailable || env.Error.Code != api.CodeUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("with the engine stopped: %d %+v Retry-After %q", resp.StatusCode, env, resp.Header.Get("Retry-After"))
	}
	// The bound methods say so too.
	native := &fakeNative{files: []string{filepath.Join(dir, "a.png")}}
	_, err = newShell(native, sup, app.ShellOptions{}).Desktop.OpenImages()
	var u *supervisor.UnavailableError
	if !errors.As(err, &u) || u.State != supervisor.StateStopped {
		t.Errorf("OpenImages with the engine stopped: %v", err)
	}
}
