package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

// remoteEnv runs engine subcommands with a map for the environment.
type remoteEnv struct {
	env            map[string]string
	stdout, stderr bytes.Buffer
}

func (e *remoteEnv) main() *Main {
	e.stdout.Reset()
	e.stderr.Reset()
	return &Main{Stdout: &e.stdout, Stderr: &e.stderr, Getenv: func(k string) string { return e.env[k] }}
}

// withStdin feeds s to os.Stdin while fn runs.
func withStdin(t *testing.T, s string, fn func()) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString(s)
	w.Close()
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old; r.Close() }()
	fn()
}

func TestSecretsSetListRm(t *testing.T) {
	dir := t.TempDir()
	e := &remoteEnv{env: map[string]string{"SAMWISE_DATA_DIR": dir, "SAMWISE_SECRETS": "file"}}
	withStdin(t, "vk-secret-value-123\n", func() {
		if err := e.main().runSecrets(t.Context(), []string{"set", "vast_api_key"}); err != nil {
			t.Fatal(err)
		}
	})
	if strings.Contains(e.stdout.String()+e.stderr.String(), "vk-secret-value-123") {
		t.Fatal("secrets set printed the value")
	}
	if err := e.main().runSecrets(t.Context(), []string{"list"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.stdout.String(), "vast_api_key") || strings.Contains(e.stdout.String(), "vk-secret") ||
		!strings.Contains(e.stdout.String(), filepath.Join(dir, "secrets.json")) {
		t.Fatalf("list = %q", e.stdout.String())
	}
	st, err := os.Stat(filepath.Join(dir, "secrets.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secrets file: %v %v", st, err)
	}
	if err := e.main().runSecrets(t.Context(), []string{"rm", "vast_api_key"}); err != nil {
		t.Fatal(err)
	}
	e.main().runSecrets(t.Context(), []string{"list"})
	if strings.Contains(e.stdout.String(), "vast_api_key") {
		t.Fatalf("still listed after rm: %q", e.stdout.String())
	}
	withStdin(t, "x\n", func() {
		if err := e.main().runSecrets(t.Context(), []string{"set", "password"}); err == nil {
			t.Fatal("an unknown secret name was accepted")
		}
	})
}

func TestWorkersListAndDestroy(t *testing.T) {
	srv := vasttest.NewServer("vk-account")
	defer srv.Close()
	mine := srv.AddInstance(map[string]any{"label": "samwise-alice-s1", "actual_status": "running", "gpu_name": "RTX 4090"})
	old := srv.AddInstance(map[string]any{"label": "samwise-alice-s0", "actual_status": "stopped"})
	other := srv.AddInstance(map[string]any{"label": "training", "actual_status": "running"})
	dir := t.TempDir()
	e := &remoteEnv{env: map[string]string{"SAMWISE_DATA_DIR": dir, "SAMWISE_SECRETS": "file", "SAMWISE_VAST_URL": srv.BaseURL(), "SAMWISE_BURST_OWNER": "alice"}}
	withStdin(t, "vk-account\n", func() {
		if err := e.main().runSecrets(t.Context(), []string{"set", "vast_api_key"}); err != nil {
			t.Fatal(err)
		}
	})
	if err := e.main().runWorkers(t.Context(), []string{"list"}); err != nil {
		t.Fatal(err)
	}
	out := e.stdout.String()
	if !strings.Contains(out, "samwise-alice-s1") || !strings.Contains(out, "samwise-alice-s0") || strings.Contains(out, "training") {
		t.Fatalf("list = %q", out)
	}
	if err := e.main().runWorkers(t.Context(), []string{"destroy", "--mine"}); err != nil {
		t.Fatal(err)
	}
	if srv.Instance(mine) != nil || srv.Instance(old) != nil || srv.Instance(other) == nil {
		t.Fatal("destroy --mine destroyed the wrong instances")
	}
	if err := e.main().runWorkers(t.Context(), []string{"destroy", "notanumber"}); err == nil {
		t.Fatal("a bad id was accepted")
	}
	if srv.Count("PUT", "/api/v0/instances/") != 0 {
		t.Fatal("an instance was stopped")
	}
}

func TestConfigListsTheRemoteSettings(t *testing.T) {
	e := &remoteEnv{env: map[string]string{"SAMWISE_BURST": "auto", "SAMWISE_WORKER_URL": "https://gpu.example.com", "SAMWISE_WORKER_IMAGE": "img",
		"SAMWISE_R2_ENDPOINT": "https://x.r2.cloudflarestorage.com", "SAMWISE_R2_BUCKET": "b", "SAMWISE_VAST_API_KEY": "vk-must-not-print"}}
	if err := e.main().runConfig(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	out := e.stdout.String()
	for _, want := range []string{"SAMWISE_BURST ", "SAMWISE_BURST_THRESHOLD", "SAMWISE_WORKER_URL", "SAMWISE_TUNNEL ", "SAMWISE_IDLE_TIMEOUT_S", "SAMWISE_R2_SECRET_ACCESS_KEY", "[redacted]"} {
		if !strings.Contains(out, want) {
			t.Errorf("engine config lacks %q", want)
		}
	}
	if strings.Contains(out, "vk-must-not-print") {
		t.Error("engine config printed a secret")
	}
	e.env["SAMWISE_BURST"] = "sometimes"
	if err := e.main().runConfig(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "off, ask or auto") {
		t.Errorf("a bad burst policy = %v", err)
	}
	e.env["SAMWISE_BURST"] = "auto"
	delete(e.env, "SAMWISE_WORKER_URL")
	if err := e.main().runConfig(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "worker_url") {
		t.Errorf("burst auto without a worker URL = %v", err)
	}
}
