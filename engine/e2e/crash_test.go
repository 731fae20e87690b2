//go:build integration

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/synth"
)

func uploadVideo(t *testing.T, p *proc, sc *synth.MovingScene) *api.Media {
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
	m, err := p.Client.Upload(context.Background(), "video.mp4", f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// startTracking opens a session on a video, prompts blue on frame 0 and
// starts a forward propagation.
func startTracking(t *testing.T, p *proc, sc *synth.MovingScene, m *api.Media) string {
	t.Helper()
	ctx := context.Background()
	var s api.VideoSession
	if err := p.Client.Do(ctx, "POST", "/v1/pvs/video/sessions", api.VideoSessionRequest{MediaID: m.MediaID}, &s); err != nil {
		t.Fatal(err)
	}
	x0, y0, x1, y1, _ := sc.Truth("blue", 0).BBox()
	ann := api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}}
	if err := p.Client.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/annotations", ann, nil); err != nil {
		t.Fatal(err)
	}
	var acc api.JobAccepted
	if err := p.Client.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/propagate", api.PropagateRequest{}, &acc); err != nil {
		t.Fatal(err)
	}
	return acc.JobID
}

// waitFor polls a job until cond holds.
func waitFor(t *testing.T, p *proc, id string, cond func(*api.Job) bool) *api.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		j := p.job(t, id)
		if cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: %s %+v after 10 minutes", id, j.State, j.Progress)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKillDuringPropagation kill -9s the engine in the middle of a
// propagation: after a restart every frame reported done before the kill is
// in the store unchanged, the database opens cleanly, the job is marked
// interrupted, and resuming finishes it.
func TestKillDuringPropagation(t *testing.T) {
	dir := t.TempDir()
	sc := synth.StandardVideo(360)
	p := startEngine(t, dir)
	m := uploadVideo(t, p, sc)
	id := startTracking(t, p, sc, m)
	waitFor(t, p, id, func(j *api.Job) bool { return j.Progress.Done >= 120 })
	reported := p.jobFrames(t, id)
	p.kill()
	if len(reported) < 120 || len(reported) >= sc.Frames {
		t.Fatalf("%d frames were reported before the kill; the test needs a job in the middle", len(reported))
	}
	t.Logf("killed the engine with %d of %d frames reported", len(reported), sc.Frames)

	p = startEngine(t, dir)
	j := p.job(t, id)
	if j.State != api.JobInterrupted {
		t.Fatalf("after the restart the job is %s, want interrupted", j.State)
	}
	if j.Progress.Done < len(reported) {
		t.Fatalf("the job records %d frames done but %d were reported before the kill", j.Progress.Done, len(reported))
	}
	stored := p.jobFrames(t, id)
	for f, objs := range reported {
		if stored[f] == nil || stored[f][1] != objs[1] {
			t.Fatalf("frame %d was reported before the kill but is missing or changed after the restart", f)
		}
	}
	var acc api.JobAccepted
	if err := p.Client.Do(context.Background(), "POST", "/v1/jobs/"+id+"/resume", nil, &acc); err != nil {
		t.Fatal(err)
	}
	j = waitFor(t, p, id, func(j *api.Job) bool { return j.State != api.JobQueued && j.State != api.JobRunning })
	if j.State != api.JobSucceeded || j.Progress.Done != sc.Frames {
		t.Fatalf("the resumed job ended %s (%s) with %+v", j.State, j.Error, j.Progress)
	}
	final := p.jobFrames(t, id)
	if len(final) != sc.Frames {
		t.Fatalf("%d frames after resuming, want %d", len(final), sc.Frames)
	}
	for f, objs := range reported {
		if final[f][1] != objs[1] {
			t.Fatalf("frame %d changed when the job resumed", f)
		}
	}
}
