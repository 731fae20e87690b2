package server_test

import (
	"context"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

func pcs(t *testing.T, e *enginetest.Engine, req api.PCSImageRequest) *api.PCSImageResponse {
	t.Helper()
	var res api.PCSImageResponse
	if err := e.Client.Do(context.Background(), "POST", "/v1/pcs/image", req, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

// matches pairs found instances with ground-truth shapes by best IoU and
// returns, for each found instance, the shape name and IoU.
func matches(t *testing.T, res *api.PCSImageResponse, scene *synth.Scene) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, o := range res.Objects {
		got := decode(t, o.Mask)
		best, bestIoU := "", 0.0
		for _, sh := range scene.Shapes {
			if iou := mask.IoU(got, sh.Mask); iou > bestIoU {
				best, bestIoU = sh.Name, iou
			}
		}
		if _, dup := out[best]; dup {
			t.Errorf("two instances match %s", best)
		}
		out[best] = bestIoU
	}
	return out
}

func names(m map[string]float64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// conceptScene has three red shapes and two blue ones, apart.
func conceptScene() *synth.Scene {
	p := synth.NewPainter(640, 480, 21, 4)
	p.Rect("red square", synth.Red, 40, 40, 140, 140)
	p.Circle("red circle", synth.Red, 300, 90, 55)
	p.Rect("red rectangle", synth.Red, 440, 50, 600, 120)
	p.Rect("blue square", synth.Blue, 60, 280, 170, 390)
	p.Circle("blue circle", synth.Blue, 400, 330, 60)
	return p.Scene()
}

func TestConceptTextFindsEveryInstance(t *testing.T) {
	e := enginetest.Start(t)
	scene := conceptScene()
	m := e.Upload(t, scene.PNG())
	for _, c := range []struct {
		text string
		want []string
	}{
		{"red", []string{"red circle", "red rectangle", "red square"}},
		{"blue square", []string{"blue square"}},
		{"circles", []string{"blue circle", "red circle"}},
		{"a red circle", []string{"red circle"}},
		{"squares", []string{"blue square", "red rectangle", "red square"}}, // the demo cannot tell squares from rectangles
		{"purple", nil},
	} {
		t.Run(c.text, func(t *testing.T) {
			res := pcs(t, e, api.PCSImageRequest{MediaID: m.MediaID, Text: c.text})
			got := matches(t, res, scene)
			if strings.Join(names(got), ",") != strings.Join(c.want, ",") {
				t.Fatalf("%q found %v, want %v", c.text, names(got), c.want)
			}
			for name, iou := range got {
				if iou < 0.9 {
					t.Errorf("%s: IoU %.3f < 0.9", name, iou)
				}
			}
			ids := res.PromptToObjIDs[c.text]
			if len(ids) != len(c.want) {
				t.Errorf("prompt_to_obj_ids = %v", res.PromptToObjIDs)
			}
			for i, o := range res.Objects {
				if o.ObjectID != i+1 || o.Score <= 0.5 || o.Box[2] <= o.Box[0] {
					t.Errorf("object %d: %+v", i, o)
				}
			}
			// The demo's semantic head: the union of the shapes that match.
			b := scene.Image.Bounds()
			union := mask.New(b.Dx(), b.Dy())
			for _, sh := range scene.Shapes {
				if _, ok := got[sh.Name]; ok {
					for i, v := range sh.Mask.Pix {
						union.Pix[i] |= v
					}
				}
			}
			sem := res.SemanticSeg
			if sem == nil || sem.Mask == nil {
				t.Fatal("no semantic_seg from a model that has one")
			}
			semMask := decode(t, sem.Mask)
			if iou := mask.IoU(semMask, union); (len(c.want) == 0 && semMask.Area() != 0) || (len(c.want) > 0 && iou < 0.9) {
				t.Errorf("semantic_seg: area %d, IoU %.3f with the matching shapes (want ≥ 0.9)", sem.Area, iou)
			}
		})
	}
}

func TestConceptExemplars(t *testing.T) {
	e := enginetest.Start(t)
	p := synth.NewPainter(640, 480, 22, 4)
	p.Rect("square A", synth.Red, 40, 40, 130, 130)
	p.Rect("square B", synth.Red, 240, 60, 330, 150)
	p.Rect("square C", synth.Red, 460, 80, 550, 170)
	p.Circle("circle", synth.Red, 150, 330, 55)
	p.Rect("blue square", synth.Blue, 400, 300, 490, 390)
	scene := p.Scene()
	m := e.Upload(t, scene.PNG())
	a := api.Exemplar{Box: [4]float64{36, 36, 134, 134}, Label: 1}
	res := pcs(t, e, api.PCSImageRequest{MediaID: m.MediaID, Exemplars: []api.Exemplar{a}})
	got := matches(t, res, scene)
	if strings.Join(names(got), ",") != "square A,square B,square C" {
		t.Fatalf("an exemplar on square A found %v, want its look-alikes A, B and C", names(got))
	}
	for name, iou := range got {
		if iou < 0.9 {
			t.Errorf("%s: IoU %.3f", name, iou)
		}
	}
	if res.PromptToObjIDs["exemplars"] == nil {
		t.Errorf("prompt_to_obj_ids = %v", res.PromptToObjIDs)
	}
	c := api.Exemplar{Box: [4]float64{456, 76, 554, 174}, Label: 0}
	got = matches(t, pcs(t, e, api.PCSImageRequest{MediaID: m.MediaID, Exemplars: []api.Exemplar{a, c}}), scene)
	if strings.Join(names(got), ",") != "square A,square B" {
		t.Fatalf("a negative exemplar on square C left %v, want A and B", names(got))
	}
}

func TestConceptBadInput(t *testing.T) {
	e := enginetest.Start(t)
	m := e.Upload(t, conceptScene().PNG())
	id := m.MediaID
	for _, c := range []struct {
		name, body, mention string
	}{
		{"empty text", `{"media_id": "` + id + `", "text": "  "}`, "text prompt"},
		{"10 KB of text", `{"media_id": "` + id + `", "text": "` + strings.Repeat("red ", 2560) + `"}`, "bytes"},
		{"NaN box", `{"media_id": "` + id + `", "exemplars": [{"box": [NaN, 0, 10, 10], "label": 1}]}`, "json"},
		{"huge number", `{"media_id": "` + id + `", "exemplars": [{"box": [1e999, 0, 10, 10], "label": 1}]}`, "box"},
		{"inverted box", `{"media_id": "` + id + `", "exemplars": [{"box": [50, 50, 10, 10], "label": 1}]}`, "x1 > x0"},
		{"box outside", `{"media_id": "` + id + `", "exemplars": [{"box": [600, 400, 700, 500], "label": 1}]}`, "outside"},
		{"bad label", `{"media_id": "` + id + `", "exemplars": [{"box": [1, 1, 10, 10], "label": 3}]}`, "label"},
		{"threshold above 1", `{"media_id": "` + id + `", "text": "red", "threshold": 1.5}`, "between 0 and 1"},
		{"negative threshold", `{"media_id": "` + id + `", "text": "red", "threshold": -0.1}`, "between 0 and 1"},
		{"unknown output", `{"media_id": "` + id + `", "text": "red", "outputs": ["png"]}`, "output"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, e, "POST", "/v1/pcs/image", "application/json", strings.NewReader(c.body))
			if a.status != 400 || !strings.Contains(strings.ToLower(a.body.Error.Message), strings.ToLower(c.mention)) {
				t.Errorf("got %d %q, want 400 mentioning %q", a.status, a.body.Error.Message, c.mention)
			}
		})
	}
	_ = math.NaN
}

// TestConceptCachesImageAndText checks the vision encoder runs once per
// image and the text encoder once per prompt.
func TestConceptCachesImageAndText(t *testing.T) {
	e := enginetest.Start(t)
	m := e.Upload(t, conceptScene().PNG())
	for _, text := range []string{"red", "blue", "red", "red circle", "blue"} {
		pcs(t, e, api.PCSImageRequest{MediaID: m.MediaID, Text: text})
	}
	c := e.Instance.Concepts
	if n := c.Encodes(); n != 1 {
		t.Errorf("the concept vision encoder ran %d times for one image", n)
	}
	if n := c.TextEncodes(); n != 3 {
		t.Errorf("the text encoder ran %d times for 3 distinct prompts", n)
	}
}
