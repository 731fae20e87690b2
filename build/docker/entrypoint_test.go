package docker_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/enginetest"
)

// TestEntrypointImportsBakedBundles runs entrypoint.sh with the real engine: a bundle
// folder under SAMWISE_IMPORT_DIR is imported under its name before the engine serves, and
// a second start finds it installed.
func TestEntrypointImportsBakedBundles(t *testing.T) {
	bin, cleanup, err := enginetest.BuildEngine()
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	scratch, data, baked := t.TempDir(), t.TempDir(), t.TempDir()
	if out, err := exec.Command(bin, "models", "list", "--data-dir", scratch).CombinedOutput(); err != nil { // installs the demos
		t.Fatalf("engine models list: %v\n%s", err, out)
	}
	if out, err := exec.Command("cp", "-r", filepath.Join(scratch, "models", "demo-video"), filepath.Join(baked, "sam3-video")).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "SAMWISE_DATA_DIR="+data, "SAMWISE_IMPORT_DIR="+baked,
		"SAMWISE_PULL_MODELS=", "SAMWISE_LISTEN=127.0.0.1:0", "SAMWISE_PROVIDER=cpu", "SAMWISE_LOG_LEVEL=warn")
	for start, want := range []string{"importing model sam3-video from", "model sam3-video is installed"} {
		out := runUntilServing(t, env)
		if !strings.Contains(out, want) {
			t.Fatalf("start %d: the entrypoint did not say %q:\n%s", start+1, want, out)
		}
	}
	list, err := exec.Command(bin, "models", "list", "--data-dir", data).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "sam3-video") {
		t.Fatalf("installed after the entrypoint: %v\n%s", err, list)
	}
}

// runUntilServing runs the entrypoint until the engine says it listens, then stops it, and
// returns what it printed.
func runUntilServing(t *testing.T, env []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "entrypoint.sh")
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr // the same pipe: the engine prints its URL on stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "engine listening on") {
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return out.String()
}
