//go:build integration

package server_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestCorrectionChangesLaterFramesOnly tracks red from frame 0, then
// re-prompts object 1 on frame 80 to follow green instead and propagates
// from there: frames before 80 keep their masks, frames after follow green.
func TestCorrectionChangesLaterFramesOnly(t *testing.T) {
	e := enginetest.Start(t)
	sc := synth.StandardVideo(160)
	m := uploadVideo(t, e, sc)
	truth := truths(sc)
	s := openSession(t, e, m.MediaID)
	annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{centreOf(truth[0]["red"])}})
	j := waitJob(t, e, propagate(t, e, s.SessionID, api.PropagateRequest{}), ended)
	if j.State != api.JobSucceeded {
		t.Fatalf("first propagation %s: %s", j.State, j.Error)
	}
	before := sessionMasks(t, e, s.SessionID)

	fr := annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 80, ObjectID: 1, Points: [][2]float64{centreOf(truth[80]["green"])}})
	if iou := mask.IoU(decode(t, fr.Objects[0].Mask), truth[80]["green"]); iou < 0.9 {
		t.Fatalf("the correction's own mask has IoU %.3f with green", iou)
	}
	start := 80
	j = waitJob(t, e, propagate(t, e, s.SessionID, api.PropagateRequest{StartFrame: &start}), ended)
	if j.State != api.JobSucceeded || j.Progress.Total != 80 {
		t.Fatalf("second propagation %s (%s), %+v", j.State, j.Error, j.Progress)
	}
	after := sessionMasks(t, e, s.SessionID)
	for f := 0; f < 80; f++ {
		if mask.IoU(after[f][1], before[f][1]) != 1 {
			t.Fatalf("frame %d changed although it is before the correction", f)
		}
	}
	mean, _, _ := meanIoU(t, truth, after, "green", 1, 80, sc.Frames-1)
	if mean < 0.9 {
		t.Errorf("after the correction object 1 follows green with mean IoU %.3f", mean)
	}
	changed := 0
	for f := 81; f < sc.Frames; f++ {
		if mask.IoU(after[f][1], before[f][1]) < 0.5 {
			changed++
		}
	}
	if changed < 70 {
		t.Errorf("only %d of 79 later frames changed", changed)
	}
}

// TestCancelKeepsDoneFrames cancels a propagation midway: every frame the
// job reported done is stored, and the NDJSON stream gives the same frames
// as the pages.
func TestCancelKeepsDoneFrames(t *testing.T) {
	e := enginetest.Start(t)
	sc := synth.StandardVideo(400)
	m := uploadVideo(t, e, sc)
	s := openSession(t, e, m.MediaID)
	_, truth0 := sc.Frame(0)
	annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{centreOf(truth0["blue"])}})
	job := propagate(t, e, s.SessionID, api.PropagateRequest{})
	waitJob(t, e, job, func(j *api.Job) bool { return j.Progress.Done >= 40 || ended(j) })
	var j api.Job
	if err := e.Client.Do(context.Background(), "DELETE", "/v1/jobs/"+job, nil, &j); err != nil {
		t.Fatal(err)
	}
	if j.State != api.JobCancelled {
		t.Fatalf("after DELETE the job is %s", j.State)
	}
	if j.Progress.Done < 40 || j.Progress.Done >= sc.Frames {
		t.Fatalf("cancelled with %d of %d frames done", j.Progress.Done, sc.Frames)
	}
	masks := sessionMasks(t, e, s.SessionID)
	for f := 0; f < j.Progress.Done; f++ {
		if masks[f][1] == nil {
			t.Fatalf("frame %d was reported done but is not stored", f)
		}
	}
	// Pages and the NDJSON stream agree.
	var page api.JobResults
	if err := e.Client.Do(context.Background(), "GET", "/v1/jobs/"+job+"/results?limit=1000", nil, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Frames) != j.Progress.Done || page.Next != nil {
		t.Fatalf("results page has %d frames (next %v), want %d and no next", len(page.Frames), page.Next, j.Progress.Done)
	}
	req, _ := http.NewRequest("GET", e.URL+"/v1/jobs/"+job+"/results", nil)
	req.Header.Set("Accept", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n := 0
	sc2 := bufio.NewScanner(resp.Body)
	sc2.Buffer(make([]byte, 1<<20), 1<<24)
	for sc2.Scan() {
		if strings.TrimSpace(sc2.Text()) == "" {
			continue
		}
		var fr api.FrameResult
		if err := json.Unmarshal(sc2.Bytes(), &fr); err != nil {
			t.Fatal(err)
		}
		if fr.Frame != page.Frames[n].Frame {
			t.Fatalf("stream line %d is frame %d, page has %d", n, fr.Frame, page.Frames[n].Frame)
		}
		n++
	}
	if n != len(page.Frames) {
		t.Errorf("the stream gave %d frames, the page %d", n, len(page.Frames))
	}
	// Resuming finishes the job from where it stopped.
	var acc api.JobAccepted
	if err := e.Client.Do(context.Background(), "POST", "/v1/jobs/"+job+"/resume", nil, &acc); err != nil {
		t.Fatal(err)
	}
	final := waitJob(t, e, job, ended)
	if final.State != api.JobSucceeded || final.Progress.Done != sc.Frames {
		t.Fatalf("resumed job %s with %+v", final.State, final.Progress)
	}
}

