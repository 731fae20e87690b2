package imaging

// UpsampleRuns returns the column-major run lengths of the mask
// UpsampleThreshold(src, sw, sh, dw, dh, 0, nil) makes — COCO's uncompressed
// counts, alternating runs of 0s and 1s and starting with a (possibly empty)
// run of 0s — without making the dw×dh mask. It appends to counts[:0].
//
// The result is exactly that of thresholding UpsampleLogits at 0: output
// pixels form blocks that interpolate between the same four source samples;
// a block whose four samples are all ≤ 0, or all safely positive, is one
// value without arithmetic (see UpsampleThreshold), and only the blocks that
// straddle 0 are interpolated, pixel by pixel, with the same formula in the
// same order. So a click's mask costs time in the pixels along its outline
// and the logits it covers, not in the picture's pixels.
func UpsampleRuns(src []float32, sw, sh, dw, dh int, counts []int) []int {
	checkField("UpsampleRuns", src, sw, sh, dw, dh)
	ux, uy := lerpWeights(sw, dw), lerpWeights(sh, dh)
	cols, rows := columnRuns(&ux), columnRuns(&uy) // runs of output columns, and of rows
	spans := columnSpans(src, sw, sh)
	e := runEncoder{counts: counts[:0]}
	var segs []blockSegment
	var ab []float32 // per mixed pixel row: the vertical blends of the run's two source columns
	for _, c := range cols {
		segs, ab = columnSegments(segs[:0], ab[:0], src, sw, c, rows, spans, &uy)
		for x := int(c.x0); x < int(c.x1); x++ {
			base := x * dh
			lx0, lx1 := ux.l0[x], ux.l1[x]
			for _, s := range segs {
				if s.v != mixed {
					e.set(base+int(s.y0), s.v)
					continue
				}
				// The horizontal lerp of blendRows' values, as UpsampleThreshold.
				blends := ab[s.ab : s.ab+2*(s.y1-s.y0)]
				for i := 0; i < len(blends); i += 2 {
					e.set(base+int(s.y0)+i/2, b2u(lerp(lx0, blends[i], lx1, blends[i+1]) > 0))
				}
			}
		}
	}
	return e.finish(dw * dh)
}

// mixed marks a block segment whose pixels are interpolated one by one.
const mixed = 2

// maxSafePositive bounds the source samples a block may have to be all 1
// without arithmetic: weighted sums of them stay finite.
const maxSafePositive = 0x1p100

// blockSegment is a stretch of one output column run from output row y0 on:
// all 0 or all 1 (v) up to the next segment, or (v == mixed) rows y0 to
// y1-1, interpolated pixel by pixel from the vertical blends at ab.
type blockSegment struct {
	y0, y1, ab int32
	v          byte
}

// columnSegments lists the segments of the output columns c, whose rows
// are the runs rows, and appends the mixed segments' vertical blends to ab.
func columnSegments(segs []blockSegment, ab, src []float32, sw int, c columnRun, rows []columnRun, spans []span, uy *lerpAxis) ([]blockSegment, []float32) {
	segs = append(segs, blockSegment{y0: 0, v: 0})
	a, b := spans[c.i0], spans[c.i1]
	lo, hi := min(a.lo, b.lo), max(a.hi, b.hi)
	if lo > hi {
		return segs, ab
	}
	for _, r := range rows {
		if r.i1 < lo {
			continue // both source rows above every positive sample
		}
		if r.i0 > hi {
			// This and every later run lie below them.
			return addSegment(segs, blockSegment{y0: r.x0, v: 0}), ab
		}
		i00, i01 := int(r.i0)*sw+int(c.i0), int(r.i0)*sw+int(c.i1)
		i10, i11 := int(r.i1)*sw+int(c.i0), int(r.i1)*sw+int(c.i1)
		v := blockValue(src[i00], src[i01], src[i10], src[i11])
		if v != mixed {
			segs = addSegment(segs, blockSegment{y0: r.x0, v: v})
			continue
		}
		segs = addSegment(segs, blockSegment{y0: r.x0, y1: r.x1, ab: int32(len(ab)), v: mixed})
		for y := r.x0; y < r.x1; y++ {
			// blendRows' formula.
			ab = append(ab,
				lerp(uy.l0[y], src[i00], uy.l1[y], src[i10]),
				lerp(uy.l0[y], src[i01], uy.l1[y], src[i11]))
		}
	}
	return segs, ab
}

// addSegment appends s to segs, replacing a last segment that starts on
// the same row and leaving out a uniform one that continues the last.
func addSegment(segs []blockSegment, s blockSegment) []blockSegment {
	last := &segs[len(segs)-1]
	switch {
	case last.y0 == s.y0:
		*last = s
	case s.v != mixed && last.v == s.v:
	default:
		segs = append(segs, s)
	}
	return segs
}

// blockValue is 0 when every pixel interpolating the four samples is 0, 1
// when every one is 1, and mixed otherwise. Weighted sums (weights ≥ 0 that
// sum to 1) of values ≤ 0 are ≤ 0 or NaN, both 0; of values in
// [minSafePositive, maxSafePositive], positive and finite, twice over.
func blockValue(p00, p01, p10, p11 float32) byte {
	switch {
	case p00 <= 0 && p01 <= 0 && p10 <= 0 && p11 <= 0:
		return 0
	case safe(p00) && safe(p01) && safe(p10) && safe(p11):
		return 1
	}
	return mixed
}

func safe(v float32) bool { return v >= minSafePositive && v <= maxSafePositive }

// columnSpans is positiveSpans over columns: for each source column, the
// first and last row whose sample is not ≤ 0.
func columnSpans(src []float32, sw, sh int) []span {
	spans := make([]span, sw)
	for x := range spans {
		spans[x] = span{int32(sh), -1}
	}
	for y := range sh {
		for x, v := range src[y*sw:][:sw] {
			if !(v <= 0) {
				spans[x].lo = min(spans[x].lo, int32(y))
				spans[x].hi = int32(y)
			}
		}
	}
	return spans
}

// runEncoder turns pixel values visited in order into run lengths.
type runEncoder struct {
	counts []int
	start  int  // where the current run began
	v      byte // the current run's value
}

// set notes that the pixel at position p, and every one after it up to
// the next set, has value v.
func (e *runEncoder) set(p int, v byte) {
	if v != e.v {
		e.counts = append(e.counts, p-e.start)
		e.start, e.v = p, v
	}
}

// finish closes the last run at n, the number of pixels.
func (e *runEncoder) finish(n int) []int {
	return append(e.counts, n-e.start)
}
