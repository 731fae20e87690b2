package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/model/modeltest"
)

// modelsEnv is a Main with a temporary data directory pointed at a loopback hub.
type modelsEnv struct {
	dataDir        string
	env            map[string]string
	stdout, stderr bytes.Buffer
}

func newModelsEnv(t *testing.T, hub *modeltest.Hub) *modelsEnv {
	t.Helper()
	e := &modelsEnv{dataDir: t.TempDir()}
	e.env = map[string]string{"SAMWISE_DATA_DIR": e.dataDir, "SAMWISE_HF_ENDPOINT": hub.URL}
	return e
}

func (e *modelsEnv) run(ctx context.Context, args ...string) error {
	e.stdout.Reset()
	e.stderr.Reset()
	m := &Main{Stdout: &e.stdout, Stderr: &e.stderr, Getenv: func(k string) string { return e.env[k] }}
	return m.runModels(ctx, args)
}

func trackerHub(t *testing.T) *modeltest.Hub {
	hub := modeltest.NewHub(t)
	hub.AddRepo(modeltest.TrackerRepo, "main", modeltest.TrackerFiles()...)
	return hub
}

func TestModelsPullListVerifyRm(t *testing.T) {
	hub := trackerHub(t)
	e := newModelsEnv(t, hub)
	ctx := t.Context()

	if err := e.run(ctx, "list"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.stderr.String(), "engine models pull sam3-tracker") {
		t.Errorf("empty list gives no hint: %q", e.stderr.String())
	}

	if err := e.run(ctx, "pull", "sam3-tracker"); err != nil {
		t.Fatalf("pull: %v\n%s", err, e.stderr.String())
	}
	if !strings.Contains(e.stdout.String(), "installed sam3-tracker") || !strings.Contains(e.stderr.String(), "onnx/vision_encoder_fp16.onnx_data") {
		t.Errorf("pull output:\n%s\nprogress:\n%s", e.stdout.String(), e.stderr.String())
	}
	// Flags after the name; the data directory as a flag.
	other := t.TempDir()
	if err := e.run(ctx, "pull", "sam3-tracker", "--precision", "fp32", "--data-dir", other); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(other, "models", "sam3-tracker-fp32", model.ManifestFile)); err != nil {
		t.Errorf("fp32 pull into --data-dir: %v", err)
	}
	if err := e.run(ctx, "pull", "sam3-tracker"); err != nil || !strings.Contains(e.stdout.String(), "up to date") {
		t.Errorf("second pull: %v, %q", err, e.stdout.String())
	}

	if err := e.run(ctx, "list"); err != nil {
		t.Fatal(err)
	}
	out := e.stdout.String()
	for _, want := range []string{"NAME", "PRECISION", "sam3-tracker", "pvs-image", "SAM 3 tracker (fp16 encoder)", "fp16", filepath.Join(e.dataDir, "models", "sam3-tracker")} {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q:\n%s", want, out)
		}
	}
	if err := e.run(ctx, "list", "--json"); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Name, Task, Family, Label, Precision, Path string
		Size                                       int64
	}
	if err := json.Unmarshal(e.stdout.Bytes(), &rows); err != nil {
		t.Fatalf("list --json: %v\n%s", err, e.stdout.String())
	}
	byName := map[string]int{}
	for i, r := range rows {
		byName[r.Name] = i
	}
	if i, ok := byName["demo-tracker"]; !ok || rows[i].Label != "demo — not SAM 3" {
		t.Errorf("list --json has no labelled demo: %+v", rows)
	}
	if i, ok := byName["sam3-tracker"]; !ok {
		t.Errorf("list --json has no sam3-tracker: %+v", rows)
	} else if r := rows[i]; r.Precision != "fp16" || r.Family != model.FamilyTracker || r.Size == 0 {
		t.Errorf("list --json row = %+v", r)
	}

	if err := e.run(ctx, "verify"); err != nil || !strings.Contains(e.stdout.String(), "ok    sam3-tracker") {
		t.Errorf("verify: %v\n%s", err, e.stdout.String())
	}
	p := filepath.Join(e.dataDir, "models", "sam3-tracker", "onnx", "vision_encoder_fp16.onnx_data_1")
	b, _ := os.ReadFile(p)
	b[0] ^= 1
	os.WriteFile(p, b, 0o644)
	err := e.run(ctx, "verify", "sam3-tracker")
	if err == nil || !strings.Contains(e.stdout.String(), "onnx/vision_encoder_fp16.onnx_data_1") {
		t.Errorf("verify of a corrupt model: %v\n%s", err, e.stdout.String())
	}

	if err := e.run(ctx, "rm", "sam3-tracker"); err != nil {
		t.Fatal(err)
	}
	if err := e.run(ctx, "list", "--json"); err != nil || strings.Contains(e.stdout.String(), `"name": "sam3-tracker"`) || !strings.Contains(e.stdout.String(), `"demo-tracker"`) {
		t.Errorf("list after rm (only the demo should remain): %v %q", err, e.stdout.String())
	}
	if err := e.run(ctx, "rm", "sam3-tracker"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("rm of a missing model = %v", err)
	}
}

