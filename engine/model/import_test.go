package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/model/modeltest"
)

// hubClone is a folder laid out like a download of the whole
// sam3-tracker-ONNX repository.
func hubClone(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sam3-tracker-ONNX")
	files := map[string][]byte{}
	for _, f := range modeltest.TrackerFiles() {
		files[f.Path] = f.Data
	}
	files[".cache/huggingface/download/x.lock"] = []byte("x")
	files["onnx/notes.bin"] = []byte("ignored")
	writeTree(t, dir, files)
	return dir
}

func TestImportWithoutManifest(t *testing.T) {
	tests := []struct {
		name      string
		opts      model.ImportOptions
		wantName  string
		precision string
		graphs    map[string]string
		files     []string
	}{
		{"defaults pick fp32", model.ImportOptions{}, "sam3-tracker-onnx", "fp32",
			map[string]string{model.RoleVisionEncoder: "onnx/vision_encoder.onnx", model.RoleMaskDecoder: "onnx/prompt_encoder_mask_decoder.onnx"},
			[]string{"config.json", "manifest.json", "onnx/prompt_encoder_mask_decoder.onnx", "onnx/prompt_encoder_mask_decoder.onnx_data",
				"onnx/vision_encoder.onnx", "onnx/vision_encoder.onnx_data", "preprocessor_config.json"}},
		{"fp16 with two data chunks", model.ImportOptions{Name: "t16", Precision: "fp16", Label: "mine"}, "t16", "fp16",
			map[string]string{model.RoleVisionEncoder: "onnx/vision_encoder_fp16.onnx", model.RoleMaskDecoder: "onnx/prompt_encoder_mask_decoder_fp16.onnx"},
			[]string{"config.json", "manifest.json", "onnx/prompt_encoder_mask_decoder_fp16.onnx", "onnx/prompt_encoder_mask_decoder_fp16.onnx_data",
				"onnx/vision_encoder_fp16.onnx", "onnx/vision_encoder_fp16.onnx_data", "onnx/vision_encoder_fp16.onnx_data_1", "preprocessor_config.json"}},
		{"q4f16 encoder falls back to an fp32 decoder", model.ImportOptions{Name: "tq", Precision: "q4f16"}, "tq", "q4f16",
			map[string]string{model.RoleVisionEncoder: "onnx/vision_encoder_q4f16.onnx", model.RoleMaskDecoder: "onnx/prompt_encoder_mask_decoder.onnx"},
			[]string{"config.json", "manifest.json", "onnx/prompt_encoder_mask_decoder.onnx", "onnx/prompt_encoder_mask_decoder.onnx_data",
				"onnx/vision_encoder_q4f16.onnx", "preprocessor_config.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := openRegistry(t)
			src := hubClone(t)
			b, err := reg.Import(t.Context(), src, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			m := b.Manifest
			if m.Name != tt.wantName || b.Name() != tt.wantName || m.Precision != tt.precision || m.Family != model.FamilyTracker || m.Task != model.TaskPVSImage {
				t.Errorf("manifest = %+v", m)
			}
			if tt.opts.Label != "" && m.Label != tt.opts.Label {
				t.Errorf("label = %q, want %q", m.Label, tt.opts.Label)
			}
			for role, p := range tt.graphs {
				if m.Graphs[role] != p {
					t.Errorf("graph %s = %q, want %q", role, m.Graphs[role], p)
				}
			}
			if m.Extra["config.json"] != "config.json" {
				t.Errorf("extra = %v", m.Extra)
			}
			if got := listTree(t, b.Dir); !slices.Equal(got, tt.files) {
				t.Errorf("installed files\n got %v\nwant %v", got, tt.files)
			}
			if err := b.Verify(t.Context(), nil); err != nil {
				t.Error(err)
			}
			if _, err := os.Stat(filepath.Join(src, model.ManifestFile)); !errors.Is(err, os.ErrNotExist) {
				t.Error("import wrote into the source folder")
			}
		})
	}
}

func TestImportWithManifest(t *testing.T) {
	reg := openRegistry(t)
	src := filepath.Join(t.TempDir(), "b")
	files := trackerFiles()
	writeTree(t, src, files)
	data, _ := manifestFor(t, "from-manifest", files).Marshal()
	writeTree(t, src, map[string][]byte{model.ManifestFile: data, "unlisted.bin": []byte("not copied")})

	b, err := reg.Import(t.Context(), src, model.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Name() != "from-manifest" {
		t.Errorf("name = %q", b.Name())
	}
	if _, err := os.Stat(filepath.Join(b.Dir, "unlisted.bin")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a file the manifest does not list was copied")
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Error(err)
	}

	// Same again: refused unless replacing; another name is fine.
	if _, err := reg.Import(t.Context(), src, model.ImportOptions{}); !errors.Is(err, model.ErrExists) {
		t.Errorf("second import = %v, want ErrExists", err)
	}
	if _, err := reg.Import(t.Context(), src, model.ImportOptions{Replace: true}); err != nil {
		t.Errorf("import with Replace = %v", err)
	}
	b2, err := reg.Import(t.Context(), src, model.ImportOptions{Name: "copy", Label: "Copy"})
	if err != nil {
		t.Fatal(err)
	}
	if b2.Manifest.Name != "copy" || b2.Manifest.Label != "Copy" {
		t.Errorf("overrides not applied: %+v", b2.Manifest)
	}

	// A file that no longer matches its manifest is refused.
	p := filepath.Join(src, "onnx", "vision_encoder.onnx_data")
	d, _ := os.ReadFile(p)
	d[0] ^= 1
	os.WriteFile(p, d, 0o644)
	_, err = reg.Import(t.Context(), src, model.ImportOptions{Name: "bad"})
	mustContain(t, err, "onnx/vision_encoder.onnx_data", "sha256")
	if _, err := reg.Get("bad"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a failed import was installed: %v", err)
	}
}

func TestImportRejects(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) string
		opts  model.ImportOptions
		parts []string
	}{
		{"path-like name", hubClone, model.ImportOptions{Name: "../evil"}, []string{"invalid model name"}},
		{"name with a slash", hubClone, model.ImportOptions{Name: "a/b"}, []string{"invalid model name"}},
		{"unknown precision", hubClone, model.ImportOptions{Precision: "fp8"}, []string{"precision \"fp8\""}},
		{"no graphs", func(t *testing.T) string {
			d := t.TempDir()
			writeTree(t, d, map[string][]byte{"model.safetensors": []byte("x")})
			return d
		}, model.ImportOptions{Name: "x"}, []string{"vision_encoder*.onnx", "manifest.json"}},
		{"ambiguous precision", func(t *testing.T) string {
			d := t.TempDir()
			writeTree(t, d, map[string][]byte{
				"vision_encoder_fp16.onnx": []byte("a"), "vision_encoder_q4f16.onnx": []byte("b"),
				"prompt_encoder_mask_decoder.onnx": []byte("c"),
			})
			return d
		}, model.ImportOptions{Name: "x"}, []string{"fp16, q4f16", "choose a precision"}},
		{"not a folder", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "f.onnx")
			os.WriteFile(p, []byte("x"), 0o644)
			return p
		}, model.ImportOptions{}, []string{"not a folder"}},
		{"bad manifest", func(t *testing.T) string {
			d := t.TempDir()
			writeTree(t, d, map[string][]byte{model.ManifestFile: []byte(`{"format": 9}`)})
			return d
		}, model.ImportOptions{}, []string{"format 9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := openRegistry(t)
			_, err := reg.Import(t.Context(), tt.setup(t), tt.opts)
			mustContain(t, err, tt.parts...)
			if list, _ := reg.List(); len(list) != 0 {
				t.Errorf("a failed import left %d bundles", len(list))
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(reg.Dir()), "evil")); err == nil {
				t.Error("import wrote outside the registry")
			}
		})
	}
}

