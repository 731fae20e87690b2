package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/synth"
)

type answer struct {
	status int
	body   api.ErrorResponse
}

func do(t *testing.T, e *enginetest.Engine, method, path, ctype string, body io.Reader) answer {
	t.Helper()
	req, _ := http.NewRequest(method, e.URL+path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	a.status = resp.StatusCode
	json.NewDecoder(resp.Body).Decode(&a.body)
	return a
}

func multipartBody(name string, data io.Reader) (string, io.Reader) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, _ := mw.CreateFormFile("file", name)
		_, err := io.Copy(part, data)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	return mw.FormDataContentType(), pr
}

// TestBadInputGets4xx sends each kind of bad input and checks the status,
// that the message says something useful, that the server keeps serving and
// that nothing was half-written.
func TestBadInputGets4xx(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.MaxBodyMB = 100 })
	scene := synth.StandardScene(320, 240, 6)
	good := e.Upload(t, scene.PNG())
	pvs := func(name, body string, status int, mention string) badCase {
		return badCase{name, "POST", "/v1/pvs/image", "application/json", strings.NewReader(body), status, mention}
	}
	hundredK := make([][2]float64, 100000)
	manyPoints, _ := json.Marshal(api.PVSImageRequest{MediaID: good.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: hundredK}}})
	corrupt := append([]byte(nil), scene.PNG()[:200]...)
	cases := []struct {
		name                string
		method, path, ctype string
		body                io.Reader
		status              int
		mention             string
	}{
		{"corrupt image", "POST", "/v1/media", "", nil, 415, "image"},
		{"empty upload", "POST", "/v1/media", "", nil, 400, "empty"},
		{"not multipart", "POST", "/v1/media", "text/plain", strings.NewReader("hello"), 415, "multipart"},
		{"path without permission", "POST", "/v1/media", "application/json", strings.NewReader(`{"path": "/etc/passwd"}`), 400, "desktop"},
		pvs("empty body", "", 400, "empty"),
		pvs("not JSON", "{objects", 400, "JSON"),
		pvs("wrong type for objects", `{"media_id": "`+good.MediaID+`", "objects": "all"}`, 400, "objects"),
		pvs("wrong type for a point", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "points": [["a", 2]]}]}`, 400, "points"),
		pvs("unknown field", `{"media_id": "`+good.MediaID+`", "objcts": []}`, 400, "objcts"),
		pvs("no objects", `{"media_id": "`+good.MediaID+`", "objects": []}`, 400, "object"),
		pvs("point outside", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "points": [[5000, 10]]}]}`, 400, "outside"),
		pvs("negative point", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "points": [[-1, 10]]}]}`, 400, "outside"),
		pvs("bad label", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "points": [[5, 10]], "labels": [2]}]}`, 400, "label"),
		pvs("labels count", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "points": [[5, 10]], "labels": [1, 0]}]}`, 400, "labels"),
		pvs("inverted box", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "box": [50, 50, 10, 10]}]}`, 400, "x1 > x0"),
		pvs("100 000 points", string(manyPoints), 400, "at most"),
		pvs("unknown media", `{"media_id": "0123456789abcdef01234567", "objects": [{"object_id": 1, "points": [[5, 10]]}]}`, 404, "POST /v1/media"),
		pvs("path-like media id", `{"media_id": "../../etc/passwd", "objects": [{"object_id": 1, "points": [[5, 10]]}]}`, 400, "media_id"),
		pvs("missing media id", `{"objects": [{"object_id": 1, "points": [[5, 10]]}]}`, 400, "media_id"),
		pvs("bad rle", `{"media_id": "`+good.MediaID+`", "objects": [{"object_id": 1, "mask": {"size": [240, 320], "counts": "@@@"}}]}`, 400, "mask"),
		{"path-like id in URL", "GET", "/v1/media/..%2f..%2fetc%2fpasswd", "", nil, 400, "media_id"},
		{"unknown route", "GET", "/v1/nothing", "", nil, 404, "route"},
		{"200 MB JSON body", "POST", "/v1/pvs/image", "application/json", io.MultiReader(strings.NewReader(`{"media_id": "`), io.LimitReader(letters{}, 200<<20)), 413, "limit"},
		{"200 MB JSON body with a length", "POST", "/v1/pvs/image", "application/json", bytes.NewReader(make([]byte, 200<<20)), 413, "limit"},
	}
	ct, body := multipartBody("bad.png", bytes.NewReader(corrupt))
	cases[0].ctype, cases[0].body = ct, body
	ct, body = multipartBody("empty.png", bytes.NewReader(nil))
	cases[1].ctype, cases[1].body = ct, body

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, e, c.method, c.path, c.ctype, c.body)
			if a.status != c.status {
				t.Errorf("status %d, want %d (%s: %s)", a.status, c.status, a.body.Error.Code, a.body.Error.Message)
			}
			if !strings.Contains(strings.ToLower(a.body.Error.Message), strings.ToLower(c.mention)) {
				t.Errorf("message %q does not mention %q", a.body.Error.Message, c.mention)
			}
			if a.body.Error.RequestID == "" || a.body.Error.Code == "" {
				t.Errorf("error envelope incomplete: %+v", a.body.Error)
			}
			if _, err := e.Client.Health(context.Background()); err != nil {
				t.Fatalf("server stopped answering: %v", err)
			}
		})
	}

	t.Run("200 MB upload", func(t *testing.T) {
		ct, body := multipartBody("big.png", io.LimitReader(zeros{}, 200<<20))
		a := do(t, e, "POST", "/v1/media", ct, body)
		if a.status != 413 {
			t.Errorf("status %d (%s), want 413", a.status, a.body.Error.Message)
		}
	})

	// Nothing half-written: one media record, one stored file, no temp files.
	list, err := e.Instance.DB.ListMedia()
	if err != nil || len(list) != 1 {
		t.Errorf("media records after bad input: %d (%v), want 1", len(list), err)
	}
	files, _ := os.ReadDir(e.Config.Path("media"))
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	if len(files) != 1 || !strings.HasPrefix(files[0].Name(), good.SHA256) {
		t.Errorf("media folder holds %v, want only the good upload", names)
	}
	// And the good image still segments.
	res := segment(t, e, &api.PVSImageRequest{MediaID: good.MediaID, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{centre(t, scene.Shape("green").Mask)}}}})
	if res.Objects[0].Area == 0 {
		t.Error("segmentation broken after bad input")
	}
}

type badCase struct {
	name                string
	method, path, ctype string
	body                io.Reader
	status              int
	mention             string
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type letters struct{}

func (letters) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
