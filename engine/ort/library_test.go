package ort_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/ort"
)

func TestFindLibrarySearchOrder(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "libonnxruntime.so.1")
	os.WriteFile(lib, []byte("x"), 0o644)

	t.Setenv(ort.LibraryEnv, "")
	if p, src, err := ort.FindLibrary(lib); err != nil || p != lib || src != "--ort-lib" {
		t.Errorf("explicit: %q %q %v", p, src, err)
	}
	t.Setenv(ort.LibraryEnv, lib)
	if p, src, err := ort.FindLibrary(""); err != nil || p != lib || src != ort.LibraryEnv {
		t.Errorf("env: %q %q %v", p, src, err)
	}
	missing := filepath.Join(dir, "nope.so")
	if _, _, err := ort.FindLibrary(missing); !errors.Is(err, ort.ErrLibraryNotFound) || !strings.Contains(err.Error(), "fetch-onnxruntime") {
		t.Errorf("a missing explicit library: %v", err)
	}
	t.Setenv(ort.LibraryEnv, missing)
	if _, _, err := ort.FindLibrary(""); !errors.Is(err, ort.ErrLibraryNotFound) {
		t.Errorf("a missing env library: %v", err)
	}
	t.Setenv(ort.LibraryEnv, "")
	c := ort.Candidates("")
	want := filepath.Join("build", "lib", "onnxruntime", ort.Platform())
	found := false
	for _, p := range c {
		if strings.Contains(p, want) {
			found = true
		}
	}
	if !found {
		t.Errorf("the repository build output is not searched: %v", c)
	}
}

func TestParseProvider(t *testing.T) {
	for in, want := range map[string]ort.Provider{"": ort.Auto, "CPU": ort.CPU, " cuda ": ort.CUDA, "coreml": ort.CoreML, "auto": ort.Auto} {
		if got, err := ort.ParseProvider(in); err != nil || got != want {
			t.Errorf("%q → %q %v", in, got, err)
		}
	}
	if _, err := ort.ParseProvider("tpu"); err == nil || !strings.Contains(err.Error(), "cpu, coreml, cuda or auto") {
		t.Errorf("unknown provider: %v", err)
	}
}
