package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/synth"
)

// FuzzPVSImageRequest sends arbitrary bodies to POST /v1/pvs/image: the
// answer must be a 2xx or 4xx, never a 5xx or a panic.
func FuzzPVSImageRequest(f *testing.F) {
	e := enginetest.Start(f)
	scene := synth.StandardScene(64, 48, 9)
	m := e.Upload(f, scene.PNG())
	id := m.MediaID
	for _, s := range []string{
		`{"media_id": "` + id + `", "objects": [{"object_id": 1, "points": [[10, 10]]}]}`,
		`{"media_id": "` + id + `", "objects": [{"object_id": 1, "box": [1, 1, 30, 30]}], "multimask": true}`,
		`{"media_id": "` + id + `", "objects": [{"object_id": 1, "points": [[10, 10], [20, 20]], "labels": [1, 0], "box": [0, 0, 64, 48]}], "outputs": ["polygon"]}`,
		`{"media_id": "` + id + `", "objects": [{"object_id": 1, "mask": {"size": [48, 64], "counts": "0Q` + "`" + `1"}}]}`,
		`{"media_id": "` + id + `", "objects": [{"object_id": 1, "points": [[1e308, -0]]}]}`,
		`{"media_id": null, "objects": null}`, `[]`, `{}`, `null`, `{"objects": [{}]}`,
	} {
		f.Add([]byte(s))
	}
	fuzzJSON(f, e.Server.Handler(), "/v1/pvs/image")
}

// FuzzOutlineRequest sends arbitrary bodies to POST /v1/masks/outline.
func FuzzOutlineRequest(f *testing.F) {
	e := enginetest.Start(f)
	for _, s := range []string{
		`{"mask": {"size": [48, 64], "counts": "0Q` + "`" + `1"}, "tolerance": 1}`,
		`{"mask": {"size": [4, 4], "counts": "3114"}}`,
		`{"mask": {"size": [0, 0], "counts": ""}, "tolerance": 64}`,
		`{"mask": {"size": [2, 2], "counts": "04"}, "tolerance": -0}`,
		`{"mask": null, "tolerance": 1e400}`, `[]`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	fuzzJSON(f, e.Server.Handler(), "/v1/masks/outline")
}

// fuzzJSON posts the fuzzer's bodies to path: the answer must be a 2xx or
// a 4xx with the error envelope, never a 5xx or a panic.
func fuzzJSON(f *testing.F, h http.Handler, path string) {
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
		if rec.Code >= 400 && !bytes.Contains(rec.Body.Bytes(), []byte(`"error"`)) {
			t.Fatalf("error without the envelope: %s", rec.Body.String())
		}
	})
}