// TestImportHandWrittenManifest: a manifest that names the graphs and extras but lists no
// files (what a user writes for sam3-video) gets them copied and hashed, with the graphs'
// weight files; one naming a file outside the folder, or a missing one, is refused.
func TestImportHandWrittenManifest(t *testing.T) {
	write := func(graphs, extra string) string {
		dir := hubClone(t)
		manifest := `{"format": 1, "name": "my-video", "task": "pvs-video", "family": "sam3-video", "label": "mine",
			"graphs": ` + graphs + `, "extra": ` + extra + `}`
		writeTree(t, dir, map[string][]byte{model.ManifestFile: []byte(manifest), "video_constants.npz": []byte("npz")})
		return dir
	}
	graphs := `{"vision_encoder": "onnx/vision_encoder_fp16.onnx", "image_decoder": "onnx/prompt_encoder_mask_decoder.onnx",
		"memory_attention": "onnx/prompt_encoder_mask_decoder_fp16.onnx", "memory_encoder": "onnx/vision_encoder_q4f16.onnx"}`
	reg := openRegistry(t)
	b, err := reg.Import(t.Context(), write(graphs, `{"video_constants": "video_constants.npz"}`), model.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"manifest.json", "onnx/prompt_encoder_mask_decoder.onnx", "onnx/prompt_encoder_mask_decoder.onnx_data",
		"onnx/prompt_encoder_mask_decoder_fp16.onnx", "onnx/prompt_encoder_mask_decoder_fp16.onnx_data",
		"onnx/vision_encoder_fp16.onnx", "onnx/vision_encoder_fp16.onnx_data", "onnx/vision_encoder_fp16.onnx_data_1",
		"onnx/vision_encoder_q4f16.onnx", "video_constants.npz"}
	if got := listTree(t, b.Dir); !slices.Equal(got, want) {
		t.Errorf("installed files\n got %v\nwant %v", got, want)
	}
	if len(b.Manifest.Files) != len(want)-1 || b.Manifest.Label != "mine" {
		t.Errorf("manifest: %d files, label %q", len(b.Manifest.Files), b.Manifest.Label)
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Error(err)
	}
	for name, extra := range map[string]string{"outside": `{"video_constants": "../secret.npz"}`, "missing": `{"video_constants": "gone.npz"}`} {
		_, err := openRegistry(t).Import(t.Context(), write(graphs, extra), model.ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), "not a file in the folder") {
			t.Errorf("%s extra: %v", name, err)
		}
	}
}

// Under WithProgress, Import reports every byte it copies, once: for a
// bare folder and for a bundle with a complete manifest.
func TestImportReportsProgress(t *testing.T) {
	reg := openRegistry(t)
	var copied int64
	ctx := model.WithProgress(t.Context(), func(n int64) { copied += n })
	b, err := reg.Import(ctx, hubClone(t), model.ImportOptions{Name: "bare"})
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, f := range b.Manifest.Files {
		size += f.Size
	}
	if size == 0 || copied != size {
		t.Errorf("reported %d bytes for a bare folder, want the %d bytes of its files", copied, size)
	}
	copied = 0
	if _, err := reg.Import(ctx, b.Dir, model.ImportOptions{Name: "again"}); err != nil {
		t.Fatal(err)
	}
	if copied != size {
		t.Errorf("reported %d bytes for a bundle with its manifest, want %d", copied, size)
	}
}