func TestModelsPullInterrupted(t *testing.T) {
	const file = "onnx/vision_encoder_fp16.onnx_data"
	hub := trackerHub(t)
	hub.SetFault(file, modeltest.Fault{StallAfter: 100_000})
	e := newModelsEnv(t, hub)
	ctx, cancel := context.WithCancel(t.Context())
	part := filepath.Join(e.dataDir, "models", model.StagingDir, "sam3-tracker", filepath.FromSlash(file)+".part")
	go func() {
		<-hub.Stalled // the hub sent 100000 bytes and holds the connection open
		for ctx.Err() == nil {
			if fi, err := os.Stat(part); err == nil && fi.Size() == 100_000 {
				cancel() // the bytes reached the disk; Ctrl-C
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err := e.run(ctx, "pull", "sam3-tracker")
	if err == nil || !strings.Contains(err.Error(), "interrupted") || !strings.Contains(e.stderr.String(), "again to resume") {
		t.Fatalf("interrupted pull: %v\n%s", err, e.stderr.String())
	}
	hub.SetFault(file, modeltest.Fault{})
	if err := e.run(t.Context(), "pull", "sam3-tracker"); err != nil {
		t.Fatal(err)
	}
	reqs := hub.Requests(file)
	if last := reqs[len(reqs)-1]; last.Range != "bytes=100000-" {
		t.Errorf("the second pull did not resume: %+v", reqs)
	}
}

func TestModelsPullGated(t *testing.T) {
	hub := trackerHub(t)
	hub.SetToken("hf_abc")
	e := newModelsEnv(t, hub)
	err := e.run(t.Context(), "pull", "sam3-tracker")
	if !errors.Is(err, model.ErrGated) || !strings.Contains(err.Error(), "HF_TOKEN") {
		t.Fatalf("pull without a token = %v", err)
	}
	e.env["HF_TOKEN"] = "hf_abc"
	if err := e.run(t.Context(), "pull", "sam3-tracker"); err != nil {
		t.Fatal(err)
	}
}

func TestModelsImport(t *testing.T) {
	e := newModelsEnv(t, trackerHub(t))
	src := filepath.Join(t.TempDir(), "MyTracker")
	for _, f := range modeltest.TrackerFiles() {
		p := filepath.Join(src, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	if err := e.run(t.Context(), "import", src, "--precision", "fp16", "--label", "Mine"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.stdout.String(), "imported mytracker — Mine") {
		t.Errorf("import output: %q", e.stdout.String())
	}
	if err := e.run(t.Context(), "import", src); !errors.Is(err, model.ErrExists) {
		t.Errorf("second import = %v, want ErrExists", err)
	}
	if err := e.run(t.Context(), "import", src, "--name", "../x"); !errors.Is(err, model.ErrInvalidName) {
		t.Errorf("import --name ../x = %v", err)
	}
}

func TestModelsUsageErrors(t *testing.T) {
	e := newModelsEnv(t, trackerHub(t))
	tests := []struct {
		args []string
		want string // "" means success
	}{
		{nil, "give a command"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"pull"}, "give one model name"},
		{[]string{"pull", "a", "b"}, "give one model name"},
		{[]string{"pull", "nonesuch"}, "not in the catalog"},
		{[]string{"pull", "sam3-tracker", "--precision", "fp8"}, "fp32, fp16, q4f16"},
		{[]string{"import"}, "give one folder"},
		{[]string{"rm"}, "give the name"},
		{[]string{"verify", "nonesuch"}, "not installed"},
		{[]string{"list", "--bogus"}, "flag provided but not defined"},
		{[]string{"pull", "-h"}, ""},
		{[]string{"help"}, ""},
	}
	for _, tt := range tests {
		err := e.run(t.Context(), tt.args...)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%v: %v", tt.args, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one containing %q", tt.args, err, tt.want)
		}
	}
}
