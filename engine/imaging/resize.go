package imaging

import (
	"fmt"
	"image"
	"math"
	"runtime"
)

// axisWeights is a precomputed 1-D resampling filter: output index i reads
// n[i] source samples starting at start[i] with weights
// w[i*stride : i*stride+n[i]] (normalised to sum to 1).
type axisWeights struct {
	start, n []int32
	w        []float32
	stride   int
}

// antialiasWeights computes the filter that resizes in samples to out
// samples the way PyTorch's interpolate(mode="bilinear", antialias=True,
// align_corners=False) does (the kernel torchvision's resize uses, and the
// same as PIL's BILINEAR): a triangle filter centred on the output pixel's
// centre in source coordinates, (i+0.5)·in/out, whose support is widened by
// the downscale factor, with weights renormalised where the window is cut by
// the image edge. When upscaling the support is 1 and this is exactly plain
// bilinear interpolation with edge clamping.
//
// Weights that are exactly zero at either end of a window are dropped, so an
// identity resize reads one sample with weight 1 and is exact.
func antialiasWeights(in, out int) axisWeights {
	scale := float64(in) / float64(out)
	support, inv := 1.0, 1.0
	if scale >= 1 {
		support, inv = scale, 1/scale
	}
	stride := 2*int(math.Ceil(support)) + 1
	aw := axisWeights{
		start:  make([]int32, out),
		n:      make([]int32, out),
		w:      make([]float32, out*stride),
		stride: stride,
	}
	ws := make([]float64, stride)
	for i := range out {
		center := scale * (float64(i) + 0.5)
		lo := max(int(center-support+0.5), 0) // int() truncates like the C++ cast
		hi := min(int(center+support+0.5), in)
		n := min(hi-lo, stride)
		total := 0.0
		for j := range n {
			w := 1 - math.Abs((float64(lo+j)-center+0.5)*inv)
			w = max(w, 0)
			ws[j] = w
			total += w
		}
		first, last := 0, n-1
		for first < last && ws[first] == 0 {
			first++
		}
		for last > first && ws[last] == 0 {
			last--
		}
		if total == 0 { // cannot happen for in, out >= 1; keep the nearest sample
			lo, first, last, total = min(int(center), in-1), 0, 0, 1
			ws[0] = 1
		}
		aw.start[i] = int32(lo + first)
		aw.n[i] = int32(last - first + 1)
		row := aw.w[i*stride:]
		for j := first; j <= last; j++ {
			row[j-first] = float32(ws[j] / total)
		}
	}
	return aw
}

// resample resizes src to dw×dh with the separable antialiased bilinear
// filter of antialiasWeights: a horizontal pass over the source rows a band
// of output rows needs, then a vertical pass. emit receives each finished
// output row as three channel planes (R, G, B, values 0–255) and may be
// called concurrently for different rows; the slices are reused afterwards.
// Work is spread over row bands on up to GOMAXPROCS goroutines.
func resample(src rowSource, dw, dh int, emit func(y int, r, g, b []float32)) {
	hw := antialiasWeights(src.w, dw)
	vw := antialiasWeights(src.h, dh)
	// Bands of 32 output rows keep the intermediate rows in cache and the
	// rows recomputed at band edges to a few percent; smaller bands when
	// that is needed to give every CPU work.
	band := min(32, max(4, (dh+4*runtime.GOMAXPROCS(0)-1)/(4*runtime.GOMAXPROCS(0))))
	parallelFor(dh, band, func() func(lo, hi int) {
		scratch := make([]byte, src.bpp*src.w)
		frow := make([]float32, 3*src.w)
		var tmp [3][]float32
		var acc [3][]float32
		for c := range acc {
			acc[c] = make([]float32, dw)
		}
		return func(lo, hi int) {
			sy0, sy1 := src.h, 0
			for y := lo; y < hi; y++ {
				s := int(vw.start[y])
				sy0 = min(sy0, s)
				sy1 = max(sy1, s+int(vw.n[y]))
			}
			need := (sy1 - sy0) * dw
			for c := range tmp {
				if cap(tmp[c]) < need {
					tmp[c] = make([]float32, need)
				}
				tmp[c] = tmp[c][:need]
			}
			for sy := sy0; sy < sy1; sy++ {
				o := (sy - sy0) * dw
				rowToFloat(frow, src.row(sy, scratch), src.bpp)
				horizontal(frow, &hw, tmp[0][o:o+dw], tmp[1][o:o+dw], tmp[2][o:o+dw])
			}
			for y := lo; y < hi; y++ {
				s := int(vw.start[y]) - sy0
				ws := vw.w[y*vw.stride : y*vw.stride+int(vw.n[y])]
				for c := range acc {
					vertical(acc[c], tmp[c][s*dw:], dw, ws)
				}
				emit(y, acc[0], acc[1], acc[2])
			}
		}
	})
}

// byteToFloat converts a byte to float32 by table lookup, which is cheaper
// than the integer-to-float instruction in the hot loops.
var byteToFloat = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i)
	}
	return t
}()

