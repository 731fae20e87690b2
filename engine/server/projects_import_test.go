package server_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestProjectImport exports a project as COCO and imports the file into a
// second project with the same image: a dry run saves nothing, the import
// adds the object and its label, a second import adds nothing, and bad
// files are refused with what to fix.
func TestProjectImport(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	must(t, e, 200, "PUT", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 4, Label: "pear", Visible: true, Masks: map[string]api.RLE{"0": rle}}}}, nil)
	resp, err := http.Get(e.URL + "/v1/projects/" + p.ProjectID + "/export?format=coco")
	if err != nil {
		t.Fatal(err)
	}
	coco, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	var p2 api.Project
	must(t, e, 201, "POST", "/v1/projects", api.ProjectRequest{Name: "Copy"}, &p2)
	must(t, e, 200, "POST", "/v1/projects/"+p2.ProjectID+"/media", api.ProjectMediaRequest{MediaIDs: []string{m.MediaID}}, nil)
	imp := "/v1/projects/" + p2.ProjectID + "/import"
	doc := "/v1/projects/" + p2.ProjectID + "/annotations/" + m.MediaID

	var res api.ImportResult
	must(t, e, 200, "POST", imp+"?dry_run=true", string(coco), &res)
	if !res.DryRun || res.Objects != 1 || res.Matched != 1 || len(res.LabelsAdded) != 1 {
		t.Fatalf("dry run: %+v", res)
	}
	var d api.AnnotationDoc
	must(t, e, 200, "GET", doc, nil, &d)
	var got api.Project
	must(t, e, 200, "GET", "/v1/projects/"+p2.ProjectID, nil, &got)
	if d.Version != 0 || len(d.Objects) != 0 || len(got.Labels) != 0 {
		t.Fatalf("the dry run saved something: %+v, labels %v", d, got.Labels)
	}

	must(t, e, 200, "POST", imp, string(coco), &res)
	if res.DryRun || res.Objects != 1 || res.Format != "coco" || len(res.MediaIDs) != 1 || res.MediaIDs[0] != m.MediaID {
		t.Fatalf("import: %+v", res)
	}
	must(t, e, 200, "GET", doc, nil, &d)
	if d.Version != 1 || len(d.Objects) != 1 || d.Objects[0].Label != "pear" || d.Objects[0].Masks["0"] != rle {
		t.Fatalf("after the import: %+v", d)
	}
	must(t, e, 200, "GET", "/v1/projects/"+p2.ProjectID, nil, &got)
	if len(got.Labels) != 1 || got.Labels[0].Name != "pear" || got.Labels[0].Color != d.Objects[0].Color {
		t.Errorf("labels %+v, object colour %s", got.Labels, d.Objects[0].Color)
	}

	must(t, e, 200, "POST", imp, string(coco), &res)
	must(t, e, 200, "GET", doc, nil, &d)
	if res.Objects != 0 || res.Duplicates != 1 || d.Version != 1 {
		t.Errorf("second import: %+v, version %d; want one duplicate and nothing saved", res, d.Version)
	}

	for _, tc := range []struct {
		path, body string
		status     int
		want       string
	}{
		{imp, " ", 400, "the file is empty"},
		{imp, "<xml/>", 400, "neither a COCO instances file"},
		{imp + "?format=pascal", "{}", 400, "unknown import format"},
		{imp + "?dry_run=maybe", string(coco), 400, "dry_run"},
		{"/v1/projects/" + strings.Repeat("0", 24) + "/import", string(coco), 404, "no project"},
		{"/v1/projects/nope/import", string(coco), 400, "project_id"},
	} {
		status, data := call(t, e, "POST", tc.path, tc.body, nil)
		if status != tc.status || !strings.Contains(string(data), tc.want) {
			t.Errorf("POST %s (%.10q): %d %s; want %d saying %q", tc.path, tc.body, status, data, tc.status, tc.want)
		}
	}
}

// An import larger than the upload limit is refused before it is read.
func TestProjectImportTooLarge(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.MaxBodyMB = 1 })
	var p api.Project
	must(t, e, 201, "POST", "/v1/projects", api.ProjectRequest{Name: "Big"}, &p)
	status, data := call(t, e, "POST", "/v1/projects/"+p.ProjectID+"/import", `{"images": [`+strings.Repeat(" ", 2<<20)+`]}`, nil)
	if status != 413 || !strings.Contains(string(data), "limit") {
		t.Errorf("status %d: %s; want 413", status, data)
	}
}

// Boxes without masks: skipped with a hint by default; with segment_boxes a
// job makes each a mask with the image model and adds it as an object.
func TestProjectImportSegmentsBoxes(t *testing.T) {
	e := enginetest.Start(t)
	p, m, _ := annotated(t, e)
	scene := synth.StandardScene(320, 240, 11) // the scene annotated() uploads
	x0, y0, x1, y1, _ := scene.Shape("green").Mask.BBox()
	coco := fmt.Sprintf(`{"images": [{"id": 1, "file_name": "scene.png", "width": 320, "height": 240}],
		"categories": [{"id": 1, "name": "leaf"}],
		"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [%d, %d, %d, %d]}]}`, x0, y0, x1-x0, y1-y0)
	imp := "/v1/projects/" + p.ProjectID + "/import"

	var res api.ImportResult
	must(t, e, 200, "POST", imp, coco, &res)
	if res.Boxes != 0 || res.Objects != 0 || res.SkippedCount != 1 || !strings.Contains(res.Skipped[0].Reason, "segment boxes") {
		t.Fatalf("without segment_boxes: %+v", res)
	}
	must(t, e, 200, "POST", imp+"?segment_boxes=true&dry_run=true", coco, &res)
	if res.Boxes != 1 || res.JobID != "" {
		t.Fatalf("dry run: %+v; want 1 box and no job", res)
	}
	must(t, e, 200, "POST", imp+"?segment_boxes=true", coco, &res)
	if res.Boxes != 1 || res.JobID == "" {
		t.Fatalf("import: %+v; want 1 box and a job", res)
	}
	j := waitJob(t, e, res.JobID, ended)
	if j.State != api.JobSucceeded {
		t.Fatalf("job %s: %s", j.State, j.Error)
	}
	if j.Kind != "import-boxes" || j.Progress.Done != 1 || j.Progress.Total != 1 {
		t.Errorf("job %s progress %+v, want 1 of 1 image", j.Kind, j.Progress)
	}
	var d api.AnnotationDoc
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, nil, &d)
	if len(d.Objects) != 1 || d.Objects[0].Label != "leaf" {
		t.Fatalf("objects %+v; want one leaf", d.Objects)
	}
	rle := d.Objects[0].Masks["0"]
	got := decode(t, &rle)
	if iou := mask.IoU(got, scene.Shape("green").Mask); iou < 0.95 {
		t.Errorf("the box's mask has IoU %.3f with the green shape, want ≥ 0.95", iou)
	}
	// The file again: its box is segmented already.
	res = api.ImportResult{}
	must(t, e, 200, "POST", imp+"?segment_boxes=true", coco, &res)
	if res.Boxes != 0 || res.Duplicates != 1 || res.JobID != "" {
		t.Errorf("second import: %+v; want the box counted as a duplicate and no job", res)
	}
}
