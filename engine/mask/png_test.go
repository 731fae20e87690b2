package mask_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

func TestPNGRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, m := range []*mask.Mask{parse("#"), parse("#..", ".#."), noise(rng, 37, 19, 0.5), blobs(rng, 120, 80, 3)} {
		data, err := m.PNG()
		if err != nil {
			t.Fatalf("PNG: %v", err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("png.Decode: %v", err)
		}
		gray, ok := img.(*image.Gray)
		if !ok {
			t.Fatalf("PNG decodes to %T, want *image.Gray", img)
		}
		if gray.Bounds() != image.Rect(0, 0, m.W, m.H) {
			t.Fatalf("bounds %v", gray.Bounds())
		}
		for y := 0; y < m.H; y++ {
			for x := 0; x < m.W; x++ {
				want := uint8(0)
				if m.At(x, y) {
					want = 255
				}
				if got := gray.GrayAt(x, y).Y; got != want {
					t.Fatalf("pixel (%d,%d) = %d, want %d", x, y, got, want)
				}
			}
		}
		back, err := mask.FromPNG(data, m.W, m.H)
		if err != nil {
			t.Fatalf("FromPNG: %v", err)
		}
		requireEqual(t, back, m)
	}
}

func TestPNGEmptyMask(t *testing.T) {
	if _, err := mask.New(0, 3).PNG(); err == nil {
		t.Error("PNG of a mask without pixels succeeded")
	}
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFromPNGColourModels(t *testing.T) {
	want := parse("#.", ".#")

	gray := image.NewGray(image.Rect(0, 0, 2, 2))
	gray.Pix = []byte{1, 0, 0, 200}

	nrgba := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	nrgba.SetNRGBA(0, 0, color.NRGBA{R: 255, A: 255})     // red: set
	nrgba.SetNRGBA(1, 0, color.NRGBA{A: 255})             // opaque black: unset
	nrgba.SetNRGBA(0, 1, color.NRGBA{R: 255, G: 255})     // transparent: unset
	nrgba.SetNRGBA(1, 1, color.NRGBA{G: 9, B: 200, A: 9}) // faint: set

	pal := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White, color.Transparent})
	pal.Pix = []byte{1, 0, 2, 1}

	gray16 := image.NewGray16(image.Rect(0, 0, 2, 2))
	gray16.SetGray16(0, 0, color.Gray16{Y: 1})
	gray16.SetGray16(1, 1, color.Gray16{Y: 0xffff})

	for name, img := range map[string]image.Image{"gray": gray, "nrgba": nrgba, "paletted": pal, "gray16": gray16} {
		got, err := mask.FromPNG(encodePNG(t, img), 2, 2)
		if err != nil {
			t.Errorf("%s: FromPNG: %v", name, err)
			continue
		}
		if !equal(got, want) {
			t.Errorf("%s: FromPNG =\n%swant\n%s", name, format(got), format(want))
		}
	}
}

func TestFromPNGErrors(t *testing.T) {
	data := encodePNG(t, image.NewGray(image.Rect(0, 0, 3, 2)))
	tests := []struct {
		name string
		data []byte
		w, h int
	}{
		{"width differs", data, 2, 2},
		{"height differs", data, 3, 3},
		{"transposed", data, 2, 3},
		{"not a PNG", []byte("GIF89a...."), 3, 2},
		{"truncated", data[:len(data)/2], 3, 2},
		{"empty", nil, 3, 2},
		{"bad size", data, -3, 2},
	}
	for _, tt := range tests {
		if m, err := mask.FromPNG(tt.data, tt.w, tt.h); err == nil {
			t.Errorf("%s: FromPNG = %v, want an error", tt.name, m)
		}
	}
}

func TestOverlay(t *testing.T) {
	a := rect(5, 5, 0, 0, 3, 3) // 3x3 square: (1,1) is its only interior pixel
	b := parse(
		".....",
		".....",
		".....",
		"....#",
		".....",
	)
	red := color.NRGBA{R: 200, G: 100, B: 50, A: 7} // the colour's own alpha is ignored
	blue := color.NRGBA{B: 255, A: 255}
	img := mask.Overlay(5, 4, []*mask.Mask{a, nil, b}, []color.NRGBA{red, blue, {G: 250}}, 128)
	if img.Bounds() != image.Rect(0, 0, 5, 4) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	tests := []struct {
		x, y int
		want color.NRGBA
	}{
		{1, 1, color.NRGBA{R: 200, G: 100, B: 50, A: 128}}, // interior of a
		{0, 0, color.NRGBA{R: 120, G: 60, B: 30, A: 255}},  // outline of a, darker
		{2, 1, color.NRGBA{R: 120, G: 60, B: 30, A: 255}},
		{3, 3, color.NRGBA{}},               // background
		{4, 3, color.NRGBA{G: 150, A: 255}}, // b uses the third colour; outline
		{4, 0, color.NRGBA{}},               // background
		{0, 3, color.NRGBA{}},               // background
		{1, 2, color.NRGBA{R: 120, G: 60, B: 30, A: 255}},
	}
	for _, tt := range tests {
		if got := img.NRGBAAt(tt.x, tt.y); got != tt.want {
			t.Errorf("pixel (%d,%d) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestOverlayDefaultsAndOrder(t *testing.T) {
	full := rect(3, 3, 0, 0, 3, 3)
	centre := parse("...", ".#.", "...")
	img := mask.Overlay(3, 3, []*mask.Mask{full, centre}, nil, 255)
	first, second := img.NRGBAAt(1, 1), img.NRGBAAt(0, 0)
	if first.A != 255 || second.A != 255 || first == second {
		t.Errorf("default palette: later mask %v should cover the earlier %v in another colour", first, second)
	}
	if got := mask.Overlay(-1, 2, nil, nil, 9).Bounds(); got != image.Rect(0, 0, 0, 2) {
		t.Errorf("negative width: bounds %v", got)
	}
}
