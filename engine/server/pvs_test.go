package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

// centre returns a point well inside a shape: the centroid of its mask.
func centre(t *testing.T, m *mask.Mask) [2]float64 {
	t.Helper()
	var sx, sy, n float64
	for y := 0; y < m.H; y++ {
		for x := 0; x < m.W; x++ {
			if m.At(x, y) {
				sx, sy, n = sx+float64(x)+0.5, sy+float64(y)+0.5, n+1
			}
		}
	}
	if n == 0 {
		t.Fatal("empty ground truth")
	}
	return [2]float64{sx / n, sy / n}
}

func decode(t *testing.T, r *api.RLE) *mask.Mask {
	t.Helper()
	if r == nil {
		t.Fatal("no mask in the answer")
	}
	m, err := mask.Decode(*r)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func segment(t *testing.T, e *enginetest.Engine, req *api.PVSImageRequest) *api.PVSImageResponse {
	t.Helper()
	res, err := e.Client.SegmentImage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPositiveClickSelectsShape(t *testing.T) {
	e := enginetest.Start(t)
	for _, size := range [][2]int{{1920, 1080}, {4000, 3000}, {37, 1001}, {640, 480}} {
		scene := synth.StandardScene(size[0], size[1], 1)
		m := e.Upload(t, scene.PNG())
		if m.Width != size[0] || m.Height != size[1] {
			t.Fatalf("media size %dx%d, want %dx%d", m.Width, m.Height, size[0], size[1])
		}
		for _, name := range []string{"green", "blue", "orange"} { // red has a look-alike (see the negative-click test)
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], name), func(t *testing.T) {
				gt := scene.Shape(name).Mask
				res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 7, Points: [][2]float64{centre(t, gt)}}}})
				if res.Width != size[0] || res.Height != size[1] || len(res.Objects) != 1 || res.Objects[0].ObjectID != 7 {
					t.Fatalf("answer %dx%d with %d objects", res.Width, res.Height, len(res.Objects))
				}
				got := decode(t, res.Objects[0].Mask)
				if iou := mask.IoU(got, gt); iou < 0.95 {
					t.Errorf("IoU %.4f < 0.95 (area %d, truth %d)", iou, got.Area(), gt.Area())
				}
				if res.Objects[0].Area != got.Area() {
					t.Errorf("area %d, mask has %d", res.Objects[0].Area, got.Area())
				}
				if res.Model != "demo-tracker" || res.ModelLabel == "" {
					t.Errorf("model %q label %q", res.Model, res.ModelLabel)
				}
			})
		}
	}
}

func TestNegativeClickRemovesTouchingRegion(t *testing.T) {
	e := enginetest.Start(t)
	scene := synth.StandardScene(1280, 960, 2)
	m := e.Upload(t, scene.PNG())
	red, shadow := scene.Shape("red").Mask, scene.Shape("shadow").Mask
	both := mask.New(red.W, red.H)
	for i := range both.Pix {
		both.Pix[i] = red.Pix[i] | shadow.Pix[i]
	}
	pos, neg := centre(t, red), centre(t, shadow)

	first := decode(t, segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{pos}}}}).Objects[0].Mask)
	if iou := mask.IoU(first, both); iou < 0.9 {
		t.Fatalf("a click on red should also take its look-alike shadow: IoU with red+shadow %.3f", iou)
	}
	res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{pos, neg}, Labels: []int{1, 0}}}})
	got := decode(t, res.Objects[0].Mask)
	if iou := mask.IoU(got, red); iou < 0.95 {
		t.Errorf("after the negative click IoU with red is %.4f, want ≥ 0.95", iou)
	}
	if got.Area() >= first.Area() {
		t.Errorf("the negative click did not shrink the mask: %d → %d", first.Area(), got.Area())
	}
}

