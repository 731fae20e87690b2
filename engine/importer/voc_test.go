package importer_test

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// Samwise's VOC export imports back with the same masks (PNGs are exact),
// labels and flags; importing it again adds nothing.
func TestVOCRoundTrip(t *testing.T) {
	in := project()
	in.Items[2].Doc.Objects[0].Flags = map[string]bool{"truncated": true, "difficult": true}
	for _, data := range [][]byte{must(export.VOC(in)), dataset(t, api.ExportVOC, in, 0.3)} {
		f, ts, res := imported(t, in, data, api.ImportVOC)
		// YOLO-like: no track ids, so the video's object is one object per frame.
		if res.Objects != 5 || res.Masks != 5 || res.SkippedCount != 0 || res.UnmatchedCount != 0 {
			t.Fatalf("%+v", res)
		}
		for i, it := range in.Items {
			for _, o := range it.Doc.Objects {
				for key, want := range o.Masks {
					found := false
					for _, g := range ts[i].Doc.Objects {
						if g.Masks[key].Counts == want.Counts {
							found = true
							label := o.Label
							if label == "" {
								label = "object"
							}
							if g.Label != label || len(g.Flags) != len(o.Flags) {
								t.Errorf("%s frame %s: %s %v, want %s %v", it.Media.Name, key, g.Label, g.Flags, label, o.Flags)
							}
						}
					}
					if !found {
						t.Errorf("%s frame %s: object %d's mask did not come back exactly", it.Media.Name, key, o.ObjectID)
					}
				}
			}
		}
		if res := again(f, ts); res.Objects != 0 || res.Duplicates != 5 {
			t.Errorf("second import %+v", res)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func zipEntries(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func indexed(t *testing.T, w, h int, set func(x, y int) uint8) string {
	t.Helper()
	pal := make(color.Palette, 256)
	for i := range pal {
		pal[i] = color.Gray{uint8(i)}
	}
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for y := range h {
		for x := range w {
			img.Pix[y*img.Stride+x] = set(x, y)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.String()
}

// A detection dataset (annotations without segmentation) gives boxes, to
// be segmented, in 0-based pixels; VOC's own object PNGs without
// annotations are named by their SegmentationClass through VOC's classes
// (255, the border, is no object); a colour PNG is skipped with its reason.
func TestVOCBoxesClassesAndBadPNGs(t *testing.T) {
	boxes := `<annotation><filename>photo.jpg</filename><size><width>20</width><height>10</height></size>
		<object><name>cat</name><difficult>1</difficult><bndbox><xmin>3</xmin><ymin>2</ymin><xmax>8</xmax><ymax>9</ymax></bndbox></object></annotation>`
	// Two objects: 1 on the left (class 8, cat), 2 on the right (class 12, dog), a border of 255 between.
	objects := indexed(t, 20, 10, func(x, y int) uint8 {
		switch {
		case x == 10:
			return 255
		case x < 10:
			return 1
		}
		return 2
	})
	classes := indexed(t, 20, 10, func(x, y int) uint8 {
		switch {
		case x == 10:
			return 255
		case x < 10:
			return 8
		}
		return 12
	})
	var colour bytes.Buffer
	png.Encode(&colour, image.NewNRGBA(image.Rect(0, 0, 4, 4)))
	data := zipEntries(t,
		[2]string{"VOC2012/Annotations/photo.xml", boxes},
		[2]string{"VOC2012/SegmentationObject/other.png", objects},
		[2]string{"VOC2012/SegmentationClass/other.png", classes},
		[2]string{"VOC2012/SegmentationObject/bad.png", colour.String()},
		[2]string{"VOC2012/ImageSets/Segmentation/train.txt", "other\n"},
	)
	f, err := importer.Parse(data, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != api.ImportVOC || len(f.Pictures) != 2 {
		t.Fatalf("%s, %d pictures: %+v", f.Format, len(f.Pictures), f.Pictures)
	}
	other, photo := f.Pictures[0], f.Pictures[1]
	if photo.FileName != "photo.jpg" || len(photo.Objects) != 1 || photo.Objects[0].Box == nil || !photo.Objects[0].Flags["difficult"] {
		t.Fatalf("photo %+v", photo)
	}
	if b := *photo.Objects[0].Box; b.X0 != 2 || b.Y0 != 1 || b.X1 != 8 || b.Y1 != 9 {
		t.Errorf("box %+v, want 2,1 to 8,9", b)
	}
	if other.FileName != "other" || other.Width != 20 || len(other.Objects) != 2 {
		t.Fatalf("other %+v", other)
	}
	var names []string
	for i, o := range other.Objects {
		m, _ := mask.Decode(o.Mask)
		if want := []int{100, 90}[i]; m.Area() != want {
			t.Errorf("%s: area %d, want %d (the border is no object's)", o.Label, m.Area(), want)
		}
		names = append(names, o.Label)
	}
	if !slices.Equal(names, []string{"cat", "dog"}) {
		t.Errorf("classes %v, want VOC's cat and dog", names)
	}
	if len(f.Skipped) != 1 || !strings.Contains(f.Skipped[0].File, "bad.png") || !strings.Contains(f.Skipped[0].Reason, "colour") {
		t.Errorf("skipped %+v", f.Skipped)
	}
}

// An object PNG holding no object (all background and border) gives the
// picture without objects, not a failure.
func TestVOCObjectPNGWithoutObjects(t *testing.T) {
	empty := indexed(t, 4, 4, func(x, y int) uint8 { return uint8(x%2) * 255 })
	f, err := importer.Parse(zipEntries(t, [2]string{"SegmentationObject/a.png", empty}), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pictures) != 1 || len(f.Pictures[0].Objects) != 0 || len(f.Skipped) != 0 {
		t.Fatalf("pictures %+v, skipped %+v; want one picture without objects", f.Pictures, f.Skipped)
	}
}
