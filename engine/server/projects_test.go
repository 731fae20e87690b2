package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/synth"
)

// call sends a JSON request and decodes a 2xx answer into out; it returns
// the status and the raw body.
func call(t *testing.T, e *enginetest.Engine, method, path string, in, out any) (int, []byte) {
	t.Helper()
	var body io.Reader
	if in != nil {
		raw, ok := in.(string)
		if !ok {
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			raw = string(b)
		}
		body = strings.NewReader(raw)
	}
	req, _ := http.NewRequest(method, e.URL+path, body)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode, data
}

// must is call that fails the test unless the status is want.
func must(t *testing.T, e *enginetest.Engine, want int, method, path string, in, out any) []byte {
	t.Helper()
	status, data := call(t, e, method, path, in, out)
	if status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, data)
	}
	return data
}

// projectWith creates a project and adds media to it.
func projectWith(t *testing.T, e *enginetest.Engine, req api.ProjectRequest, media ...*api.Media) *api.Project {
	t.Helper()
	var p api.Project
	must(t, e, 201, "POST", "/v1/projects", req, &p)
	if len(media) > 0 {
		var ids []string
		for _, m := range media {
			ids = append(ids, m.MediaID)
		}
		must(t, e, 200, "POST", "/v1/projects/"+p.ProjectID+"/media", api.ProjectMediaRequest{MediaIDs: ids}, &p)
	}
	return &p
}

// annotated creates a project with one uploaded scene and returns the
// project, the media and a mask of the scene's green shape from the model.
func annotated(t *testing.T, e *enginetest.Engine) (*api.Project, *api.Media, api.RLE) {
	t.Helper()
	var p api.Project
	must(t, e, 201, "POST", "/v1/projects", api.ProjectRequest{Name: "Fruit", Labels: []api.Label{{Name: "apple"}, {Name: "pear", Color: "#00ff00"}}}, &p)
	scene := synth.StandardScene(320, 240, 11)
	m := e.Upload(t, scene.PNG())
	must(t, e, 200, "POST", "/v1/projects/"+p.ProjectID+"/media", api.ProjectMediaRequest{MediaIDs: []string{m.MediaID}}, &p)
	res := segment(t, e, &api.PVSImageRequest{MediaID: m.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{centre(t, scene.Shape("green").Mask)}}}})
	return &p, m, *res.Objects[0].Mask
}

func TestProjectAutosaveRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var p *api.Project
	var m *api.Media
	var rle api.RLE
	t.Run("save", func(t *testing.T) {
		e := enginetest.Start(t, enginetest.WithDataDir(dir))
		p, m, rle = annotated(t, e)
		if len(p.Labels) != 2 || p.Labels[0].Color == "" || p.Labels[1].Color != "#00ff00" || len(p.MediaIDs) != 1 {
			t.Fatalf("project %+v", p)
		}
		path := "/v1/projects/" + p.ProjectID + "/annotations/" + m.MediaID
		var doc api.AnnotationDoc
		must(t, e, 200, "GET", path, nil, &doc)
		if doc.Version != 0 || len(doc.Objects) != 0 {
			t.Fatalf("a new media's document: %+v", doc)
		}
		edit := api.AnnotationDoc{Version: 0, Objects: []api.AnnotatedObject{{ObjectID: 1, Label: "apple", Visible: true, Masks: map[string]api.RLE{"0": rle}}}}
		must(t, e, 200, "PUT", path, edit, &doc)
		if doc.Version != 1 || doc.MediaID != m.MediaID || doc.UpdatedAt == nil {
			t.Fatalf("saved document: version %d media %q", doc.Version, doc.MediaID)
		}
		// The next edit adds a hidden, unlabelled object.
		edit = doc
		edit.Objects = append(edit.Objects, api.AnnotatedObject{ObjectID: 2, Color: "#123456", Masks: map[string]api.RLE{}})
		must(t, e, 200, "PUT", path, edit, &doc)
		if doc.Version != 2 {
			t.Fatalf("version %d after the second save", doc.Version)
		}
	})
	// A new engine on the same data directory (as after a crash or a
	// restart) reads back exactly what was saved.
	e := enginetest.Start(t, enginetest.WithDataDir(dir))
	var doc api.AnnotationDoc
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/annotations/"+m.MediaID, nil, &doc)
	if doc.Version != 2 || len(doc.Objects) != 2 {
		t.Fatalf("after restart: version %d, %d objects", doc.Version, len(doc.Objects))
	}
	o := doc.Objects[0]
	if o.ObjectID != 1 || o.Label != "apple" || !o.Visible || o.Masks["0"] != rle {
		t.Errorf("object 1 came back as %+v", o)
	}
	if doc.Objects[1].Visible || doc.Objects[1].Color != "#123456" {
		t.Errorf("object 2 came back as %+v", doc.Objects[1])
	}
	var list api.ProjectMediaList
	must(t, e, 200, "GET", "/v1/projects/"+p.ProjectID+"/media", nil, &list)
	if len(list.Media) != 1 || list.Media[0].Media.MediaID != m.MediaID || list.Media[0].Objects != 1 || list.Media[0].Frames != 1 || list.Media[0].Version != 2 {
		t.Errorf("media status %+v", list.Media)
	}
	var projects api.ProjectList
	must(t, e, 200, "GET", "/v1/projects", nil, &projects)
	if len(projects.Projects) != 1 || projects.Projects[0].ProjectID != p.ProjectID {
		t.Errorf("project list %+v", projects)
	}
}

