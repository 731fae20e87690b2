package imaging_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samwise-app/samwise/engine/imaging"
)

// columnMajorRuns reads a row-major w×h mask column by column into run
// lengths that start with the run of 0s: the plain definition UpsampleRuns
// must meet.
func columnMajorRuns(pix []byte, w, h int) []int {
	counts := []int{}
	v, n := byte(0), 0
	for x := range w {
		for y := range h {
			if p := pix[y*w+x]; p != v {
				counts = append(counts, n)
				v, n = p, 0
			}
			n++
		}
	}
	return append(counts, n)
}

func TestUpsampleRunsEqualsThresholdedMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	fields := []struct {
		name string
		gen  func(*rand.Rand, int, int) []float32
	}{{"noise", noiseLogits}, {"blob", blobLogits}, {"specials", specialLogits}, {"sparse", sparseLogits},
		{"empty", func(_ *rand.Rand, w, h int) []float32 { return make([]float32, w*h) }},
		{"full", func(_ *rand.Rand, w, h int) []float32 { return slices.Repeat([]float32{5}, w*h) }}}
	for _, tc := range fieldCases {
		for _, f := range fields {
			if f.name == "specials" && tc.dw*tc.dh > 1<<22 {
				continue // subnormal arithmetic is slow; smaller sizes cover it
			}
			t.Run(fmt.Sprintf("%s %dx%d to %dx%d", f.name, tc.sw, tc.sh, tc.dw, tc.dh), func(t *testing.T) {
				src := f.gen(rng, tc.sw, tc.sh)
				want := columnMajorRuns(imaging.UpsampleThreshold(src, tc.sw, tc.sh, tc.dw, tc.dh, 0, nil), tc.dw, tc.dh)
				stale := []int{9, 9, 9}
				got := imaging.UpsampleRuns(src, tc.sw, tc.sh, tc.dw, tc.dh, stale)
				if !slices.Equal(got, want) {
					t.Fatalf("%d runs, want %d; first difference at run %d", len(got), len(want), firstDiff(got, want))
				}
			})
		}
	}
}

func firstDiff(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// Fields of any size and content, sampled to any size: the runs always
// equal the thresholded mask's.
func FuzzUpsampleRuns(f *testing.F) {
	f.Add(uint8(3), uint8(2), uint16(17), uint16(9), []byte{0x80, 0x3f, 0, 0, 0x80, 0xbf})
	f.Add(uint8(1), uint8(1), uint16(1), uint16(1), []byte{0xff, 0xff, 0xff, 0x7f})
	f.Add(uint8(8), uint8(5), uint16(3), uint16(40), []byte("some bytes for logits, sign changes"))
	f.Fuzz(func(t *testing.T, sw, sh uint8, dw, dh uint16, raw []byte) {
		w, h := int(sw%40)+1, int(sh%40)+1
		ow, oh := int(dw%300)+1, int(dh%300)+1
		src := make([]float32, w*h)
		for i := range src {
			if len(raw) >= 4 {
				src[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw))
				raw = raw[4:]
			} else {
				src[i] = float32(i%5) - 2
			}
		}
		want := columnMajorRuns(imaging.UpsampleThreshold(src, w, h, ow, oh, 0, nil), ow, oh)
		if got := imaging.UpsampleRuns(src, w, h, ow, oh, nil); !slices.Equal(got, want) {
			t.Fatalf("%dx%d to %dx%d: %d runs, want %d; first difference at run %d", w, h, ow, oh, len(got), len(want), firstDiff(got, want))
		}
	})
}
