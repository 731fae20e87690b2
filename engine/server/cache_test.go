package server_test

import (
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestEncoderRunsOncePerImage clicks N times on one image and counts encoder
// runs; then restarts the engine on the same data directory and checks the
// embedding comes from the disk cache.
func TestEncoderRunsOncePerImage(t *testing.T) {
	dir := t.TempDir()
	scene := synth.StandardScene(1024, 768, 5)
	gt := scene.Shape("green").Mask
	var first string
	{
		e := enginetest.Start(t, enginetest.WithDataDir(dir))
		m := e.Upload(t, scene.PNG())
		for i := 0; i < 12; i++ {
			pt := centre(t, gt)
			pt[0] += float64(i) // different clicks, same image
			res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{pt}}}})
			if i == 0 {
				first = res.Objects[0].Mask.Counts
				if res.Timing.Cached {
					t.Error("the first click reports a cached embedding")
				}
			} else if !res.Timing.Cached {
				t.Errorf("click %d re-encoded the image", i+1)
			}
		}
		if n := e.Instance.Images.Encodes(); n != 1 {
			t.Fatalf("encoder ran %d times for 12 clicks on one image, want 1", n)
		}
		e.Instance.Close()
	}
	e := enginetest.Start(t, enginetest.WithDataDir(dir))
	m := e.Upload(t, scene.PNG())
	res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{centre(t, gt)}}}})
	if n := e.Instance.Images.Encodes(); n != 0 {
		t.Errorf("after a restart the encoder ran %d times; the disk cache should have served it", n)
	}
	if !res.Timing.Cached {
		t.Error("after a restart the answer is not marked cached")
	}
	if res.Objects[0].Mask.Counts != first {
		t.Error("the mask from the disk-cached embedding differs from the first one")
	}
}
