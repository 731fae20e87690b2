//go:build integration

package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

// Boxes on video frames: each frame's boxes are segmented on that frame,
// and a track's boxes (COCO object_id) become one object with a mask on
// each of its frames.
func TestProjectImportSegmentsBoxesOnVideoFrames(t *testing.T) {
	e := enginetest.Start(t)
	sc := synth.StandardVideo(12)
	m := uploadVideo(t, e, sc)
	p := projectWith(t, e, api.ProjectRequest{Name: "Clips"}, m)
	var images, anns []string
	for i, a := range []struct{ frame, track int }{{5, 7}, {2, 7}, {9, 0}} {
		x0, y0, x1, y1, _ := sc.Truth("red", a.frame).BBox()
		images = append(images, fmt.Sprintf(`{"id": %d, "file_name": "video/%06d.jpg", "width": 320, "height": 240}`, i+1, a.frame))
		anns = append(anns, fmt.Sprintf(`{"id": %d, "image_id": %d, "category_id": 1, "object_id": %d, "bbox": [%d, %d, %d, %d]}`, i+1, i+1, a.track, x0-1, y0-1, x1-x0+2, y1-y0+2))
	}
	coco := `{"images": [` + strings.Join(images, ",") + `], "categories": [{"id": 1, "name": "ball"}], "annotations": [` + strings.Join(anns, ",") + `]}`
	imp := "/v1/projects/" + p.ProjectID + "/import?segment_boxes=true"

	var res api.ImportResult
	must(t, e, 200, "POST", imp, coco, &res)
	if res.Matched != 3 || res.Boxes != 3 || res.JobID == "" {
		t.Fatalf("import: %+v; want 3 boxes and a job", res)
	}
	j := waitJob(t, e, res.JobID, ended)
	if j.State != api.JobSucceeded || j.Progress.Done != 3 || j.Progress.Total != 3 {
		t.Fatalf("job %s %s, progress %+v; want 3 of 3 frames", j.State, j.Error, j.Progress)
	}
	var d api.AnnotationDoc
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, nil, &d)
	if len(d.Objects) != 2 || len(d.Objects[0].Masks) != 2 || len(d.Objects[1].Masks) != 1 {
		t.Fatalf("objects %+v; want the track's two boxes as one object and the third box as another", d.Objects)
	}
	for _, o := range d.Objects {
		for key, rle := range o.Masks {
			var frame int
			fmt.Sscan(key, &frame)
			if iou := mask.IoU(decode(t, &rle), sc.Truth("red", frame)); iou < 0.9 || o.Label != "ball" {
				t.Errorf("object %d (%s) frame %s: IoU %.3f with the ball, want ≥ 0.9", o.ObjectID, o.Label, key, iou)
			}
		}
	}
	if _, ok := d.Objects[0].Masks["2"]; !ok {
		t.Errorf("the track's object has masks on frames %v, want 2 and 5", d.Objects[0].Masks)
	}
	res = api.ImportResult{}
	must(t, e, 200, "POST", imp, coco, &res)
	if res.Boxes != 0 || res.Duplicates != 3 || res.JobID != "" {
		t.Errorf("second import: %+v; want 3 duplicates and no job", res)
	}
}

// A video's boxes are merged when all its frames are done, so a job
// cancelled in the middle of a video and resumed starts that video again:
// the track still becomes one object with a mask on every frame.
func TestProjectImportBoxesResumeInVideo(t *testing.T) {
	e := enginetest.Start(t)
	sc := synth.StandardVideo(200)
	m := uploadVideo(t, e, sc)
	p := projectWith(t, e, api.ProjectRequest{Name: "Clips"}, m)
	var images, anns []string
	for f := range sc.Frames {
		x0, y0, x1, y1, ok := sc.Truth("red", f).BBox()
		if !ok || x1-x0 != y1-y0 {
			continue // the ball is out of the picture, or partly
		}
		n := len(images) + 1
		images = append(images, fmt.Sprintf(`{"id": %d, "media_id": %q, "frame": %d, "file_name": "video.mp4", "width": 320, "height": 240}`, n, m.MediaID, f))
		anns = append(anns, fmt.Sprintf(`{"id": %d, "image_id": %d, "category_id": 1, "object_id": 1, "bbox": [%d, %d, %d, %d]}`, n, n, x0, y0, x1-x0, y1-y0))
	}
	coco := `{"images": [` + strings.Join(images, ",") + `], "categories": [{"id": 1, "name": "ball"}], "annotations": [` + strings.Join(anns, ",") + `]}`
	var res api.ImportResult
	must(t, e, 200, "POST", "/v1/projects/"+p.ProjectID+"/import?segment_boxes=true", coco, &res)
	if res.Boxes != len(anns) || res.JobID == "" {
		t.Fatalf("import: %+v", res)
	}
	j := waitJob(t, e, res.JobID, func(j *api.Job) bool { return j.Progress.Done >= 5 || ended(j) })
	if ended(j) {
		t.Fatalf("the job ended (%s) before it could be cancelled; progress %+v", j.State, j.Progress)
	}
	must(t, e, 200, "DELETE", "/v1/jobs/"+res.JobID, nil, nil)
	j = waitJob(t, e, res.JobID, ended)
	var d api.AnnotationDoc
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, nil, &d)
	if j.State != api.JobCancelled || j.Progress.Done >= len(anns) || len(d.Objects) != 0 {
		t.Fatalf("cancelled job %s at %+v, objects %d; want it cancelled part-way with nothing merged", j.State, j.Progress, len(d.Objects))
	}
	must(t, e, 202, "POST", "/v1/jobs/"+res.JobID+"/resume", nil, nil)
	if j = waitJob(t, e, res.JobID, ended); j.State != api.JobSucceeded || j.Progress.Done != len(anns) {
		t.Fatalf("resumed job %s (%s), progress %+v", j.State, j.Error, j.Progress)
	}
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, nil, &d)
	if len(d.Objects) != 1 || len(d.Objects[0].Masks) != len(anns) {
		var masks []int
		for _, o := range d.Objects {
			masks = append(masks, len(o.Masks))
		}
		t.Fatalf("%d objects with %v masks; want one with a mask on each of %d frames", len(d.Objects), masks, len(anns))
	}
}
