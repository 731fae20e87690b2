package imaging_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/samwise-app/samwise/engine/imaging"
)

// Logit fields of different character: noise exercises the per-pixel path,
// blobs the same-sign runs, specials the edge cases of the shortcut.
func noiseLogits(rng *rand.Rand, w, h int) []float32 {
	f := make([]float32, w*h)
	for i := range f {
		f[i] = float32(rng.NormFloat64() * 8)
	}
	return f
}

// sparseLogits is background (-4) with a few positive, NaN or +Inf samples,
// many of them on the first and last columns: rows with nothing, one or two
// positives, at the edges or not, which the threshold's span shortcut handles.
func sparseLogits(rng *rand.Rand, w, h int) []float32 {
	f := make([]float32, w*h)
	for i := range f {
		f[i] = -4
	}
	specials := []float32{3, 1e-30, float32(math.NaN()), float32(math.Inf(1))}
	for range max(1, w*h/50) {
		x := rng.IntN(w)
		switch rng.IntN(4) {
		case 0:
			x = 0
		case 1:
			x = w - 1
		}
		f[rng.IntN(h)*w+x] = specials[rng.IntN(len(specials))]
	}
	return f
}

func blobLogits(rng *rand.Rand, w, h int) []float32 {
	f := make([]float32, w*h)
	cx, cy, r := rng.Float64()*float64(w), rng.Float64()*float64(h), 0.3*float64(min(w, h))+1
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			f[y*w+x] = float32(12*(r-d)/r + rng.NormFloat64()*0.5)
		}
	}
	return f
}

func specialLogits(rng *rand.Rand, w, h int) []float32 {
	specials := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0x1p-149, -0x1p-149, 0x1p-126, 0x1p-101,
		math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 0.5, 1e-30}
	f := make([]float32, w*h)
	for i := range f {
		f[i] = specials[rng.IntN(len(specials))]
	}
	return f
}

type fieldCase struct {
	sw, sh, dw, dh int
}

var fieldCases = []fieldCase{
	{288, 288, 37, 1001},
	{37, 1001, 288, 288},
	{1, 1, 7, 5},
	{1, 1, 1, 1},
	{5, 3, 5, 3},
	{2, 2, 9, 9},
	{16, 16, 1920, 1080},
	{288, 288, 4000, 3000},
	{288, 288, 100, 60},
	{3, 200, 640, 2},
}

func TestUpsampleLogitsMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, tc := range fieldCases {
		t.Run(fmt.Sprintf("%dx%d to %dx%d", tc.sw, tc.sh, tc.dw, tc.dh), func(t *testing.T) {
			src := noiseLogits(rng, tc.sw, tc.sh)
			got := imaging.UpsampleLogits(src, tc.sw, tc.sh, tc.dw, tc.dh, nil)
			want := refUpsample(src, tc.sw, tc.sh, tc.dw, tc.dh)
			if len(got) != len(want) {
				t.Fatalf("len %d, want %d", len(got), len(want))
			}
			for i := range got {
				if d := math.Abs(float64(got[i]) - want[i]); !(d <= 1e-4) {
					t.Fatalf("pixel (%d,%d): got %v, want %v", i%tc.dw, i/tc.dw, got[i], want[i])
				}
			}
		})
	}
}

func TestUpsampleThresholdMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, tc := range fieldCases {
		for _, th := range []float32{0, 0.5, -2} {
			t.Run(fmt.Sprintf("%dx%d to %dx%d at %v", tc.sw, tc.sh, tc.dw, tc.dh, th), func(t *testing.T) {
				src := blobLogits(rng, tc.sw, tc.sh)
				got := imaging.UpsampleThreshold(src, tc.sw, tc.sh, tc.dw, tc.dh, th, nil)
				want := refUpsample(src, tc.sw, tc.sh, tc.dw, tc.dh)
				for i, g := range got {
					if math.Abs(want[i]-float64(th)) < 1e-4 {
						continue // too close to call in float32
					}
					if w := want[i] > float64(th); (g == 1) != w || g > 1 {
						t.Fatalf("pixel (%d,%d) = %d; reference value %v vs threshold %v", i%tc.dw, i/tc.dw, g, want[i], th)
					}
				}
			})
		}
	}
}

