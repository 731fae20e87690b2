package mask

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// RLE is a COCO run-length encoded mask, compatible with pycocotools.
//
// The mask is read in column-major (Fortran) order and split into runs that
// alternate between unset and set pixels, starting with a (possibly empty)
// run of unset pixels. Counts holds those run lengths in the compressed string
// form of pycocotools' rleToString: each run after the third is stored as the
// difference to the run two before it, and every value is written in groups
// of 5 bits, least significant first, as bytes '0'+group, with 0x20 marking
// that another group follows and 0x10 of the last group being the sign.
type RLE struct {
	// Size is [height, width], as in COCO.
	Size [2]int `json:"size"`
	// Counts is the compressed run-length string.
	Counts string `json:"counts"`
}

// ErrInvalidRLE is wrapped by every error about a malformed RLE.
var ErrInvalidRLE = errors.New("mask: invalid RLE")

// maxValueChars bounds the characters of one compressed value: 7 groups hold
// 35 bits, more than any valid run or difference of runs needs.
const maxValueChars = 7

// Encode returns the COCO RLE of m, exactly as pycocotools encodes the same
// mask.
func Encode(m *Mask) RLE {
	counts := columnRuns(m)
	return RLE{Size: [2]int{m.H, m.W}, Counts: string(appendCounts(make([]byte, 0, 2*len(counts)+8), counts))}
}

// EncodeCounts returns the uncompressed column-major run lengths of m (the
// list form of COCO "counts"), starting with the run of unset pixels. As in
// pycocotools, a mask without pixels gives [0].
func EncodeCounts(m *Mask) []int {
	return columnRuns(m)
}

// Decode returns the mask encoded by r. It rejects, with an error wrapping
// ErrInvalidRLE, sizes that are negative or exceed MaxPixels, characters
// outside the encoding's alphabet, truncated or overlong values, negative runs
// and runs that do not add up to exactly height*width.
func Decode(r RLE) (*Mask, error) {
	h, w, err := r.dims()
	if err != nil {
		return nil, err
	}
	n := h * w
	k := 0
	if err := walkCounts(r.Counts, n, func(int) { k++ }); err != nil {
		return nil, err
	}
	counts := make([]int, 0, k)
	_ = walkCounts(r.Counts, n, func(c int) { counts = append(counts, c) })
	m := New(w, h)
	fillRuns(m, counts)
	return m, nil
}

// DecodeCounts returns the h×w mask whose uncompressed column-major run
// lengths are counts (the list form of COCO "counts"). Like Decode it
// rejects invalid sizes, negative runs and runs that do not add up to h*w.
func DecodeCounts(h, w int, counts []int) (*Mask, error) {
	if err := checkSize(w, h); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidRLE, err)
	}
	if err := checkCounts(counts, h*w); err != nil {
		return nil, err
	}
	m := New(w, h)
	fillRuns(m, counts)
	return m, nil
}

// Area returns the number of set pixels of the mask r encodes, computed from
// the runs without decoding the mask. It validates r like Decode.
func (r RLE) Area() (int, error) {
	h, w, err := r.dims()
	if err != nil {
		return 0, err
	}
	area, i := 0, 0
	err = walkCounts(r.Counts, h*w, func(c int) {
		area += c * (i & 1)
		i++
	})
	if err != nil {
		return 0, err
	}
	return area, nil
}

// dims returns r's height and width after checking them.
func (r RLE) dims() (h, w int, err error) {
	h, w = r.Size[0], r.Size[1]
	if err := checkSize(w, h); err != nil {
		return 0, 0, fmt.Errorf("%w: %v", ErrInvalidRLE, err)
	}
	return h, w, nil
}

// checkCounts reports whether counts are valid runs of an n-pixel mask.
func checkCounts(counts []int, n int) error {
	sum := 0
	for i, c := range counts {
		if c < 0 {
			return fmt.Errorf("%w: run %d is negative (%d)", ErrInvalidRLE, i, c)
		}
		if c > n-sum {
			return fmt.Errorf("%w: runs exceed %d pixels", ErrInvalidRLE, n)
		}
		sum += c
	}
	if sum != n {
		return fmt.Errorf("%w: runs cover %d of %d pixels", ErrInvalidRLE, sum, n)
	}
	return nil
}

