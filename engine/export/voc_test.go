package export_test

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
)

// VOC's class and object PNGs hold each mask's pixels under its category id
// and its number on the picture (the later object winning an overlap), and
// the annotation gives each object's label and 1-based inclusive box.
func TestVOCStructure(t *testing.T) {
	in, masks := fixture()
	f, err := export.Export(api.ExportVOC, in)
	if err != nil {
		t.Fatal(err)
	}
	got := files(t, f)
	decode := func(name string) *image.Paletted {
		img, err := png.Decode(bytes.NewReader(got[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return img.(*image.Paletted)
	}
	// Frame 0 of the video: v0a is a dog (category 2), v0b a ferret (5) on top.
	class, object := decode("SegmentationClass/walk_000000.png"), decode("SegmentationObject/walk_000000.png")
	for i := range masks["v0a"].Pix {
		wantClass, wantObject := uint8(0), uint8(0)
		if masks["v0a"].Pix[i] != 0 {
			wantClass, wantObject = 2, 1
		}
		if masks["v0b"].Pix[i] != 0 {
			wantClass, wantObject = 5, 2
		}
		if class.Pix[i] != wantClass || object.Pix[i] != wantObject {
			t.Fatalf("pixel %d: class %d object %d, want %d and %d", i, class.Pix[i], object.Pix[i], wantClass, wantObject)
		}
	}
	if r, g, b, _ := class.Palette[2].RGBA(); r>>8 != 0 || g>>8 != 128 || b>>8 != 0 {
		t.Errorf("class 2 is drawn %d,%d,%d; VOC's palette has 0,128,0", r>>8, g>>8, b>>8)
	}

	var doc struct {
		Filename string `xml:"filename"`
		Size     struct {
			Width  int `xml:"width"`
			Height int `xml:"height"`
		} `xml:"size"`
		Objects []struct {
			Name string `xml:"name"`
			Box  struct {
				XMin int `xml:"xmin"`
				YMin int `xml:"ymin"`
				XMax int `xml:"xmax"`
				YMax int `xml:"ymax"`
			} `xml:"bndbox"`
		} `xml:"object"`
	}
	if err := xml.Unmarshal(got["Annotations/walk_000000.xml"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Filename != "walk_000000.jpg" || doc.Size.Width != 8 || doc.Size.Height != 6 || len(doc.Objects) != 2 {
		t.Fatalf("annotation %+v", doc)
	}
	for i, k := range []string{"v0a", "v0b"} {
		x0, y0, x1, y1, _ := masks[k].BBox()
		o := doc.Objects[i]
		if o.Box.XMin != x0+1 || o.Box.YMin != y0+1 || o.Box.XMax != x1 || o.Box.YMax != y1 {
			t.Errorf("%s: box %+v, mask spans x %d..%d y %d..%d (0-based, end excluded)", k, o.Box, x0, x1, y0, y1)
		}
	}
	if doc.Objects[0].Name != "dog" || doc.Objects[1].Name != "ferret" {
		t.Errorf("names %s, %s", doc.Objects[0].Name, doc.Objects[1].Name)
	}
	if list := string(got["ImageSets/Segmentation/train.txt"]); list != "aaaaaaaa_a\nbbbbbbbb_a\nwalk_000000\nwalk_000002\n" {
		t.Errorf("train.txt %q", list)
	}
}

// A split VOC dataset keeps one JPEGImages/ and splits by the ImageSets
// lists; trainval lists both parts.
func TestVOCSplit(t *testing.T) {
	in, _ := fixture()
	ds, err := export.NewDataset(api.ExportVOC, in, 0.34)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ds.WriteTo(t.Context(), &buf, labelledPictures{}); err != nil {
		t.Fatal(err)
	}
	got := readZip(t, buf.Bytes())
	lists := map[string][]string{}
	for _, l := range []string{"train", "val", "trainval"} {
		e, ok := got["ImageSets/Segmentation/"+l+".txt"]
		if !ok {
			t.Fatalf("no %s list", l)
		}
		lists[l] = strings.Fields(string(e.data))
		for _, stem := range lists[l] {
			if _, ok := got["Annotations/"+stem+".xml"]; !ok {
				t.Errorf("%s lists %s, which has no annotation", l, stem)
			}
		}
	}
	if len(lists["train"])+len(lists["val"]) != 4 || len(lists["trainval"]) != 4 || len(lists["val"]) == 0 {
		t.Errorf("lists %v", lists)
	}
	for name := range got {
		if strings.HasPrefix(name, "JPEGImages/") && strings.Count(name, "/") != 1 {
			t.Errorf("%s: VOC keeps its pictures in one folder", name)
		}
	}
	if _, ok := got["ImageSets/Main/val.txt"]; !ok {
		t.Error("no detection list for val")
	}
}
