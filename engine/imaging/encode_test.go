package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// The RGBA fast path gives the same file as the encoder's own NRGBA path
// for an opaque picture, and a picture with transparency is left to it.
func TestEncodeJPEGMatchesTheEncoder(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 24))
	for y := range 24 {
		for x := range 40 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 6), uint8(y * 10), uint8(x * y), 255})
		}
	}
	for _, alpha := range []uint8{255, 128} {
		img.Pix[3] = alpha
		var got, want bytes.Buffer
		if err := EncodeJPEG(&got, img, 90); err != nil {
			t.Fatal(err)
		}
		jpeg.Encode(&want, img, &jpeg.Options{Quality: 90})
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("alpha %d: the file differs from image/jpeg's", alpha)
		}
	}
}

func BenchmarkEncodeJPEG720p(b *testing.B) {
	img := image.NewNRGBA(image.Rect(0, 0, 1280, 720))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	for _, c := range []struct {
		name   string
		encode func(*bytes.Buffer) error
	}{
		{"image/jpeg NRGBA", func(w *bytes.Buffer) error { return jpeg.Encode(w, img, &jpeg.Options{Quality: 95}) }},
		{"EncodeJPEG", func(w *bytes.Buffer) error { return EncodeJPEG(w, img, 95) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := c.encode(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
