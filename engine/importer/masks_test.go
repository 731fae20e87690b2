package importer_test

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// Samwise's mask PNG export imports back exactly: each object with its
// label, the video's object as one object over its frames; importing it
// again adds nothing.
func TestMaskPNGRoundTrip(t *testing.T) {
	in := project()
	f, ts, res := imported(t, in, must(export.PNG(in)), api.ImportMasks)
	if res.Objects != 4 || res.Masks != 5 || res.SkippedCount != 0 || res.UnmatchedCount != 0 {
		t.Fatalf("%+v; want the 4 objects with 5 masks", res)
	}
	got := masksByFrame(t, ts)
	for i, it := range in.Items {
		for _, o := range it.Doc.Objects {
			label := o.Label
			if label == "" {
				label = "object"
			}
			for key, r := range o.Masks {
				want, _ := mask.Decode(r)
				g := got[it.Media.MediaID[:1]+"/"+label+"/"+key]
				if g == nil || mask.IoU(g, want) != 1 {
					t.Errorf("%s %s frame %s: not back exactly", in.Items[i].Media.Name, label, key)
				}
			}
		}
	}
	if n := len(ts[2].Doc.Objects); n != 1 {
		t.Errorf("the video has %d objects, want its one object", n)
	}
	if res := again(f, ts); res.Objects != 0 || res.Duplicates != 5 {
		t.Errorf("second import %+v", res)
	}
}

// Class PNGs alone (semantic masks) give an object per class; a zip
// without label_map.json, and a colour PNG, say what is wrong.
func TestMaskPNGSemanticAndBad(t *testing.T) {
	classes := indexed(t, 8, 4, func(x, y int) uint8 { return uint8(x / 3) }) // 0, 1, 2 in column bands
	labelMap := `[{"index": 0, "name": "_background_"}, {"index": 1, "name": "road"}, {"index": 2, "name": "sky"}]`
	var colour bytes.Buffer
	png.Encode(&colour, image.NewNRGBA(image.Rect(0, 0, 8, 4)))
	f, err := importer.Parse(zipEntries(t,
		[2]string{"masks/label_map.json", labelMap},
		[2]string{"masks/labels/street.png", classes},
		[2]string{"masks/objects/broken/1.png", colour.String()},
	), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pictures) != 1 || len(f.Pictures[0].Objects) != 2 {
		t.Fatalf("%+v", f.Pictures)
	}
	for i, want := range []struct {
		label string
		area  int
	}{{"road", 12}, {"sky", 8}} {
		o := f.Pictures[0].Objects[i]
		if m, _ := mask.Decode(o.Mask); o.Label != want.label || m.Area() != want.area {
			t.Errorf("object %d: %s of %d pixels, want %s of %d", i, o.Label, m.Area(), want.label, want.area)
		}
	}
	if len(f.Skipped) != 1 || !strings.Contains(f.Skipped[0].Reason, "colour") {
		t.Errorf("skipped %+v", f.Skipped)
	}
	if _, err := importer.Parse(zipEntries(t, [2]string{"objects/a/1.png", classes}), ""); err == nil || !strings.Contains(err.Error(), "label_map.json") {
		t.Errorf("no label map: %v", err)
	}
}
