package enginetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
