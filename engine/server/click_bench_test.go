package server_test

import (
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