// rowToFloat converts a row of bpp-byte pixels to interleaved float32 RGB
// (alpha dropped); f has room for 3 values per pixel.
func rowToFloat(f []float32, row []byte, bpp int) {
	n := len(row) / bpp
	f = f[:3*n]
	if bpp == 3 {
		for i, v := range row[:3*n] {
			f[i] = byteToFloat[v]
		}
		return
	}
	for i := 0; i < n; i++ {
		p := row[bpp*i : bpp*i+3 : bpp*i+3]
		q := f[3*i : 3*i+3 : 3*i+3]
		q[0], q[1], q[2] = byteToFloat[p[0]], byteToFloat[p[1]], byteToFloat[p[2]]
	}
}

// horizontal filters one source row, given as interleaved float32 RGB, into
// three channel planes of len(r) output samples. Taps are taken two at a
// time into separate accumulators so the additions do not wait on each
// other.
func horizontal(f []float32, hw *axisWeights, r, g, b []float32) {
	g = g[:len(r)]
	b = b[:len(r)]
	for x := range r {
		s, n := int(hw.start[x]), int(hw.n[x])
		ws := hw.w[x*hw.stride : x*hw.stride+n]
		seg := f[3*s : 3*(s+n)]
		var r0, g0, b0, r1, g1, b1 float32
		k := 0
		for ; k+1 < len(ws); k += 2 {
			w0, w1 := ws[k], ws[k+1]
			p := seg[3*k : 3*k+6 : 3*k+6]
			r0 += w0 * p[0]
			g0 += w0 * p[1]
			b0 += w0 * p[2]
			r1 += w1 * p[3]
			g1 += w1 * p[4]
			b1 += w1 * p[5]
		}
		if k < len(ws) {
			wk := ws[k]
			p := seg[3*k : 3*k+3 : 3*k+3]
			r0 += wk * p[0]
			g0 += wk * p[1]
			b0 += wk * p[2]
		}
		r[x], g[x], b[x] = r0+r1, g0+g1, b0+b1
	}
}

// vertical writes into acc the weighted sum of len(ws) consecutive rows of
// width w starting at rows[0].
func vertical(acc, rows []float32, w int, ws []float32) {
	r0 := rows[:len(acc)]
	w0 := ws[0]
	for x, v := range r0 {
		acc[x] = w0 * v
	}
	for k := 1; k < len(ws); k++ {
		rk := rows[k*w : k*w+len(acc)]
		wk := ws[k]
		for x, v := range rk {
			acc[x] += wk * v
		}
	}
}

// ResizeRGB resizes an interleaved 8-bit RGB image (sw×sh, 3*sw*sh bytes, as
// ffmpeg's rgb24 output) to dw×dh with the same antialiased bilinear filter
// [ToTensor] uses, rounding to the nearest byte. It returns a new buffer of
// 3*dw*dh bytes. It panics if a size is not positive or src is too short.
func ResizeRGB(src []uint8, sw, sh, dw, dh int) []uint8 {
	checkRGB("ResizeRGB", src, sw, sh)
	if dw <= 0 || dh <= 0 {
		panic(fmt.Sprintf("imaging: ResizeRGB to %d×%d; the target size must be positive", dw, dh))
	}
	dst := make([]uint8, 3*dw*dh)
	resample(rgbSource(src, sw, sh), dw, dh, func(y int, r, g, b []float32) {
		out := dst[3*dw*y : 3*dw*(y+1)]
		for x := range r {
			p := out[3*x : 3*x+3 : 3*x+3]
			p[0], p[1], p[2] = toByte(r[x]), toByte(g[x]), toByte(b[x])
		}
	})
	return dst
}

// Resize resizes img to dw×dh with the same filter as [ResizeRGB] and
// returns an opaque NRGBA image (alpha is dropped, as in ToTensor). It
// panics if a size is not positive.
func Resize(img image.Image, dw, dh int) *image.NRGBA {
	if dw <= 0 || dh <= 0 {
		panic(fmt.Sprintf("imaging: Resize to %d×%d; the target size must be positive", dw, dh))
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	resample(imageSource(img), dw, dh, func(y int, r, g, b []float32) {
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := range r {
			p := out[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = toByte(r[x]), toByte(g[x]), toByte(b[x]), 255
		}
	})
	return dst
}

// toByte rounds v to the nearest integer and clamps it to 0–255.
func toByte(v float32) uint8 {
	v += 0.5
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v)
}

// checkRGB panics with an explanatory message when an interleaved RGB
// buffer does not hold a w×h image.
func checkRGB(fn string, rgb []byte, w, h int) {
	if w <= 0 || h <= 0 {
		panic(fmt.Sprintf("imaging: %s of a %d×%d image; width and height must be positive", fn, w, h))
	}
	if len(rgb) < 3*w*h {
		panic(fmt.Sprintf("imaging: %s got %d bytes for a %d×%d RGB image; it needs 3*w*h = %d", fn, len(rgb), w, h, 3*w*h))
	}
}
