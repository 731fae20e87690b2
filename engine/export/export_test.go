package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/mask"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// rect returns a w×h mask with the rectangle [x0, x1) × [y0, y1) set, minus
// the holes (each x0, y0, x1, y1).
func rect(w, h, x0, y0, x1, y1 int, holes ...[4]int) *mask.Mask {
	m := mask.New(w, h)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			m.Set(x, y, true)
		}
	}
	for _, hl := range holes {
		for y := hl[1]; y < hl[3]; y++ {
			for x := hl[0]; x < hl[2]; x++ {
				m.Set(x, y, false)
			}
		}
	}
	return m
}

func union(a, b *mask.Mask) *mask.Mask {
	out := mask.New(a.W, a.H)
	for i := range out.Pix {
		out.Pix[i] = a.Pix[i] | b.Pix[i]
	}
	return out
}

// fixture is a project with two images of the same name (one annotated with
// a ring and a two-piece object) and a video with overlapping objects.
func fixture() (export.Input, map[string]*mask.Mask) {
	masks := map[string]*mask.Mask{
		"ring":  rect(12, 10, 1, 1, 8, 8, [4]int{3, 3, 6, 6}),
		"two":   union(rect(12, 10, 9, 1, 11, 3), rect(12, 10, 9, 6, 12, 9)),
		"v0a":   rect(8, 6, 0, 0, 4, 4),
		"v0b":   rect(8, 6, 2, 2, 6, 6),
		"v2a":   rect(8, 6, 4, 1, 8, 5),
		"empty": mask.New(8, 6),
	}
	enc := func(k string) api.RLE { return mask.Encode(masks[k]) }
	when := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	in := export.Input{
		Project: api.Project{ProjectID: "p", Name: "Pets / 2026", Labels: []api.Label{{Name: "cat", Color: "#ff0000"}, {Name: "dog", Color: "#0000ff"}, {Name: "bird", Color: "#00ff00"}}, UpdatedAt: when},
		Items: []export.Item{
			{Media: api.Media{MediaID: "aaaaaaaaaaaaaaaaaaaaaaaa", Kind: api.KindImage, Name: "a.png", Format: "png", Width: 12, Height: 10, Frames: 1},
				Doc: &api.AnnotationDoc{Version: 3, Objects: []api.AnnotatedObject{
					{ObjectID: 1, Label: "cat", Visible: true, Masks: map[string]api.RLE{"0": enc("ring")}},
					{ObjectID: 7, Label: "", Visible: false, Masks: map[string]api.RLE{"0": enc("two")}, Flags: map[string]bool{"crowd": true, "occluded": true}, Note: "two pieces"},
				}}},
			{Media: api.Media{MediaID: "bbbbbbbbbbbbbbbbbbbbbbbb", Kind: api.KindImage, Name: "a.png", Format: "png", Width: 12, Height: 10, Frames: 1},
				Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}},
			{Media: api.Media{MediaID: "cccccccccccccccccccccccc", Kind: api.KindVideo, Name: "walk.mp4", Format: "mp4", Width: 8, Height: 6, Frames: 3, FPS: 25},
				Doc: &api.AnnotationDoc{Version: 1, Objects: []api.AnnotatedObject{
					{ObjectID: 1, Label: "dog", Visible: true, Masks: map[string]api.RLE{"0": enc("v0a"), "2": enc("v2a")}},
					{ObjectID: 2, Label: "ferret", Visible: true, Masks: map[string]api.RLE{"0": enc("v0b"), "1": enc("empty")}, Flags: map[string]bool{"truncated": true, "difficult": true}},
				}}},
		},
	}
	return in, masks
}