// walkCounts decodes the compressed counts s of an n-pixel mask, calling
// visit with every run in order, and reports the first problem found. visit
// may have been called for some runs when it returns an error.
func walkCounts(s string, n int, visit func(c int)) error {
	var prev1, prev2 int // the runs one and two before the current one
	sum, i := 0, 0
	for p := 0; p < len(s); i++ {
		var x int64
		k := 0
		for {
			if p >= len(s) {
				return fmt.Errorf("%w: truncated value at byte %d", ErrInvalidRLE, p)
			}
			if k == maxValueChars {
				return fmt.Errorf("%w: value too long at byte %d", ErrInvalidRLE, p)
			}
			ch := s[p]
			if ch < '0' || ch > '0'+0x3f {
				return fmt.Errorf("%w: bad character %q at byte %d", ErrInvalidRLE, ch, p)
			}
			c := int64(ch - '0')
			x |= (c & 0x1f) << (5 * k)
			p++
			k++
			if c&0x20 == 0 {
				if c&0x10 != 0 {
					x |= -1 << (5 * k)
				}
				break
			}
		}
		if i > 2 {
			x += int64(prev2)
		}
		if x < 0 {
			return fmt.Errorf("%w: run %d is negative (%d)", ErrInvalidRLE, i, x)
		}
		if x > int64(n-sum) {
			return fmt.Errorf("%w: runs exceed %d pixels", ErrInvalidRLE, n)
		}
		sum += int(x)
		visit(int(x))
		prev2, prev1 = prev1, int(x)
	}
	if sum != n {
		return fmt.Errorf("%w: runs cover %d of %d pixels", ErrInvalidRLE, sum, n)
	}
	return nil
}

// appendCounts appends the compressed string form of counts to dst, as
// pycocotools' rleToString does.
func appendCounts(dst []byte, counts []int) []byte {
	for i, c := range counts {
		x := c
		if i > 2 {
			x -= counts[i-2]
		}
		for {
			g := x & 0x1f
			x >>= 5
			more := x != 0
			if g&0x10 != 0 {
				more = x != -1
			}
			if more {
				g |= 0x20
			}
			dst = append(dst, byte(g+'0'))
			if !more {
				break
			}
		}
	}
	return dst
}

// fillRuns writes the runs counts, which must be valid for m, into the empty
// mask m.
//
// Writing column-major runs pixel by pixel into a row-major mask would stride
// through memory, so instead it marks, in each row y > 0, the pixels whose
// value differs from the pixel above, and in row 0 the pixels that are set;
// one row-major pass of XOR with the row above then yields the mask.
func fillRuns(m *Mask, counts []int) {
	w, h := m.W, m.H
	if w == 0 || h == 0 {
		return
	}
	pix := m.Pix
	row0 := pix[:w]
	p := 0
	last := byte(0) // value of the last non-empty run
	for i, c := range counts {
		if c == 0 {
			continue
		}
		v := byte(i & 1)
		if v != last {
			if y := p % h; y != 0 {
				pix[y*w+p/h] = 1
			}
			last = v
		}
		q := p + c
		if v == 1 {
			// Columns whose first pixel lies in [p, q) start set.
			for x := (p + h - 1) / h; x*h < q; x++ {
				row0[x] = 1
			}
		}
		p = q
	}
	for y := 1; y < h; y++ {
		xorRow(pix[y*w:(y+1)*w], pix[(y-1)*w:y*w])
	}
}

// xorRow sets dst ^= src.
func xorRow(dst, src []byte) {
	src = src[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		d := binary.LittleEndian.Uint64(dst[i : i+8])
		s := binary.LittleEndian.Uint64(src[i : i+8])
		binary.LittleEndian.PutUint64(dst[i:i+8], d^s)
	}
	for ; i < len(dst); i++ {
		dst[i] ^= src[i]
	}
}

