package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

// A concept looked for on a whole project: every red shape of both images
// becomes a "red" object (the label added to the project), except the one
// the user had annotated already (refined: not the model's mask); the job's
// results say per image what was added, and a second run adds nothing.
func TestProjectConcept(t *testing.T) {
	e := enginetest.Start(t)
	a := conceptScene() // three red shapes, two blue
	pb := synth.NewPainter(400, 300, 23, 4)
	pb.Circle("red circle", synth.Red, 100, 100, 50)
	pb.Rect("blue square", synth.Blue, 220, 150, 330, 260)
	b := pb.Scene()
	ma, mb := e.Upload(t, a.PNG()), e.Upload(t, b.PNG())
	p := projectWith(t, e, api.ProjectRequest{Name: "Shapes", Labels: []api.Label{{Name: "Red", Color: "#ff0000"}}}, ma, mb)

	// The user's red square: the shape without its top rows.
	mine := mask.New(640, 480)
	copy(mine.Pix, a.Shape("red square").Mask.Pix)
	clear(mine.Pix[:60*640])
	docPath := "/v1/projects/" + p.ProjectID + "/annotations/"
	must(t, e, 200, "PUT", docPath+ma.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{
		{ObjectID: 7, Label: "Red", Visible: true, Masks: map[string]api.RLE{"0": mask.Encode(mine)}}}}, nil)

	find := func() (*api.Job, api.JobResults) {
		t.Helper()
		var acc api.JobAccepted
		must(t, e, 202, "POST", "/v1/projects/"+p.ProjectID+"/concept", api.ProjectConceptRequest{Text: "red"}, &acc)
		j := waitJob(t, e, acc.JobID, ended)
		if j.State != api.JobSucceeded || j.Kind != "project-concept" || j.Progress.Done != 2 || j.Progress.Total != 2 {
			t.Fatalf("job %s %s: %s, progress %+v; want 2 of 2 images done", j.Kind, j.State, j.Error, j.Progress)
		}
		var res api.JobResults
		must(t, e, 200, "GET", "/v1/jobs/"+acc.JobID+"/results", nil, &res)
		return j, res
	}
	_, res := find()
	if len(res.Frames) != 2 || res.Frames[0].MediaID != ma.MediaID || res.Frames[1].MediaID != mb.MediaID {
		t.Fatalf("results %+v; want one frame per image, in order", res.Frames)
	}
	for i, want := range []struct {
		media  *api.Media
		scene  *synth.Scene
		shapes []string
	}{{ma, a, []string{"red circle", "red rectangle"}}, {mb, b, []string{"red circle"}}} {
		var d api.AnnotationDoc
		must(t, e, 200, "GET", docPath+want.media.MediaID, nil, &d)
		var got []string
		var ids []int
		for _, o := range d.Objects {
			if o.ObjectID == 7 {
				continue
			}
			if o.Label != "Red" {
				t.Errorf("image %d: object %d is %q; want the project's label Red", i, o.ObjectID, o.Label)
			}
			rle := o.Masks["0"]
			m := decode(t, &rle)
			for _, sh := range want.scene.Shapes {
				if mask.IoU(m, sh.Mask) > 0.9 {
					got = append(got, sh.Name)
				}
			}
			ids = append(ids, o.ObjectID)
		}
		slices.Sort(got)
		if strings.Join(got, ",") != strings.Join(want.shapes, ",") {
			t.Errorf("image %d: new objects are %v; want %v", i, got, want.shapes)
		}
		var reported []int
		for _, o := range res.Frames[i].Objects {
			reported = append(reported, o.ObjectID)
			if o.Score <= 0.5 || o.Area == 0 || o.Box[2] <= o.Box[0] {
				t.Errorf("image %d: result %+v", i, o)
			}
		}
		if !slices.Equal(reported, ids) {
			t.Errorf("image %d: results name objects %v; the document added %v", i, reported, ids)
		}
	}
	var after api.Project
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID, nil, &after)
	if len(after.Labels) != 1 {
		t.Errorf("labels %+v; want only Red (the text matched it)", after.Labels)
	}

	// Again: every instance overlaps an object found before.
	if _, again := find(); len(again.Frames) != 2 || len(again.Frames[0].Objects)+len(again.Frames[1].Objects) != 0 {
		t.Errorf("second run added %+v; want nothing", again.Frames)
	}
}

func TestProjectConceptBadInput(t *testing.T) {
	e := enginetest.Start(t)
	img := e.Upload(t, conceptScene().PNG())
	other := e.Upload(t, synth.StandardScene(64, 48, 3).PNG())
	p := projectWith(t, e, api.ProjectRequest{Name: "P"}, img)
	empty := projectWith(t, e, api.ProjectRequest{Name: "Empty"})
	two := 2.0
	for _, c := range []struct {
		name, project string
		body          any
		status        int
		want          string
	}{
		{"no text", p.ProjectID, api.ProjectConceptRequest{Text: "  "}, 400, "text is missing"},
		{"threshold", p.ProjectID, api.ProjectConceptRequest{Text: "red", Threshold: &two}, 400, "between 0 and 1"},
		{"long label", p.ProjectID, api.ProjectConceptRequest{Text: "red", Label: strings.Repeat("x", 200)}, 400, "a label is at most"},
		{"not in project", p.ProjectID, api.ProjectConceptRequest{Text: "red", MediaIDs: []string{other.MediaID}}, 400, "is not in project"},
		{"no images", empty.ProjectID, api.ProjectConceptRequest{Text: "red"}, 400, "has no images"},
		{"no project", "aaaaaaaaaaaaaaaaaaaaaaaa", api.ProjectConceptRequest{Text: "red"}, 404, ""},
		{"not json", p.ProjectID, "{", 400, ""},
	} {
		status, body := call(t, e, "POST", "/v1/projects/"+c.project+"/concept", c.body, nil)
		if status != c.status || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: %d %s; want %d with %q", c.name, status, body, c.status, c.want)
		}
	}
}

// With semantic, each image gets one object: every pixel of the concept.
func TestProjectConceptSemantic(t *testing.T) {
	e := enginetest.Start(t)
	scene := conceptScene()
	m := e.Upload(t, scene.PNG())
	other := e.Upload(t, synth.StandardScene(320, 240, 4).PNG())
	p := projectWith(t, e, api.ProjectRequest{Name: "Stuff"}, m, other)
	var acc api.JobAccepted
	must(t, e, 202, "POST", "/v1/projects/"+p.ProjectID+"/concept", api.ProjectConceptRequest{Text: "red", Semantic: true, MediaIDs: []string{m.MediaID}}, &acc)
	if j := waitJob(t, e, acc.JobID, ended); j.State != api.JobSucceeded || j.Progress.Total != 1 {
		t.Fatalf("job %s (%s), %+v", j.State, j.Error, j.Progress)
	}
	var d api.AnnotationDoc
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, nil, &d)
	if len(d.Objects) != 1 || d.Objects[0].Label != "red" {
		t.Fatalf("objects %+v; want one red object", d.Objects)
	}
	union := mask.New(640, 480)
	for _, sh := range scene.Shapes {
		if strings.HasPrefix(sh.Name, "red") {
			for i, v := range sh.Mask.Pix {
				union.Pix[i] |= v
			}
		}
	}
	rle := d.Objects[0].Masks["0"]
	if iou := mask.IoU(decode(t, &rle), union); iou < 0.9 {
		t.Errorf("the one object has IoU %.3f with the red shapes together, want ≥ 0.9", iou)
	}
}