// files returns the entries of a zip, or the single file of other formats.
func files(t *testing.T, f *export.File) map[string][]byte {
	t.Helper()
	if f.ContentType != "application/zip" {
		return map[string][]byte{f.Name: f.Data}
	}
	zr, err := zip.NewReader(bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// TestGolden compares every format with testdata/<format>/ (go test
// ./engine/export -update rewrites them).
func TestGolden(t *testing.T) {
	in, _ := fixture()
	for _, format := range api.ExportFormats {
		t.Run(format, func(t *testing.T) {
			f, err := export.Export(format, in)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := export.Export(format, in)
			if !bytes.Equal(f.Data, again.Data) {
				t.Error("two exports of the same annotations differ")
			}
			got := files(t, f)
			dir := filepath.Join("testdata", format)
			if *update {
				os.RemoveAll(dir)
				for name, data := range got {
					p := filepath.Join(dir, filepath.FromSlash(name))
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			var want []string
			filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					want = append(want, filepath.ToSlash(rel))
				}
				return nil
			})
			var names []string
			for n := range got {
				names = append(names, n)
			}
			slices.Sort(names)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Fatalf("files %v, golden %v (run go test ./engine/export -update)", names, want)
			}
			for _, n := range names {
				golden, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
				if !bytes.Equal(got[n], golden) {
					t.Errorf("%s differs from the golden file (run go test ./engine/export -update and review the diff)", n)
				}
			}
		})
	}
}

