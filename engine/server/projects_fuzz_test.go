package server_test

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/synth"
)

// FuzzAnnotationDoc sends arbitrary bodies to PUT .../annotations/{media_id}:
// the answer must be a 2xx, 4xx or 409 with the envelope, never a 5xx, and
// a stored document must read back.
func FuzzAnnotationDoc(f *testing.F) {
	e := enginetest.Start(f)
	m := e.Upload(f, synth.StandardScene(8, 6, 2).PNG())
	var p api.Project
	if err := e.Client.Do(f.Context(), "POST", "/v1/projects", api.ProjectRequest{Name: "fuzz"}, &p); err != nil {
		f.Fatal(err)
	}
	if err := e.Client.Do(f.Context(), "POST", "/v1/projects/"+p.ProjectID+"/media", api.ProjectMediaRequest{MediaIDs: []string{m.MediaID}}, &p); err != nil {
		f.Fatal(err)
	}
	path := "/v1/projects/" + p.ProjectID + "/annotations/" + m.MediaID
	for _, s := range []string{
		`{"version": 0, "objects": [{"object_id": 1, "label": "a", "color": "#ff0000", "visible": true, "masks": {"0": {"size": [6, 8], "counts": "64"}}}]}`,
		`{"version": 0, "objects": [{"object_id": 1, "masks": {"0": {"size": [6, 8], "counts": "0Q1"}}}]}`,
		`{"version": 0, "objects": [{"object_id": 2, "masks": {"00": {"size": [6, 8], "counts": "48"}}}]}`,
		`{"version": 1e9, "objects": []}`, `{"objects": null}`, `{"objects": [{"masks": {"0": null}}]}`, `[]`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	h := e.Server.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("PUT", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
		if rec.Code >= 400 && !bytes.Contains(rec.Body.Bytes(), []byte(`"error"`)) {
			t.Fatalf("error without the envelope: %s", rec.Body.String())
		}
		get := httptest.NewRecorder()
		h.ServeHTTP(get, httptest.NewRequest("GET", path, nil))
		if get.Code != 200 {
			t.Fatalf("reading the document back: %d %s", get.Code, get.Body.String())
		}
	})
}
