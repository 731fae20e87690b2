package enginetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BuildEngine builds the engine binary into a temporary folder for tests
// that run it as a process (call from TestMain); cleanup removes it.
func BuildEngine() (path string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "samwise-engine-bin-")
	if err != nil {
		return "", nil, err
	}
	path = filepath.Join(dir, "engine")
	build := exec.Command("go", "build", "-o", path, "github.com/samwise-app/samwise/engine")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building the engine: %w", err)
	}
	return path, func() { os.RemoveAll(dir) }, nil
}

// RunWithEngine builds the engine binary, stores its path in *bin, runs the package's
// tests and exits with their status (call from TestMain).
func RunWithEngine(m *testing.M, bin *string) {
	path, cleanup, err := BuildEngine()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*bin = path
	code := m.Run()
	cleanup()
	os.Exit(code)
}