// columnRuns returns the column-major run lengths of m.
//
// The run boundaries are the pixels that differ (as set/unset) from their
// column-major predecessor: the pixel above, or for row 0 the last pixel of
// the previous column. They are found row by row, comparing eight bytes at a
// time so that the equal stretches of blob-like masks cost little, then
// sorted into column order by counting.
func columnRuns(m *Mask) []int {
	w, h := m.W, m.H
	n := w * h
	if n == 0 {
		return []int{0}
	}
	pix := m.Pix[:n]
	s := runScanner{col: make([]int32, w+1), trans: make([]uint64, 0, 2*(w+h))}
	if pix[0] != 0 {
		s.add(0, 0)
	}
	// Row 0 against the last row shifted right by one column.
	s.row(pix[1:w], pix[(h-1)*w:n-1], 1, 0)
	for y := 1; y < h; y++ {
		s.row(pix[y*w:(y+1)*w], pix[(y-1)*w:y*w], 0, y)
	}

	// Counting sort of the boundaries by column, stable in y.
	start := s.col
	sum := int32(0)
	for x := range start {
		c := start[x]
		start[x] = sum
		sum += c
	}
	ys := make([]int32, len(s.trans))
	for _, t := range s.trans {
		x := t >> 32
		ys[start[x]] = int32(uint32(t))
		start[x]++
	}
	// start[x] is now the end of column x's boundaries.
	counts := make([]int, 0, len(ys)+1)
	last, j := 0, 0
	for x := 0; x < w; x++ {
		base := x * h
		for end := int(start[x]); j < end; j++ {
			p := base + int(ys[j])
			counts = append(counts, p-last)
			last = p
		}
	}
	return append(counts, n-last)
}

// runScanner collects run boundaries as x<<32|y, with per-column counts.
type runScanner struct {
	col   []int32
	trans []uint64
}

func (s *runScanner) add(x, y int) {
	s.trans = append(s.trans, uint64(x)<<32|uint64(y))
	s.col[x]++
}

// row records the pixels of row y where cur and prev differ as set/unset;
// cur[i] is the pixel at x = xoff+i.
func (s *runScanner) row(cur, prev []byte, xoff, y int) {
	prev = prev[:len(cur)]
	i := 0
	for ; i+32 <= len(cur); i += 32 {
		d0 := binary.LittleEndian.Uint64(cur[i:i+8]) ^ binary.LittleEndian.Uint64(prev[i:i+8])
		d1 := binary.LittleEndian.Uint64(cur[i+8:i+16]) ^ binary.LittleEndian.Uint64(prev[i+8:i+16])
		d2 := binary.LittleEndian.Uint64(cur[i+16:i+24]) ^ binary.LittleEndian.Uint64(prev[i+16:i+24])
		d3 := binary.LittleEndian.Uint64(cur[i+24:i+32]) ^ binary.LittleEndian.Uint64(prev[i+24:i+32])
		if d0|d1|d2|d3 == 0 {
			continue
		}
		s.word(cur, prev, i, d0, xoff, y)
		s.word(cur, prev, i+8, d1, xoff, y)
		s.word(cur, prev, i+16, d2, xoff, y)
		s.word(cur, prev, i+24, d3, xoff, y)
	}
	for ; i+8 <= len(cur); i += 8 {
		d := binary.LittleEndian.Uint64(cur[i:i+8]) ^ binary.LittleEndian.Uint64(prev[i:i+8])
		s.word(cur, prev, i, d, xoff, y)
	}
	for ; i < len(cur); i++ {
		if (cur[i] != 0) != (prev[i] != 0) {
			s.add(xoff+i, y)
		}
	}
}

// word records the boundaries among the eight bytes at i whose XOR is d.
func (s *runScanner) word(cur, prev []byte, i int, d uint64, xoff, y int) {
	for d != 0 {
		k := bits.TrailingZeros64(d) >> 3
		d &^= 0xff << (8 * k)
		if j := i + k; (cur[j] != 0) != (prev[j] != 0) {
			s.add(xoff+j, y)
		}
	}
}
