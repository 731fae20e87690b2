package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// disc returns a w×h mask with a disc of radius r at (cx, cy).
func disc(w, h int, cx, cy, r float64) *mask.Mask {
	m := mask.New(w, h)
	for y := range h {
		for x := range w {
			if math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) <= r {
				m.Set(x, y, true)
			}
		}
	}
	return m
}

func enc(m *mask.Mask) api.RLE { return mask.Encode(m) }

// project is two images (one with an unlabelled two-piece object and a
// ring) and a video with an object on two frames.
func project() export.Input {
	ring := disc(64, 48, 20, 20, 14)
	hole := disc(64, 48, 20, 20, 6)
	for i := range ring.Pix {
		ring.Pix[i] &^= hole.Pix[i]
	}
	two := disc(64, 48, 50, 10, 7)
	other := disc(64, 48, 52, 38, 8)
	for i := range two.Pix {
		two.Pix[i] |= other.Pix[i]
	}
	return export.Input{
		Project: api.Project{ProjectID: "p", Name: "pets", Labels: []api.Label{{Name: "cat", Color: "#ff0000"}}},
		Items: []export.Item{
			{Media: api.Media{MediaID: "aaaaaaaaaaaaaaaaaaaaaaaa", Kind: api.KindImage, Name: "a.png", Format: "png", Width: 64, Height: 48, Frames: 1},
				Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{
					{ObjectID: 1, Label: "cat", Visible: true, Masks: map[string]api.RLE{"0": enc(ring)}},
					{ObjectID: 4, Label: "", Visible: true, Masks: map[string]api.RLE{"0": enc(two)}},
				}}},
			{Media: api.Media{MediaID: "bbbbbbbbbbbbbbbbbbbbbbbb", Kind: api.KindImage, Name: "b.jpg", Format: "jpeg", Width: 40, Height: 30, Frames: 1},
				Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{
					{ObjectID: 2, Label: "dog", Visible: true, Masks: map[string]api.RLE{"0": enc(disc(40, 30, 15, 15, 9))}},
				}}},
			{Media: api.Media{MediaID: "cccccccccccccccccccccccc", Kind: api.KindVideo, Name: "walk.mp4", Format: "mp4", Width: 32, Height: 24, Frames: 5, FPS: 25},
				Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{
					{ObjectID: 3, Label: "dog", Visible: true, Masks: map[string]api.RLE{"0": enc(disc(32, 24, 10, 10, 6)), "3": enc(disc(32, 24, 20, 12, 6))}},
				}}},
		},
	}
}

// empty returns the targets of in's media with empty documents.
func empty(in export.Input) []importer.Target {
	var ts []importer.Target
	for _, it := range in.Items {
		ts = append(ts, importer.Target{Media: it.Media, Doc: &api.AnnotationDoc{MediaID: it.Media.MediaID, Objects: []api.AnnotatedObject{}}})
	}
	return ts
}

// masksByFrame collects media/label/frame → mask of every object.
func masksByFrame(t *testing.T, ts []importer.Target) map[string]*mask.Mask {
	t.Helper()
	out := map[string]*mask.Mask{}
	for _, tg := range ts {
		for _, o := range tg.Doc.Objects {
			for f, r := range o.Masks {
				m, err := mask.Decode(r)
				if err != nil {
					t.Fatal(err)
				}
				k := tg.Media.MediaID[:1] + "/" + o.Label + "/" + f
				if out[k] != nil {
					t.Fatalf("two objects labelled %q on %s frame %s", o.Label, tg.Media.MediaID, f)
				}
				out[k] = m
			}
		}
	}
	return out
}

// stubPictures stands in for the picture files of a dataset, which no
// import reads.
type stubPictures struct{}

func (stubPictures) Image(context.Context, api.Media) ([]byte, error) { return []byte("picture"), nil }

func (stubPictures) Frames(_ context.Context, _ api.Media, frames []int, fn func(int, []byte) error) error {
	for k := range frames {
		if err := fn(k, []byte("frame")); err != nil {
			return err
		}
	}
	return nil
}

