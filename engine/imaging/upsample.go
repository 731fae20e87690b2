package imaging

import (
	"fmt"
	"math"
	"sort"
)

// lerpAxis holds, for each output index along one axis, the two source
// indices and weights of PyTorch's bilinear interpolation with
// align_corners=False and no antialiasing: the source coordinate is
// (i+0.5)·in/out − 0.5, clamped to 0 below (as PyTorch does), and the upper
// neighbour is clamped to the last sample.
type lerpAxis struct {
	i0, i1 []int32
	l0, l1 []float32
}

func lerpWeights(in, out int) lerpAxis {
	la := lerpAxis{
		i0: make([]int32, out), i1: make([]int32, out),
		l0: make([]float32, out), l1: make([]float32, out),
	}
	scale := float64(in) / float64(out)
	for i := range out {
		s := max((float64(i)+0.5)*scale-0.5, 0)
		i0 := min(int(s), in-1)
		i1 := i0
		if i0 < in-1 {
			i1++
		}
		// Quantising the weight to 2^-24 makes both weights exact float32
		// values that sum to exactly 1, so a constant field interpolates to
		// itself wherever the products are exact (e.g. 0.5 stays 0.5).
		l1 := math.Round((s-float64(i0))*(1<<24)) / (1 << 24)
		la.i0[i], la.i1[i] = int32(i0), int32(i1)
		la.l0[i], la.l1[i] = float32(1-l1), float32(l1)
	}
	return la
}

// lerp is the one interpolation formula both UpsampleLogits and
// UpsampleThreshold use, so a thresholded value always equals the
// thresholded float. The explicit conversions forbid fused multiply-adds,
// making results the same on every architecture.
func lerp(l0, a, l1, b float32) float32 {
	return float32(l0*a) + float32(l1*b)
}

// blendRows writes into row[c0:c1] the vertical interpolation for output
// row y of the sw-wide source field src, columns c0 to c1-1.
func blendRows(row, src []float32, sw int, uy *lerpAxis, y, c0, c1 int) {
	r0 := src[int(uy.i0[y])*sw+c0:][:c1-c0]
	r1 := src[int(uy.i1[y])*sw+c0:][:c1-c0]
	out := row[c0:c1]
	l0, l1 := uy.l0[y], uy.l1[y]
	for x := range out {
		out[x] = lerp(l0, r0[x], l1, r1[x])
	}
}

// upsampleBand is the number of output pixels a goroutine takes at a time.
const upsampleBand = 1 << 16

// UpsampleLogits resizes a sw×sh field of mask logits (row-major, the first
// sw*sh values of src) to dw×dh with bilinear interpolation as PyTorch's
// F.interpolate(mode="bilinear", align_corners=False) computes it, and
// returns the dw*dh values in dst (allocated when nil). Apply a sigmoid to
// the result for soft masks or probabilities. It panics if a size is not
// positive, src is too short, or dst has the wrong length.
func UpsampleLogits(src []float32, sw, sh, dw, dh int, dst []float32) []float32 {
	checkField("UpsampleLogits", src, sw, sh, dw, dh)
	dst = ensureLen("UpsampleLogits", dst, dw*dh)
	ux, uy := lerpWeights(sw, dw), lerpWeights(sh, dh)
	runs := columnRuns(&ux)
	parallelFor(dh, max(1, upsampleBand/dw), func() func(lo, hi int) {
		row := make([]float32, sw)
		return func(lo, hi int) {
			for y := lo; y < hi; y++ {
				blendRows(row, src, sw, &uy, y, 0, sw)
				out := dst[y*dw : (y+1)*dw]
				for _, r := range runs {
					a, b := row[r.i0], row[r.i1]
					o := out[r.x0:r.x1]
					l0 := ux.l0[r.x0:r.x1][:len(o)]
					l1 := ux.l1[r.x0:r.x1][:len(o)]
					for i := range o {
						o[i] = lerp(l0[i], a, l1[i], b)
					}
				}
			}
		}
	})
	return dst
}

// UpsampleThreshold is UpsampleLogits followed by a threshold, in a single
// pass that never materialises the float field: dst (dw*dh bytes, allocated
// when nil) gets 1 where the interpolated value is strictly greater than
// threshold and 0 elsewhere (NaN gives 0). Use threshold 0 for logits, which
// is sigmoid > 0.5.
//
// With threshold 0 it skips the arithmetic for runs of output pixels that
// interpolate between two source samples of the same sign; the result is
// still bit-for-bit that of UpsampleLogits followed by "> 0", because a
// non-negative weighting of two non-positive values cannot round above 0 nor
// of two normal positive values to 0 or below.
func UpsampleThreshold(src []float32, sw, sh, dw, dh int, threshold float32, dst []byte) []byte {
	checkField("UpsampleThreshold", src, sw, sh, dw, dh)
	dst = ensureLen("UpsampleThreshold", dst, dw*dh)
	ux, uy := lerpWeights(sw, dw), lerpWeights(sh, dh)
	runs := columnRuns(&ux)
	var spans []span
	if threshold == 0 {
		spans = positiveSpans(src, sw, sh)
	}
	parallelFor(dh, max(1, upsampleBand/dw), func() func(lo, hi int) {
		row := make([]float32, sw)
		return func(lo, hi int) {
			for y := lo; y < hi; y++ {
				out := dst[y*dw : (y+1)*dw]
				if threshold == 0 {
					signRowAt(out, row, src, sw, &ux, &uy, y, runs, spans)
					continue
				}
				blendRows(row, src, sw, &uy, y, 0, sw)
				for _, r := range runs {
					a, b := row[r.i0], row[r.i1]
					o := out[r.x0:r.x1]
					l0 := ux.l0[r.x0:r.x1][:len(o)]
					l1 := ux.l1[r.x0:r.x1][:len(o)]
					for i := range o {
						o[i] = b2u(lerp(l0[i], a, l1[i], b) > threshold)
					}
				}
			}
		}
	})
	return dst
}