// TestVideoBadInput checks each kind of bad video input gets a 4xx that
// says what to fix.
func TestVideoBadInput(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.AllowLocalPaths = true })
	sc := synth.StandardVideo(30)
	good := uploadVideo(t, e, sc)
	dir := t.TempDir()
	full := filepath.Join(dir, "full.mp4")
	if err := sc.Encode(context.Background(), full, 30); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(full)
	truncated := filepath.Join(dir, "truncated.mp4")
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	notVideo := filepath.Join(dir, "notes.mp4")
	os.WriteFile(notVideo, []byte("these are not the frames you are looking for\n"), 0o644)

	for _, c := range []struct{ name, path string }{{"a truncated mp4", truncated}, {"a text file named .mp4", notVideo}} {
		t.Run(c.name, func(t *testing.T) {
			f, _ := os.Open(c.path)
			defer f.Close()
			ct, body := multipartBody(filepath.Base(c.path), f)
			a := do(t, e, "POST", "/v1/media", ct, body)
			if a.status != 415 || !strings.Contains(a.body.Error.Message, "video") {
				t.Errorf("upload of %s: %d %q, want 415 mentioning video", c.name, a.status, a.body.Error.Message)
			}
		})
	}
	s := openSession(t, e, good.MediaID)
	sid := s.SessionID
	post := func(path, body string) answer {
		return do(t, e, "POST", path, "application/json", strings.NewReader(body))
	}
	cases := []struct {
		name    string
		a       func() answer
		status  int
		mention string
	}{
		{"frame out of range", func() answer {
			return post("/v1/pvs/video/"+sid+"/annotations", `{"frame": 30, "object_id": 1, "points": [[10, 10]]}`)
		}, 400, "out of range"},
		{"negative frame", func() answer {
			return post("/v1/pvs/video/"+sid+"/annotations", `{"frame": -1, "object_id": 1, "points": [[10, 10]]}`)
		}, 400, "out of range"},
		{"frame JPEG out of range", func() answer { return do(t, e, "GET", "/v1/media/"+good.MediaID+"/frames/99", "", nil) }, 400, "out of range"},
		{"stored frame out of range", func() answer { return do(t, e, "GET", "/v1/pvs/video/"+sid+"/frames/31", "", nil) }, 400, "out of range"},
		{"unknown object id", func() answer {
			return post("/v1/pvs/video/"+sid+"/annotations", `{"frame": 0, "object_id": 9, "clear": true}`)
		}, 404, "object"},
		{"propagate before any prompt", func() answer { return post("/v1/pvs/video/"+sid+"/propagate", `{}`) }, 400, "annotate"},
		{"bad direction", func() answer { return post("/v1/pvs/video/"+sid+"/propagate", `{"direction": "sideways"}`) }, 400, "forward"},
		{"unknown session", func() answer { return post("/v1/pvs/video/vs_nope/propagate", `{}`) }, 404, "session"},
		{"session on an image", func() answer {
			img := e.Upload(t, synth.StandardScene(64, 48, 1).PNG())
			return post("/v1/pvs/video/sessions", `{"media_id": "`+img.MediaID+`"}`)
		}, 400, "image"},
		{"unknown job", func() answer { return do(t, e, "GET", "/v1/jobs/job_nope", "", nil) }, 404, "job"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.a()
			if a.status != c.status || !strings.Contains(strings.ToLower(a.body.Error.Message), c.mention) {
				t.Errorf("got %d %q, want %d mentioning %q", a.status, a.body.Error.Message, c.status, c.mention)
			}
		})
	}
	// Propagate on an ended session.
	annotate(t, e, sid, api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{{60, 60}}})
	if a := do(t, e, "DELETE", "/v1/pvs/video/"+sid, "", nil); a.status != 200 {
		t.Fatalf("ending the session: %d", a.status)
	}
	if a := post("/v1/pvs/video/"+sid+"/propagate", `{}`); a.status != 409 || !strings.Contains(a.body.Error.Message, "ended") {
		t.Errorf("propagate on an ended session: %d %q, want 409", a.status, a.body.Error.Message)
	}
	// Results of the ended session stay readable.
	var fr api.FrameResult
	if err := e.Client.Do(context.Background(), "GET", "/v1/pvs/video/"+sid+"/frames/0", nil, &fr); err != nil || len(fr.Objects) != 1 {
		t.Errorf("frame 0 of the ended session: %v %+v", err, fr)
	}
}

