package mask

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// PNG encodes m as an 8-bit greyscale PNG with set pixels 255 and unset
// pixels 0. It fails for a mask without pixels, which PNG cannot hold.
func (m *Mask) PNG() ([]byte, error) {
	img := image.NewGray(image.Rect(0, 0, m.W, m.H))
	for i, v := range m.Pix[:m.W*m.H] {
		if v != 0 {
			img.Pix[i] = 255
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("mask: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// FromPNG decodes a w×h PNG into a mask. A pixel is set when its colour,
// premultiplied by its alpha, is not black: any non-zero grey value, and any
// visible non-black colour. It fails if the image is not a PNG of exactly
// w×h pixels.
func FromPNG(data []byte, w, h int) (*Mask, error) {
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	// Check the size before decompressing anything.
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("mask: decode PNG: %w", err)
	}
	if cfg.Width != w || cfg.Height != h {
		return nil, fmt.Errorf("mask: PNG is %dx%d, want %dx%d", cfg.Width, cfg.Height, w, h)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("mask: decode PNG: %w", err)
	}
	m := New(w, h)
	b := img.Bounds()
	switch img := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := img.Pix[y*img.Stride : y*img.Stride+w]
			out := m.Pix[y*w : (y+1)*w]
			for x, v := range row {
				if v != 0 {
					out[x] = 1
				}
			}
		}
	case *image.Paletted:
		var set [256]bool
		for i, c := range img.Palette {
			set[i] = visible(c)
		}
		for y := 0; y < h; y++ {
			row := img.Pix[y*img.Stride : y*img.Stride+w]
			out := m.Pix[y*w : (y+1)*w]
			for x, v := range row {
				if set[v] {
					out[x] = 1
				}
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if visible(img.At(b.Min.X+x, b.Min.Y+y)) {
					m.Pix[y*w+x] = 1
				}
			}
		}
	}
	return m, nil
}

// visible reports whether c, premultiplied by its alpha, is not black.
func visible(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r|g|b != 0
}

// overlayPalette colours the masks of Overlay when no colours are given.
var overlayPalette = []color.NRGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff},
	{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff},
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
}

// Overlay draws masks onto a transparent w×h image for layering over the
// photo they segment. Mask i is painted in colors[i%len(colors)] (a built-in
// palette when colors is empty) with the given alpha, the colours' own alpha
// being ignored, and its boundary pixels (set pixels with an unset or
// outside 4-neighbour) in an opaque colour 40% darker. Later masks cover
// earlier ones; nil masks are skipped and masks are clipped to w×h.
func Overlay(w, h int, masks []*Mask, colors []color.NRGBA, alpha uint8) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if len(colors) == 0 {
		colors = overlayPalette
	}
	for i, m := range masks {
		if m == nil {
			continue
		}
		c := colors[i%len(colors)]
		fill := [4]byte{c.R, c.G, c.B, alpha}
		edge := [4]byte{darken(c.R), darken(c.G), darken(c.B), 0xff}
		for y := 0; y < min(h, m.H); y++ {
			for x := 0; x < min(w, m.W); x++ {
				if m.Pix[y*m.W+x] == 0 {
					continue
				}
				px := fill
				if !m.At(x-1, y) || !m.At(x+1, y) || !m.At(x, y-1) || !m.At(x, y+1) {
					px = edge
				}
				copy(img.Pix[y*img.Stride+4*x:], px[:])
			}
		}
	}
	return img
}

func darken(v uint8) uint8 { return uint8(int(v) * 3 / 5) }
