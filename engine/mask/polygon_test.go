package mask_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

func TestPolygons(t *testing.T) {
	tests := []struct {
		name string
		m    *mask.Mask
		tol  float64
		want [][]float64
	}{
		{"empty", mask.New(5, 5), 0, nil},
		{"single pixel", parse("..", ".#"), 0, [][]float64{{1, 1, 2, 1, 2, 2, 1, 2}}},
		{"single pixel dropped", parse("..", ".#"), 1, nil},
		{"rectangle", rect(10, 8, 2, 1, 9, 7), 0, [][]float64{{2, 1, 9, 1, 9, 7, 2, 7}}},
		{"rectangle simplified", rect(10, 8, 2, 1, 9, 7), 2, [][]float64{{2, 1, 9, 1, 9, 7, 2, 7}}},
		// The hole's top-left corner (1,1) is bridged straight up to
		// (1,0) on the outer boundary, and the hole is walked the other
		// way round.
		{"ring", parse(
			"###",
			"#.#",
			"###",
		), 0, [][]float64{{0, 0, 1, 0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 0, 3, 0, 3, 3, 0, 3}}},
		{"two components", parse(
			"#.#",
		), 0, [][]float64{{0, 0, 1, 0, 1, 1, 0, 1}, {2, 0, 3, 0, 3, 1, 2, 1}}},
		// The lower hole's bridge ends on the upper hole, already joined.
		{"stacked holes", parse(
			"###",
			"#.#",
			"###",
			"#.#",
			"###",
		), 0, [][]float64{{0, 0, 1, 0, 1, 1, 1, 2, 1, 3, 1, 4, 2, 4, 2, 3, 1, 3, 1, 2, 2, 2, 2, 1, 1, 1, 1, 0, 3, 0, 3, 5, 0, 5}}},
	}
	for _, tt := range tests {
		if got := mask.Polygons(tt.m, tt.tol); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Polygons =\n%v\nwant\n%v", tt.name, got, tt.want)
		}
	}
}

// exactSamples adds rectangles, rings and nested shapes to the varied
// samples.
func exactSamples(seed uint64) []sample {
	out := samples(seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range 20 {
		w, h := 8+rng.IntN(60), 8+rng.IntN(60)
		m := rect(w, h, rng.IntN(w/2), rng.IntN(h/2), w/2+rng.IntN(w/2), h/2+rng.IntN(h/2))
		out = append(out, sample{fmt.Sprintf("rect-%d", i), m})
		// Rings with one or more rectangular holes, and islands in them.
		ring := rect(w, h, 1, 1, w-1, h-1)
		for range 1 + rng.IntN(4) {
			x0, y0 := 2+rng.IntN(w-4), 2+rng.IntN(h-4)
			x1, y1 := x0+1+rng.IntN(w-1-x0-1), y0+1+rng.IntN(h-1-y0-1)
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					ring.Set(x, y, false)
				}
			}
			if x1-x0 > 2 && y1-y0 > 2 {
				ring.Set((x0+x1)/2, (y0+y1)/2, true)
			}
		}
		out = append(out, sample{fmt.Sprintf("ring-%d", i), ring})
		out = append(out, sample{fmt.Sprintf("blobs-%d", i), blobs(rng, w*3, h*3, 1+rng.IntN(6))})
	}
	return out
}

// TestPolygonsExact checks that polygons traced without simplification fill
// back to the mask exactly, with this package's rasterizer and with the
// brute-force even-odd and nonzero rules.
func TestPolygonsExact(t *testing.T) {
	for _, s := range exactSamples(5) {
		t.Run(s.name, func(t *testing.T) {
			polys := mask.Polygons(s.m, 0)
			for i, p := range polys {
				if len(p) < 6 || len(p)%2 != 0 {
					t.Fatalf("polygon %d has %d coordinates", i, len(p))
				}
			}
			requireEqual(t, mask.Rasterize(polys, s.m.W, s.m.H), s.m)
			coords := 0
			for _, p := range polys {
				coords += len(p)
			}
			if s.m.W*s.m.H*coords <= 1e7 {
				requireEqual(t, fillBrute(polys, s.m.W, s.m.H, false), s.m)
				requireEqual(t, fillBrute(polys, s.m.W, s.m.H, true), s.m)
			}
		})
	}
}

// TestPolygonsSimplified checks that simplified polygons never have fewer
// than three points and stay close to the mask: the pixels that change are
// bounded by the tolerance times the length of the boundary, and blobs of a
// realistic size (radii of 20 pixels and more) keep an IoU of at least 0.97
// with a tolerance of one pixel.
func TestPolygonsSimplified(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for i := range 60 {
		w, h := 20+rng.IntN(300), 20+rng.IntN(300)
		if i%2 == 0 {
			w, h = 400+rng.IntN(400), 400+rng.IntN(400)
		}
		m := blobs(rng, w, h, 1+rng.IntN(5))
		boundary := 0.0
		for _, c := range mask.Contours(m) {
			for j, p := range c.Points {
				q := c.Points[(j+1)%len(c.Points)]
				boundary += math.Hypot(q[0]-p[0], q[1]-p[1])
			}
		}
		for _, tol := range []float64{0.5, 1, 2, 4} {
			polys := mask.Polygons(m, tol)
			for j, p := range polys {
				if len(p) < 6 || len(p)%2 != 0 {
					t.Fatalf("blob %d tol %v: polygon %d has %d coordinates", i, tol, j, len(p))
				}
			}
			r := mask.Rasterize(polys, w, h)
			changed := 0
			for k, v := range r.Pix {
				if v != m.Pix[k] {
					changed++
				}
			}
			if limit := tol * boundary; float64(changed) > limit {
				t.Errorf("blob %d (%dx%d) tol %v: %d pixels changed, more than %.0f", i, w, h, tol, changed, limit)
			}
			if iou := mask.IoU(r, m); i%2 == 0 && tol <= 1 && iou < 0.97 {
				t.Errorf("blob %d (%dx%d) tol %v: IoU %.4f < 0.97", i, w, h, tol, iou)
			}
		}
	}
}
