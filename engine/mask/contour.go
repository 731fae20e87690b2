package mask

import "sort"

// Contour is a closed boundary of a mask: a ring of pixel corners (the first
// point is not repeated at the end) that separates set from unset pixels.
//
// Outer boundaries run clockwise on screen (x right, y down), which gives a
// positive shoelace area; holes run the other way, with a negative area.
type Contour struct {
	// Points are the corners of the ring, as (x, y).
	Points [][2]float64
	// Hole is set for the boundary of a hole in a component.
	Hole bool
}

// Contours traces the boundaries of every connected component of m along the
// pixel edges, so that the set pixels are exactly those whose centres lie
// inside the outer boundaries and outside the holes. Components are
// 8-connected (pixels touching at a corner belong together) and holes are
// 4-connected, as in OpenCV's findContours; a boundary may touch itself at
// such a corner. Only corners are returned, never points in the middle of a
// straight edge.
//
// Components are listed in row-major order of their top-left pixel, each
// outer boundary followed directly by its holes; every ring starts at its
// top-left corner.
func Contours(m *Mask) []Contour {
	var out []Contour
	for _, c := range traceComponents(m) {
		out = append(out, Contour{Points: floatRing(c.outer)})
		for _, h := range c.holes {
			out = append(out, Contour{Points: floatRing(h), Hole: true})
		}
	}
	return out
}

// point is a pixel corner.
type point struct{ x, y int }

// component is the outer boundary of one connected component and its holes.
type component struct {
	outer []point
	holes [][]point
}

func floatRing(r []point) [][2]float64 {
	out := make([][2]float64, len(r))
	for i, p := range r {
		out[i] = [2]float64{float64(p.x), float64(p.y)}
	}
	return out
}

// Directions, in clockwise order on screen: turning right is d+1.
const (
	east = iota
	south
	west
	north
)

var (
	step = [4]point{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}
	// Offsets, relative to a corner, of the pixels ahead-left and
	// ahead-right of a walk leaving that corner in each direction.
	aheadLeft  = [4]point{{0, -1}, {0, 0}, {-1, 0}, {-1, -1}}
	aheadRight = [4]point{{0, 0}, {-1, 0}, {-1, -1}, {0, -1}}
)

// tracer follows boundaries with the set pixels on the right-hand side.
type tracer struct {
	m       *Mask
	visited []uint64 // bit set of horizontal edges, (h+1) rows of w
}

func (t *tracer) set(x, y int) bool {
	m := t.m
	return x >= 0 && y >= 0 && x < m.W && y < m.H && m.Pix[y*m.W+x] != 0
}

// visit marks the horizontal edge from corner (x, y) to (x+1, y) and
// reports whether it was marked before.
func (t *tracer) visit(x, y int) bool {
	i := y*t.m.W + x
	old := t.visited[i/64]&(1<<(i%64)) != 0
	t.visited[i/64] |= 1 << (i % 64)
	return old
}

// traceComponents finds every boundary of m.
//
// Every boundary contains horizontal edges: those between pixels (x, y-1)
// and (x, y) that differ, found from the runs of the two rows. The first
// edge of a boundary met in row-major order is the top edge of a set pixel
// for an outer boundary and the bottom edge of a set pixel for a hole. A
// hole belongs to the component of the pixel above that edge.
func traceComponents(m *Mask) []component {
	w, h := m.W, m.H
	if w == 0 || h == 0 {
		return nil
	}
	t := &tracer{m: m, visited: make([]uint64, ((h+1)*w+63)/64)}
	lab := newLabeler(m)
	compOf := make([]int32, len(lab.parent)) // by root run, 1 + index in comps
	var comps []component
	var prev, d []int32
	for y := 0; y <= h; y++ {
		var cur []int32
		if y < h {
			cur = lab.row(y)
		}
		d = symdiff(d[:0], prev, cur)
		prev = cur
		for k := 0; k < len(d); k += 2 {
			for x := int(d[k]); x < int(d[k+1]); x++ {
				if t.visit(x, y) {
					continue
				}
				if y < h && m.Pix[y*w+x] != 0 {
					ring := t.trace(point{x, y}, east)
					// The walk ends at its start, the top-left corner.
					if k := len(ring) - 1; k > 0 {
						ring = append(ring[k:], ring[:k]...)
					}
					comps = append(comps, component{outer: ring})
					compOf[lab.label(x, y)] = int32(len(comps))
					continue
				}
				ring := t.trace(point{x + 1, y}, west)
				if i := compOf[lab.label(x, y-1)] - 1; i >= 0 {
					comps[i].holes = append(comps[i].holes, ring)
				}
			}
		}
	}
	return comps
}

// trace walks the boundary that leaves corner start in direction dir until
// it returns, marking the horizontal edges it passes, and returns the
// corners where it turns.
//
// At each corner it turns left if the pixel ahead-left is set (which joins
// pixels that touch only at that corner), goes straight if only the pixel
// ahead-right is set, and turns right otherwise.
func (t *tracer) trace(start point, dir int) []point {
	w := t.m.W
	p, d := start, dir
	var ring []point
	for limit := 4 * (w + 1) * (t.m.H + 1); limit > 0; limit-- {
		switch d {
		case east:
			t.visit(p.x, p.y)
		case west:
			t.visit(p.x-1, p.y)
		}
		p.x += step[d].x
		p.y += step[d].y
		nd := d
		if l := aheadLeft[d]; t.set(p.x+l.x, p.y+l.y) {
			nd = (d + 3) & 3
		} else if r := aheadRight[d]; !t.set(p.x+r.x, p.y+r.y) {
			nd = (d + 1) & 3
		}
		if nd != d {
			ring = append(ring, p)
		}
		d = nd
		if p == start && d == dir {
			break
		}
	}
	return ring
}

// labeler labels the 8-connected components of a mask through its runs of
// set pixels per row, joined with a union-find.
type labeler struct {
	rowRuns
	parent []int32
}

func newLabeler(m *Mask) *labeler {
	l := &labeler{}
	l.find(m)
	l.parent = make([]int32, len(l.xs)/2)
	for i := range l.parent {
		l.parent[i] = int32(i)
	}
	for y := 1; y < m.H; y++ {
		i, iEnd := l.start[y-1], l.start[y]
		j, jEnd := l.start[y], l.start[y+1]
		for i < iEnd && j < jEnd {
			a0, a1, b0, b1 := l.xs[2*i], l.xs[2*i+1], l.xs[2*j], l.xs[2*j+1]
			// Runs touch, diagonally included, when each starts no later
			// than the other ends.
			if a0 <= b1 && b0 <= a1 {
				l.union(i, j)
			}
			if a1 < b1 {
				i++
			} else {
				j++
			}
		}
	}
	return l
}

func (l *labeler) root(i int32) int32 {
	for l.parent[i] != i {
		l.parent[i] = l.parent[l.parent[i]]
		i = l.parent[i]
	}
	return i
}

func (l *labeler) union(i, j int32) {
	a, b := l.root(i), l.root(j)
	if a != b {
		l.parent[max(a, b)] = min(a, b)
	}
}

// label returns the component of the set pixel (x, y).
func (l *labeler) label(x, y int) int32 {
	lo, hi := int(l.start[y]), int(l.start[y+1])
	k := lo + sort.Search(hi-lo, func(k int) bool { return int(l.xs[2*(lo+k)+1]) > x })
	return l.root(int32(k))
}
