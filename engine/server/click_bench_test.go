package server_test

import (
	"context"
	"fmt"
	"image"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	seg "github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/synth"
)

// BenchmarkClickService is a click's work in the service (decoder, mask
// selection, upsampling to RLE), on a cached embedding, as the PVS handler
// does it, with three candidates as the UI asks for.
func BenchmarkClickService(b *testing.B) {
	e := enginetest.Start(b)
	img := e.Instance.Images
	for _, size := range [][2]int{{1920, 1080}, {4000, 3000}} {
		sc := synth.StandardScene(size[0], size[1], 1)
		m := e.Upload(b, sc.PNG())
		src := seg.Source{SHA256: m.MediaID, Width: m.Width, Height: m.Height, Load: func() (image.Image, error) { return sc.Image, nil }}
		x0, y0, x1, y1, _ := sc.Shape("green").Mask.BBox()
		req := &api.PVSImageRequest{MediaID: m.MediaID, Multimask: true,
			Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}}}}
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := img.Segment(b.Context(), src, req)
				if err != nil {
					b.Fatal(err)
				}
				seg.Render(res, nil, nil)
			}
		})
	}
}

// BenchmarkClickWhilePrecomputing is a click (on a cached embedding, as
// BenchmarkClickService) while other images are being encoded without
// pause: idle (nothing else), "background" (Precompute, which clicks
// preempt: the precompute job and prefetching) and "foreground" (Embedding,
// which a click waits for: how precomputing ran before).
func BenchmarkClickWhilePrecomputing(b *testing.B) {
	e := enginetest.Start(b)
	img := e.Instance.Images
	sc := synth.StandardScene(1920, 1080, 1)
	m := e.Upload(b, sc.PNG())
	load := func() (image.Image, error) { return sc.Image, nil }
	src := seg.Source{SHA256: m.MediaID, Width: m.Width, Height: m.Height, Load: load}
	x0, y0, x1, y1, _ := sc.Shape("green").Mask.BBox()
	req := &api.PVSImageRequest{MediaID: m.MediaID, Multimask: true,
		Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}}}}
	if _, err := img.Segment(b.Context(), src, req); err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, mode := range []string{"idle", "background", "foreground"} {
		b.Run(mode, func(b *testing.B) {
			ctx, cancel := context.WithCancel(b.Context())
			done := make(chan struct{})
			go func() {
				defer close(done)
				for mode != "idle" && ctx.Err() == nil {
					n++ // a new image each time: nothing comes from the cache
					other := seg.Source{SHA256: fmt.Sprintf("other-%d", n), Width: m.Width, Height: m.Height, Load: load}
					if mode == "background" {
						img.Precompute(ctx, other)
					} else {
						img.Embedding(ctx, other)
					}
				}
			}()
			for b.Loop() {
				if _, err := img.Segment(ctx, src, req); err != nil {
					b.Fatal(err)
				}
			}
			cancel()
			<-done
		})
	}
}