// TestVideoFramesExportsAndFolders covers the frame JPEG route, COCO and
// MOTS export of a session, and a folder of frames as a video.
func TestVideoFramesExportsAndFolders(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.AllowLocalPaths = true })
	sc := synth.StandardVideo(24)
	m := uploadVideo(t, e, sc)
	resp, err := http.Get(e.URL + "/v1/media/" + m.MediaID + "/frames/5")
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("frame JPEG: %v %v", err, resp)
	}
	resp.Body.Close()

	s := openSession(t, e, m.MediaID)
	_, truth0 := sc.Frame(0)
	annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 0, ObjectID: 4, Points: [][2]float64{centreOf(truth0["green"])}})
	waitJob(t, e, propagate(t, e, s.SessionID, api.PropagateRequest{}), ended)
	for _, format := range []string{"coco", "mots", "ytvis"} {
		resp, err := http.Get(e.URL + "/v1/pvs/video/" + s.SessionID + "/export?format=" + format)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("export %s: %v %v", format, err, resp)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch format {
		case "coco":
			var doc struct {
				Annotations []json.RawMessage `json:"annotations"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || len(doc.Annotations) != sc.Frames {
				t.Errorf("COCO export: %v, %d annotations for %d frames", err, len(doc.Annotations), sc.Frames)
			}
		case "ytvis":
			var doc struct {
				Videos []struct {
					FileNames []string `json:"file_names"`
				} `json:"videos"`
				Annotations []struct {
					Segmentations []*api.RLE `json:"segmentations"`
				} `json:"annotations"`
			}
			if err := json.Unmarshal(body, &doc); err != nil || len(doc.Videos) != 1 || len(doc.Videos[0].FileNames) != sc.Frames ||
				len(doc.Annotations) != 1 || len(doc.Annotations[0].Segmentations) != sc.Frames {
				t.Errorf("YouTube-VIS export: %v, %+v", err, doc)
			}
		case "mots":
			zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatalf("MOTS export is not a zip: %v", err)
			}
			var txt string
			for _, f := range zr.File {
				if strings.HasSuffix(f.Name, ".txt") && f.Name != "labels.txt" {
					rc, _ := f.Open()
					b, _ := io.ReadAll(rc)
					rc.Close()
					txt = string(b)
				}
			}
			lines := strings.Split(strings.TrimSpace(txt), "\n")
			if len(lines) != sc.Frames || !strings.Contains(lines[0], " 240 320 ") {
				t.Errorf("MOTS export: %d lines, first %q", len(lines), lines[0])
			}
		}
	}
	// With the pictures: the instances file and every tracked frame.
	resp, err = http.Get(e.URL + "/v1/pvs/video/" + s.SessionID + "/export?format=ytvis&pictures=true")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("YouTube-VIS dataset: %v %v", err, resp)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("YouTube-VIS dataset: %v", err)
	}
	if n := len(zr.File); n != 1+sc.Frames || zr.File[0].Name != "instances.json" || zr.File[sc.Frames].Name != "JPEGImages/video/000023.jpg" {
		t.Errorf("YouTube-VIS dataset of %d files: first %s, last %s", n, zr.File[0].Name, zr.File[n-1].Name)
	}

	// A folder of PNG frames is a video too.
	dir := t.TempDir()
	for f := 0; f < 6; f++ {
		img, _ := sc.Frame(f)
		os.WriteFile(filepath.Join(dir, "frame"+strings.Repeat("0", 3)+string(rune('0'+f))+".png"), (&synth.Scene{Image: img}).PNG(), 0o644)
	}
	fm, err := e.Client.RegisterPath(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if fm.Kind != api.KindVideo || fm.Frames != 6 || fm.Format != "frames" {
		t.Fatalf("frames folder registered as %+v", fm)
	}
	fs := openSession(t, e, fm.MediaID)
	fr := annotate(t, e, fs.SessionID, api.VideoAnnotationRequest{Frame: 3, ObjectID: 1, Points: [][2]float64{centreOf(sc.Truth("blue", 3))}})
	if iou := mask.IoU(decode(t, fr.Objects[0].Mask), sc.Truth("blue", 3)); iou < 0.9 {
		t.Errorf("annotation on a frames folder: IoU %.3f", iou)
	}

	// Both videos have a thumbnail of their first frame.
	for _, id := range []string{m.MediaID, fm.MediaID} {
		body := must(t, e, 200, "GET", "/v1/media/"+id+"/thumbnail?size=64", nil, nil)
		img, err := jpeg.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("thumbnail of %s: %v", id, err)
		}
		if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 48 {
			t.Errorf("thumbnail of %s is %v, want 64×48", id, b)
		}
	}
}

// TestConceptTrackingKeepsIDs runs "red" through a video where a second red
// shape enters mid-way: it gets a new id, ids never switch, and the blue
// distractor is never taken.
func TestConceptTrackingKeepsIDs(t *testing.T) {
	e := enginetest.Start(t)
	sc := synth.ConceptVideo(150)
	m := uploadVideo(t, e, sc)
	truth := truths(sc)
	var s api.PCSVideoSession
	if err := e.Client.Do(context.Background(), "POST", "/v1/pcs/video/sessions", api.VideoSessionRequest{MediaID: m.MediaID}, &s); err != nil {
		t.Fatal(err)
	}
	var fr api.FrameResult
	if err := e.Client.Do(context.Background(), "POST", "/v1/pcs/video/"+s.SessionID+"/prompts", api.PCSVideoPrompt{Frame: 0, Text: "red"}, &fr); err != nil {
		t.Fatal(err)
	}
	if len(fr.Objects) != 1 || mask.IoU(decode(t, fr.Objects[0].Mask), truth[0]["red disc"]) < 0.9 {
		t.Fatalf("\"red\" on frame 0 found %d objects; want the red disc", len(fr.Objects))
	}
	var acc api.JobAccepted
	if err := e.Client.Do(context.Background(), "POST", "/v1/pcs/video/"+s.SessionID+"/run", api.PCSRunRequest{}, &acc); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, e, acc.JobID, ended)
	if j.State != api.JobSucceeded || j.Progress.Done != sc.Frames {
		t.Fatalf("run ended %s (%s) with %+v", j.State, j.Error, j.Progress)
	}
	masks := sessionMasks(t, e, s.SessionID)
	ids := map[string]map[int]bool{} // truth name → predicted ids seen
	switches := 0
	last := map[string]int{}
	for f := 0; f < sc.Frames; f++ {
		for id, got := range masks[f] {
			best, bestIoU := "", 0.0
			for name, gt := range truth[f] {
				if iou := mask.IoU(got, gt); iou > bestIoU {
					best, bestIoU = name, iou
				}
			}
			if bestIoU < 0.5 {
				continue
			}
			if best == "blue square" {
				t.Fatalf("frame %d: object %d is the blue distractor", f, id)
			}
			if ids[best] == nil {
				ids[best] = map[int]bool{}
			}
			ids[best][id] = true
			if prev, ok := last[best]; ok && prev != id {
				switches++
			}
			last[best] = id
		}
	}
	t.Logf("ids per object: %v, id switches: %d", ids, switches)
	if switches != 0 {
		t.Errorf("%d id switches, want 0", switches)
	}
	if len(ids["red disc"]) != 1 || len(ids["red square"]) != 1 {
		t.Fatalf("ids per object %v: each red shape should have exactly one id", ids)
	}
	for a := range ids["red disc"] {
		if ids["red square"][a] {
			t.Errorf("the entering red square got the disc's id %d", a)
		}
	}
	mean, _, _ := meanIoU(t, truth, masks, "red disc", firstID(ids["red disc"]), 0, sc.Frames-1)
	if mean < 0.9 {
		t.Errorf("red disc: mean IoU %.3f", mean)
	}
}

func firstID(m map[int]bool) int {
	for id := range m {
		return id
	}
	return -1
}

// TestIdleSessionMemoryIsReleasedAndRebuilt lets a session idle past its
// TTL: its tracker memory is released, its results stay, and the next
// annotation and propagation rebuild it from the stored prompts.
func TestIdleSessionMemoryIsReleasedAndRebuilt(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.SessionTTL = 100 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Instance.Videos.Run(ctx)
	sc := synth.StandardVideo(40)
	m := uploadVideo(t, e, sc)
	s := openSession(t, e, m.MediaID)
	_, truth := sc.Frame(0)
	annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{centreOf(truth["green"])}})
	if n, bytes := e.Instance.Videos.LiveSessions(); n != 1 || bytes == 0 {
		t.Fatalf("after an annotation: %d live sessions, %d bytes", n, bytes)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if n, _ := e.Instance.Videos.LiveSessions(); n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the idle session was never released")
		}
		time.Sleep(50 * time.Millisecond)
	}
	j := waitJob(t, e, propagate(t, e, s.SessionID, api.PropagateRequest{}), ended)
	if j.State != api.JobSucceeded || j.Progress.Done != sc.Frames {
		t.Fatalf("propagation after the release: %s %+v", j.State, j.Progress)
	}
	masks := sessionMasks(t, e, s.SessionID)
	if mean, _, _ := meanIoU(t, truths(sc), masks, "green", 1, 0, sc.Frames-1); mean < 0.9 {
		t.Errorf("after rebuilding from the stored prompt, mean IoU %.3f", mean)
	}
}
