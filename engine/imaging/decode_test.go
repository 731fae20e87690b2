package imaging_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/bmp"

	"github.com/samwise-app/samwise/engine/imaging"
)

func encodeWith(t testing.TB, enc func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeFormats(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	rgb := randOpaqueRGBA(rng, 7, 5)
	pal := randPaletted(rng, 7, 5)
	tests := []struct {
		name   string
		data   []byte
		format string
		want   image.Image // exact pixels expected, nil to check size only
	}{
		{"png rgba", encodeWith(t, func(b *bytes.Buffer) error { return png.Encode(b, rgb) }), "png", rgb},
		{"png paletted", encodeWith(t, func(b *bytes.Buffer) error { return png.Encode(b, pal) }), "png", pal},
		{"gif", encodeWith(t, func(b *bytes.Buffer) error { return gif.Encode(b, pal, nil) }), "gif", pal},
		{"bmp", encodeWith(t, func(b *bytes.Buffer) error { return bmp.Encode(b, rgb) }), "bmp", rgb},
		{"jpeg", encodeJPEG(t, rgb), "jpeg", nil},
		{"webp", webpFile(vp8lChunk(7, 5, nil)), "webp", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, format, err := imaging.Decode(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if format != tc.format {
				t.Fatalf("format %q, want %q", format, tc.format)
			}
			if got := img.Bounds().Size(); got != image.Pt(7, 5) {
				t.Fatalf("size %v, want 7x5", got)
			}
			w, h, format, err := imaging.DecodeConfig(tc.data)
			if err != nil || w != 7 || h != 5 || format != tc.format {
				t.Fatalf("DecodeConfig = %d, %d, %q, %v", w, h, format, err)
			}
			if tc.want == nil {
				return
			}
			for y := 0; y < 5; y++ {
				for x := 0; x < 7; x++ {
					if got, want := nrgbaAt(img, x, y), nrgbaAt(tc.want, x, y); got != want {
						t.Fatalf("(%d,%d) = %v, want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

// A GIF whose first frame covers part of the logical screen decodes to the
// screen size, as DecodeConfig reports.
func TestDecodeGIFFrameSmallerThanScreen(t *testing.T) {
	frame := image.NewPaletted(image.Rect(2, 1, 5, 3), color.Palette{color.Black, color.White})
	for i := range frame.Pix {
		frame.Pix[i] = 1
	}
	data := encodeWith(t, func(b *bytes.Buffer) error {
		return gif.EncodeAll(b, &gif.GIF{
			Image: []*image.Paletted{frame}, Delay: []int{0},
			Config: image.Config{ColorModel: frame.Palette, Width: 8, Height: 6},
		})
	})
	img, _, err := imaging.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	w, h, _, err := imaging.DecodeConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, w, h) || w != 8 || h != 6 {
		t.Fatalf("bounds %v, DecodeConfig %d×%d; want 8×6 at the origin", got, w, h)
	}
	if c := nrgbaAt(img, 3, 2); c != (color.NRGBA{255, 255, 255, 255}) {
		t.Fatalf("frame pixel = %v, want white", c)
	}
	if c := nrgbaAt(img, 0, 0); c.A != 0 {
		t.Fatalf("pixel outside the frame = %v, want transparent", c)
	}
}

// pngHeader returns the signature and a valid IHDR chunk for a w×h 8-bit RGB
// image: enough for DecodeConfig, no pixel data.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

func TestDecodeRejectsHugeImages(t *testing.T) {
	data := pngHeader(20000, 10000)
	w, h, format, err := imaging.DecodeConfig(data)
	if err != nil || w != 20000 || h != 10000 || format != "png" {
		t.Fatalf("DecodeConfig = %d, %d, %q, %v", w, h, format, err)
	}
	_, _, err = imaging.Decode(data)
	if !errors.Is(err, imaging.ErrTooLarge) {
		t.Fatalf("Decode error %v, want ErrTooLarge", err)
	}
	if want := "image is 200000000 pixels (20000×10000); the limit is 100000000"; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
	if _, _, err := imaging.DecodeLimit(pngHeader(100, 100), 9999); !errors.Is(err, imaging.ErrTooLarge) {
		t.Fatalf("DecodeLimit below the image size: %v, want ErrTooLarge", err)
	}
	// Under the limit the header alone is not an image: a plain decode error.
	if _, _, err := imaging.DecodeLimit(pngHeader(100, 100), 10000); err == nil || errors.Is(err, imaging.ErrTooLarge) {
		t.Fatalf("DecodeLimit at the image size: %v, want a decode error", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "is not a JPEG, PNG, WebP, GIF or BMP image"},
		{"text", []byte("hello, world"), "is not a JPEG, PNG, WebP, GIF or BMP image"},
		{"tiff", []byte("II*\x00\x08\x00\x00\x00"), "is not a JPEG"},
		{"truncated jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, "jpeg"},
		{"truncated png", []byte("\x89PNG\r\n\x1a\n\x00"), "png"},
		{"zero-size png", pngHeader(0, 5), "png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, _, err := imaging.Decode(tc.data)
			if err == nil || img != nil {
				t.Fatalf("Decode = %v, %v; want an error", img, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
			if _, _, _, err := imaging.DecodeConfig(tc.data); err == nil && tc.name != "zero-size png" {
				t.Fatal("DecodeConfig: no error")
			}
		})
	}
	if _, _, err := imaging.Decode([]byte("GIF89a")); err == nil {
		t.Fatal("truncated GIF decoded")
	}
	if _, _, err := imaging.Decode([]byte("nope")); !errors.Is(err, imaging.ErrUnknownFormat) {
		t.Fatalf("error %v does not wrap ErrUnknownFormat", err)
	}
}

func TestDecodeRealPhoto(t *testing.T) {
	data, err := os.ReadFile("testdata/truck.jpg")
	if err != nil {
		t.Fatal(err)
	}
	w, h, format, err := imaging.DecodeConfig(data)
	if err != nil || format != "jpeg" {
		t.Fatalf("DecodeConfig: %v, %q", err, format)
	}
	img, format, err := imaging.Decode(data)
	if err != nil || format != "jpeg" {
		t.Fatalf("Decode: %v, %q", err, format)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, w, h) {
		t.Fatalf("decoded bounds %v, DecodeConfig says %d×%d", got, w, h)
	}
	if w != 1800 || h != 1200 {
		t.Fatalf("truck.jpg is %d×%d, want 1800×1200", w, h)
	}
	tensor := imaging.ToTensor(img, 1008, nil)
	var sum float64
	for _, v := range tensor {
		if v < -1 || v > 1 {
			t.Fatalf("tensor value %v outside [-1, 1]", v)
		}
		sum += float64(v)
	}
	if mean := sum / float64(len(tensor)); mean < -0.9 || mean > 0.9 {
		t.Fatalf("implausible tensor mean %v for a photo", mean)
	}
}

func FuzzDecode(f *testing.F) {
	rng := rand.New(rand.NewPCG(43, 44))
	rgb := randOpaqueRGBA(rng, 6, 4)
	pal := randPaletted(rng, 6, 4)
	f.Add(encodeWith(f, func(b *bytes.Buffer) error { return png.Encode(b, rgb) }))
	f.Add(encodeWith(f, func(b *bytes.Buffer) error { return gif.Encode(b, pal, nil) }))
	f.Add(encodeWith(f, func(b *bytes.Buffer) error { return bmp.Encode(b, rgb) }))
	f.Add(withSegments(encodeJPEG(f, rgb), exifAPP1(binary.LittleEndian, 6)))
	f.Add(webpFile(vp8xChunk(6, 4), vp8lChunk(6, 4, []bool{true, false, true}), webpExif(tiffBody(binary.BigEndian, 3, 1, 8))))
	f.Add(pngHeader(20000, 10000))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A modest limit keeps the fuzzer fast; Decode only differs in it.
		img, _, err := imaging.DecodeLimit(data, 1<<20)
		w, h, _, cerr := imaging.DecodeConfig(data)
		if err != nil {
			if img != nil {
				t.Fatal("image returned with an error")
			}
			return
		}
		if cerr != nil {
			t.Fatalf("Decode succeeded but DecodeConfig failed: %v", cerr)
		}
		if got := img.Bounds().Size(); got != image.Pt(w, h) {
			t.Fatalf("decoded size %v, DecodeConfig %d×%d", got, w, h)
		}
	})
}
