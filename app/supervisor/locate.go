package supervisor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvEngine names the engine binary explicitly.
const EnvEngine = "SAMWISE_ENGINE"

// Locator finds the engine binary. Its fields are the inputs (the app's own
// path, the working directory, the environment) so tests can give their own.
type Locator struct {
	// Executable is the app binary (os.Executable()).
	Executable string
	// WorkDir is the working directory.
	WorkDir string
	Getenv  func(string) string
	// Name is the binary's file name (default "engine", "engine.exe" on
	// Windows).
	Name string
}

// maxWalkUp bounds the search for bin/engine above a folder.
const maxWalkUp = 6

// Find returns the first existing executable of:
//  1. $SAMWISE_ENGINE (an explicit choice wins);
//  2. the engine beside the app binary (installed layout, bin/ of a build);
//  3. bin/engine of the source tree, searched upwards from the app binary
//     and from the working directory (wails dev, go run).
func (l Locator) Find() (string, error) {
	name := l.Name
	if name == "" {
		name = "engine" + exeSuffix
	}
	if l.Getenv != nil {
		if p := l.Getenv(EnvEngine); p != "" {
			if err := executable(p); err != nil {
				return "", fmt.Errorf("%s=%s: %w", EnvEngine, p, err)
			}
			return filepath.Abs(p)
		}
	}
	var tried []string
	try := func(p string) bool {
		tried = append(tried, p)
		return executable(p) == nil
	}
	if l.Executable != "" {
		if p := filepath.Join(filepath.Dir(l.Executable), name); try(p) {
			return p, nil
		}
	}
	for _, start := range []string{filepath.Dir(l.Executable), l.WorkDir} {
		if start == "" || start == "." {
			continue
		}
		for d, i := start, 0; i < maxWalkUp; i, d = i+1, filepath.Dir(d) {
			if p := filepath.Join(d, "bin", name); try(p) {
				return p, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", fmt.Errorf("the engine binary was not found (looked at %s); build it with `go build -o bin/engine ./engine` or set %s",
		strings.Join(dedupe(tried), ", "), EnvEngine)
}

func executable(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return errors.New("is a folder")
	}
	if !isExecutable(st) {
		return errors.New("is not executable")
	}
	return nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
