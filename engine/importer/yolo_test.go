package importer_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// Class names come from data.yaml in each form Ultralytics datasets use, or
// from classes.txt.
func TestYOLOClassNames(t *testing.T) {
	label := "labels/train/photo.txt"
	line := "1 0.1 0.1 0.5 0.1 0.5 0.5\n"
	for _, tc := range []struct {
		name, file, text string
	}{
		{"flow list", "data.yaml", "path: .\nnames: ['person', \"bus stop\"]  # two\n"},
		{"flow list over lines", "data.yaml", "names: [person,\n  bus stop]\nnc: 2\n"},
		{"flow map", "data.yaml", "names: {0: person, 1: 'bus stop'}\n"},
		{"block map", "data.yaml", "train: images\nnames:\n  0: person # people\n  1: \"bus stop\"\nval: images\n"},
		{"block list", "dataset.yml", "names:\n- person\n- bus stop\n"},
		{"classes.txt", "classes.txt", "person\r\nbus stop\n\n"},
	} {
		f, err := importer.Parse(zipOf(t, map[string]string{label: line, tc.file: tc.text}), "")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if f.Format != api.ImportYOLO || len(f.Pictures) != 1 || len(f.Pictures[0].Objects) != 1 {
			t.Fatalf("%s: %+v", tc.name, f)
		}
		if got := f.Pictures[0].Objects[0].Label; got != "bus stop" {
			t.Errorf("%s: class 1 is %q, want \"bus stop\"", tc.name, got)
		}
	}
}

// Lines that are not polygons are skipped with their reason; a picture
// takes the size of the media it matches (by stem, whatever the media's
// extension).
func TestYOLOLines(t *testing.T) {
	text := strings.Join([]string{
		"0 0.25 0.2 0.75 0.2 0.75 0.8 0.25 0.8",
		"0 0.5 0.5 0.2 0.2",
		"7 0.1 0.1 0.2 0.1 0.2 0.2",
		"x 0.1 0.1 0.2 0.1 0.2 0.2",
		"0 0.1 0.1 0.2 0.1 0.2",
		"0 0.1 0.1 0.2 NaN 0.2 0.2",
		"",
	}, "\n")
	f, err := importer.Parse(zipOf(t, map[string]string{"labels/photo.txt": text, "notes/readme.txt": "hello", "data.yaml": "names: [car]"}), "")
	if err != nil {
		t.Fatal(err)
	}
	ts := cocoTarget() // photo.jpg, 20×10
	labels := []api.Label{}
	res := importer.Merge(f, &labels, ts, importer.Options{}).Result
	if res.Pictures != 1 || res.Matched != 1 || res.Objects != 1 {
		t.Fatalf("%+v: want the one label file matched to photo.jpg with one object (the readme outside labels/ is not a label file)", res)
	}
	m, _ := mask.Decode(ts[0].Doc.Objects[0].Masks["0"])
	if m.Area() != 10*6 || !m.At(5, 2) || m.At(4, 2) || !m.At(14, 7) || m.At(15, 7) {
		t.Errorf("the polygon drew %d pixels, want x 5..14, y 2..7 of the 20×10 media", m.Area())
	}
	// The detection line is a box in the media's pixels.
	boxes := importer.Merge(f, &labels, cocoTarget(), importer.Options{SegmentBoxes: true}).Boxes
	if len(boxes) != 1 || boxes[0].Box != [4]float64{8, 4, 12, 6} || boxes[0].Label != "car" {
		t.Errorf("boxes %+v, want car at [8 4 12 6]", boxes)
	}
	var reasons []string
	for _, s := range res.Skipped {
		reasons = append(reasons, s.What+": "+s.Reason)
	}
	want := []string{
		"line 3: class 7 is not among the 1 class names",
		"line 4: it does not start with a class number",
		"line 5: a polygon needs an even number of coordinates, at least 6",
		`line 6: "NaN" is not a coordinate`,
		"line 2: it is a box, not a mask: import with “segment boxes” (segment_boxes=true) to have the model make its mask",
	}
	if !slices.Equal(reasons, want) {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(reasons, "\n"), strings.Join(want, "\n"))
	}
}
