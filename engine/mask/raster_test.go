package mask_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

func TestRasterize(t *testing.T) {
	tests := []struct {
		name  string
		polys [][]float64
		w, h  int
		want  *mask.Mask
	}{
		{"nothing", nil, 3, 2, mask.New(3, 2)},
		{"no pixels", [][]float64{{0, 0, 1, 0, 1, 1}}, 0, 0, mask.New(0, 0)},
		{"square on corners", [][]float64{{1, 1, 3, 1, 3, 3, 1, 3}}, 4, 4, parse(
			"....",
			".##.",
			".##.",
			"....",
		)},
		// Only centres inside count: (0.6, 0.6)-(2.4, 2.4) covers the
		// centres (1.5, 1.5) and no others.
		{"fractional square", [][]float64{{0.6, 0.6, 2.4, 0.6, 2.4, 2.4, 0.6, 2.4}}, 3, 3, parse(
			"...",
			".#.",
			"...",
		)},
		{"triangle", [][]float64{{0, 0, 4, 0, 0, 4}}, 4, 4, parse(
			"###.",
			"##..",
			"#...",
			"....",
		)},
		{"clipped", [][]float64{{-10, -10, 2, -10, 2, 1e9, -10, 1e9}}, 3, 2, parse(
			"##.",
			"##.",
		)},
		{"outside", [][]float64{{5, 5, 9, 5, 9, 9}}, 3, 3, mask.New(3, 3)},
		{"overlapping polygons unite", [][]float64{{0, 0, 2, 0, 2, 1, 0, 1}, {1, 0, 3, 0, 3, 1, 1, 1}}, 3, 1, parse("###")},
		// Within one polygon the even-odd rule applies: a self-overlapping
		// ring leaves the doubly covered part empty.
		{"even-odd within a polygon", [][]float64{{0, 0, 2, 0, 2, 1, 0, 1, 0, 0, 3, 0, 3, 1, 1, 1, 1, 0}}, 3, 1, parse("#.#")},
		{"too few points", [][]float64{{0, 0, 3, 3}, {0, 0, 1, 0, 1}}, 3, 3, mask.New(3, 3)},
		{"odd coordinate ignored", [][]float64{{0, 0, 1, 0, 1, 1, 0, 1, 7}}, 2, 2, parse("#.", "..")},
		{"NaN skipped", [][]float64{{0, 0, math.NaN(), 0, 1, 1}, {0, 0, 1, 0, 1, 1, 0, 1}}, 2, 1, parse("#.")},
		{"infinity skipped", [][]float64{{0, 0, math.Inf(1), 0, 1, 1}}, 2, 1, mask.New(2, 1)},
	}
	for _, tt := range tests {
		got := mask.Rasterize(tt.polys, tt.w, tt.h)
		if !equal(got, tt.want) {
			t.Errorf("%s: Rasterize =\n%swant\n%s", tt.name, format(got), format(tt.want))
		}
	}
}

// TestRasterizeRandom compares random polygons, self-intersecting ones
// included, against the brute-force even-odd fill.
func TestRasterizeRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for i := range 200 {
		w, h := 1+rng.IntN(40), 1+rng.IntN(40)
		var polys [][]float64
		for range 1 + rng.IntN(3) {
			n := 3 + rng.IntN(10)
			p := make([]float64, 2*n)
			for j := range n {
				p[2*j] = rng.Float64()*float64(w+10) - 5
				p[2*j+1] = rng.Float64()*float64(h+10) - 5
			}
			polys = append(polys, p)
		}
		got, want := mask.Rasterize(polys, w, h), fillBrute(polys, w, h, false)
		if !equal(got, want) {
			t.Fatalf("case %d %v:\ngot\n%swant\n%s", i, polys, format(got), format(want))
		}
	}
}

func TestRasterizePanicsOnBadSize(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Rasterize(-1, 1) did not panic")
		}
	}()
	mask.Rasterize(nil, -1, 1)
}
