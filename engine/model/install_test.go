package model_test

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/model/modeltest"
)

// countingFS counts opens of files other than manifests.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	opens []string
}

func (c *countingFS) Open(name string) (fs.File, error) {
	if path.Base(name) != model.ManifestFile {
		c.mu.Lock()
		c.opens = append(c.opens, name)
		c.mu.Unlock()
	}
	return c.FS.Open(name)
}

func TestInstallFSIdempotent(t *testing.T) {
	reg := openRegistry(t)
	files := trackerFiles()
	fsys := &countingFS{FS: bundleFS(t, "demo/tracker", "demo-tracker", files)}

	b, err := reg.InstallFS(fsys, "demo/tracker")
	if err != nil {
		t.Fatal(err)
	}
	if len(fsys.opens) != len(files) {
		t.Errorf("first install opened %v, want the %d files", fsys.opens, len(files))
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Fatal(err)
	}

	fsys.opens = nil
	if _, err := reg.InstallFS(fsys, "demo/tracker"); err != nil {
		t.Fatal(err)
	}
	if len(fsys.opens) != 0 {
		t.Errorf("second install copied %v, want nothing", fsys.opens)
	}

	// The installed copy lost a file's tail: installing again repairs it.
	if err := os.Truncate(filepath.Join(b.Dir, "onnx", "vision_encoder.onnx_data"), 10); err != nil {
		t.Fatal(err)
	}
	fsys.opens = nil
	if _, err := reg.InstallFS(fsys, "demo/tracker"); err != nil {
		t.Fatal(err)
	}
	if len(fsys.opens) == 0 {
		t.Error("a damaged install was not re-copied")
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Errorf("after repair: %v", err)
	}

	// A new version of the embedded bundle replaces the installed one.
	files["onnx/vision_encoder.onnx"] = modeltest.Data(1200, 99)
	delete(files, "tokenizer.json")
	fsys2 := bundleFS(t, "demo/tracker", "demo-tracker", files)
	b2, err := reg.InstallFS(fsys2, "demo/tracker")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(b2.Dir, "onnx", "vision_encoder.onnx"))
	if err != nil || len(got) != 1200 {
		t.Errorf("encoder after update: %d bytes, %v; want 1200", len(got), err)
	}
	if _, err := os.Stat(filepath.Join(b2.Dir, "tokenizer.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file dropped from the bundle is still installed: %v", err)
	}
	if err := b2.Verify(t.Context(), nil); err != nil {
		t.Error(err)
	}
	if left := listTree(t, filepath.Join(reg.Dir(), model.StagingDir)); len(left) != 0 {
		t.Errorf("staging left behind: %v", left)
	}
}

func TestInstallFSRejects(t *testing.T) {
	tests := []struct {
		name  string
		fsys  func(t *testing.T) fstest.MapFS
		parts []string
	}{
		{"content differs from manifest", func(t *testing.T) fstest.MapFS {
			fsys := bundleFS(t, "b", "m", trackerFiles())
			d := append([]byte(nil), fsys["b/onnx/vision_encoder.onnx_data"].Data...)
			d[5] ^= 0xff
			fsys["b/onnx/vision_encoder.onnx_data"] = &fstest.MapFile{Data: d}
			return fsys
		}, []string{"onnx/vision_encoder.onnx_data", "sha256"}},
		{"file missing", func(t *testing.T) fstest.MapFS {
			fsys := bundleFS(t, "b", "m", trackerFiles())
			delete(fsys, "b/tokenizer.json")
			return fsys
		}, []string{"tokenizer.json", "listed in the manifest"}},
		{"file longer than listed", func(t *testing.T) fstest.MapFS {
			fsys := bundleFS(t, "b", "m", trackerFiles())
			fsys["b/tokenizer.json"] = &fstest.MapFile{Data: []byte(`{"model": {}}   `)}
			return fsys
		}, []string{"tokenizer.json", "manifest says"}},
		{"path-like name", func(t *testing.T) fstest.MapFS {
			fsys := bundleFS(t, "b", "m", trackerFiles())
			fsys["b/manifest.json"] = &fstest.MapFile{Data: []byte(`{"format":1,"name":"../x","task":"pvs-image","family":"x","graphs":{},"files":[]}`)}
			return fsys
		}, []string{"name must be"}},
		{"no manifest", func(t *testing.T) fstest.MapFS {
			return fstest.MapFS{"b/x.onnx": {Data: []byte("x")}}
		}, []string{"manifest.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := openRegistry(t)
			_, err := reg.InstallFS(tt.fsys(t), "b")
			mustContain(t, err, tt.parts...)
			if list, _ := reg.List(); len(list) != 0 {
				t.Errorf("a failed install left %d bundles", len(list))
			}
			if left := listTree(t, filepath.Join(reg.Dir(), model.StagingDir)); len(left) != 0 {
				t.Errorf("staging left behind: %v", left)
			}
		})
	}
}

func TestInstallFSFailedUpdateKeepsOld(t *testing.T) {
	reg := openRegistry(t)
	files := trackerFiles()
	install(t, reg, "m")
	files["tokenizer.json"] = []byte(`{"model": {"v": 2}}`)
	fsys := bundleFS(t, "b", "m", files)
	fsys["b/tokenizer.json"] = &fstest.MapFile{Data: []byte(`{"model": {"v": 3}}`)} // does not match its manifest
	if _, err := reg.InstallFS(fsys, "b"); err == nil {
		t.Fatal("install of a corrupt update succeeded")
	}
	if err := reg.Verify(t.Context(), "m", nil); err != nil {
		t.Errorf("the old bundle was damaged by a failed update: %v", err)
	}
}
