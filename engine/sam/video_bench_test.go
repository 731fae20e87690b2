package sam_test

import (
	"context"
	"testing"

	"github.com/samwise-app/samwise/assets"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/synth"
)

// demoBundle installs the demo bundles in a fresh registry and returns the one named and
// a CPU runtime.
func demoBundle(t testing.TB, name string) (*model.Bundle, *ort.Runtime) {
	t.Helper()
	reg, err := model.OpenRegistry(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := instance.InstallDemos(reg); err != nil {
		t.Fatal(err)
	}
	bundle, err := reg.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := ort.Open(ort.Options{Provider: ort.CPU})
	if err != nil {
		t.Fatal(err)
	}
	return bundle, rt
}

func openDemoVideo(b testing.TB) *sam.VideoTracker {
	bundle, rt := demoBundle(b, assets.DemoVideo)
	vt, err := sam.OpenVideoTracker(rt, bundle, ort.SessionOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { vt.Close() })
	return vt
}

// BenchmarkVideoStep measures the per-frame work of the demo video tracker:
// the encoder once per frame, then memory attention, decoder and memory
// encoder once per object.
func BenchmarkVideoStep(b *testing.B) {
	vt := openDemoVideo(b)
	sc := synth.StandardVideo(40)
	ctx := context.Background()
	frame := func(t int) sam.Embedding {
		img, _ := sc.Frame(t)
		emb, err := vt.Encode(ctx, imaging.ToTensor(img, vt.InputSize(), nil))
		if err != nil {
			b.Fatal(err)
		}
		return emb
	}
	st := sam.NewObjectState()
	x0, y0, x1, y1, _ := sc.Truth("green", 0).BBox()
	if _, err := vt.Prompt(ctx, frame(0), sc.W, sc.H, sam.Prompt{Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}, Labels: []int64{1}}, st, 0); err != nil {
		b.Fatal(err)
	}
	img, _ := sc.Frame(1)
	pixels := imaging.ToTensor(img, vt.InputSize(), nil)
	b.Run("encode", func(b *testing.B) {
		for range b.N {
			vt.Encode(ctx, pixels)
		}
	})
	emb := frame(1)
	b.Run("track", func(b *testing.B) {
		for i := range b.N {
			if _, err := vt.Track(ctx, emb, st, 1+i%30, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
