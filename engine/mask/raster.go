package mask

import (
	"math"
	"slices"
)

// Rasterize fills COCO-style flat polygons [x0, y0, x1, y1, ...] (pixel-corner
// coordinates, as Polygons returns them) into a new w×h mask. A pixel is set
// when its centre (x+0.5, y+0.5) lies inside a polygon by the even-odd rule;
// the mask is the union of its polygons. Polygons with fewer than three
// points or with a non-finite coordinate are skipped, an odd trailing
// coordinate is ignored, and parts outside the mask are clipped. It panics,
// like New, if w×h is not a valid mask size.
func Rasterize(polys [][]float64, w, h int) *Mask {
	m := New(w, h)
	r := rasterizer{m: m}
	for _, p := range polys {
		r.fill(p)
	}
	return m
}

// rasterizer keeps scratch space between polygons.
type rasterizer struct {
	m      *Mask
	edges  []rasterEdge
	active []int
	xs     []float64
}

// rasterEdge is a non-horizontal polygon edge crossing the centre lines of
// rows r0 <= y < r1.
type rasterEdge struct {
	x0, y0, slope float64 // x = x0 + (yc-y0)*slope at height yc
	r0, r1        int
}

// centreIndex returns the first row (or column) whose centre lies at or after v,
// clamped to [-1, n].
func centreIndex(v float64, n int) int {
	return int(math.Ceil(min(max(v-0.5, -1), float64(n))))
}

func (r *rasterizer) fill(p []float64) {
	n := len(p) / 2
	if n < 3 {
		return
	}
	for _, v := range p[:2*n] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
	}
	w, h := r.m.W, r.m.H
	r.edges = r.edges[:0]
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		ax, ay, bx, by := p[2*i], p[2*i+1], p[2*j], p[2*j+1]
		if ay == by {
			continue
		}
		// A row's centre line yc crosses the edge when
		// min(ay, by) <= yc < max(ay, by).
		r0 := max(centreIndex(min(ay, by), h), 0)
		r1 := centreIndex(max(ay, by), h)
		if r0 >= r1 {
			continue
		}
		r.edges = append(r.edges, rasterEdge{x0: ax, y0: ay, slope: (bx - ax) / (by - ay), r0: r0, r1: r1})
	}
	if len(r.edges) == 0 {
		return
	}
	slices.SortFunc(r.edges, func(a, b rasterEdge) int { return a.r0 - b.r0 })
	r.active = r.active[:0]
	next := 0
	for y := r.edges[0].r0; y < h && (next < len(r.edges) || len(r.active) > 0); y++ {
		for next < len(r.edges) && r.edges[next].r0 == y {
			r.active = append(r.active, next)
			next++
		}
		k := 0
		for _, e := range r.active {
			if r.edges[e].r1 > y {
				r.active[k] = e
				k++
			}
		}
		r.active = r.active[:k]
		yc := float64(y) + 0.5
		r.xs = r.xs[:0]
		for _, e := range r.active {
			ed := &r.edges[e]
			r.xs = append(r.xs, ed.x0+(yc-ed.y0)*ed.slope)
		}
		slices.Sort(r.xs)
		row := r.m.Pix[y*w : (y+1)*w]
		for i := 0; i+1 < len(r.xs); i += 2 {
			// Pixel x is inside when xs[i] <= x+0.5 < xs[i+1].
			a := max(centreIndex(r.xs[i], w), 0)
			b := centreIndex(r.xs[i+1], w)
			for x := a; x < b; x++ {
				row[x] = 1
			}
		}
	}
}
