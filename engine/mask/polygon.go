package mask

import (
	"cmp"
	"math"
	"slices"
)

// Polygons returns the COCO-style polygons of m: one flat
// [x0, y0, x1, y1, ...] ring of pixel-corner coordinates per connected
// component, its boundary simplified with the given tolerance (see Simplify;
// 0 keeps the boundary exact).
//
// The holes of a component are stitched into its polygon: each hole is
// joined to the boundary around it by a zero-width bridge, a segment walked
// once in each direction. Holes run against the outer boundary, so filling a
// polygon with either the even-odd or the nonzero rule leaves them empty,
// and with tolerance 0, Rasterize(Polygons(m, 0), m.W, m.H) reproduces m
// exactly.
//
// Every polygon has at least three points; components and holes that
// simplify to fewer are dropped. Polygons are listed in the order of
// Contours.
func Polygons(m *Mask, tolerance float64) [][]float64 {
	var out [][]float64
	for _, c := range traceComponents(m) {
		outer := Simplify(floatRing(c.outer), tolerance)
		if len(outer) < 3 {
			continue
		}
		if ringArea(outer) < 0 {
			slices.Reverse(outer)
		}
		var holes [][][2]float64
		for _, h := range c.holes {
			hole := Simplify(floatRing(h), tolerance)
			if len(hole) < 3 {
				continue
			}
			if ringArea(hole) > 0 {
				slices.Reverse(hole)
			}
			holes = append(holes, hole)
		}
		ring := stitchHoles(outer, holes)
		flat := make([]float64, 0, 2*len(ring))
		for _, p := range ring {
			flat = append(flat, p[0], p[1])
		}
		out = append(out, flat)
	}
	return out
}

// ringArea returns the shoelace area of a ring: positive when it runs
// clockwise on screen (y down).
func ringArea(r [][2]float64) float64 {
	a := 0.0
	for i, p := range r {
		q := r[(i+1)%len(r)]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return a / 2
}

// topIndex returns the index of the topmost, then leftmost, point of r.
func topIndex(r [][2]float64) int {
	k := 0
	for i, p := range r {
		if p[1] < r[k][1] || (p[1] == r[k][1] && p[0] < r[k][0]) {
			k = i
		}
	}
	return k
}

// stitchHoles joins the holes into ring. Holes are taken from the top down;
// each is bridged from its top point straight up to the nearest point of
// the ring built so far, which crosses nothing: every point between lies
// inside the component, and holes not yet joined lie lower.
//
// The ring is kept as a linked list, and its edges are indexed by the unit
// columns of x that they span, so that joining a hole costs the length of
// the hole plus the number of edges in one column rather than the length of
// the whole ring.
func stitchHoles(ring [][2]float64, holes [][][2]float64) [][2]float64 {
	if len(holes) == 0 {
		return ring
	}
	tops := make([]int, len(holes))
	order := make([]int, len(holes))
	lo, hi := math.Inf(1), math.Inf(-1)
	size := len(ring)
	for i, h := range holes {
		tops[i] = topIndex(h)
		order[i] = i
		size += len(h) + 3
	}
	for _, r := range holes {
		for _, p := range r {
			lo, hi = min(lo, p[0]), max(hi, p[0])
		}
	}
	for _, p := range ring {
		lo, hi = min(lo, p[0]), max(hi, p[0])
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := holes[a][tops[a]], holes[b][tops[b]]
		if pa[1] != pb[1] {
			return cmp.Compare(pa[1], pb[1])
		}
		return cmp.Compare(pa[0], pb[0])
	})

	s := &stitcher{
		pts:  make([][2]float64, 0, size),
		next: make([]int32, 0, size),
		off:  math.Floor(lo),
		cols: make([][]int32, int(math.Floor(hi)-math.Floor(lo))+1),
	}
	for i, p := range ring {
		s.pts = append(s.pts, p)
		s.next = append(s.next, int32((i+1)%len(ring)))
	}
	for i := range ring {
		s.index(int32(i))
	}
	for _, hi := range order {
		hole, t := holes[hi], tops[hi]
		e, bridge := s.target(hole[t])
		after := s.next[e]
		first := s.add(bridge)
		s.next[e] = first
		for k := range hole {
			s.add(hole[(t+k)%len(hole)])
		}
		s.add(hole[t])
		last := s.add(bridge)
		s.next[last] = after
		for n := first; n <= last; n++ {
			s.index(n)
		}
	}
	out := make([][2]float64, 0, len(s.pts))
	for n := int32(0); ; {
		out = append(out, s.pts[n])
		if n = s.next[n]; n == 0 {
			break
		}
	}
	return dropRepeats(out)
}

// stitcher is a ring under construction: node n is the point pts[n] and the
// edge from it to pts[next[n]].
type stitcher struct {
	pts  [][2]float64
	next []int32
	off  float64   // x of the left side of column 0
	cols [][]int32 // the nodes whose edges span each unit column of x
}

// add appends a node linked to the node after it.
func (s *stitcher) add(p [2]float64) int32 {
	n := int32(len(s.pts))
	s.pts = append(s.pts, p)
	s.next = append(s.next, n+1)
	return n
}

// index records node n's edge in the columns it spans. An edge that is
// later split keeps its entries, which then cover more than it does.
func (s *stitcher) index(n int32) {
	a, b := s.pts[n], s.pts[s.next[n]]
	for c := s.col(min(a[0], b[0])); c <= s.col(max(a[0], b[0])); c++ {
		s.cols[c] = append(s.cols[c], n)
	}
}

func (s *stitcher) col(x float64) int {
	return int(math.Floor(x) - s.off)
}

// target finds the point of the ring nearest above p on the vertical line
// through p. It returns the node whose edge holds it and the point. If no
// edge lies above p, which only a simplified ring can cause, it falls back
// to the nearest point of the ring.
func (s *stitcher) target(p [2]float64) (int32, [2]float64) {
	best, bestY := int32(-1), math.Inf(-1)
	for _, n := range s.cols[s.col(p[0])] {
		a, b := s.pts[n], s.pts[s.next[n]]
		var y float64
		switch {
		case a[0] == b[0]:
			if a[0] != p[0] || min(a[1], b[1]) > p[1] {
				continue
			}
			y = min(max(a[1], b[1]), p[1])
		case p[0] < min(a[0], b[0]) || p[0] > max(a[0], b[0]):
			continue
		default:
			y = a[1] + (p[0]-a[0])*(b[1]-a[1])/(b[0]-a[0])
			if y > p[1] {
				continue
			}
		}
		if y > bestY || (y == bestY && n < best) {
			best, bestY = n, y
		}
	}
	if best >= 0 {
		return best, [2]float64{p[0], bestY}
	}
	bestD := math.Inf(1)
	for n := int32(0); ; {
		a := s.pts[n]
		if d := math.Hypot(a[0]-p[0], a[1]-p[1]); d < bestD {
			best, bestD = n, d
		}
		if n = s.next[n]; n == 0 {
			break
		}
	}
	return best, s.pts[best]
}

// dropRepeats removes points equal to their predecessor, around the ring.
func dropRepeats(r [][2]float64) [][2]float64 {
	out := r[:0]
	for i, p := range r {
		if i > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	return out
}
