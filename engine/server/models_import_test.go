package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
)

// conceptFolder lays out the demo concept graphs as the usls export's
// folder does (no manifest): what a user unpacks and imports.
func conceptFolder(t *testing.T, e *enginetest.Engine) string {
	t.Helper()
	src := filepath.Join(e.Config.Path("models"), "demo-concept")
	dir := filepath.Join(t.TempDir(), "SAM3-Concept")
	for _, f := range []string{"onnx/vision-encoder.onnx", "onnx/text-encoder.onnx", "onnx/decoder.onnx", "tokenizer.json"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A desktop engine installs a model folder by path as a job; the real
// concept bundle it finds waits for a restart, since the demo is in use.
func TestModelImportThroughTheAPI(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.AllowLocalPaths = true })
	dir := conceptFolder(t, e)
	var acc api.JobAccepted
	must(t, e, 202, "POST", "/v1/models/import", api.ModelImportRequest{Path: dir}, &acc)
	if j := waitEnded(t, e, acc.JobID); j.State != api.JobSucceeded || j.Kind != "model_import" || j.Progress.Total == 0 || j.Progress.Done != j.Progress.Total {
		t.Fatalf("import job %s %s: %s, progress %+v", j.Kind, j.State, j.Error, j.Progress)
	}
	var list api.ModelList
	must(t, e, 200, "GET", "/v1/models", nil, &list)
	var got *api.ModelStatus
	for i, m := range list.Installed {
		if m.Name == "sam3-concept" {
			got = &list.Installed[i]
		}
	}
	if got == nil || got.Family != "sam3-concept" || got.Demo || got.Active || !list.RestartNeeded {
		t.Fatalf("after the import: %+v (restart needed %v); want sam3-concept installed, not active, a restart needed", list.Installed, list.RestartNeeded)
	}
	// Again: the name is taken unless replacing.
	must(t, e, 202, "POST", "/v1/models/import", api.ModelImportRequest{Path: dir}, &acc)
	if j := waitEnded(t, e, acc.JobID); j.State != api.JobFailed || !strings.Contains(j.Error, "sam3-concept") {
		t.Errorf("second import %s: %q; want it failed, naming the installed bundle", j.State, j.Error)
	}
	must(t, e, 202, "POST", "/v1/models/import", api.ModelImportRequest{Path: dir, Name: "concept-b"}, &acc)
	if j := waitEnded(t, e, acc.JobID); j.State != api.JobSucceeded {
		t.Errorf("import under another name: %s %q", j.State, j.Error)
	}

	file := filepath.Join(dir, "tokenizer.json")
	for _, tc := range []struct {
		req  api.ModelImportRequest
		want string
	}{
		{api.ModelImportRequest{}, "path is empty"},
		{api.ModelImportRequest{Path: "models/x"}, "not absolute"},
		{api.ModelImportRequest{Path: filepath.Join(dir, "nope")}, "there is no folder"},
		{api.ModelImportRequest{Path: file}, "is a file"},
		{api.ModelImportRequest{Path: dir, Name: "Bad Name"}, "lower-case letters"},
	} {
		status, data := call(t, e, "POST", "/v1/models/import", tc.req, nil)
		if status != 400 || !strings.Contains(string(data), tc.want) {
			t.Errorf("%+v: %d %s; want 400 saying %q", tc.req, status, data, tc.want)
		}
	}
}

// An engine that does not accept local paths (a served one) refuses.
func TestModelImportNeedsLocalPaths(t *testing.T) {
	e := enginetest.Start(t)
	status, data := call(t, e, "POST", "/v1/models/import", api.ModelImportRequest{Path: conceptFolder(t, e)}, nil)
	if status != 400 || !strings.Contains(string(data), "engine models import DIR") {
		t.Errorf("%d %s; want 400 pointing to the command", status, data)
	}
}
