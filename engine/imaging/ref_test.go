package imaging_test

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// This file holds deliberately naive float64 reference implementations that
// the optimised code is checked against, written from the definitions rather
// than from the package's code.

// refAxis returns the full out×in weight matrix of one resampling axis: the
// antialiased triangle filter (support scaled by the downscale factor, as
// PyTorch's antialias=True / PIL BILINEAR) when downscaling, and PyTorch's
// plain bilinear interpolation (align_corners=False, source coordinate
// clamped at 0) when upscaling.
func refAxis(in, out int) [][]float64 {
	m := make([][]float64, out)
	scale := float64(in) / float64(out)
	for i := range m {
		m[i] = make([]float64, in)
		if scale > 1 {
			center := (float64(i) + 0.5) * scale
			total := 0.0
			for j := 0; j < in; j++ {
				d := math.Abs(float64(j)+0.5-center) / scale
				if d < 1 {
					m[i][j] = 1 - d
					total += 1 - d
				}
			}
			for j := range m[i] {
				m[i][j] /= total
			}
			continue
		}
		src := math.Max((float64(i)+0.5)*scale-0.5, 0)
		i0 := int(math.Floor(src))
		i1 := min(i0+1, in-1)
		l := src - float64(i0)
		m[i][i0] += 1 - l
		m[i][i1] += l
	}
	return m
}

// refResize resizes a planar float64 RGB image (3 planes of sw*sh) to dw×dh
// by applying the two weight matrices directly.
func refResize(planes [3][]float64, sw, sh, dw, dh int) [3][]float64 {
	wx, wy := refAxis(sw, dw), refAxis(sh, dh)
	var out [3][]float64
	for c := range out {
		// Horizontal then vertical, each as a plain matrix product.
		tmp := make([]float64, dw*sh)
		for y := 0; y < sh; y++ {
			for x := 0; x < dw; x++ {
				s := 0.0
				for j := 0; j < sw; j++ {
					s += wx[x][j] * planes[c][y*sw+j]
				}
				tmp[y*dw+x] = s
			}
		}
		out[c] = make([]float64, dw*dh)
		for y := 0; y < dh; y++ {
			for x := 0; x < dw; x++ {
				s := 0.0
				for j := 0; j < sh; j++ {
					s += wy[y][j] * tmp[j*dw+x]
				}
				out[c][y*dw+x] = s
			}
		}
	}
	return out
}

// refTensor is the reference for ToTensor: straight RGB from At, resize,
// then (v/255 - 0.5) / 0.5, CHW.
func refTensor(img image.Image, size int) []float64 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var planes [3][]float64
	for c := range planes {
		planes[c] = make([]float64, w*h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			planes[0][y*w+x] = float64(n.R)
			planes[1][y*w+x] = float64(n.G)
			planes[2][y*w+x] = float64(n.B)
		}
	}
	r := refResize(planes, w, h, size, size)
	return append(append(r[0], r[1]...), r[2]...)
}

// tensorMatches reports whether got is the model-input value of the resized
// sample v (0–255): v rounded to a whole byte, then (v/255 − 0.5)/0.5. Where v
// lies within 1e-3 of a rounding boundary, float32 and float64 may round to
// different neighbours, and either is accepted.
func tensorMatches(got float32, v float64) bool {
	for _, r := range []float64{math.Round(v - 1e-3), math.Round(v + 1e-3)} {
		r = math.Min(math.Max(r, 0), 255)
		if math.Abs(float64(got)-(r/255-0.5)/0.5) <= 1e-6 {
			return true
		}
	}
	return false
}

// refUpsample is PyTorch's F.interpolate(mode="bilinear",
// align_corners=False) in float64, written per output pixel.
func refUpsample(src []float32, sw, sh, dw, dh int) []float64 {
	coord := func(i, in, out int) (int, int, float64) {
		s := (float64(i)+0.5)*float64(in)/float64(out) - 0.5
		if s < 0 {
			s = 0
		}
		i0 := int(math.Floor(s))
		i1 := i0 + 1
		if i1 > in-1 {
			i1 = in - 1
		}
		return i0, i1, s - float64(i0)
	}
	out := make([]float64, dw*dh)
	for y := 0; y < dh; y++ {
		y0, y1, ly := coord(y, sh, dh)
		for x := 0; x < dw; x++ {
			x0, x1, lx := coord(x, sw, dw)
			at := func(xx, yy int) float64 { return float64(src[yy*sw+xx]) }
			out[y*dw+x] = (1-ly)*((1-lx)*at(x0, y0)+lx*at(x1, y0)) +
				ly*((1-lx)*at(x0, y1)+lx*at(x1, y1))
		}
	}
	return out
}

// Test image builders.

func randNRGBA(rng *rand.Rand, w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.IntN(256))
	}
	return m
}

func randOpaqueRGBA(rng *rand.Rand, w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.IntN(256))
		if i%4 == 3 {
			m.Pix[i] = 0xFF
		}
	}
	return m
}

func randTranslucentRGBA(rng *rand.Rand, w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		a := uint8(rng.IntN(256))
		m.Pix[i+3] = a
		for c := 0; c < 3; c++ {
			m.Pix[i+c] = uint8(rng.IntN(int(a) + 1)) // premultiplied: ≤ alpha
		}
	}
	return m
}

func randYCbCr(rng *rand.Rand, r image.Rectangle, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(r, ratio)
	for _, p := range [][]byte{m.Y, m.Cb, m.Cr} {
		for i := range p {
			p[i] = uint8(rng.IntN(256))
		}
	}
	return m
}

func randNYCbCrA(rng *rand.Rand, w, h int) *image.NYCbCrA {
	m := image.NewNYCbCrA(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for _, p := range [][]byte{m.Y, m.Cb, m.Cr, m.A} {
		for i := range p {
			p[i] = uint8(rng.IntN(256))
		}
	}
	return m
}

func randGray(rng *rand.Rand, w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.IntN(256))
	}
	return m
}

func randPaletted(rng *rand.Rand, w, h int) *image.Paletted {
	pal := make(color.Palette, 7)
	for i := range pal {
		pal[i] = color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 0xFF}
	}
	m := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.IntN(len(pal)))
	}
	return m
}

func randRGBA64(rng *rand.Rand, w, h int) *image.RGBA64 {
	m := image.NewRGBA64(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint16(rng.IntN(0x10000))
			m.SetRGBA64(x, y, color.RGBA64{uint16(rng.IntN(int(a) + 1)), uint16(rng.IntN(int(a) + 1)), uint16(rng.IntN(int(a) + 1)), a})
		}
	}
	return m
}

// nrgbaAt returns img's pixel at (x, y) relative to its bounds as straight
// 8-bit RGBA, the reference conversion.
func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	b := img.Bounds()
	return color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
}
