//go:build integration

package e2e

import (
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestMemoryStaysFlatOverLongVideo tracks one object through 3 000 frames
// and compares the engine's resident memory after 300 and after 3 000
// frames: the tracker's memory is bounded per object, whatever the length.
func TestMemoryStaysFlatOverLongVideo(t *testing.T) {
	sc := synth.StandardVideo(3000)
	sc.W, sc.H = 160, 120
	for i := range sc.Movers { // the same motion, at half scale
		mv := &sc.Movers[i]
		pos := mv.Pos
		mv.R /= 2
		mv.Pos = func(t int) (float64, float64) { x, y := pos(t); return x / 2, y / 2 }
	}
	p := startEngine(t, t.TempDir(), "SAMWISE_CACHE_DISK_MB=64")
	m := uploadVideo(t, p, sc)
	id := startTracking(t, p, sc, m)
	waitFor(t, p, id, func(j *api.Job) bool { return j.Progress.Done >= 300 })
	at300 := p.rss(t)
	j := waitFor(t, p, id, func(j *api.Job) bool { return j.Progress.Done >= 2990 || j.State != api.JobRunning })
	at3000 := p.rss(t)
	if j.State == api.JobFailed {
		t.Fatalf("the job failed: %s", j.Error)
	}
	growth := float64(at3000-at300) / float64(at300)
	t.Logf("resident memory: %.1f MiB after 300 frames, %.1f MiB after %d frames (%+.1f%%), %.0f frames/s",
		float64(at300)/(1<<20), float64(at3000)/(1<<20), j.Progress.Done, 100*growth, j.Progress.FPS)
	if growth > 0.10 || growth < -0.10 {
		t.Errorf("resident memory changed by %.1f%% between 300 and 3000 frames (limit ±10%%)", 100*growth)
	}
}
