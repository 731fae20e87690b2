package mask

import "fmt"

// Runs is a W×H mask held as its column-major run lengths, COCO's
// uncompressed counts: alternating runs of unset and set pixels, starting
// with a (possibly empty) run of unset pixels, adding up to W·H. It is what
// a click's mask is made as (see imaging.UpsampleRuns): its RLE, area and
// box come from the runs, without the W·H bytes of the mask.
type Runs struct {
	W, H   int
	Counts []int
}

// RunsOf returns the runs of m.
func RunsOf(m *Mask) Runs { return Runs{W: m.W, H: m.H, Counts: EncodeCounts(m)} }

// RLE returns the COCO RLE of the mask, exactly as Encode does.
func (r Runs) RLE() RLE {
	return RLE{Size: [2]int{r.H, r.W}, Counts: string(appendCounts(nil, r.Counts))}
}

// Area returns the number of set pixels.
func (r Runs) Area() int {
	n := 0
	for i := 1; i < len(r.Counts); i += 2 {
		n += r.Counts[i]
	}
	return n
}

// BBox is Mask.BBox computed from the runs: the tight box of the set
// pixels with exclusive x1 and y1, and ok false when none is set.
func (r Runs) BBox() (x0, y0, x1, y1 int, ok bool) {
	if r.H == 0 {
		return 0, 0, 0, 0, false
	}
	y0, p := r.H, 0
	for i, c := range r.Counts {
		if i%2 == 0 || c == 0 {
			p += c
			continue
		}
		first, last := p, p+c-1
		p += c
		if !ok {
			x0, ok = first/r.H, true
		}
		x1 = last/r.H + 1
		if first/r.H != last/r.H {
			// The run goes from the foot of one column to the top of another.
			y0, y1 = 0, r.H
			continue
		}
		y0, y1 = min(y0, first%r.H), max(y1, last%r.H+1)
	}
	if !ok {
		return 0, 0, 0, 0, false
	}
	return x0, y0, x1, y1, true
}

// Mask returns the mask. It panics if the runs are not a valid mask of
// their size, which only a bug makes.
func (r Runs) Mask() *Mask {
	m, err := DecodeCounts(r.H, r.W, r.Counts)
	if err != nil {
		panic(fmt.Sprintf("mask: runs of a %d×%d mask: %v", r.W, r.H, err))
	}
	return m
}
