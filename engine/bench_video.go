package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/synth"
	"github.com/samwise-app/samwise/engine/video"
)

// benchVideo measures propagation speed against ffmpeg alone decoding the
// same generated video to rawvideo, first with encoding and then again with
// cached frame embeddings. Times are ms per frame; the ratio is of speeds
// (propagation frames/s over ffmpeg frames/s).
func benchVideo(ctx context.Context, c *client.Client, frames, w, h int, tmp string) ([]benchResult, error) {
	sc := synth.StandardVideo(frames)
	sx, sy := float64(w)/float64(sc.W), float64(h)/float64(sc.H)
	for i := range sc.Movers {
		mv := &sc.Movers[i]
		pos := mv.Pos
		mv.R *= min(sx, sy)
		mv.Pos = func(t int) (float64, float64) { x, y := pos(t); return x * sx, y * sy }
	}
	sc.W, sc.H = w, h
	path := filepath.Join(tmp, "bench.mp4")
	if err := sc.Encode(ctx, path, 30); err != nil {
		return nil, err
	}
	src, err := video.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	n := 0
	if err := src.Read(ctx, 0, func(int, []byte) error { n++; return nil }); err != nil {
		return nil, err
	}
	ffmpegMS := float64(time.Since(start).Microseconds()) / 1000 / float64(n)

	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	m, err := c.Upload(ctx, "bench.mp4", f)
	f.Close()
	if err != nil {
		return nil, err
	}
	var s api.VideoSession
	if err := c.Do(ctx, "POST", "/v1/pvs/video/sessions", api.VideoSessionRequest{MediaID: m.MediaID}, &s); err != nil {
		return nil, err
	}
	x0, y0, x1, y1, _ := sc.Truth("blue", 0).BBox()
	ann := api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}}
	if err := c.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/annotations", ann, nil); err != nil {
		return nil, err
	}
	run := func() (float64, error) {
		start := time.Now()
		var acc api.JobAccepted
		if err := c.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/propagate", api.PropagateRequest{}, &acc); err != nil {
			return 0, err
		}
		for {
			var j api.Job
			if err := c.Do(ctx, "GET", "/v1/jobs/"+acc.JobID, nil, &j); err != nil {
				return 0, err
			}
			switch j.State {
			case api.JobSucceeded:
				return float64(time.Since(start).Microseconds()) / 1000 / float64(j.Progress.Done), nil
			case api.JobFailed, api.JobCancelled:
				return 0, fmt.Errorf("propagation %s: %s", j.State, j.Error)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	first, err := run()
	if err != nil {
		return nil, err
	}
	again, err := run()
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("propagate %dx%d, 1 object (ms/frame)", w, h)
	return []benchResult{
		{Name: name, Measured: first, Baseline: "ffmpeg decode to rawvideo", BaseMS: ffmpegMS, Goal: "fps ratio ≥ 0.5", invert: true},
		{Name: name + ", embeddings cached", Measured: again, Baseline: "ffmpeg decode to rawvideo", BaseMS: ffmpegMS, Goal: "fps ratio ≥ 0.5", invert: true},
	}, nil
}
