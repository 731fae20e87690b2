package supervisor_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/app/supervisor"
)

func touch(t *testing.T, path string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLocatorOrder(t *testing.T) {
	root := t.TempDir()
	app := touch(t, filepath.Join(root, "install", "samwise"), 0o755)
	beside := filepath.Join(root, "install", "engine")
	tree := filepath.Join(root, "src")
	treeEngine := touch(t, filepath.Join(tree, "bin", "engine"), 0o755)
	wdeep := filepath.Join(tree, "build", "bin")
	explicit := touch(t, filepath.Join(root, "custom", "my-engine"), 0o755)

	l := supervisor.Locator{Executable: filepath.Join(wdeep, "samwise"), WorkDir: root, Getenv: env(nil)}
	if got, err := l.Find(); err != nil || got != treeEngine {
		t.Errorf("from build/bin of the tree: %q, %v; want %s", got, err, treeEngine)
	}
	l = supervisor.Locator{Executable: app, WorkDir: filepath.Join(tree, "frontend"), Getenv: env(nil)}
	if got, err := l.Find(); err != nil || got != treeEngine {
		t.Errorf("from the working directory: %q, %v; want %s", got, err, treeEngine)
	}
	touch(t, beside, 0o755)
	if got, err := l.Find(); err != nil || got != beside {
		t.Errorf("beside the app: %q, %v; want %s", got, err, beside)
	}
	l.Getenv = env(map[string]string{supervisor.EnvEngine: explicit})
	if got, err := l.Find(); err != nil || got != explicit {
		t.Errorf("%s: %q, %v; want %s", supervisor.EnvEngine, got, err, explicit)
	}
}

func TestLocatorErrors(t *testing.T) {
	root := t.TempDir()
	notExec := touch(t, filepath.Join(root, "engine-data"), 0o644)
	l := supervisor.Locator{Executable: filepath.Join(root, "a", "samwise"), WorkDir: root, Getenv: env(map[string]string{supervisor.EnvEngine: notExec})}
	if _, err := l.Find(); err == nil || !strings.Contains(err.Error(), "not executable") {
		t.Errorf("non-executable %s: %v", supervisor.EnvEngine, err)
	}
	l.Getenv = env(nil)
	_, err := l.Find()
	if err == nil || !strings.Contains(err.Error(), "go build -o bin/engine ./engine") || !strings.Contains(err.Error(), filepath.Join(root, "a", "engine")) {
		t.Errorf("nothing found: %v", err)
	}
	touch(t, filepath.Join(root, "bin", "engine"), 0o644)
	if _, err := l.Find(); err == nil {
		t.Error("a non-executable bin/engine was accepted")
	}
}