func TestBoxSelectsShapeInside(t *testing.T) {
	e := enginetest.Start(t)
	scene := synth.StandardScene(1920, 1080, 3)
	m := e.Upload(t, scene.PNG())
	for _, name := range []string{"green", "blue"} {
		gt := scene.Shape(name).Mask
		x0, y0, x1, y1, _ := gt.BBox()
		box := [4]float64{float64(x0) - 10, float64(y0) - 10, float64(x1) + 10, float64(y1) + 10}
		res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 3, Box: &box}}})
		got := decode(t, res.Objects[0].Mask)
		if iou := mask.IoU(got, gt); iou < 0.95 {
			t.Errorf("%s: box IoU %.4f < 0.95", name, iou)
		}
		b := res.Objects[0].Box
		if b[0] < box[0] || b[1] < box[1] || b[2] > box[2] || b[3] > box[3] {
			t.Errorf("%s: mask box %v leaves the prompt box %v", name, b, box)
		}
	}
}

func TestSeveralObjectsInOneRequest(t *testing.T) {
	e := enginetest.Start(t)
	scene := synth.StandardScene(800, 600, 4)
	m := e.Upload(t, scene.PNG())
	gb := scene.Shape("green").Mask
	x0, y0, x1, y1, _ := gb.BBox()
	box := [4]float64{float64(x0) - 4, float64(y0) - 4, float64(x1) + 4, float64(y1) + 4}
	res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Multimask: true, Outputs: []string{"rle", "polygon", "png"}, Objects: []api.PVSObject{
		{ObjectID: 1, Points: [][2]float64{centre(t, scene.Shape("blue").Mask)}},
		{ObjectID: 2, Box: &box},
		{ObjectID: 3, Points: [][2]float64{centre(t, scene.Shape("orange").Mask)}, Labels: []int{1}},
	}})
	want := map[int]string{1: "blue", 2: "green", 3: "orange"}
	for _, o := range res.Objects {
		gt := scene.Shape(want[o.ObjectID]).Mask
		if iou := mask.IoU(decode(t, o.Mask), gt); iou < 0.95 {
			t.Errorf("object %d (%s): IoU %.4f", o.ObjectID, want[o.ObjectID], iou)
		}
		if len(o.Candidates) != 3 {
			t.Errorf("object %d: %d candidates, want 3 with multimask", o.ObjectID, len(o.Candidates))
		}
		if len(o.Polygons) == 0 {
			t.Errorf("object %d: no polygons", o.ObjectID)
		} else if iou := mask.IoU(mask.Rasterize(o.Polygons, m.Width, m.Height), gt); iou < 0.9 {
			t.Errorf("object %d: polygons rasterise to IoU %.3f", o.ObjectID, iou)
		}
		if o.OverlayURL == "" {
			t.Errorf("object %d: no overlay URL", o.ObjectID)
		}
	}
}

// A click's answer depends on its own prompt and picture only: the same
// click gives the same masks before and after clicks on other shapes and on
// pictures of other sizes.
func TestTheSameClickAnswersTheSameAfterOthers(t *testing.T) {
	e := enginetest.Start(t)
	big := synth.StandardScene(1920, 1080, 1)
	small := synth.StandardScene(640, 480, 2)
	mb, ms := e.Upload(t, big.PNG()), e.Upload(t, small.PNG())
	click := func(m *api.Media, sc *synth.Scene, name string, multimask bool) *api.PVSImageResponse {
		return segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Multimask: multimask,
			Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{centre(t, sc.Shape(name).Mask)}}}})
	}
	first := click(mb, big, "green", true)
	for _, name := range []string{"blue", "orange"} {
		click(mb, big, name, true)
		click(ms, small, name, false)
	}
	again := click(mb, big, "green", true)
	if len(first.Objects[0].Candidates) < 2 || len(again.Objects[0].Candidates) != len(first.Objects[0].Candidates) {
		t.Fatalf("%d then %d candidates", len(first.Objects[0].Candidates), len(again.Objects[0].Candidates))
	}
	if again.Objects[0].Mask.Counts != first.Objects[0].Mask.Counts {
		t.Error("the same click answered another mask after others")
	}
	for k, c := range first.Objects[0].Candidates {
		if again.Objects[0].Candidates[k].Mask.Counts != c.Mask.Counts {
			t.Errorf("candidate %d changed", k)
		}
	}
}
