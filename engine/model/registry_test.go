package model_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/engine/model"
)

func TestRegistryListGetRemove(t *testing.T) {
	reg := openRegistry(t)
	for _, n := range []string{"zeta", "alpha", "mid.v2"} {
		install(t, reg, n)
	}
	// A folder with a broken manifest, one without any, a stray file and
	// a hidden folder.
	writeTree(t, filepath.Join(reg.Dir(), "broken"), map[string][]byte{model.ManifestFile: []byte("{not json")})
	writeTree(t, filepath.Join(reg.Dir(), "empty"), map[string][]byte{"x.onnx": []byte("x")})
	writeTree(t, reg.Dir(), map[string][]byte{"stray.txt": []byte("x"), ".hidden/manifest.json": []byte("{}")})

	list, err := reg.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range list {
		names = append(names, b.Name())
		switch b.Name() {
		case "broken", "empty":
			if b.Err == nil || b.Manifest != nil {
				t.Errorf("%s: Err = %v, Manifest = %v; want an error and no manifest", b.Name(), b.Err, b.Manifest)
			}
		default:
			if b.Err != nil || b.Manifest == nil || b.Manifest.Name != b.Name() {
				t.Errorf("%s: Err = %v, Manifest = %+v", b.Name(), b.Err, b.Manifest)
			}
		}
	}
	want := []string{"alpha", "broken", "empty", "mid.v2", "zeta"}
	if len(names) != len(want) {
		t.Fatalf("List = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("List = %v, want %v", names, want)
		}
	}

	b, err := reg.Get("alpha")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := b.Path(model.RoleVisionEncoder)
	if err != nil || enc != filepath.Join(reg.Dir(), "alpha", "onnx", "vision_encoder.onnx") {
		t.Errorf("Path(vision_encoder) = %q, %v", enc, err)
	}
	if _, err := os.Stat(enc); err != nil {
		t.Error(err)
	}
	if _, err := b.Path(model.RoleTextEncoder); err == nil {
		t.Error("Path(text_encoder) of a tracker bundle: want an error")
	}
	tok, err := b.ExtraPath("tokenizer.json")
	if err != nil || tok != filepath.Join(reg.Dir(), "alpha", "tokenizer.json") {
		t.Errorf("ExtraPath = %q, %v", tok, err)
	}
	if _, err := b.ExtraPath("vocab.txt"); err == nil {
		t.Error("ExtraPath(vocab.txt): want an error")
	}
	if _, err := reg.Get("broken"); err == nil {
		t.Error("Get(broken): want an error")
	}
	if _, err := reg.Get("nope"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Get(nope) = %v, want ErrNotFound", err)
	}

	if err := reg.Remove("alpha"); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Get("alpha"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Get after Remove = %v, want ErrNotFound", err)
	}
	if err := reg.Remove("alpha"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("second Remove = %v, want ErrNotFound", err)
	}
	if err := reg.Remove("broken"); err != nil {
		t.Errorf("Remove(broken) = %v; broken bundles must be removable", err)
	}
	if got := listTree(t, filepath.Join(reg.Dir(), model.StagingDir)); len(got) != 0 {
		t.Errorf("staging not empty after removals: %v", got)
	}
}

func TestRegistryRejectsPathNames(t *testing.T) {
	reg := openRegistry(t)
	install(t, reg, "ok")
	// A folder outside the registry that a path-like name could reach.
	outside := filepath.Join(filepath.Dir(reg.Dir()), "victim")
	writeTree(t, outside, map[string][]byte{model.ManifestFile: []byte("{}")})
	for _, name := range []string{"", "..", "../victim", "a/b", `a\b`, "/abs", ".staging", "UPPER", "ok/../ok"} {
		t.Run(name, func(t *testing.T) {
			if _, err := reg.Get(name); !errors.Is(err, model.ErrInvalidName) {
				t.Errorf("Get(%q) = %v, want ErrInvalidName", name, err)
			}
			if err := reg.Remove(name); !errors.Is(err, model.ErrInvalidName) {
				t.Errorf("Remove(%q) = %v, want ErrInvalidName", name, err)
			}
			if err := reg.Verify(context.Background(), name, nil); !errors.Is(err, model.ErrInvalidName) {
				t.Errorf("Verify(%q) = %v, want ErrInvalidName", name, err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(outside, model.ManifestFile)); err != nil {
		t.Errorf("the folder outside the registry was touched: %v", err)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string)
		bad     []string // files the error must name
		problem string
	}{
		{"intact", func(*testing.T, string) {}, nil, ""},
		{"flipped byte", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "onnx", "vision_encoder.onnx_data")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 1
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"onnx/vision_encoder.onnx_data"}, "sha256"},
		{"truncated", func(t *testing.T, dir string) {
			if err := os.Truncate(filepath.Join(dir, "tokenizer.json"), 3); err != nil {
				t.Fatal(err)
			}
		}, []string{"tokenizer.json"}, "size 3 bytes"},
		{"two missing", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "onnx", "vision_encoder.onnx"))
			os.Remove(filepath.Join(dir, "onnx", "prompt_encoder_mask_decoder.onnx_data_1"))
		}, []string{"onnx/vision_encoder.onnx", "onnx/prompt_encoder_mask_decoder.onnx_data_1"}, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := openRegistry(t)
			b := install(t, reg, "m")
			tt.damage(t, b.Dir)
			var last, total int64
			err := reg.Verify(context.Background(), "m", func(done, tot int64) { last, total = done, tot })
			if total != b.Size() || last != total {
				t.Errorf("progress ended at %d of %d, want %d of %d", last, total, b.Size(), b.Size())
			}
			if tt.bad == nil {
				if err != nil {
					t.Fatalf("Verify = %v", err)
				}
				return
			}
			var verr *model.VerifyError
			if !errors.As(err, &verr) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if len(verr.Files) != len(tt.bad) {
				t.Errorf("Files = %+v, want %v", verr.Files, tt.bad)
			}
			mustContain(t, err, append(tt.bad, tt.problem, "engine models rm m")...)
		})
	}
}

func TestVerifyCancelled(t *testing.T) {
	reg := openRegistry(t)
	install(t, reg, "m")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := reg.Verify(ctx, "m", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify with a cancelled context = %v", err)
	}
}
