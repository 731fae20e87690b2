package mask

// Simplify reduces the closed ring pts with the Douglas-Peucker algorithm:
// every dropped point lies within tolerance of the segment of the result
// that replaces it. The ring is split at its first point and the point
// farthest from it, which are always kept. A tolerance of 0 (or less) drops
// only points lying exactly on the segment between their neighbours.
//
// A repeated first point at the end of pts is ignored. Rings of fewer than
// three points are returned as they are; the result may have fewer than
// three points when pts is nearly degenerate. pts is not modified.
func Simplify(pts [][2]float64, tolerance float64) [][2]float64 {
	keep := SimplifyIndices(pts, tolerance)
	if len(keep) == 0 {
		return nil
	}
	out := make([][2]float64, len(keep))
	for i, k := range keep {
		out[i] = pts[k]
	}
	return out
}

// SimplifyIndices is Simplify giving the indices in pts of the points it
// keeps, in increasing order.
func SimplifyIndices(pts [][2]float64, tolerance float64) []int {
	n := len(pts)
	for n > 1 && pts[n-1] == pts[0] {
		n--
	}
	if n < 3 {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	tol2 := max(tolerance, 0)
	tol2 *= tol2
	far, farD := 0, -1.0
	for i := 1; i < n; i++ {
		dx, dy := pts[i][0]-pts[0][0], pts[i][1]-pts[0][1]
		if d := dx*dx + dy*dy; d > farD {
			far, farD = i, d
		}
	}
	keep := make([]bool, n)
	keep[0], keep[far] = true, true
	// Segments [i, j] of the ring, where index n stands for 0.
	stack := [][2]int{{0, far}, {far, n}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, j := s[0], s[1]
		if j-i < 2 {
			continue
		}
		a, b := pts[i], pts[j%n]
		k, kd := -1, tol2
		for c := i + 1; c < j; c++ {
			if d := segmentDistance2(pts[c], a, b); d > kd {
				k, kd = c, d
			}
		}
		if k < 0 {
			continue
		}
		keep[k] = true
		stack = append(stack, [2]int{i, k}, [2]int{k, j})
	}
	out := make([]int, 0, n)
	for i, ok := range keep {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// segmentDistance2 returns the squared distance from p to the segment ab.
func segmentDistance2(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	px, py := p[0]-a[0], p[1]-a[1]
	if l := dx*dx + dy*dy; l > 0 {
		t := (px*dx + py*dy) / l
		t = min(max(t, 0), 1)
		px -= t * dx
		py -= t * dy
	}
	return px*px + py*py
}