// The threshold shortcut must give exactly what thresholding the float field
// gives, for every kind of input.
func TestUpsampleThresholdEqualsThresholdedLogits(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	fields := []struct {
		name string
		gen  func(*rand.Rand, int, int) []float32
	}{{"noise", noiseLogits}, {"blob", blobLogits}, {"specials", specialLogits}, {"sparse", sparseLogits}}
	for _, tc := range fieldCases {
		for _, f := range fields {
			if f.name == "specials" && tc.dw*tc.dh > 1<<22 {
				continue // subnormal arithmetic is slow; smaller sizes cover it
			}
			for _, th := range []float32{0, float32(math.Copysign(0, -1)), 0.5, 1e-30} {
				name := fmt.Sprintf("%s %dx%d to %dx%d at %v", f.name, tc.sw, tc.sh, tc.dw, tc.dh, th)
				t.Run(name, func(t *testing.T) {
					src := f.gen(rng, tc.sw, tc.sh)
					logits := imaging.UpsampleLogits(src, tc.sw, tc.sh, tc.dw, tc.dh, nil)
					dirty := make([]byte, tc.dw*tc.dh) // every byte must be written
					for i := range dirty {
						dirty[i] = 7
					}
					got := imaging.UpsampleThreshold(src, tc.sw, tc.sh, tc.dw, tc.dh, th, dirty)
					for i, v := range logits {
						want := byte(0)
						if v > th {
							want = 1
						}
						if got[i] != want {
							t.Fatalf("pixel (%d,%d) = %d, but the logit %v > %v is %v", i%tc.dw, i/tc.dw, got[i], v, th, v > th)
						}
					}
				})
			}
		}
	}
}

func TestUpsampleThresholdIsStrict(t *testing.T) {
	tests := []struct {
		name  string
		value float32
		th    float32
		want  byte
	}{
		{"zero at zero", 0, 0, 0},
		{"negative zero at zero", float32(math.Copysign(0, -1)), 0, 0},
		{"half at half", 0.5, 0.5, 0},
		{"just above", math.Nextafter32(0.5, 1), 0.5, 1},
		{"tiny positive", 1e-30, 0, 1},
		{"smallest denormal", 0x1p-149, 0, 1},
		{"just below", -1e-30, 0, 0},
		{"NaN", float32(math.NaN()), 0, 0},
		{"+Inf", float32(math.Inf(1)), 0, 1},
		{"-Inf", float32(math.Inf(-1)), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, sz := range [][4]int{{1, 1, 5, 3}, {4, 4, 4, 4}, {4, 4, 16, 16}} {
				src := make([]float32, sz[0]*sz[1])
				for i := range src {
					src[i] = tc.value
				}
				got := imaging.UpsampleThreshold(src, sz[0], sz[1], sz[2], sz[3], tc.th, nil)
				for i, g := range got {
					if g != tc.want {
						if tc.name == "smallest denormal" || tc.name == "+Inf" {
							// Interpolating these may give 0 or NaN; only
							// consistency with UpsampleLogits is required.
							l := imaging.UpsampleLogits(src, sz[0], sz[1], sz[2], sz[3], nil)
							if (l[i] > tc.th) == (g == 1) {
								continue
							}
						}
						t.Fatalf("%v: pixel %d = %d, want %d", sz, i, g, tc.want)
					}
				}
			}
		})
	}
}

func TestUpsampleDstAndPanics(t *testing.T) {
	src := []float32{1, -1, -1, 1}
	dst := make([]byte, 6)
	if got := imaging.UpsampleThreshold(src, 2, 2, 3, 2, 0, dst); &got[0] != &dst[0] {
		t.Fatal("UpsampleThreshold did not write into the dst it was given")
	}
	fdst := make([]float32, 6)
	if got := imaging.UpsampleLogits(src, 2, 2, 3, 2, fdst); &got[0] != &fdst[0] {
		t.Fatal("UpsampleLogits did not write into the dst it was given")
	}
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"short src", func() { imaging.UpsampleThreshold(src, 3, 2, 3, 2, 0, nil) }},
		{"wrong dst", func() { imaging.UpsampleThreshold(src, 2, 2, 3, 2, 0, make([]byte, 5)) }},
		{"zero target", func() { imaging.UpsampleLogits(src, 2, 2, 0, 2, nil) }},
		{"negative source", func() { imaging.UpsampleLogits(src, -2, -2, 3, 2, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tc.f()
		})
	}
}