type cocoDoc struct {
	Images []struct {
		ID       int    `json:"id"`
		FileName string `json:"file_name"`
		Width    int    `json:"width"`
		Height   int    `json:"height"`
		MediaID  string `json:"media_id"`
		Frame    int    `json:"frame"`
	} `json:"images"`
	Annotations []struct {
		ID           int             `json:"id"`
		ImageID      int             `json:"image_id"`
		CategoryID   int             `json:"category_id"`
		Segmentation json.RawMessage `json:"segmentation"`
		Area         int             `json:"area"`
		BBox         [4]float64      `json:"bbox"`
		IsCrowd      int             `json:"iscrowd"`
		ObjectID     int             `json:"object_id"`
	} `json:"annotations"`
	Categories []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"categories"`
}

// TestCOCOStructure checks ids, references, image sizes, and that each
// segmentation decodes (RLE) or rasterises (polygons) to the stored mask
// with the area and bbox of that mask.
func TestCOCOStructure(t *testing.T) {
	in, masks := fixture()
	stored := map[string]*mask.Mask{} // media/frame/object → mask
	for _, it := range in.Items {
		for _, o := range it.Doc.Objects {
			for k, r := range o.Masks {
				m, _ := mask.Decode(r)
				stored[it.Media.MediaID+"/"+k+"/"+strconv.Itoa(o.ObjectID)] = m
			}
		}
	}
	for _, polygons := range []bool{false, true} {
		data, err := export.COCO(in, polygons)
		if err != nil {
			t.Fatal(err)
		}
		var doc cocoDoc
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		cats := map[int]string{}
		for i, c := range doc.Categories {
			if c.ID != i+1 {
				t.Errorf("category %d has id %d", i, c.ID)
			}
			cats[c.ID] = c.Name
		}
		if got := []string{cats[1], cats[2], cats[3], cats[4], cats[5]}; !slices.Equal(got, []string{"cat", "dog", "bird", "object", "ferret"}) {
			t.Errorf("categories %v", got)
		}
		images := map[int]int{}
		for i, im := range doc.Images {
			if im.ID != i+1 {
				t.Errorf("image %d has id %d", i, im.ID)
			}
			images[im.ID] = i
		}
		// Two images, two video frames with masks (frame 1's mask is empty).
		if len(doc.Images) != 4 || doc.Images[0].FileName != "aaaaaaaa_a.png" || doc.Images[1].FileName != "bbbbbbbb_a.png" ||
			doc.Images[2].FileName != "walk/000000.jpg" || doc.Images[3].FileName != "walk/000002.jpg" {
			t.Fatalf("images %+v", doc.Images)
		}
		if len(doc.Annotations) != 5 {
			t.Fatalf("%d annotations, want 5", len(doc.Annotations))
		}
		for i, a := range doc.Annotations {
			im := doc.Images[images[a.ImageID]]
			if a.ID != i+1 || cats[a.CategoryID] == "" || (a.IsCrowd == 1) != (a.ObjectID == 7) { // object 7 is flagged crowd
				t.Errorf("annotation %+v", a)
			}
			want := stored[im.MediaID+"/"+strconv.Itoa(im.Frame)+"/"+strconv.Itoa(a.ObjectID)]
			if want == nil || want.W != im.Width || want.H != im.Height {
				t.Fatalf("annotation %d: no stored mask of %dx%d", a.ID, im.Width, im.Height)
			}
			var got *mask.Mask
			if polygons {
				var p [][]float64
				if err := json.Unmarshal(a.Segmentation, &p); err != nil {
					t.Fatalf("annotation %d: %v", a.ID, err)
				}
				for _, ring := range p {
					if len(ring) < 6 || len(ring)%2 != 0 {
						t.Errorf("annotation %d: a polygon of %d numbers", a.ID, len(ring))
					}
				}
				got = mask.Rasterize(p, im.Width, im.Height)
			} else {
				var r api.RLE
				if err := json.Unmarshal(a.Segmentation, &r); err != nil {
					t.Fatalf("annotation %d: %v", a.ID, err)
				}
				if got, err = mask.Decode(r); err != nil {
					t.Fatalf("annotation %d: %v", a.ID, err)
				}
			}
			if mask.IoU(got, want) != 1 {
				t.Errorf("annotation %d (polygons %v): segmentation differs from the stored mask", a.ID, polygons)
			}
			x0, y0, x1, y1, _ := want.BBox()
			if a.Area != want.Area() || a.BBox != [4]float64{float64(x0), float64(y0), float64(x1 - x0), float64(y1 - y0)} {
				t.Errorf("annotation %d: area %d bbox %v, mask area %d", a.ID, a.Area, a.BBox, want.Area())
			}
		}
	}
	_ = masks
}

// TestYOLOPolygonKeepsHolesAndPieces rasterises each YOLO line back and
// compares it with the mask: the ring's hole and the two pieces survive.
func TestYOLOPolygonKeepsHolesAndPieces(t *testing.T) {
	in, masks := fixture()
	f, err := export.Export(api.ExportYOLO, in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(files(t, f)["labels/aaaaaaaa_a.txt"])), "\n")
	want := []*mask.Mask{masks["ring"], masks["two"]}
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	for i, line := range lines {
		fields := strings.Fields(line)
		var ring []float64
		for j, s := range fields[1:] {
			v, _ := strconv.ParseFloat(s, 64)
			if j%2 == 0 {
				ring = append(ring, v*12)
			} else {
				ring = append(ring, v*10)
			}
		}
		if got := mask.Rasterize([][]float64{ring}, 12, 10); mask.IoU(got, want[i]) != 1 {
			t.Errorf("line %d rasterises to IoU %.3f with its mask", i, mask.IoU(got, want[i]))
		}
	}
}

// TestMOTSRemovesOverlaps checks that MOTS masks are disjoint and ids
// follow class*1000+instance.
func TestMOTSRemovesOverlaps(t *testing.T) {
	in, masks := fixture()
	f, err := export.Export(api.ExportMOTS, in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(files(t, f)["walk.txt"])), "\n")
	if len(lines) != 3 {
		t.Fatalf("lines %q", lines)
	}
	var frame0 []*mask.Mask
	for _, l := range lines {
		p := strings.Fields(l)
		r := api.RLE{Size: [2]int{6, 8}, Counts: p[5]}
		m, err := mask.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		if p[0] == "0" {
			frame0 = append(frame0, m)
		}
	}
	if !strings.HasPrefix(lines[0], "0 2001 2 6 8 ") || !strings.HasPrefix(lines[1], "0 5002 5 6 8 ") || !strings.HasPrefix(lines[2], "2 2001 2 6 8 ") {
		t.Errorf("lines %q", lines)
	}
	if mask.IoU(frame0[0], masks["v0a"]) != 1 || frame0[1].Area() != masks["v0b"].Area()-4 {
		t.Errorf("frame 0 areas %d and %d", frame0[0].Area(), frame0[1].Area())
	}
}

// YouTube-VIS lists a video only when it has masks, and says why when the
// project has no video at all.
func TestYTVISVideos(t *testing.T) {
	in, _ := fixture()
	in.Items = append(in.Items, export.Item{Media: api.Media{MediaID: "dddddddddddddddddddddddd", Kind: api.KindVideo, Name: "idle.mp4", Width: 8, Height: 6, Frames: 4},
		Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}})
	data, err := export.YTVIS(in)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Videos []struct {
			Name      string   `json:"name"`
			FileNames []string `json:"file_names"`
		} `json:"videos"`
	}
	if err := json.Unmarshal(data, &f); err != nil || len(f.Videos) != 1 || f.Videos[0].Name != "walk.mp4" {
		t.Errorf("videos %+v, %v; want walk.mp4 only", f.Videos, err)
	}
	in.Items = in.Items[:2]
	var nothing *export.NothingError
	if _, err := export.YTVIS(in); !errors.As(err, &nothing) || !strings.Contains(err.Error(), "no videos") {
		t.Errorf("images only: %v", err)
	}
}

// Polygon detail: tolerance 0 keeps every pixel corner (the polygons fill
// back to the exact mask), larger tolerances keep fewer vertices, in every
// polygon format.
func TestPolygonDetail(t *testing.T) {
	disc := mask.New(64, 48)
	for y := range 48 {
		for x := range 64 {
			if dx, dy := float64(x)+0.5-30, float64(y)+0.5-22; dx*dx+dy*dy <= 17*17 {
				disc.Set(x, y, true)
			}
		}
	}
	in := export.Input{Project: api.Project{Name: "detail"}, Items: []export.Item{{
		Media: api.Media{MediaID: "dddddddddddddddddddddddd", Kind: api.KindImage, Name: "d.png", Width: 64, Height: 48, Frames: 1},
		Doc:   &api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Label: "disc", Visible: true, Masks: map[string]api.RLE{"0": mask.Encode(disc)}}}},
	}}}
	numbers := func(format string, tol float64) (int, *mask.Mask) {
		in.Tolerance = &tol
		f, err := export.Export(format, in)
		if err != nil {
			t.Fatal(err)
		}
		var ring []float64
		switch format {
		case api.ExportCOCOPolygons:
			var doc struct {
				Annotations []struct {
					Segmentation [][]float64 `json:"segmentation"`
				} `json:"annotations"`
			}
			json.Unmarshal(f.Data, &doc)
			ring = doc.Annotations[0].Segmentation[0]
		case api.ExportYOLO:
			for i, s := range strings.Fields(string(files(t, f)["labels/d.txt"]))[1:] {
				v, _ := strconv.ParseFloat(s, 64)
				ring = append(ring, v*float64([]int{64, 48}[i%2]))
			}
		case api.ExportLabelMe:
			var doc struct {
				Shapes []struct {
					Points [][2]float64 `json:"points"`
				} `json:"shapes"`
			}
			json.Unmarshal(files(t, f)["d.json"], &doc)
			for _, p := range doc.Shapes[0].Points {
				ring = append(ring, p[0], p[1])
			}
		}
		return len(ring), mask.Rasterize([][]float64{ring}, 64, 48)
	}
	for _, format := range []string{api.ExportCOCOPolygons, api.ExportYOLO, api.ExportLabelMe} {
		exact, m0 := numbers(format, 0)
		fine, _ := numbers(format, 1)
		rough, m4 := numbers(format, 4)
		if !(exact > fine && fine > rough) {
			t.Errorf("%s: %d, %d, %d numbers at tolerance 0, 1, 4; want fewer as it grows", format, exact, fine, rough)
		}
		if iou := mask.IoU(m0, disc); iou != 1 {
			t.Errorf("%s: tolerance 0 fills back to IoU %.4f, want the exact mask", format, iou)
		}
		if iou := mask.IoU(m4, disc); iou < 0.9 {
			t.Errorf("%s: tolerance 4 fills back to IoU %.3f", format, iou)
		}
	}
}
