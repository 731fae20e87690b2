package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
)

// unzip returns the files of a zip by name.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// download GETs an export and fails the test unless it answers 200.
func download(t *testing.T, e *enginetest.Engine, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(e.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: status %d, %v: %s", path, resp.StatusCode, err, data)
	}
	return resp, data
}

func second[A, B any](_ A, b B) B { return b }

// TestProjectExports downloads every format of a project with one
// annotated image and checks the files hold that annotation.
func TestProjectExports(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	proj := "/v1/projects/" + p.ProjectID
	must(t, e, 200, "PUT", proj+"/annotations/"+m.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 4, Label: "pear", Visible: true, Masks: map[string]api.RLE{"0": rle}}}}, nil)
	want := decode(t, &rle)

	get := func(format string) (*http.Response, []byte) {
		resp, data := download(t, e, proj+"/export?format="+format)
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=Fruit-") {
			t.Errorf("%s: Content-Disposition %q", format, cd)
		}
		return resp, data
	}

	t.Run("coco", func(t *testing.T) {
		_, data := get("coco")
		var doc struct {
			Images []struct {
				ID            int    `json:"id"`
				FileName      string `json:"file_name"`
				Width, Height int
			} `json:"images"`
			Annotations []struct {
				ID           int        `json:"id"`
				ImageID      int        `json:"image_id"`
				CategoryID   int        `json:"category_id"`
				Segmentation api.RLE    `json:"segmentation"`
				Area         int        `json:"area"`
				BBox         [4]float64 `json:"bbox"`
				IsCrowd      int        `json:"iscrowd"`
			} `json:"annotations"`
			Categories []struct {
				ID   int    `json:"id"`
				Name string `json:"name"`
			} `json:"categories"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Images) != 1 || doc.Images[0].Width != m.Width || doc.Images[0].Height != m.Height || doc.Images[0].FileName != "scene.png" {
			t.Fatalf("images %+v", doc.Images)
		}
		if len(doc.Categories) != 2 || doc.Categories[1].Name != "pear" || len(doc.Annotations) != 1 {
			t.Fatalf("categories %+v, %d annotations", doc.Categories, len(doc.Annotations))
		}
		a := doc.Annotations[0]
		got := decode(t, &a.Segmentation)
		x0, y0, x1, y1, _ := want.BBox()
		if mask.IoU(got, want) != 1 || a.Area != want.Area() || a.CategoryID != 2 || a.ImageID != doc.Images[0].ID || a.IsCrowd != 0 ||
			a.BBox != [4]float64{float64(x0), float64(y0), float64(x1 - x0), float64(y1 - y0)} {
			t.Errorf("annotation %+v (mask area %d)", a, want.Area())
		}
	})
	t.Run("coco-polygons", func(t *testing.T) {
		_, data := get("coco-polygons")
		var doc struct {
			Annotations []struct {
				Segmentation [][]float64 `json:"segmentation"`
				Area         int         `json:"area"`
			} `json:"annotations"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Annotations) != 1 || len(doc.Annotations[0].Segmentation) == 0 {
			t.Fatalf("annotations %+v", doc.Annotations)
		}
		if iou := mask.IoU(mask.Rasterize(doc.Annotations[0].Segmentation, m.Width, m.Height), want); iou < 0.95 {
			t.Errorf("polygons rasterise to IoU %.3f with the mask", iou)
		}
	})
	t.Run("yolo", func(t *testing.T) {
		files := unzip(t, second(get("yolo")))
		line := strings.Fields(string(files["labels/scene.txt"]))
		if len(line) < 7 || line[0] != "1" || !strings.Contains(string(files["data.yaml"]), `1: "pear"`) {
			t.Errorf("labels %q, data.yaml %q", files["labels/scene.txt"], files["data.yaml"])
		}
	})
	t.Run("labelme", func(t *testing.T) {
		files := unzip(t, second(get("labelme")))
		var doc struct {
			Shapes []struct {
				Label   string `json:"label"`
				GroupID int    `json:"group_id"`
			} `json:"shapes"`
			ImagePath   string `json:"imagePath"`
			ImageWidth  int    `json:"imageWidth"`
			ImageHeight int    `json:"imageHeight"`
		}
		if err := json.Unmarshal(files["scene.json"], &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Shapes) == 0 || doc.Shapes[0].Label != "pear" || doc.Shapes[0].GroupID != 4 || doc.ImagePath != "scene.png" || doc.ImageWidth != m.Width {
			t.Errorf("labelme %+v", doc)
		}
	})
	t.Run("png", func(t *testing.T) {
		files := unzip(t, second(get("png")))
		got, err := mask.FromPNG(files["objects/scene/4.png"], m.Width, m.Height)
		if err != nil {
			t.Fatal(err)
		}
		if mask.IoU(got, want) != 1 {
			t.Error("the object PNG differs from the mask")
		}
		if _, ok := files["labels/scene.png"]; !ok {
			t.Errorf("no label PNG among %d files", len(files))
		}
	})

	t.Run("exact polygons", func(t *testing.T) {
		_, data := get("coco-polygons&tolerance=0")
		var doc struct {
			Annotations []struct {
				Segmentation [][]float64 `json:"segmentation"`
			} `json:"annotations"`
		}
		if err := json.Unmarshal(data, &doc); err != nil || len(doc.Annotations) != 1 {
			t.Fatalf("%v: %s", err, data)
		}
		if got := mask.Rasterize(doc.Annotations[0].Segmentation, m.Width, m.Height); mask.IoU(got, want) != 1 {
			t.Errorf("tolerance 0 polygons fill back to IoU %.4f", mask.IoU(got, want))
		}
	})

	t.Run("voc", func(t *testing.T) {
		files := unzip(t, second(get("voc")))
		img, err := png.Decode(bytes.NewReader(files["SegmentationClass/scene.png"]))
		if err != nil {
			t.Fatal(err)
		}
		class := img.(*image.Paletted)
		for i, v := range want.Pix { // pear is the project's second label: index 2
			if (v != 0) != (class.Pix[i] == 2) {
				t.Fatalf("pixel %d: class %d, mask %d", i, class.Pix[i], v)
			}
		}
		if !strings.Contains(string(files["Annotations/scene.xml"]), "<name>pear</name>") {
			t.Errorf("annotation %s", files["Annotations/scene.xml"])
		}
	})
}

