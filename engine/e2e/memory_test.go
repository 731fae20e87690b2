//go:build integration

package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestMemoryStaysFlatOverLongVideo tracks one object through a 3 300-frame video
// and compares the engine's resident memory after 300 and after 3 000 frames,
// both while the job runs (an idle engine has returned its working buffers, so
// a sample after the end would flatter the second one): the tracker's memory
// is bounded per object, whatever the length. Each value is the median of a
// few samples, so one garbage-collection cycle does not decide it.
func TestMemoryStaysFlatOverLongVideo(t *testing.T) {
	sc := synth.StandardVideo(3300)
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
	ended := func(j *api.Job) bool { return j.State != api.JobQueued && j.State != api.JobRunning }
	sample := func(frames int) int64 {
		j := waitFor(t, p, id, func(j *api.Job) bool { return j.Progress.Done >= frames || ended(j) })
		if ended(j) {
			t.Fatalf("the job ended (%s, %s) before %d frames were sampled", j.State, j.Error, frames)
		}
		var rss []int64
		for range 5 {
			rss = append(rss, p.rss(t))
			time.Sleep(50 * time.Millisecond)
		}
		slices.Sort(rss)
		return rss[len(rss)/2]
	}
	at300 := sample(300)
	at3000 := sample(3000)
	j := waitFor(t, p, id, ended)
	if j.State != api.JobSucceeded {
		t.Fatalf("the job ended %s: %s", j.State, j.Error)
	}
	growth := float64(at3000-at300) / float64(at300)
	t.Logf("resident memory: %.1f MiB after 300 frames, %.1f MiB after 3000 frames (%+.1f%%), %.0f frames/s",
		float64(at300)/(1<<20), float64(at3000)/(1<<20), 100*growth, j.Progress.FPS)
	if growth > 0.10 || growth < -0.10 {
		t.Errorf("resident memory changed by %.1f%% between 300 and 3000 frames (limit ±10%%)", 100*growth)
	}
}