// columnRun is a range [x0, x1) of output columns (or, for UpsampleRuns,
// rows) that interpolate between the same two source samples i0 and i1.
type columnRun struct{ i0, i1, x0, x1 int32 }

func columnRuns(ux *lerpAxis) []columnRun {
	var runs []columnRun
	for x := range ux.i0 {
		i0, i1 := ux.i0[x], ux.i1[x]
		if n := len(runs); n > 0 && runs[n-1].i0 == i0 && runs[n-1].i1 == i1 {
			runs[n-1].x1++
			continue
		}
		runs = append(runs, columnRun{i0, i1, int32(x), int32(x) + 1})
	}
	return runs
}

// minSafePositive is a positive value whose products with the weights (at
// least one of each pair is ≥ 0.5) cannot underflow to zero.
const minSafePositive = 0x1p-100

// span is the range [lo, hi] of the samples of one source row from the first
// to the last that is not ≤ 0 (positive or NaN); lo > hi when there is none.
type span struct{ lo, hi int32 }

func positiveSpans(src []float32, sw, sh int) []span {
	spans := make([]span, sh)
	for y := range spans {
		r := src[y*sw:][:sw]
		lo, hi := 0, sw-1
		for lo < sw && r[lo] <= 0 {
			lo++
		}
		for hi > lo && r[hi] <= 0 {
			hi--
		}
		if lo == sw {
			lo, hi = sw, -1
		}
		spans[y] = span{int32(lo), int32(hi)}
	}
	return spans
}

// signRowAt thresholds output row y at 0. Outside the columns spanned by the
// positive samples of its two source rows every interpolated value is ≤ 0,
// so it interpolates only that part of the row and clears the rest; a row
// far from the mask costs one memory clear.
func signRowAt(out []byte, row, src []float32, sw int, ux, uy *lerpAxis, y int, runs []columnRun, spans []span) {
	a, b := spans[uy.i0[y]], spans[uy.i1[y]]
	lo, hi := min(a.lo, b.lo), max(a.hi, b.hi)
	// Runs before ra interpolate two samples left of lo, runs from rb on two
	// samples right of hi.
	ra := sort.Search(len(runs), func(k int) bool { return runs[k].i1 >= lo })
	rb := sort.Search(len(runs), func(k int) bool { return runs[k].i0 > hi })
	if lo > hi || ra >= rb {
		clear(out)
		return
	}
	blendRows(row, src, sw, uy, y, max(int(lo)-1, 0), min(int(hi)+2, sw))
	clear(out[:runs[ra].x0])
	signRow(out, row, ux, runs[ra:rb])
	clear(out[runs[rb-1].x1:])
}

// signRow writes out[x] = lerp(...) > 0 for one output row. Runs whose two
// source samples are both ≤ 0 (every weighted sum is then ≤ 0) or both normal
// finite positives (every weighted sum is then > 0) need no arithmetic, and
// consecutive such runs of one sign are written with a single fill, so a row
// costs one comparison per source sample plus a few memory fills. Runs that
// straddle 0, NaN and infinities take the per-pixel path.
func signRow(out []byte, row []float32, ux *lerpAxis, runs []columnRun) {
	start, v := int(runs[0].x0), byte(0) // out[start:] up to the current run is all v
	for _, r := range runs {
		a, b := row[r.i0], row[r.i1]
		var rv byte
		switch {
		case a <= 0 && b <= 0:
			rv = 0
		case a >= minSafePositive && b >= minSafePositive && a <= math.MaxFloat32 && b <= math.MaxFloat32:
			rv = 1
		default:
			fill(out[start:r.x0], v)
			o := out[r.x0:r.x1]
			l0 := ux.l0[r.x0:r.x1][:len(o)]
			l1 := ux.l1[r.x0:r.x1][:len(o)]
			for i := range o {
				o[i] = b2u(lerp(l0[i], a, l1[i], b) > 0)
			}
			start = int(r.x1)
			continue
		}
		if rv != v {
			fill(out[start:r.x0], v)
			start, v = int(r.x0), rv
		}
	}
	fill(out[start:runs[len(runs)-1].x1], v)
}

// ones is a source for fills with 1.
var ones = func() (b [4096]byte) {
	for i := range b {
		b[i] = 1
	}
	return b
}()

// fill sets every byte of o to v (0 or 1).
func fill(o []byte, v byte) {
	if v == 0 {
		clear(o)
		return
	}
	for len(o) > 0 {
		o = o[copy(o, ones[:]):]
	}
}

// b2u converts a bool to 0 or 1.
func b2u(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// checkField panics with an explanatory message when src cannot hold a
// sw×sh field or a target size is not positive.
func checkField(fn string, src []float32, sw, sh, dw, dh int) {
	if sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 {
		panic(fmt.Sprintf("imaging: %s from %d×%d to %d×%d; all sizes must be positive", fn, sw, sh, dw, dh))
	}
	if len(src) < sw*sh {
		panic(fmt.Sprintf("imaging: %s got %d values for a %d×%d field; it needs sw*sh = %d", fn, len(src), sw, sh, sw*sh))
	}
}
