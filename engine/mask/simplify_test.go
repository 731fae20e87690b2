package mask_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

func TestSimplify(t *testing.T) {
	square := pts{{0, 0}, {2, 0}, {4, 0}, {4, 2}, {4, 4}, {2, 4}, {0, 4}, {0, 2}}
	tests := []struct {
		name string
		in   pts
		tol  float64
		want pts
	}{
		{"empty", nil, 1, nil},
		{"two points", pts{{0, 0}, {1, 1}}, 0, pts{{0, 0}, {1, 1}}},
		{"collinear midpoints, tolerance 0", square, 0, pts{{0, 0}, {4, 0}, {4, 4}, {0, 4}}},
		{"negative tolerance acts as 0", square, -3, pts{{0, 0}, {4, 0}, {4, 4}, {0, 4}}},
		{"closing point ignored", pts{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, 0, pts{{0, 0}, {4, 0}, {4, 4}, {0, 4}}},
		{"zigzag within tolerance", pts{{0, 0}, {1, 0.4}, {2, -0.4}, {3, 0.4}, {4, 0}, {4, 4}, {0, 4}}, 0.5, pts{{0, 0}, {4, 0}, {4, 4}, {0, 4}}},
		{"zigzag beyond tolerance", pts{{0, 0}, {1, 0.4}, {2, -0.4}, {3, 0.4}, {4, 0}, {4, 4}, {0, 4}}, 0.3,
			pts{{0, 0}, {1, 0.4}, {2, -0.4}, {3, 0.4}, {4, 0}, {4, 4}, {0, 4}}},
		{"spike kept", pts{{0, 0}, {4, 0}, {6, 0}, {4, 0.0001}, {4, 4}, {0, 4}}, 0, pts{{0, 0}, {6, 0}, {4, 0.0001}, {4, 4}, {0, 4}}},
		{"collapses when tiny", pts{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, 1, pts{{0, 0}, {1, 1}}},
	}
	for _, tt := range tests {
		if got := mask.Simplify(tt.in, tt.tol); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Simplify = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSimplifyDoesNotModifyInput(t *testing.T) {
	in := pts{{0, 0}, {2, 0}, {4, 0}, {4, 4}, {0, 4}}
	keep := append(pts(nil), in...)
	mask.Simplify(in, 1)
	if !reflect.DeepEqual(in, keep) {
		t.Errorf("input changed to %v", in)
	}
}

// TestSimplifyBound checks on noisy circles that the result is an ordered
// subset of the input and that every input point lies within the tolerance
// of the simplified ring.
func TestSimplifyBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, tol := range []float64{0.5, 1, 2, 5} {
		for range 20 {
			n := 20 + rng.IntN(300)
			in := make(pts, n)
			for i := range in {
				a := 2 * math.Pi * float64(i) / float64(n)
				r := 50 + 3*rng.NormFloat64()
				in[i] = [2]float64{100 + r*math.Cos(a), 100 + r*math.Sin(a)}
			}
			out := mask.Simplify(in, tol)
			if len(out) < 3 || len(out) >= n {
				t.Fatalf("tol %v: %d points simplified to %d", tol, n, len(out))
			}
			j := 0
			for _, p := range in {
				if j < len(out) && p == out[j] {
					j++
				}
			}
			if j != len(out) {
				t.Fatalf("tol %v: result is not an ordered subset of the input", tol)
			}
			for _, p := range in {
				if d := ringDistance(p, out); d > tol+1e-9 {
					t.Fatalf("tol %v: point %v is %v from the result", tol, p, d)
				}
			}
		}
	}
}

// ringDistance returns the distance from p to the nearest edge of ring.
func ringDistance(p [2]float64, ring pts) float64 {
	best := math.Inf(1)
	for i, a := range ring {
		b := ring[(i+1)%len(ring)]
		dx, dy := b[0]-a[0], b[1]-a[1]
		t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
		t = math.Max(0, math.Min(1, t))
		best = math.Min(best, math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy))
	}
	return best
}
