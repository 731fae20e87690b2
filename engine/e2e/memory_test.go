//go:build integration

package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestMemoryStaysFlatOverLongVideo tracks one object through a 3 300-frame
// video and samples the engine's anonymous resident memory every few
// frames from frame 300 to frame 3 000, while the job runs (an idle engine
// has returned its working buffers). The tracker's memory is bounded per
// object whatever the length, so the line fitted through the samples must
// be flat: a leak grows with every frame, while a garbage-collection cycle
// moves single samples up and down and barely moves a line through a few
// hundred of them (comparing two samples failed on such a cycle once).
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
	const from, to = 300, 3000
	var frames, mem []float64
	waitFor(t, p, id, func(j *api.Job) bool { return j.Progress.Done >= from || ended(j) })
	for {
		j := p.job(t, id)
		if ended(j) {
			t.Fatalf("the job ended (%s, %s) at frame %d, before frame %d", j.State, j.Error, j.Progress.Done, to)
		}
		if j.Progress.Done >= to {
			break
		}
		frames = append(frames, float64(j.Progress.Done))
		mem = append(mem, float64(p.anonMemory(t)))
		time.Sleep(25 * time.Millisecond)
	}
	j := waitFor(t, p, id, ended)
	if j.State != api.JobSucceeded {
		t.Fatalf("the job ended %s: %s", j.State, j.Error)
	}
	if len(mem) < 20 {
		t.Fatalf("only %d samples between frames %d and %d", len(mem), from, to)
	}
	slope, at := fitLine(frames, mem)
	start := at(from)
	growth := slope * (to - from) / start
	t.Logf("anonymous resident memory, %d samples: %.1f MiB at frame %d, %+.1f%% by frame %d on the fitted line (%.1f KiB per 1000 frames); samples %.1f to %.1f MiB; %.0f frames/s",
		len(mem), start/(1<<20), from, 100*growth, to, slope*1000/(1<<10), slices.Min(mem)/(1<<20), slices.Max(mem)/(1<<20), j.Progress.FPS)
	if growth > 0.10 {
		t.Errorf("resident memory grows with the frames tracked: %+.1f%% from frame %d to %d on the fitted line (limit +10%%)", 100*growth, from, to)
	}
}

// fitLine fits y = a + b·x by least squares and returns b and the line.
func fitLine(x, y []float64) (float64, func(float64) float64) {
	n := float64(len(x))
	var sx, sy, sxx, sxy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		sxy += x[i] * y[i]
	}
	b := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a := (sy - b*sx) / n
	return b, func(v float64) float64 { return a + b*v }
}
