//go:build integration

package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

func uploadVideo(t *testing.T, e *enginetest.Engine, sc *synth.MovingScene) *api.Media {
	t.Helper()
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := sc.Encode(context.Background(), path, 30); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := e.Client.Upload(context.Background(), "video.mp4", f)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != api.KindVideo || m.Frames != sc.Frames || m.Width != sc.W {
		t.Fatalf("video media %+v, want %d frames of %dx%d", m, sc.Frames, sc.W, sc.H)
	}
	return m
}

func openSession(t *testing.T, e *enginetest.Engine, mediaID string) *api.VideoSession {
	t.Helper()
	var s api.VideoSession
	if err := e.Client.Do(context.Background(), "POST", "/v1/pvs/video/sessions", api.VideoSessionRequest{MediaID: mediaID}, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func annotate(t *testing.T, e *enginetest.Engine, sid string, req api.VideoAnnotationRequest) *api.FrameResult {
	t.Helper()
	var fr api.FrameResult
	if err := e.Client.Do(context.Background(), "POST", "/v1/pvs/video/"+sid+"/annotations", req, &fr); err != nil {
		t.Fatal(err)
	}
	return &fr
}

func propagate(t *testing.T, e *enginetest.Engine, sid string, req api.PropagateRequest) string {
	t.Helper()
	var acc api.JobAccepted
	if err := e.Client.Do(context.Background(), "POST", "/v1/pvs/video/"+sid+"/propagate", req, &acc); err != nil {
		t.Fatal(err)
	}
	return acc.JobID
}

// sessionMasks reads every stored frame of a session: frame → object → mask.
func sessionMasks(t *testing.T, e *enginetest.Engine, sid string) map[int]map[int]*mask.Mask {
	t.Helper()
	out := map[int]map[int]*mask.Mask{}
	after := -1
	for {
		var page api.SessionResults
		if err := e.Client.Do(context.Background(), "GET", "/v1/pvs/video/"+sid+"/results?limit=1000&after="+itoa(after), nil, &page); err != nil {
			t.Fatal(err)
		}
		for _, fr := range page.Frames {
			out[fr.Frame] = map[int]*mask.Mask{}
			for _, o := range fr.Objects {
				out[fr.Frame][o.ObjectID] = decode(t, o.Mask)
			}
		}
		if page.Next == nil {
			return out
		}
		after = *page.Next
	}
}

// truths paints every frame once: frame → object name → visible mask.
func truths(sc *synth.MovingScene) []map[string]*mask.Mask {
	out := make([]map[string]*mask.Mask, sc.Frames)
	for f := range out {
		_, out[f] = sc.Frame(f)
	}
	return out
}

// meanIoU compares an object's masks on frames [from, to] with the truth.
func meanIoU(t *testing.T, truth []map[string]*mask.Mask, masks map[int]map[int]*mask.Mask, name string, obj, from, to int) (mean, worst float64, worstFrame int) {
	t.Helper()
	worst = 2
	n := 0
	for f := from; f <= to; f++ {
		got := masks[f][obj]
		if got == nil {
			t.Fatalf("frame %d has no mask for object %d (%s)", f, obj, name)
		}
		iou := mask.IoU(got, truth[f][name])
		mean += iou
		n++
		if iou < worst {
			worst, worstFrame = iou, f
		}
	}
	return mean / float64(n), worst, worstFrame
}

func centreOf(m *mask.Mask) [2]float64 {
	x0, y0, x1, y1, _ := m.BBox()
	return [2]float64{float64(x0+x1) / 2, float64(y0+y1) / 2}
}

// TestTrackingFollowsObjects tracks three objects through 320 frames
// forward, then backward from the last frame: mean IoU ≥ 0.9 for each,
// including red leaving and re-entering and blue and green crossing.
func TestTrackingFollowsObjects(t *testing.T) {
	e := enginetest.Start(t)
	sc := synth.StandardVideo(320)
	m := uploadVideo(t, e, sc)
	truth := truths(sc)
	names := map[int]string{1: "red", 2: "blue", 3: "green"}
	for _, dir := range []string{api.Forward, api.Backward} {
		t.Run(dir, func(t *testing.T) {
			s := openSession(t, e, m.MediaID)
			frame := 0
			if dir == api.Backward {
				frame = sc.Frames - 1
			}
			for id := 1; id <= 3; id++ {
				gt := truth[frame][names[id]]
				if gt.Area() == 0 {
					t.Fatalf("%s is not visible on frame %d", names[id], frame)
				}
				fr := annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: frame, ObjectID: id, Points: [][2]float64{centreOf(gt)}})
				var got *mask.Mask
				for _, o := range fr.Objects {
					if o.ObjectID == id {
						got = decode(t, o.Mask)
					}
				}
				if got == nil || mask.IoU(got, gt) < 0.9 {
					t.Fatalf("annotation of %s on frame %d: IoU too low or no mask", names[id], frame)
				}
			}
			job := propagate(t, e, s.SessionID, api.PropagateRequest{Direction: dir})
			j := waitJob(t, e, job, ended)
			if j.State != api.JobSucceeded || j.Progress.Done != sc.Frames || j.Progress.Total != sc.Frames {
				t.Fatalf("job ended %s (%s) with progress %+v", j.State, j.Error, j.Progress)
			}
			t.Logf("%s: %d frames at %.1f frames/s", dir, j.Progress.Done, j.Progress.FPS)
			masks := sessionMasks(t, e, s.SessionID)
			for id, name := range names {
				mean, worst, wf := meanIoU(t, truth, masks, name, id, 0, sc.Frames-1)
				t.Logf("%s %s: mean IoU %.4f, worst %.3f on frame %d", dir, name, mean, worst, wf)
				if mean < 0.9 {
					t.Errorf("%s %s: mean IoU %.4f < 0.9", dir, name, mean)
				}
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
