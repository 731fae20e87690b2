package mask

import (
	"errors"
	"fmt"
	"slices"
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
	s := getScratch()
	defer putScratch(s)
	s.buf = appendCounts(s.buf[:0], s.columnRuns(m))
	return RLE{Size: [2]int{m.H, m.W}, Counts: string(s.buf)}
}

// EncodeCounts returns the uncompressed column-major run lengths of m (the
// list form of COCO "counts"), starting with the run of unset pixels. As in
// pycocotools, a mask without pixels gives [0].
func EncodeCounts(m *Mask) []int {
	s := getScratch()
	defer putScratch(s)
	return slices.Clone(s.columnRuns(m))
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
	s := getScratch()
	defer putScratch(s)
	counts := s.counts[:0]
	err = walkCounts(r.Counts, h*w, func(c int) { counts = append(counts, c) })
	s.counts = counts
	if err != nil {
		return nil, err
	}
	m := New(w, h)
	s.fill(m, counts)
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
	s := getScratch()
	defer putScratch(s)
	s.fill(m, counts)
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
	dst = slices.Grow(dst, len(counts)+len(counts)/2)
	for i, c := range counts {
		x := c
		if i > 2 {
			x -= counts[i-2]
		}
		if -16 <= x && x < 16 {
			// One group: the common case for smooth shapes.
			dst = append(dst, byte(x&0x1f+'0'))
			continue
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
