package model_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/model/modeltest"
)

// trackerFiles are the files of a small sam3-tracker bundle.
func trackerFiles() map[string][]byte {
	return map[string][]byte{
		"onnx/vision_encoder.onnx":                     modeltest.Data(1000, 11),
		"onnx/vision_encoder.onnx_data":                modeltest.Data(70_000, 12),
		"onnx/prompt_encoder_mask_decoder.onnx":        modeltest.Data(500, 13),
		"onnx/prompt_encoder_mask_decoder.onnx_data_1": modeltest.Data(9000, 14),
		"tokenizer.json":                               []byte(`{"model": {}}`),
	}
}

// manifestFor builds a valid sam3-tracker manifest listing files.
func manifestFor(t *testing.T, name string, files map[string][]byte) *model.Manifest {
	t.Helper()
	m := &model.Manifest{
		Format: model.FormatVersion, Name: name, Task: model.TaskPVSImage, Family: model.FamilyTracker,
		Label: "test tracker", Precision: "fp32",
		Graphs: map[string]string{
			model.RoleVisionEncoder: "onnx/vision_encoder.onnx",
			model.RoleMaskDecoder:   "onnx/prompt_encoder_mask_decoder.onnx",
		},
	}
	if _, ok := files["tokenizer.json"]; ok {
		m.Extra = map[string]string{"tokenizer.json": "tokenizer.json"}
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		m.Files = append(m.Files, model.File{Path: p, Size: int64(len(files[p])), SHA256: modeltest.SHA256(files[p])})
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

// bundleFS lays out a bundle (manifest + files) under root in a MapFS.
func bundleFS(t *testing.T, root, name string, files map[string][]byte) fstest.MapFS {
	t.Helper()
	data, err := manifestFor(t, name, files).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{root + "/" + model.ManifestFile: {Data: data}}
	for p, b := range files {
		fsys[root+"/"+p] = &fstest.MapFile{Data: b}
	}
	return fsys
}

func openRegistry(t *testing.T) *model.Registry {
	t.Helper()
	reg, err := model.OpenRegistry(filepath.Join(t.TempDir(), "models"))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// install puts a test bundle called name into reg.
func install(t *testing.T, reg *model.Registry, name string) *model.Bundle {
	t.Helper()
	b, err := reg.InstallFS(bundleFS(t, "b", name, trackerFiles()), "b")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeTree writes files under dir.
func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for p, b := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// listTree lists the files under dir as slash paths.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func mustContain(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}
