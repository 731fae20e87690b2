package mask_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

// parse builds a mask from rows of '#' (set) and '.' (unset).
func parse(rows ...string) *mask.Mask {
	h := len(rows)
	w := 0
	if h > 0 {
		w = len(rows[0])
	}
	m := mask.New(w, h)
	for y, r := range rows {
		if len(r) != w {
			panic("ragged mask rows")
		}
		for x, c := range r {
			m.Set(x, y, c == '#')
		}
	}
	return m
}

// format renders a mask in the notation of parse, for failure messages.
func format(m *mask.Mask) string {
	var b strings.Builder
	for y := 0; y < m.H; y++ {
		for x := 0; x < m.W; x++ {
			if m.At(x, y) {
				b.WriteByte('#')
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func equal(a, b *mask.Mask) bool {
	return a.W == b.W && a.H == b.H && bytes.Equal(a.Pix, b.Pix)
}

// requireEqual fails t unless got and want are the same mask.
func requireEqual(t *testing.T, got, want *mask.Mask) {
	t.Helper()
	if equal(got, want) {
		return
	}
	if got.W*got.H <= 400 && want.W*want.H <= 400 {
		t.Fatalf("mask mismatch:\ngot %dx%d\n%swant %dx%d\n%s", got.W, got.H, format(got), want.W, want.H, format(want))
	}
	t.Fatalf("mask mismatch: got %dx%d area %d, want %dx%d area %d, IoU %.4f",
		got.W, got.H, got.Area(), want.W, want.H, want.Area(), mask.IoU(got, want))
}

// noise returns a mask whose pixels are set with probability p.
func noise(rng *rand.Rand, w, h int, p float64) *mask.Mask {
	m := mask.New(w, h)
	for i := range m.Pix {
		if rng.Float64() < p {
			m.Pix[i] = 1
		}
	}
	return m
}

// blobs returns a mask of n random ellipses, some with an elliptic hole.
func blobs(rng *rand.Rand, w, h, n int) *mask.Mask {
	m := mask.New(w, h)
	for range n {
		cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
		rx := (0.05 + 0.2*rng.Float64()) * float64(w)
		ry := (0.05 + 0.2*rng.Float64()) * float64(h)
		hole := rng.IntN(3) == 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
				d := dx*dx + dy*dy
				if d <= 1 && !(hole && d < 0.25) {
					m.Set(x, y, true)
				}
			}
		}
	}
	return m
}

// rect returns a w×h mask with the pixels x0 <= x < x1, y0 <= y < y1 set.
func rect(w, h, x0, y0, x1, y1 int) *mask.Mask {
	m := mask.New(w, h)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			m.Set(x, y, true)
		}
	}
	return m
}

// sample is a named test mask.
type sample struct {
	name string
	m    *mask.Mask
}

// samples returns a varied set of masks, including degenerate sizes.
func samples(seed uint64) []sample {
	rng := rand.New(rand.NewPCG(seed, 42))
	sizes := [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {1, 57}, {57, 1}, {2, 2}, {8, 8}, {9, 7}, {33, 65}, {37, 1001}, {1001, 37}}
	var out []sample
	for _, s := range sizes {
		w, h := s[0], s[1]
		out = append(out,
			sample{fmt.Sprintf("empty-%dx%d", w, h), mask.New(w, h)},
			sample{fmt.Sprintf("full-%dx%d", w, h), noise(rng, w, h, 1)},
			sample{fmt.Sprintf("noise-%dx%d", w, h), noise(rng, w, h, 0.5)},
			sample{fmt.Sprintf("sparse-%dx%d", w, h), noise(rng, w, h, 0.03)},
			sample{fmt.Sprintf("dense-%dx%d", w, h), noise(rng, w, h, 0.97)},
		)
		if w > 0 && h > 0 {
			out = append(out,
				sample{fmt.Sprintf("blobs-%dx%d", w, h), blobs(rng, w, h, 4)},
				sample{fmt.Sprintf("rect-%dx%d", w, h), rect(w, h, w/4, h/4, w-w/4, h-h/4)},
			)
		}
	}
	return out
}

// refCounts is a direct port of pycocotools' rleEncode: column-major runs
// starting with a run of zeros.
func refCounts(m *mask.Mask) []int {
	var counts []int
	p, c := false, 0
	for x := 0; x < m.W; x++ {
		for y := 0; y < m.H; y++ {
			if v := m.At(x, y); v != p {
				counts = append(counts, c)
				c, p = 0, v
			}
			c++
		}
	}
	return append(counts, c)
}

// refString is a direct port of pycocotools' rleToString.
func refString(cnts []int) string {
	var s []byte
	for i := range cnts {
		x := int64(cnts[i])
		if i > 2 {
			x -= int64(cnts[i-2])
		}
		more := true
		for more {
			c := x & 0x1f
			x >>= 5
			if c&0x10 != 0 {
				more = x != -1
			} else {
				more = x != 0
			}
			if more {
				c |= 0x20
			}
			c += 48
			s = append(s, byte(c))
		}
	}
	return string(s)
}

// shoelace returns the signed area of a ring (positive clockwise on screen).
func shoelace(pts [][2]float64) float64 {
	a := 0.0
	for i, p := range pts {
		q := pts[(i+1)%len(pts)]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return a / 2
}

// flatToPoints turns a flat [x0, y0, ...] polygon into points.
func flatToPoints(flat []float64) [][2]float64 {
	pts := make([][2]float64, len(flat)/2)
	for i := range pts {
		pts[i] = [2]float64{flat[2*i], flat[2*i+1]}
	}
	return pts
}

// fillBrute fills polygons pixel by pixel, testing every pixel centre with
// the even-odd rule or, when nonzero is set, the nonzero winding rule. Each
// polygon is filled on its own and the results are united.
func fillBrute(polys [][]float64, w, h int, nonzero bool) *mask.Mask {
	m := mask.New(w, h)
	for _, flat := range polys {
		pts := flatToPoints(flat)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				px, py := float64(x)+0.5, float64(y)+0.5
				wind, cross := 0, 0
				for i, a := range pts {
					b := pts[(i+1)%len(pts)]
					if (a[1] <= py) == (b[1] <= py) {
						continue
					}
					xi := a[0] + (py-a[1])*(b[0]-a[0])/(b[1]-a[1])
					if xi > px {
						cross++
						if b[1] > a[1] {
							wind++
						} else {
							wind--
						}
					}
				}
				if (nonzero && wind != 0) || (!nonzero && cross%2 == 1) {
					m.Set(x, y, true)
				}
			}
		}
	}
	return m
}
