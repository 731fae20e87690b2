package sam_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/assets"
	"github.com/samwise-app/samwise/engine/demomodel"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/synth"
)

// TestConceptSemanticOutputIsOptional: a decoder with semantic_seg gives the semantic
// mask, one without it (the public export) loads and gives none.
func TestConceptSemanticOutputIsOptional(t *testing.T) {
	p := synth.NewPainter(160, 120, 3, 2)
	p.Rect("red", synth.Red, 20, 20, 60, 60)
	img := p.Scene().Image
	for _, withSemantic := range []bool{true, false} {
		b, rt := demoBundle(t, assets.DemoConcept)
		if !withSemantic {
			sp := demomodel.DefaultConcept
			sp.NoSemantic = true
			data, err := demomodel.ConceptDecoder(sp)
			if err != nil {
				t.Fatal(err)
			}
			dec, _ := b.Path(model.RoleConceptDecoder)
			if err := os.WriteFile(dec, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		c, err := sam.OpenConcept(rt, b, ort.SessionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx := context.Background()
		emb, err := c.Encode(ctx, imaging.ToTensor(img, c.InputSize(), nil))
		if err != nil {
			t.Fatal(err)
		}
		text, err := c.EncodeText(ctx, "red")
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.Detect(ctx, emb, text, nil, 160, 120)
		if err != nil {
			t.Fatal(err)
		}
		set := 0
		for _, v := range d.Semantic {
			if v > 0 {
				set++
			}
		}
		if c.Semantic() != withSemantic || (withSemantic && (d.SemW != 288 || d.SemH != 288 || set == 0)) || (!withSemantic && d.Semantic != nil) {
			t.Fatalf("with semantic_seg %v: Semantic() = %v, %d×%d logits, %d positive", withSemantic, c.Semantic(), d.SemW, d.SemH, set)
		}
	}
}

// TestConceptImportedWithoutManifest imports a folder laid out like the public sam3-concept
// export (vision-encoder.onnx, text-encoder.onnx, decoder.onnx without semantic_seg,
// tokenizer.json; no manifest) and loads it: the tokenizer is found under its role.
func TestConceptImportedWithoutManifest(t *testing.T) {
	demo, rt := demoBundle(t, assets.DemoConcept)
	src := filepath.Join(t.TempDir(), "sam3_v2")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile := func(from, to string) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for role, name := range map[string]string{model.RoleVisionEncoder: "vision-encoder.onnx", model.RoleTextEncoder: "text-encoder.onnx"} {
		p, _ := demo.Path(role)
		copyFile(p, name)
	}
	tok, _ := demo.ExtraPath(model.ExtraTokenizer)
	copyFile(tok, "tokenizer.json")
	sp := demomodel.DefaultConcept
	sp.NoSemantic = true
	dec, err := demomodel.ConceptDecoder(sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "decoder.onnx"), dec, 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := model.OpenRegistry(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := reg.Import(context.Background(), src, model.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.Family != model.FamilyConcept || b.Manifest.Extra[model.ExtraTokenizer] != "tokenizer.json" {
		t.Fatalf("imported manifest: family %q, extra %v", b.Manifest.Family, b.Manifest.Extra)
	}
	c, err := sam.OpenConcept(rt, b, ort.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Semantic() {
		t.Fatal("a decoder without semantic_seg reports one")
	}
}