func TestStaleVersionConflicts(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	path := "/v1/projects/" + p.ProjectID + "/annotations/" + m.MediaID
	first := api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Label: "apple", Visible: true, Masks: map[string]api.RLE{"0": rle}}}}
	must(t, e, 200, "PUT", path, first, nil)
	second := api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 5, Label: "pear", Masks: map[string]api.RLE{}}}}
	data := must(t, e, 409, "PUT", path, second, nil)
	var env struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Details api.AnnotationDoc `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	cur := env.Error.Details
	if env.Error.Code != api.CodeConflict || !strings.Contains(env.Error.Message, "version") {
		t.Errorf("error %s: %s", env.Error.Code, env.Error.Message)
	}
	if cur.Version != 1 || len(cur.Objects) != 1 || cur.Objects[0].ObjectID != 1 {
		t.Errorf("the 409 carries %+v, want the current document (version 1, object 1)", cur)
	}
	// Saving on top of the current version works.
	second.Version = cur.Version
	var doc api.AnnotationDoc
	must(t, e, 200, "PUT", path, second, &doc)
	if doc.Version != 2 || doc.Objects[0].ObjectID != 5 {
		t.Errorf("after merging: %+v", doc)
	}
}

func TestProjectBadInput(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	other := e.Upload(t, synth.StandardScene(64, 48, 3).PNG())
	proj := "/v1/projects/" + p.ProjectID
	path := proj + "/annotations/" + m.MediaID
	must(t, e, 200, "PUT", path, api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Masks: map[string]api.RLE{"0": rle}}}}, nil)
	obj := func(o api.AnnotatedObject) api.AnnotationDoc {
		return api.AnnotationDoc{Version: 1, Objects: []api.AnnotatedObject{o}}
	}
	small := mask.Encode(mask.New(64, 48))
	cases := []struct {
		name, method, path string
		body               any
		status             int
		mention            string
	}{
		{"unknown project", "GET", "/v1/projects/0123456789abcdef01234567", nil, 404, "POST /v1/projects"},
		{"malformed project id", "GET", "/v1/projects/..%2Fetc", nil, 400, "project_id"},
		{"empty name", "POST", "/v1/projects", api.ProjectRequest{Name: "  "}, 400, "name"},
		{"duplicate labels", "POST", "/v1/projects", api.ProjectRequest{Name: "x", Labels: []api.Label{{Name: "a"}, {Name: "a"}}}, 400, "twice"},
		{"bad label colour", "PUT", proj, `{"labels": [{"name": "a", "color": "red"}]}`, 400, "#rrggbb"},
		{"unknown field", "PUT", proj, `{"nmae": "x"}`, 400, "nmae"},
		{"add unknown media", "POST", proj + "/media", api.ProjectMediaRequest{MediaIDs: []string{"0123456789abcdef01234567"}}, 404, "POST /v1/media"},
		{"add no media", "POST", proj + "/media", `{"media_ids": []}`, 400, "media_ids"},
		{"media not in the project", "GET", proj + "/annotations/" + other.MediaID, nil, 404, "add it"},
		{"unknown media", "GET", proj + "/annotations/0123456789abcdef01234567", nil, 404, "POST /v1/media"},
		{"bad RLE", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Masks: map[string]api.RLE{"0": {Size: rle.Size, Counts: "!!"}}}), 400, "RLE"},
		{"RLE runs short", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Masks: map[string]api.RLE{"0": {Size: rle.Size, Counts: "3"}}}), 400, "pixels"},
		{"mask size differs", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Masks: map[string]api.RLE{"0": small}}), 400, "does not match the media"},
		{"second frame of an image", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Masks: map[string]api.RLE{"1": rle}}), 400, "one frame"},
		{"duplicate object ids", "PUT", path, api.AnnotationDoc{Version: 1, Objects: []api.AnnotatedObject{{ObjectID: 3}, {ObjectID: 3}}}, 400, "twice"},
		{"zero object id", "PUT", path, obj(api.AnnotatedObject{ObjectID: 0}), 400, "positive"},
		{"bad object colour", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Color: "#12"}), 400, "#rrggbb"},
		{"media id differs", "PUT", path, api.AnnotationDoc{MediaID: other.MediaID, Version: 1}, 400, "media_id"},
		{"negative version", "PUT", path, api.AnnotationDoc{Version: -1}, 400, "version"},
		{"masks not an object", "PUT", path, `{"version": 1, "objects": [{"object_id": 1, "masks": [1]}]}`, 400, "masks"},
		{"unknown export format", "GET", proj + "/export?format=tiff", nil, 400, "coco"},
		{"tolerance not a number", "GET", proj + "/export?format=yolo&tolerance=fine", nil, 400, "0 (exact) to 20 pixels"},
		{"tolerance too large", "GET", proj + "/export?format=yolo&tolerance=21", nil, 400, "0 (exact) to 20 pixels"},
		{"tolerance without polygons", "GET", proj + "/export?format=coco&tolerance=1", nil, 400, "tolerance goes with coco-polygons, yolo or labelme"},
		{"flag name with spaces around", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Flags: map[string]bool{" crowd": true}}), 400, "not a flag name"},
		{"note too long", "PUT", path, obj(api.AnnotatedObject{ObjectID: 1, Note: strings.Repeat("n", 4001)}), 400, "note is longer"},
		{"MOTS without videos", "GET", proj + "/export?format=mots", nil, 400, "no videos"},
		{"remove a media not in the project", "DELETE", proj + "/media/" + other.MediaID, nil, 404, "not in project"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, data := call(t, e, c.method, c.path, c.body, nil)
			var env api.ErrorResponse
			json.Unmarshal(data, &env)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, data)
			}
			if !strings.Contains(env.Error.Message, c.mention) {
				t.Errorf("message %q does not mention %q", env.Error.Message, c.mention)
			}
		})
	}
	// Nothing above changed the saved document.
	var doc api.AnnotationDoc
	must(t, e, 200, "GET", path, nil, &doc)
	if doc.Version != 1 || len(doc.Objects) != 1 || doc.Objects[0].Masks["0"] != rle {
		t.Errorf("the document changed: %+v", doc)
	}
}

func TestLabelRenameRewritesAnnotations(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	path := "/v1/projects/" + p.ProjectID + "/annotations/" + m.MediaID
	must(t, e, 200, "PUT", path, api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Label: "apple", Masks: map[string]api.RLE{"0": rle}}}}, nil)
	labels := []api.Label{{Name: "green apple", Color: "#00aa00"}, {Name: "pear", Color: "#00ff00"}}
	var got api.Project
	must(t, e, 200, "PUT", "/v1/projects/"+p.ProjectID, api.ProjectUpdate{Labels: &labels, Renames: map[string]string{"apple": "green apple"}}, &got)
	if got.Labels[0].Name != "green apple" {
		t.Errorf("labels %+v", got.Labels)
	}
	var doc api.AnnotationDoc
	must(t, e, 200, "GET", path, nil, &doc)
	if doc.Version != 2 || doc.Objects[0].Label != "green apple" {
		t.Errorf("after the rename: version %d label %q", doc.Version, doc.Objects[0].Label)
	}
}

func TestRemoveMediaKeepsAnnotations(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	proj := "/v1/projects/" + p.ProjectID
	must(t, e, 200, "PUT", proj+"/annotations/"+m.MediaID, api.AnnotationDoc{Objects: []api.AnnotatedObject{{ObjectID: 1, Masks: map[string]api.RLE{"0": rle}}}}, nil)
	var got api.Project
	must(t, e, 200, "DELETE", proj+"/media/"+m.MediaID, nil, &got)
	if len(got.MediaIDs) != 0 {
		t.Fatalf("media ids %v", got.MediaIDs)
	}
	must(t, e, 200, "POST", proj+"/media", api.ProjectMediaRequest{MediaIDs: []string{m.MediaID, m.MediaID}}, &got)
	if len(got.MediaIDs) != 1 {
		t.Fatalf("adding twice gave media ids %v", got.MediaIDs)
	}
	var doc api.AnnotationDoc
	must(t, e, 200, "GET", proj+"/annotations/"+m.MediaID, nil, &doc)
	if doc.Version != 1 || doc.Objects[0].Masks["0"] != rle {
		t.Errorf("annotations after remove and add: %+v", doc)
	}
}

func waitJob(t *testing.T, e *enginetest.Engine, id string, until func(*api.Job) bool) *api.Job {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var j api.Job
		if err := e.Client.Do(context.Background(), "GET", "/v1/jobs/"+id, nil, &j); err != nil {
			t.Fatal(err)
		}
		if until(&j) {
			return &j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after 5 minutes (%+v)", id, j.State, j.Progress)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ended(j *api.Job) bool {
	return j.State == api.JobSucceeded || j.State == api.JobFailed || j.State == api.JobCancelled
}

// The project's statistics over HTTP: per label, and 404 for an unknown
// project.
func TestProjectStats(t *testing.T) {
	e := enginetest.Start(t)
	p, m, rle := annotated(t, e)
	proj := "/v1/projects/" + p.ProjectID
	must(t, e, 200, "PUT", proj+"/annotations/"+m.MediaID, api.AnnotationDoc{Done: true, Objects: []api.AnnotatedObject{
		{ObjectID: 1, Label: "pear", Visible: true, Masks: map[string]api.RLE{"0": rle}},
		{ObjectID: 2, Label: "pear", Visible: true, Masks: map[string]api.RLE{"0": rle}},
	}}, nil)
	var st api.ProjectStats
	must(t, e, 200, "GET", proj+"/stats", nil, &st)
	got := fmt.Sprintf("%d %d %d %d %d %v", st.Media, st.Images, st.Done, st.Objects, st.Masks, st.Labels)
	if want := "1 1 1 2 2 [{apple 0 0 0} {pear 2 2 1}]"; got != want {
		t.Errorf("stats %s, want %s", got, want)
	}
	must(t, e, 404, "GET", "/v1/projects/0123456789abcdef01234567/stats", nil, nil)
}