// A media marked done says so in the media list, and done_only exports keep only such
// media.
func TestExportDoneOnly(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	other := e.Upload(t, conceptScene().PNG())
	proj := "/v1/projects/" + p.ProjectID
	must(t, e, 200, "POST", proj+"/media", api.ProjectMediaRequest{MediaIDs: []string{other.MediaID}}, nil)
	objects := []api.AnnotatedObject{{ObjectID: 1, Label: "pear", Visible: true, Masks: map[string]api.RLE{"0": rle}}}
	must(t, e, 200, "PUT", proj+"/annotations/"+m.MediaID, api.AnnotationDoc{Objects: objects}, nil)
	if status, body := call(t, e, "GET", proj+"/export?format=coco&done_only=true", nil, nil); status != 400 || !strings.Contains(string(body), "no media of the project is marked done") {
		t.Errorf("done_only with nothing done: %d %s", status, body)
	}
	var doc api.AnnotationDoc
	must(t, e, 200, "PUT", proj+"/annotations/"+other.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{}, Done: true}, &doc)
	if !doc.Done {
		t.Fatalf("saved %+v; want it done", doc)
	}
	var list api.ProjectMediaList
	must(t, e, 200, "GET", proj+"/media", nil, &list)
	if len(list.Media) != 2 || list.Media[0].Done || !list.Media[1].Done {
		t.Fatalf("media list %+v; want only the second done", list.Media)
	}
	for q, want := range map[string][]string{"": {m.MediaID, other.MediaID}, "&done_only=true": {other.MediaID}, "&done_only=false": {m.MediaID, other.MediaID}} {
		var coco struct {
			Images []struct {
				MediaID string `json:"media_id"`
			} `json:"images"`
		}
		body := must(t, e, 200, "GET", proj+"/export?format=coco"+q, nil, nil)
		if err := json.Unmarshal(body, &coco); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, im := range coco.Images {
			got = append(got, im.MediaID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("export%s: images of %v, want %v", q, got, want)
		}
	}
	if status, _ := call(t, e, "GET", proj+"/export?done_only=maybe", nil, nil); status != 400 {
		t.Errorf("done_only=maybe: %d, want 400", status)
	}
}
