package imaging

import (
	"encoding/binary"
	"image"
	"image/color"
)

// rowSource yields the rows of an image as 8-bit bytes, bpp bytes per pixel:
// R, G, B (and, when bpp is 4, a straight alpha that the resizer ignores).
// row may return a view of the source or fill and return scratch, which has
// room for w*bpp bytes. It is safe to call from several goroutines as long as
// each passes its own scratch.
type rowSource struct {
	w, h int
	bpp  int
	row  func(y int, scratch []byte) []byte
}

// rgbSource wraps an interleaved RGB byte buffer (for example an ffmpeg
// rgb24 frame) without copying it.
func rgbSource(rgb []byte, w, h int) rowSource {
	stride := 3 * w
	return rowSource{w: w, h: h, bpp: 3, row: func(y int, _ []byte) []byte {
		return rgb[y*stride : (y+1)*stride]
	}}
}

// imageSource returns straight (non-premultiplied) RGBA rows of img, with
// fast paths for the types the standard decoders produce so that the hot
// loops never go through the color.Color interface.
func imageSource(img image.Image) rowSource {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := rowSource{w: w, h: h, bpp: 4}
	switch m := img.(type) {
	case *image.NRGBA:
		src.row = func(y int, _ []byte) []byte {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			return m.Pix[i : i+4*w]
		}
	case *image.RGBA:
		src.row = func(y int, s []byte) []byte {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			unpremultiply(s[:4*w], m.Pix[i:i+4*w])
			return s[:4*w]
		}
	case *image.YCbCr:
		if hs, ok := chromaShift(m.SubsampleRatio); ok && b.Min.X >= 0 {
			src.row = func(y int, s []byte) []byte {
				ycbcrRow(s[:4*w], m, nil, 0, b.Min.Y+y, hs)
				return s[:4*w]
			}
		}
	case *image.NYCbCrA:
		if hs, ok := chromaShift(m.SubsampleRatio); ok && b.Min.X >= 0 {
			src.row = func(y int, s []byte) []byte {
				yy := b.Min.Y + y
				ycbcrRow(s[:4*w], &m.YCbCr, m.A, m.AOffset(b.Min.X, yy), yy, hs)
				return s[:4*w]
			}
		}
	case *image.Gray:
		src.row = func(y int, s []byte) []byte {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			d := s[:4*w]
			for x, v := range m.Pix[i : i+w] {
				p := d[4*x : 4*x+4 : 4*x+4]
				p[0], p[1], p[2], p[3] = v, v, v, 0xFF
			}
			return d
		}
	case *image.Paletted:
		var lut [256][4]byte // missing entries read as opaque black
		for i := range lut {
			lut[i][3] = 0xFF
		}
		for i, c := range m.Palette {
			if i == len(lut) {
				break
			}
			n := color.NRGBAModel.Convert(c).(color.NRGBA)
			lut[i] = [4]byte{n.R, n.G, n.B, n.A}
		}
		src.row = func(y int, s []byte) []byte {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			d := s[:4*w]
			for x, v := range m.Pix[i : i+w] {
				copy(d[4*x:4*x+4], lut[v][:])
			}
			return d
		}
	}
	if src.row == nil {
		src.row = genericRow(img, b)
	}
	return src
}

// genericRow reads any image through RGBA64At (or At) and converts to
// straight 8-bit RGBA exactly like color.NRGBAModel.
func genericRow(img image.Image, b image.Rectangle) func(y int, s []byte) []byte {
	w := b.Dx()
	m64, _ := img.(image.RGBA64Image)
	return func(y int, s []byte) []byte {
		d := s[:4*w]
		yy := b.Min.Y + y
		for x := 0; x < w; x++ {
			var r, g, bl, a uint32
			if m64 != nil {
				c := m64.RGBA64At(b.Min.X+x, yy)
				r, g, bl, a = uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
			} else {
				r, g, bl, a = img.At(b.Min.X+x, yy).RGBA()
			}
			switch a {
			case 0xFFFF:
			case 0:
				r, g, bl = 0, 0, 0
			default:
				r, g, bl = r*0xFFFF/a, g*0xFFFF/a, bl*0xFFFF/a
			}
			p := d[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = uint8(r>>8), uint8(g>>8), uint8(bl>>8), uint8(a>>8)
		}
		return d
	}
}

// unpremultiply converts premultiplied RGBA bytes to straight RGBA with the
// same arithmetic as color.NRGBAModel.
func unpremultiply(dst, src []byte) {
	for i := 0; i+3 < len(src) && i+3 < len(dst); i += 4 {
		s := src[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		switch a := uint32(s[3]); a {
		case 0xFF:
			d[0], d[1], d[2], d[3] = s[0], s[1], s[2], 0xFF
		case 0:
			d[0], d[1], d[2], d[3] = 0, 0, 0, 0
		default:
			d[0] = uint8(uint32(s[0]) * 0xFFFF / a >> 8)
			d[1] = uint8(uint32(s[1]) * 0xFFFF / a >> 8)
			d[2] = uint8(uint32(s[2]) * 0xFFFF / a >> 8)
			d[3] = uint8(a)
		}
	}
}

// chromaShift returns log2 of the horizontal chroma subsampling factor.
func chromaShift(r image.YCbCrSubsampleRatio) (uint, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio440:
		return 0, true
	case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
		return 1, true
	case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
		return 2, true
	}
	return 0, false
}

// ycbcrRow converts row yy of m to RGBA bytes with the integer arithmetic of
// color.YCbCrToRGB, so results equal m.At exactly. alpha, when not nil, is
// the alpha plane of an NYCbCrA image and ai the offset of the row's first
// pixel in it; otherwise the row is opaque. The caller guarantees
// m.Rect.Min.X >= 0 so that x>>hs equals the x/2^hs of COffset.
func ycbcrRow(d []byte, m *image.YCbCr, alpha []byte, ai, yy int, hs uint) {
	x0 := m.Rect.Min.X
	w := len(d) / 4
	ys := m.Y[m.YOffset(x0, yy):][:w]
	cbase := m.COffset(x0, yy) - x0>>hs
	var as []byte
	if alpha != nil {
		as = alpha[ai:][:w]
	}
	lastCi := -1
	var rc, gc, bc int32 // chroma terms, shared by the pixels of a chroma sample
	for i, yv := range ys {
		if ci := cbase + (x0+i)>>hs; ci != lastCi {
			cb1 := int32(m.Cb[ci]) - 128
			cr1 := int32(m.Cr[ci]) - 128
			rc, gc, bc = 91881*cr1, -22554*cb1-46802*cr1, 116130*cb1
			lastCi = ci
		}
		// Same values as color.YCbCrToRGB: the arithmetic shift and clamp
		// equal its branchy "^(r >> 31)" saturation, without branches.
		yy1 := int32(yv) * 0x10101
		r := min(max((yy1+rc)>>16, 0), 255)
		g := min(max((yy1+gc)>>16, 0), 255)
		b := min(max((yy1+bc)>>16, 0), 255)
		a := uint32(0xFF)
		if as != nil {
			a = uint32(as[i])
		}
		binary.LittleEndian.PutUint32(d[4*i:], uint32(r)|uint32(g)<<8|uint32(b)<<16|a<<24)
	}
}
