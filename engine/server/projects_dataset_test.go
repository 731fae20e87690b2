//go:build integration

package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
	"github.com/samwise-app/samwise/engine/video"
)

// sidewaysJPEG is a photo as a camera held on its side stores it: 64×32
// pixels (left half red, right half blue) with EXIF orientation 6 (turn 90°
// clockwise to view), so upright it is 32×64, red on top.
func sidewaysJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 64, 32))
	for y := range 32 {
		for x := range 64 {
			c := color.NRGBA{220, 30, 30, 255}
			if x >= 32 {
				c = color.NRGBA{30, 30, 220, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// APP1 "Exif": a big-endian TIFF header and IFD0 with one entry,
	// Orientation (0x0112, SHORT, 1) = 6.
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	jpg := buf.Bytes()
	return append(append(append([]byte{}, jpg[:2]...), append(seg, payload...)...), jpg[2:]...)
}

func upload(t *testing.T, e *enginetest.Engine, name string, data []byte) *api.Media {
	t.Helper()
	m, err := e.Client.Upload(t.Context(), name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// meanDiff is the mean absolute difference of the RGB values of two
// pictures of one size.
func meanDiff(a, b image.Image) float64 {
	r := a.Bounds()
	sum := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1 := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			c2 := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			for _, d := range []int{int(c1.R) - int(c2.R), int(c1.G) - int(c2.G), int(c1.B) - int(c2.B)} {
				sum += float64(max(d, -d))
			}
		}
	}
	return sum / float64(3*r.Dx()*r.Dy())
}

// TestExportWithPictures exports a project of a sideways photo, a PNG and
// a video as a YOLO dataset and checks the pictures: the PNG as uploaded,
// the photo upright (as its masks are), and the video's annotated frames,
// each the right frame.
func TestExportWithPictures(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.AllowLocalPaths = true })
	photoBytes := sidewaysJPEG(t)
	photo := upload(t, e, "photo.jpg", photoBytes)
	if photo.Width != 32 || photo.Height != 64 {
		t.Fatalf("photo %d×%d, want 32×64 upright", photo.Width, photo.Height)
	}
	pngBytes := synth.StandardScene(80, 60, 3).PNG()
	still := upload(t, e, "still.png", pngBytes)
	sc := synth.StandardVideo(12)
	clip := uploadVideo(t, e, sc)
	p := projectWith(t, e, api.ProjectRequest{Name: "Set", Labels: []api.Label{{Name: "ball"}}}, photo, still, clip)
	proj := "/v1/projects/" + p.ProjectID

	top := mask.New(32, 64)
	for i := range 32 * 32 {
		top.Pix[i] = 1
	}
	must(t, e, 200, "PUT", proj+"/annotations/"+photo.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{
		{ObjectID: 1, Label: "ball", Visible: true, Masks: map[string]api.RLE{"0": mask.Encode(top)}}}}, nil)
	must(t, e, 200, "PUT", proj+"/annotations/"+clip.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{
		{ObjectID: 1, Label: "ball", Visible: true, Masks: map[string]api.RLE{"3": mask.Encode(sc.Truth("red", 3)), "9": mask.Encode(sc.Truth("red", 9))}}}}, nil)

	resp, data := download(t, e, proj+"/export?format=yolo&pictures=true")
	if cd := resp.Header.Get("Content-Disposition"); cd != "attachment; filename=Set-yolo-dataset.zip" {
		t.Errorf("Content-Disposition %q", cd)
	}
	got := unzip(t, data)
	stem := func(m *api.Media) string { return strings.TrimSuffix(m.Name, filepath.Ext(m.Name)) }
	for _, name := range []string{"data.yaml", "labels/" + stem(photo) + ".txt", "labels/" + stem(still) + ".txt",
		"labels/video_000003.txt", "labels/video_000009.txt"} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s missing from %d files", name, len(got))
		}
	}

	if !bytes.Equal(got["images/"+still.Name], pngBytes) {
		t.Errorf("the PNG is not stored as uploaded")
	}

	up, _, err := imaging.Decode(photoBytes)
	if err != nil {
		t.Fatal(err)
	}
	stored := got["images/"+photo.Name]
	if imaging.Orientation(stored) != 1 {
		t.Errorf("the photo still carries EXIF orientation %d", imaging.Orientation(stored))
	}
	pic, err := jpeg.Decode(bytes.NewReader(stored))
	if err != nil {
		t.Fatalf("the photo in the dataset: %v", err)
	}
	if pic.Bounds().Dx() != 32 || pic.Bounds().Dy() != 64 {
		t.Fatalf("the photo in the dataset is %v, want 32×64 as its masks", pic.Bounds())
	}
	if d := meanDiff(pic, up); d > 4 {
		t.Errorf("the photo differs from the upright original by %.1f per channel", d)
	}

	for _, f := range []int{3, 9} {
		name := "images/video_" + []string{3: "000003", 9: "000009"}[f] + ".jpg"
		fr, err := jpeg.Decode(bytes.NewReader(got[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		right, _ := sc.Frame(f)
		other, _ := sc.Frame(12 - f)
		if d, o := meanDiff(fr, right), meanDiff(fr, other); d > 6 || d >= o {
			t.Errorf("%s differs from frame %d by %.2f per channel and from frame %d by %.2f", name, f, d, 12-f, o)
		}
	}
	if n := len(got); n != 9 {
		t.Errorf("%d files, want data.yaml, 4 labels, 4 pictures and no more: %v", n, len(got))
	}

	// Split: one of the three media held out, whole, with its labels.
	parts := map[string]int{}
	for name := range unzip(t, second(download(t, e, proj+"/export?format=yolo&pictures=true&val=0.3"))) {
		if dir := path.Dir(name); dir != "." {
			parts[dir]++
		}
	}
	if parts["images/train"]+parts["images/val"] != 4 || parts["images/val"] == 0 || parts["labels/train"] != parts["images/train"] || parts["labels/val"] != parts["images/val"] {
		t.Errorf("split dataset folders %v", parts)
	}

	// A COCO dataset imports back (its pictures passed over): everything is
	// already there.
	_, data = download(t, e, proj+"/export?format=coco&pictures=true&val=0.3")
	var res api.ImportResult
	must(t, e, 200, "POST", proj+"/import?dry_run=true", string(data), &res)
	if res.Duplicates != 3 || res.Objects != 0 || res.UnmatchedCount != 0 || res.SkippedCount != 0 {
		t.Errorf("the dataset imported back: %+v; want its 3 masks as duplicates", res)
	}
}

// A dataset refuses before it starts when a picture is gone, and a picture
// that fails while the zip streams breaks the download instead of ending
// it early as if whole.
func TestExportWithPicturesBadFiles(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.AllowLocalPaths = true })
	dir := t.TempDir()
	photoPath := filepath.Join(dir, "photo.png")
	os.WriteFile(photoPath, synth.StandardScene(40, 30, 1).PNG(), 0o644)
	var photo api.Media
	must(t, e, 201, "POST", "/v1/media", api.MediaRequest{Path: photoPath}, &photo)
	p := projectWith(t, e, api.ProjectRequest{Name: "Gone"}, &photo)
	proj := "/v1/projects/" + p.ProjectID

	var env api.ErrorResponse
	for q, want := range map[string]string{
		"format=coco&pictures=maybe":           "pictures",
		"format=coco&pictures=true&val=1":      "between 0 and 1",
		"format=coco&pictures=true&val=x":      "between 0 and 1",
		"format=coco&val=0.2":                  "add pictures=true",
		"format=labelme&pictures=true&val=0.2": "use coco, coco-polygons, yolo or voc",
		"format=coco&pictures=true&val=0.2":    "1 media cannot be split",
	} {
		json.Unmarshal(must(t, e, 400, "GET", proj+"/export?"+q, nil, nil), &env)
		if !strings.Contains(env.Error.Message, want) {
			t.Errorf("%s: %q, want it to say %q", q, env.Error.Message, want)
		}
	}
	os.WriteFile(photoPath, synth.StandardScene(40, 30, 2).PNG(), 0o644)
	old := time.Unix(1_000_000_000, 0)
	os.Chtimes(photoPath, old, old)
	json.Unmarshal(must(t, e, 409, "GET", proj+"/export?format=coco&pictures=true", nil, nil), &env)
	if !strings.Contains(env.Error.Message, "photo.png") || !strings.Contains(env.Error.Message, "changed") {
		t.Errorf("changed file: %q", env.Error.Message)
	}
	os.Remove(photoPath)
	json.Unmarshal(must(t, e, 404, "GET", proj+"/export?format=coco&pictures=true", nil, nil), &env)
	if !strings.Contains(env.Error.Message, "photo.png") {
		t.Errorf("missing file: %q, want the file named", env.Error.Message)
	}

	// A local video changed since it was opened is refused before anything
	// is sent; one damaged in place (size and time unchanged) is found only
	// when its frames are read, and breaks the download.
	sc := synth.StandardVideo(6)
	videoPath := filepath.Join(dir, "clip.mp4")
	if err := sc.Encode(t.Context(), videoPath, 30); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(videoPath)
	clipTime := st.ModTime()
	var clip api.Media
	must(t, e, 201, "POST", "/v1/media", api.MediaRequest{Path: videoPath}, &clip)
	q := projectWith(t, e, api.ProjectRequest{Name: "Broken"}, &clip)
	must(t, e, 200, "PUT", "/v1/projects/"+q.ProjectID+"/annotations/"+clip.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{
		{ObjectID: 1, Visible: true, Masks: map[string]api.RLE{"2": mask.Encode(sc.Truth("red", 2))}}}}, nil)
	orig, _ := os.ReadFile(videoPath)
	os.WriteFile(videoPath, append(orig, 0), 0o644)
	json.Unmarshal(must(t, e, 409, "GET", "/v1/projects/"+q.ProjectID+"/export?format=coco&pictures=true", nil, nil), &env)
	if !strings.Contains(env.Error.Message, "clip.mp4") || !strings.Contains(env.Error.Message, "changed") {
		t.Errorf("changed video: %q", env.Error.Message)
	}
	os.WriteFile(videoPath, orig, 0o644)
	os.Chtimes(videoPath, clipTime, clipTime)
	enginetest.Damage(t, videoPath)
	resp, err := http.Get(e.URL + "/v1/projects/" + q.ProjectID + "/export?format=coco&pictures=true")
	if err != nil {
		t.Fatal(err) // the answer starts (its headers are sent at once) ...
	}
	data, err := io.ReadAll(resp.Body) // ... and breaks
	resp.Body.Close()
	if resp.StatusCode != 200 || err == nil {
		t.Fatalf("status %d, read error %v after %d bytes; want a started download that breaks", resp.StatusCode, err, len(data))
	}
	if _, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data))); zerr == nil {
		t.Error("what arrived reads as a whole zip")
	}
}

