package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedBundlesAreUpToDate regenerates the demo bundles and compares
// them byte for byte with assets/models: run `go generate ./assets` after
// changing package demomodel.
func TestCommittedBundlesAreUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "models")
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			t.Errorf("%s is not committed: run go generate ./assets", rel)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh generation: run go generate ./assets", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Fatalf("generated only %d files", n)
	}
	// And nothing stale is committed.
	filepath.WalkDir(committed, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(committed, p)
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("%s is committed but no longer generated: delete it", rel)
		}
		return nil
	})
}
