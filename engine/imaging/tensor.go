package imaging

import (
	"fmt"
	"image"
)

// ToTensor prepares img as SAM 3 image-encoder input: it resizes img straight
// to size×size (aspect ratio not kept, no padding) with antialiased bilinear
// interpolation — matching the torchvision resize(antialias=True) of Hugging
// Face's Sam3ImageProcessorFast, and plain bilinear when upscaling — rounds
// the resized values to whole bytes as that processor does (it resizes uint8
// tensors), then writes channel-planar (CHW; R, G, B planes) float32 values
// normalised as (v/255 − 0.5) / 0.5, i.e. into [−1, 1].
//
// Colours are taken straight (non-premultiplied) and alpha is dropped, like
// PIL's convert("RGB"). dst must have length 3*size*size; when nil it is
// allocated. The result is dst. ToTensor panics if size is not positive, img
// is empty, or dst has the wrong length. Typical decoder outputs
// (*image.YCbCr, *image.NRGBA, *image.RGBA, *image.Gray, *image.Paletted)
// are read directly; other types go through RGBA64At.
func ToTensor(img image.Image, size int, dst []float32) []float32 {
	b := img.Bounds()
	if b.Empty() {
		panic(fmt.Sprintf("imaging: ToTensor of an empty image (bounds %v)", b))
	}
	return toTensor(imageSource(img), size, dst)
}

// RGBToTensor is [ToTensor] for an interleaved 8-bit RGB frame of w×h pixels
// (3*w*h bytes, such as an ffmpeg rgb24 video frame), read in place without
// copying. It panics if a size is not positive, rgb is too short, or dst has
// the wrong length.
func RGBToTensor(rgb []byte, w, h, size int, dst []float32) []float32 {
	checkRGB("RGBToTensor", rgb, w, h)
	return toTensor(rgbSource(rgb, w, h), size, dst)
}

func toTensor(src rowSource, size int, dst []float32) []float32 {
	if size <= 0 {
		panic(fmt.Sprintf("imaging: tensor size %d; it must be positive (the model's input side, e.g. 1008)", size))
	}
	plane := size * size
	dst = ensureLen("tensor", dst, 3*plane)
	resample(src, size, size, func(y int, r, g, b []float32) {
		for c, p := range [3][]float32{r, g, b} {
			out := dst[c*plane+y*size : c*plane+(y+1)*size]
			for x, v := range p[:len(out)] {
				out[x] = normalised[toByte(v)]
			}
		}
	})
	return dst
}

// normalised maps a byte to the model's input range, (v/255 − 0.5)/0.5.
var normalised = func() (t [256]float32) {
	for i := range t {
		t[i] = (float32(i)/255 - 0.5) / 0.5
	}
	return t
}()

// ensureLen returns dst, or a new slice of length n when dst is nil, and
// panics when a non-nil dst has another length.
func ensureLen[T any](what string, dst []T, n int) []T {
	if dst == nil {
		return make([]T, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("imaging: %s destination has length %d; it must be %d (or nil to allocate)", what, len(dst), n))
	}
	return dst
}
