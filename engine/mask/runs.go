package mask

import (
	"bytes"
	"slices"
	"sync"
)

// This file converts between row-major masks and the column-major runs of
// RLE. Walking the columns of a row-major mask with a stride would be slow,
// so both directions work with the runs of set pixels of each row instead:
// the pixels that differ from the pixel above, which is what column-major
// runs record, are the symmetric difference of the runs of two rows.

// rowRuns holds the runs of set pixels of every row of a mask. Run k covers
// the pixels xs[2k] <= x < xs[2k+1] of its row, and the runs of row y are
// those with start[y] <= k < start[y+1], left to right.
type rowRuns struct {
	start []int32
	xs    []int32
}

// row returns the runs of row y as start, end pairs.
func (r *rowRuns) row(y int) []int32 {
	return r.xs[2*r.start[y] : 2*r.start[y+1]]
}

var zero = []byte{0}

// find sets r to the runs of set pixels of every row of m, reusing r's
// memory.
//
// It counts the zero bytes of each row, which settles empty and full rows,
// then alternately searches the row for the next 1 and the next 0 until the
// runs cover all its set pixels. These byte operations are vectorised, so a
// row costs about two fast passes plus a little per run. Set pixels whose
// byte is neither 0 nor 1 would be skipped when they follow unset pixels;
// the runs then fall short of the count, and the row is read byte by byte.
func (r *rowRuns) find(m *Mask) {
	w, h := m.W, m.H
	r.start = slices.Grow(r.start[:0], h+1)[:h+1]
	r.xs = r.xs[:0]
	for y := 0; y < h; y++ {
		r.start[y] = int32(len(r.xs) / 2)
		row := m.Pix[y*w : (y+1)*w]
		set := w - bytes.Count(row, zero)
		switch set {
		case 0:
			continue
		case w:
			r.xs = append(r.xs, 0, int32(w))
			continue
		}
		k, covered := len(r.xs), 0
		for x := 0; covered < set; {
			i := bytes.IndexByte(row[x:], 1)
			if i < 0 {
				break
			}
			x += i
			j := bytes.IndexByte(row[x:], 0)
			if j < 0 {
				j = w - x
			}
			r.xs = append(r.xs, int32(x), int32(x+j))
			covered += j
			x += j
		}
		if covered == set {
			continue
		}
		// Some set pixel of the row is neither 0 nor 1.
		r.xs = r.xs[:k]
		for x := 0; x < w; {
			if row[x] == 0 {
				x++
				continue
			}
			a := x
			for x < w && row[x] != 0 {
				x++
			}
			r.xs = append(r.xs, int32(a), int32(x))
		}
	}
	r.start[h] = int32(len(r.xs) / 2)
}

// symdiff appends to dst the runs of the pixels covered by exactly one of
// the run lists a and b, as start, end pairs.
func symdiff(dst, a, b []int32) []int32 {
	i, j := 0, 0
	inA, inB := false, false
	from := int32(0)
	for i < len(a) || j < len(b) {
		// Take the next end of a run of either list, or of both.
		var x int32
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			x = a[i]
			i++
			inA = !inA
		case i == len(a) || b[j] < a[i]:
			x = b[j]
			j++
			inB = !inB
		default:
			// Both lists change here, so their difference does not.
			i++
			j++
			inA, inB = !inA, !inB
			continue
		}
		if inA != inB {
			from = x
		} else {
			dst = append(dst, from, x)
		}
	}
	return dst
}