// imported parses data, which must be in format, and merges it into empty
// documents of in's media.
func imported(t *testing.T, in export.Input, data []byte, format string) (*importer.File, []importer.Target, api.ImportResult) {
	t.Helper()
	f, err := importer.Parse(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != format {
		t.Errorf("sniffed %q, want %q", f.Format, format)
	}
	ts := empty(in)
	labels := []api.Label{}
	return f, ts, importer.Merge(f, &labels, ts, importer.Options{}).Result
}

// again merges f a second time into ts.
func again(f *importer.File, ts []importer.Target) api.ImportResult {
	labels := []api.Label{}
	return importer.Merge(f, &labels, ts, importer.Options{}).Result
}

// dataset is the export of in in format with its pictures.
func dataset(t testing.TB, format string, in export.Input, val float64) []byte {
	t.Helper()
	ds, err := export.NewDataset(format, in, val)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ds.WriteTo(context.Background(), &buf, stubPictures{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	in := project()
	coco, err := export.COCO(in, false)
	if err != nil {
		t.Fatal(err)
	}
	polys, err := export.COCO(in, true)
	if err != nil {
		t.Fatal(err)
	}
	labelme, err := export.LabelMe(in)
	if err != nil {
		t.Fatal(err)
	}
	yolo, err := export.YOLO(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*mask.Mask{}
	for _, it := range in.Items {
		for _, o := range it.Doc.Objects {
			label := o.Label
			if label == "" {
				label = "object" // exports name the category of unlabelled objects
			}
			for f, r := range o.Masks {
				m, _ := mask.Decode(r)
				want[it.Media.MediaID[:1]+"/"+label+"/"+f] = m
			}
		}
	}
	// YOLO has no object ids: a video's object is one object per frame.
	for _, tc := range []struct {
		name, format string
		data         []byte
		minIoU       float64
		objects      int
	}{
		{"coco rle", api.ImportCOCO, coco, 1, 4},
		{"coco polygons", api.ImportCOCO, polys, 0.85, 4},
		{"labelme zip", api.ImportLabelMe, labelme, 0.85, 4},
		{"yolo zip", api.ImportYOLO, yolo, 0.85, 5},
		// Exports with their pictures import the same: the pictures are passed over.
		{"coco dataset", api.ImportCOCO, dataset(t, api.ExportCOCO, in, 0), 1, 4},
		{"labelme dataset", api.ImportLabelMe, dataset(t, api.ExportLabelMe, in, 0), 0.85, 4},
		{"yolo dataset", api.ImportYOLO, dataset(t, api.ExportYOLO, in, 0), 0.85, 5},
		{"coco split dataset", api.ImportCOCO, dataset(t, api.ExportCOCO, in, 0.3), 1, 4},
		{"yolo split dataset", api.ImportYOLO, dataset(t, api.ExportYOLO, in, 0.3), 0.85, 5},
	} {
		for _, prepared := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s prepared=%v", tc.name, prepared), func(t *testing.T) {
				f, err := importer.Parse(tc.data, "")
				if err != nil {
					t.Fatal(err)
				}
				if f.Format != tc.format {
					t.Errorf("sniffed %q, want %q", f.Format, tc.format)
				}
				labels := []api.Label{{Name: "cat", Color: "#ff0000"}}
				ts := empty(in)
				if prepared { // masks drawn before the merge, as the server does
					var media []api.Media
					for _, it := range in.Items {
						media = append(media, it.Media)
					}
					importer.Prepare(f, media)
				}
				m := importer.Merge(f, &labels, ts, importer.Options{})
				res, changed := m.Result, m.Changed
				if res.Objects != tc.objects || res.Masks != 5 || len(changed) != 3 || res.UnmatchedCount != 0 || res.SkippedCount != 0 {
					t.Fatalf("result %+v, changed %v; want %d objects with 5 masks on 3 media, nothing unmatched or skipped", res, changed, tc.objects)
				}
				// In the order met: a split file meets the held-out media last.
				if got := strings.Join(slices.Sorted(slices.Values(res.LabelsAdded)), ","); got != "dog,object" {
					t.Errorf("labels added %q, want object and dog", res.LabelsAdded)
				}
				got := masksByFrame(t, ts)
				if len(got) != len(want) {
					t.Fatalf("imported %d masks, want %d: %v", len(got), len(want), got)
				}
				for k, w := range want {
					g := got[k]
					if g == nil {
						t.Fatalf("no mask %s", k)
					}
					if iou := mask.IoU(g, w); iou < tc.minIoU {
						t.Errorf("%s: IoU %.3f with the exported mask, want ≥ %.2f", k, iou, tc.minIoU)
					}
				}
				if n := len(ts[2].Doc.Objects); n != tc.objects-3 {
					t.Errorf("the video has %d objects, want %d", n, tc.objects-3)
				}

				// Importing the same file again adds nothing.
				m = importer.Merge(f, &labels, ts, importer.Options{})
				again, changed := m.Result, m.Changed
				if again.Objects != 0 || again.Duplicates != 5 || len(changed) != 0 {
					t.Errorf("second import: %+v, changed %v; want 0 objects and 5 duplicates", again, changed)
				}
			})
		}
	}
}

// Imported objects are added after the existing ones, which stay as they
// are, and take their label's colour.
func TestMergeKeepsExistingObjects(t *testing.T) {
	in := project()
	coco, _ := export.COCO(in, false)
	f, err := importer.Parse(coco, api.ImportCOCO)
	if err != nil {
		t.Fatal(err)
	}
	ts := empty(in)
	keep := api.AnnotatedObject{ObjectID: 9, Label: "mine", Visible: false, Masks: map[string]api.RLE{"0": enc(disc(64, 48, 5, 5, 3))}}
	ts[0].Doc.Objects = append(ts[0].Doc.Objects, keep)
	labels := []api.Label{{Name: "cat", Color: "#123456"}}
	importer.Merge(f, &labels, ts, importer.Options{})
	objs := ts[0].Doc.Objects
	if len(objs) != 3 || objs[0].ObjectID != 9 || objs[0].Masks["0"] != keep.Masks["0"] || objs[0].Visible {
		t.Fatalf("existing object changed or moved: %+v", objs)
	}
	if objs[1].ObjectID != 10 || objs[2].ObjectID != 11 {
		t.Errorf("new ids %d, %d; want 10, 11 (after the largest)", objs[1].ObjectID, objs[2].ObjectID)
	}
	if objs[1].Label != "cat" || objs[1].Color != "#123456" || !objs[1].Visible {
		t.Errorf("imported cat: %+v; want the label's colour, visible", objs[1])
	}
}

// A zip of LabelMe files whose names repeat gets the export's id prefixes,
// which match the right media.
func TestMatchByExportPrefix(t *testing.T) {
	in := project()
	in.Items[1].Media.Name = "a.png"
	in.Items[1].Media.Width, in.Items[1].Media.Height = 64, 48
	in.Items[1].Doc.Objects[0].Masks["0"] = enc(disc(64, 48, 30, 30, 9))
	data, err := export.LabelMe(in)
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
	}
	f, err := importer.Parse(data, "")
	if err != nil {
		t.Fatal(err)
	}
	labels := []api.Label{}
	ts := empty(in)
	res := importer.Merge(f, &labels, ts, importer.Options{}).Result
	if res.Matched != 4 || res.UnmatchedCount != 0 || res.SkippedCount != 0 {
		t.Fatalf("entries %v: %+v; want 4 pictures matched", names, res)
	}
	if len(ts[0].Doc.Objects) != 2 || len(ts[1].Doc.Objects) != 1 || ts[1].Doc.Objects[0].Label != "dog" {
		t.Errorf("objects went to the wrong media: %+v / %+v", ts[0].Doc.Objects, ts[1].Doc.Objects)
	}
}

