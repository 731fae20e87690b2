package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"
)

// DefaultMaxPixels is the largest image, in pixels (width × height), that
// [Decode] accepts: 100 megapixels, about 400 MB once decoded.
const DefaultMaxPixels = 100_000_000

// ErrTooLarge is wrapped by the error [DecodeLimit] returns for an image with
// more pixels than allowed, so callers can tell it apart with errors.Is.
var ErrTooLarge = errors.New("image too large")

// ErrUnknownFormat is wrapped by the errors of [Decode] and [DecodeConfig]
// for data that is not one of the supported formats.
var ErrUnknownFormat = errors.New("unknown image format")

// codec is one supported format.
type codec struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
	exif   bool // whether the container can carry an EXIF orientation
}

var (
	jpegCodec = codec{"jpeg", jpeg.DecodeConfig, jpeg.Decode, true}
	pngCodec  = codec{"png", png.DecodeConfig, png.Decode, false}
	gifCodec  = codec{"gif", gif.DecodeConfig, gif.Decode, false}
	webpCodec = codec{"webp", webp.DecodeConfig, webp.Decode, true}
	bmpCodec  = codec{"bmp", bmp.DecodeConfig, bmp.Decode, false}
)

// sniff picks the codec from the data's magic bytes. Choosing it here rather
// than through image.Decode keeps the set of formats fixed, whatever other
// packages register.
func sniff(data []byte) (codec, error) {
	switch {
	case isJPEG(data):
		return jpegCodec, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return pngCodec, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return gifCodec, nil
	case isWebP(data):
		return webpCodec, nil
	case bytes.HasPrefix(data, []byte("BM")):
		return bmpCodec, nil
	}
	head := data[:min(len(data), 8)]
	return codec{}, fmt.Errorf("imaging: data starting with % x is not a JPEG, PNG, WebP, GIF or BMP image; convert it to one of those: %w", head, ErrUnknownFormat)
}

// Decode decodes a JPEG, PNG, WebP, GIF (first frame) or BMP image and
// returns it upright, with the EXIF orientation of JPEG and WebP files
// applied (see [Orient]), together with the format name ("jpeg", "png",
// "webp", "gif" or "bmp"). Images over [DefaultMaxPixels] are rejected from
// their header, before any pixel memory is allocated; use [DecodeLimit] for
// another limit. Decode never panics on malformed data.
func Decode(data []byte) (image.Image, string, error) {
	return DecodeLimit(data, DefaultMaxPixels)
}

// DecodeLimit is [Decode] with maxPixels instead of [DefaultMaxPixels] as the
// largest accepted width × height (0 or less rejects every image); its error
// for a larger image wraps [ErrTooLarge].
func DecodeLimit(data []byte, maxPixels int64) (img image.Image, format string, err error) {
	c, err := sniff(data)
	if err != nil {
		return nil, "", err
	}
	defer func() { // third-party decoders must not take the caller down
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("imaging: the %s decoder failed on malformed data: %v", c.name, p)
		}
	}()
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return nil, c.name, fmt.Errorf("imaging: reading the %s header: %w", c.name, err)
	}
	if err := checkPixels(cfg.Width, cfg.Height, maxPixels); err != nil {
		return nil, c.name, err
	}
	img, err = c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, c.name, fmt.Errorf("imaging: decoding %s: %w", c.name, err)
	}
	if c.name == "gif" {
		img = gifCanvas(img, cfg)
	}
	if c.exif {
		img = Orient(img, Orientation(data))
	}
	return img, c.name, nil
}

// DecodeConfig returns the upright width and height (swapped for EXIF
// orientations 5–8) and the format name of an encoded image, reading only
// its headers. It does not apply a pixel limit.
func DecodeConfig(data []byte) (w, h int, format string, err error) {
	c, err := sniff(data)
	if err != nil {
		return 0, 0, "", err
	}
	defer func() {
		if p := recover(); p != nil {
			w, h, err = 0, 0, fmt.Errorf("imaging: the %s decoder failed on malformed data: %v", c.name, p)
		}
	}()
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return 0, 0, c.name, fmt.Errorf("imaging: reading the %s header: %w", c.name, err)
	}
	w, h = cfg.Width, cfg.Height
	if c.exif && Orientation(data) >= 5 {
		w, h = h, w
	}
	return w, h, c.name, nil
}

// checkPixels rejects empty images and images over the pixel limit.
func checkPixels(w, h int, maxPixels int64) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("imaging: the header declares a %d×%d image; the file is corrupt", w, h)
	}
	if n := int64(w) * int64(h); n > maxPixels {
		return fmt.Errorf("imaging: image is %d pixels (%d×%d); the limit is %d — downscale it before loading: %w",
			n, w, h, maxPixels, ErrTooLarge)
	}
	return nil
}

// gifCanvas places a GIF's first frame on the logical screen when the frame
// covers only part of it, so the decoded size matches DecodeConfig. Pixels
// outside the frame are transparent.
func gifCanvas(img image.Image, cfg image.Config) image.Image {
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	if img.Bounds() == screen {
		return img
	}
	canvas := image.NewNRGBA(screen)
	draw.Draw(canvas, img.Bounds().Intersect(screen), img, img.Bounds().Intersect(screen).Min, draw.Src)
	return canvas
}