// scratch is the working memory of encoding and decoding, kept in a pool
// between calls.
type scratch struct {
	runs   rowRuns
	a, b   []int32 // run lists
	col    []int32 // per column (encoding) or row (decoding) counts
	trans  []int32 // columns of boundaries, or changes per row
	ys     []int32 // rows of boundaries
	sorted []int32
	counts []int
	buf    []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled bounds the elements of a slice kept for reuse, so that one
// pathological mask does not pin its memory.
const maxPooled = 1 << 20

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(s *scratch) {
	if max(cap(s.runs.start), cap(s.runs.xs), cap(s.a), cap(s.b), cap(s.col), cap(s.trans),
		cap(s.ys), cap(s.sorted), cap(s.counts), cap(s.buf)) <= maxPooled {
		scratchPool.Put(s)
	}
}

// grow returns p resized to n zeroed elements, reusing its memory.
func grow(p []int32, n int) []int32 {
	p = slices.Grow(p[:0], n)[:n]
	clear(p)
	return p
}

// columnRuns returns the column-major run lengths of m, starting with the
// run of unset pixels, as pycocotools' rleEncode does. The result is memory
// of s, valid until s is used again.
//
// A run boundary of the column-major order is a pixel that differs from its
// predecessor in that order: the pixel above, or for row 0 the last pixel
// of the previous column. Found row by row from the row runs, the
// boundaries are then sorted into column order by counting.
func (s *scratch) columnRuns(m *Mask) []int {
	w, h := m.W, m.H
	n := w * h
	if n == 0 {
		s.counts = append(s.counts[:0], 0)
		return s.counts
	}
	r := &s.runs
	r.find(m)
	col := grow(s.col, w+1)
	trans := s.trans[:0]
	ys := s.ys[:0]

	// Row 0 follows the last row shifted right by one column.
	last := r.row(h - 1)
	prev := s.a[:0]
	for i := 0; i < len(last); i += 2 {
		if a := last[i] + 1; a < int32(w) {
			prev = append(prev, a, min(last[i+1]+1, int32(w)))
		}
	}
	s.a = prev
	d := s.b
	for y := 0; y < h; y++ {
		cur := r.row(y)
		if !slices.Equal(prev, cur) {
			d = symdiff(d[:0], prev, cur)
			for i := 0; i < len(d); i += 2 {
				for x := d[i]; x < d[i+1]; x++ {
					col[x]++
					trans = append(trans, x)
					ys = append(ys, int32(y))
				}
			}
		}
		prev = cur
	}
	s.b = d

	// Counting sort of the boundaries by column, stable in y.
	sum := int32(0)
	for x, c := range col {
		col[x] = sum
		sum += c
	}
	sorted := grow(s.sorted, len(trans))
	for i, x := range trans {
		sorted[col[x]] = ys[i]
		col[x]++
	}
	// col[x] is now the end of column x's boundaries.
	counts := slices.Grow(s.counts[:0], len(trans)+1)
	end, j := 0, 0
	for x := 0; x < w; x++ {
		base := x * h
		for k := int(col[x]); j < k; j++ {
			p := base + int(sorted[j])
			counts = append(counts, p-end)
			end = p
		}
	}
	s.col, s.trans, s.ys, s.sorted = col, trans, ys, sorted
	s.counts = append(counts, n-end)
	return s.counts
}

// ones is copied from to set pixels.
var ones = bytes.Repeat([]byte{1}, 4096)

// fill writes the column-major runs counts, which must be valid for m, into
// the empty mask m.
//
// It notes, per row, the pixels that differ from the pixel above, and the
// set pixels of row 0. Then the runs of each row are the symmetric
// difference of the runs of the row above and those pixels, and writing the
// runs costs time in the number of set pixels, not all pixels.
func (s *scratch) fill(m *Mask, counts []int) {
	w, h := m.W, m.H
	if w == 0 || h == 0 {
		return
	}
	// First pass: the runs of row 0, and how many pixels change per row.
	div := newDivider(h)
	perRow := grow(s.col, h+1)
	row0 := s.a[:0]
	for p, i, last := 0, 0, 0; i < len(counts); i++ {
		c := counts[i]
		if c == 0 {
			continue
		}
		v := i & 1
		x, y := div.divmod(p)
		if v != last {
			if y != 0 {
				perRow[y]++
			}
			last = v
		}
		q := p + c
		if v == 1 {
			// Columns whose first pixel lies in [p, q) start set.
			x1, y1 := div.divmod(q)
			a, b := int32(x), int32(x1)
			if y != 0 {
				a++
			}
			if y1 != 0 {
				b++
			}
			if a < b {
				if k := len(row0); k > 0 && row0[k-1] == a {
					row0[k-1] = b
				} else {
					row0 = append(row0, a, b)
				}
			}
		}
		p = q
	}
	sum := int32(0)
	for y, c := range perRow {
		perRow[y] = sum
		sum += c
	}
	// Second pass: the changing pixels, sorted by row and, within a row,
	// by column as the runs come in column order.
	xs := grow(s.trans, int(sum))
	for p, i, last := 0, 0, 0; i < len(counts); i++ {
		c := counts[i]
		if c == 0 {
			continue
		}
		if v := i & 1; v != last {
			if x, y := div.divmod(p); y != 0 {
				xs[perRow[y]] = int32(x)
				perRow[y]++
			}
			last = v
		}
		p += c
	}
	// perRow[y] is now the end of row y's changes.

	cur, next, change := row0, s.b[:0], s.ys[:0]
	fillRow(m.Pix[:w], cur)
	for y := 1; y < h; y++ {
		if k0, k1 := perRow[y-1], perRow[y]; k0 < k1 {
			change = change[:0]
			for _, x := range xs[k0:k1] {
				if k := len(change); k > 0 && change[k-1] == x {
					change[k-1] = x + 1
				} else {
					change = append(change, x, x+1)
				}
			}
			next = symdiff(next[:0], cur, change)
			cur, next = next, cur
		}
		fillRow(m.Pix[y*w:(y+1)*w], cur)
	}
	s.col, s.trans, s.ys = perRow, xs, change
	s.a, s.b = cur, next
}

// divider divides by a fixed positive number faster than the division
// instruction, through a multiplication by its reciprocal and a correction.
type divider struct {
	d   int
	inv float64
}

func newDivider(d int) divider { return divider{d, 1 / float64(d)} }

// divmod returns p/d and p%d for 0 <= p <= MaxPixels. The product is off by
// at most one there, as float64 represents p exactly.
func (v divider) divmod(p int) (q, r int) {
	q = int(float64(p) * v.inv)
	r = p - q*v.d
	if r < 0 {
		q--
		r += v.d
	} else if r >= v.d {
		q++
		r -= v.d
	}
	return q, r
}

// fillRow sets the pixels of the runs of row.
func fillRow(row []byte, runs []int32) {
	for i := 0; i < len(runs); i += 2 {
		for seg := row[runs[i]:runs[i+1]]; len(seg) > 0; {
			seg = seg[copy(seg, ones):]
		}
	}
}