// BenchmarkDatasetFrames exports a 1280×720 video's 60 annotated frames as a
// YOLO dataset through HTTP, beside decoding the same frames alone (what
// any dataset of them costs), and reports both per frame and their ratio.
func BenchmarkDatasetFrames(b *testing.B) {
	e := enginetest.Start(b, func(c *config.Config) { c.AllowLocalPaths = true })
	sc := synth.StandardVideo(60)
	sc.W, sc.H = 1280, 720
	path := filepath.Join(b.TempDir(), "clip.mp4")
	if err := sc.Encode(b.Context(), path, 30); err != nil {
		b.Fatal(err)
	}
	m, err := e.Client.RegisterPath(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	one := mask.New(sc.W, sc.H)
	one.Pix[0] = 1
	doc := api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Visible: true, Masks: map[string]api.RLE{}}}}
	frames := make([]int, sc.Frames)
	for f := range frames {
		frames[f] = f
		doc.Objects[0].Masks[strconv.Itoa(f)] = mask.Encode(one)
	}
	var p api.Project
	if err := e.Client.Do(b.Context(), "POST", "/v1/projects", api.ProjectRequest{Name: "bench"}, &p); err != nil {
		b.Fatal(err)
	}
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/v1/projects/" + p.ProjectID + "/media", api.ProjectMediaRequest{MediaIDs: []string{m.MediaID}}},
		{"PUT", "/v1/projects/" + p.ProjectID + "/annotations/" + m.MediaID, doc},
	} {
		if err := e.Client.Do(b.Context(), req.method, req.path, req.body, nil); err != nil {
			b.Fatal(err)
		}
	}
	var export, decode time.Duration
	var size int64
	for b.Loop() {
		start := time.Now()
		resp, err := http.Get(e.URL + "/v1/projects/" + p.ProjectID + "/export?format=yolo&pictures=true")
		if err != nil {
			b.Fatal(err)
		}
		size, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("status %d: %v", resp.StatusCode, err)
		}
		export += time.Since(start)

		start = time.Now()
		src, err := video.Open(b.Context(), path)
		if err == nil {
			err = video.ReadFrames(b.Context(), src, frames, func(int, *image.NRGBA) error { return nil })
		}
		if err != nil {
			b.Fatal(err)
		}
		decode += time.Since(start)
	}
	perFrame := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N*sc.Frames) }
	b.ReportMetric(perFrame(export), "ms/frame")
	b.ReportMetric(perFrame(decode), "decode-ms/frame")
	b.ReportMetric(float64(export)/float64(decode), "ratio")
	b.ReportMetric(float64(size)/float64(sc.Frames)/1024, "KiB/frame")
}