// Flags and notes come back as far as each format carries them: COCO its
// iscrowd and CVAT-style attributes, LabelMe every flag and the
// description, YouTube-VIS iscrowd.
func TestFlagsRoundTrip(t *testing.T) {
	in := project()
	two := &in.Items[0].Doc.Objects[1]
	two.Flags, two.Note = map[string]bool{"crowd": true, "occluded": true, "blurry": true}, "two discs"
	walk := &in.Items[2].Doc.Objects[0]
	walk.Flags = map[string]bool{"crowd": true, "truncated": true}
	coco, _ := export.COCO(in, false)
	labelme, _ := export.LabelMe(in)
	ytvis, _ := export.YTVIS(in)
	for _, tc := range []struct {
		name      string
		data      []byte
		two, walk string // the flags of the two objects after the import
		note      string
	}{
		{"coco", coco, "crowd occluded", "crowd truncated", ""},
		{"labelme", labelme, "blurry crowd occluded", "crowd truncated", "two discs"},
		{"ytvis", ytvis, "", "crowd", ""},
	} {
		f, err := importer.Parse(tc.data, "")
		if err != nil {
			t.Fatal(err)
		}
		ts := empty(in)
		labels := []api.Label{}
		importer.Merge(f, &labels, ts, importer.Options{})
		flags := func(o *api.AnnotatedObject) string {
			if o == nil {
				return ""
			}
			return strings.Join(slices.Sorted(maps.Keys(o.Flags)), " ")
		}
		byLabel := func(ti int, label string) *api.AnnotatedObject {
			for i := range ts[ti].Doc.Objects {
				if ts[ti].Doc.Objects[i].Label == label {
					return &ts[ti].Doc.Objects[i]
				}
			}
			return nil
		}
		if got := flags(byLabel(0, "object")); got != tc.two {
			t.Errorf("%s: the two-piece object's flags %q, want %q", tc.name, got, tc.two)
		}
		if got := flags(byLabel(2, "dog")); got != tc.walk {
			t.Errorf("%s: the video object's flags %q, want %q", tc.name, got, tc.walk)
		}
		if o := byLabel(0, "object"); o != nil && o.Note != tc.note {
			t.Errorf("%s: note %q, want %q", tc.name, o.Note, tc.note)
		}
	}
}
