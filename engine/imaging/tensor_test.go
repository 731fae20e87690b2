package imaging_test

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/samwise-app/samwise/engine/imaging"
)

func TestToTensorMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	nyc := randNYCbCrA(rng, 40, 30)
	tests := []struct {
		name string
		img  image.Image
		size int
		ref  image.Image // source for the reference when not img
	}{
		{"nrgba down 97x61 to 32", randNRGBA(rng, 97, 61), 32, nil},
		{"nrgba down 400x300 to 101", randNRGBA(rng, 400, 300), 101, nil},
		{"nrgba up 13x7 to 32", randNRGBA(rng, 13, 7), 32, nil},
		{"nrgba mixed 50x10 to 20", randNRGBA(rng, 50, 10), 20, nil},
		{"nrgba 1x1 to 5", randNRGBA(rng, 1, 1), 5, nil},
		{"nrgba to 1", randNRGBA(rng, 9, 4), 1, nil},
		{"nrgba exact 4x", randNRGBA(rng, 64, 64), 16, nil},
		{"rgba opaque", randOpaqueRGBA(rng, 45, 33), 17, nil},
		{"rgba translucent", randTranslucentRGBA(rng, 45, 33), 17, nil},
		{"ycbcr 420", randYCbCr(rng, image.Rect(0, 0, 61, 47), image.YCbCrSubsampleRatio420), 24, nil},
		{"ycbcr 422", randYCbCr(rng, image.Rect(0, 0, 61, 47), image.YCbCrSubsampleRatio422), 24, nil},
		{"ycbcr 444", randYCbCr(rng, image.Rect(0, 0, 61, 47), image.YCbCrSubsampleRatio444), 24, nil},
		{"ycbcr 440", randYCbCr(rng, image.Rect(0, 0, 61, 47), image.YCbCrSubsampleRatio440), 24, nil},
		{"ycbcr 411", randYCbCr(rng, image.Rect(0, 0, 61, 47), image.YCbCrSubsampleRatio411), 24, nil},
		{"ycbcr 410", randYCbCr(rng, image.Rect(0, 0, 61, 47), image.YCbCrSubsampleRatio410), 24, nil},
		{"ycbcr odd origin", randYCbCr(rng, image.Rect(3, 5, 64, 52), image.YCbCrSubsampleRatio420), 24, nil},
		{"ycbcr negative origin", randYCbCr(rng, image.Rect(-3, -5, 58, 42), image.YCbCrSubsampleRatio420), 24, nil},
		{"ycbcr sub-image", randYCbCr(rng, image.Rect(0, 0, 80, 60), image.YCbCrSubsampleRatio420).SubImage(image.Rect(7, 9, 70, 51)), 24, nil},
		{"nycbcra", nyc, 24, &nyc.YCbCr}, // straight colour is the YCbCr part
		{"gray", randGray(rng, 40, 30), 24, nil},
		{"paletted", randPaletted(rng, 40, 30), 24, nil},
		{"rgba64 generic", randRGBA64(rng, 40, 30), 24, nil},
		{"nrgba sub-image", randNRGBA(rng, 50, 40).SubImage(image.Rect(5, 3, 45, 33)), 24, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := imaging.ToTensor(tc.img, tc.size, nil)
			ref := tc.ref
			if ref == nil {
				ref = tc.img
			}
			want := refTensor(ref, tc.size)
			if len(got) != len(want) {
				t.Fatalf("len %d, want %d", len(got), len(want))
			}
			for i := range got {
				if !tensorMatches(got[i], want[i]) {
					t.Fatalf("element %d (c=%d y=%d x=%d): got %v for a resized value of %.4f", i,
						i/(tc.size*tc.size), i/tc.size%tc.size, i%tc.size, got[i], want[i])
				}
			}
		})
	}
}

func TestToTensorIdentityIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, img := range []image.Image{
		randNRGBA(rng, 17, 17),
		randYCbCr(rng, image.Rect(0, 0, 17, 17), image.YCbCrSubsampleRatio420),
		randGray(rng, 17, 17),
	} {
		got := imaging.ToTensor(img, 17, nil)
		for y := 0; y < 17; y++ {
			for x := 0; x < 17; x++ {
				n := nrgbaAt(img, x, y)
				for c, v := range []uint8{n.R, n.G, n.B} {
					want := (float32(v)/255 - 0.5) / 0.5
					if g := got[c*17*17+y*17+x]; g != want {
						t.Fatalf("%T (%d,%d) channel %d: got %v, want exactly %v", img, x, y, c, g, want)
					}
				}
			}
		}
	}
}

func TestToTensorRangeConstantAndChannelOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		name    string
		w, h    int
		size    int
		r, g, b uint8
	}{
		{"down", 301, 173, 64, 255, 0, 128},
		{"up", 7, 5, 64, 10, 200, 30},
		{"identity", 8, 8, 8, 1, 2, 254},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := image.NewNRGBA(image.Rect(0, 0, tc.w, tc.h))
			for i := 0; i < len(m.Pix); i += 4 {
				m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = tc.r, tc.g, tc.b, uint8(rng.IntN(256))
			}
			got := imaging.ToTensor(m, tc.size, nil)
			plane := tc.size * tc.size
			for c, v := range []uint8{tc.r, tc.g, tc.b} {
				want := float64(v)/127.5 - 1
				for i, g := range got[c*plane : (c+1)*plane] {
					if math.Abs(float64(g)-want) > 1e-6 {
						t.Fatalf("plane %d element %d = %v, want %v (planes must be R, G, B; alpha ignored)", c, i, g, want)
					}
				}
			}
		})
	}
	for _, size := range []int{1, 33, 250, 1008} {
		img := randNRGBA(rng, 1231, 777)
		for i := range img.Pix {
			img.Pix[i] &= 0x80
			img.Pix[i] |= img.Pix[i] >> 1 >> 1 >> 1 >> 1 >> 1 >> 1 >> 1 * 0x7F // 0 or 255 only
		}
		got := imaging.ToTensor(img, size, nil)
		for i, v := range got {
			if !(v >= -1 && v <= 1) {
				t.Fatalf("size %d: element %d = %v is outside [-1, 1]", size, i, v)
			}
		}
	}
}

func TestToTensorReusesDst(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	img := randNRGBA(rng, 30, 20)
	dst := make([]float32, 3*16*16)
	got := imaging.ToTensor(img, 16, dst)
	if &got[0] != &dst[0] {
		t.Fatal("ToTensor did not write into the dst it was given")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("ToTensor with a dst of the wrong length did not panic")
		}
	}()
	imaging.ToTensor(img, 16, make([]float32, 10))
}

func TestRGBToTensor(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct{ w, h, size int }{{64, 36, 32}, {16, 9, 50}, {1, 1, 3}, {640, 360, 112}} {
		t.Run(fmt.Sprintf("%dx%d to %d", tc.w, tc.h, tc.size), func(t *testing.T) {
			img := randNRGBA(rng, tc.w, tc.h)
			rgb := make([]byte, 0, 3*tc.w*tc.h)
			for i := 0; i < len(img.Pix); i += 4 {
				img.Pix[i+3] = 0xFF
				rgb = append(rgb, img.Pix[i:i+3]...)
			}
			got := imaging.RGBToTensor(rgb, tc.w, tc.h, tc.size, nil)
			same := imaging.ToTensor(img, tc.size, nil)
			want := refTensor(img, tc.size)
			for i := range got {
				if got[i] != same[i] {
					t.Fatalf("element %d: RGBToTensor %v != ToTensor %v", i, got[i], same[i])
				}
				if !tensorMatches(got[i], want[i]) {
					t.Fatalf("element %d: got %v for a resized value of %.4f", i, got[i], want[i])
				}
			}
		})
	}
}

func TestResizeRGB(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct{ sw, sh, dw, dh int }{{80, 45, 32, 18}, {10, 6, 33, 20}, {50, 50, 50, 50}, {7, 100, 21, 9}} {
		t.Run(fmt.Sprintf("%dx%d to %dx%d", tc.sw, tc.sh, tc.dw, tc.dh), func(t *testing.T) {
			src := make([]byte, 3*tc.sw*tc.sh)
			var planes [3][]float64
			for c := range planes {
				planes[c] = make([]float64, tc.sw*tc.sh)
			}
			for i := range src {
				src[i] = uint8(rng.IntN(256))
				planes[i%3][i/3] = float64(src[i])
			}
			got := imaging.ResizeRGB(src, tc.sw, tc.sh, tc.dw, tc.dh)
			want := refResize(planes, tc.sw, tc.sh, tc.dw, tc.dh)
			if len(got) != 3*tc.dw*tc.dh {
				t.Fatalf("len %d, want %d", len(got), 3*tc.dw*tc.dh)
			}
			for i, g := range got {
				if d := math.Abs(float64(g) - want[i%3][i/3]); d > 0.5001 {
					t.Fatalf("byte %d = %d, want %.3f rounded", i, g, want[i%3][i/3])
				}
			}
		})
	}
}

// Resize of a decoded image gives what ResizeRGB gives for its pixels, from
// any of the image types the decoders produce.
func TestResizeImage(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const sw, sh, dw, dh = 90, 60, 32, 21
	rgb := make([]byte, 3*sw*sh)
	nrgba := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for i := range sw * sh {
		for c := range 3 {
			rgb[3*i+c] = uint8(rng.IntN(256))
			nrgba.Pix[4*i+c] = rgb[3*i+c]
		}
		nrgba.Pix[4*i+3] = 255
	}
	want := imaging.ResizeRGB(rgb, sw, sh, dw, dh)
	rgba := image.NewRGBA(nrgba.Rect)
	copy(rgba.Pix, nrgba.Pix) // opaque: premultiplied is the same
	for name, img := range map[string]image.Image{"nrgba": nrgba, "rgba": rgba} {
		got := imaging.Resize(img, dw, dh)
		if got.Rect.Dx() != dw || got.Rect.Dy() != dh {
			t.Fatalf("%s: %v", name, got.Rect)
		}
		for i := range dw * dh {
			if p := got.Pix[4*i : 4*i+4]; p[0] != want[3*i] || p[1] != want[3*i+1] || p[2] != want[3*i+2] || p[3] != 255 {
				t.Fatalf("%s: pixel %d = %v, want %v", name, i, p, want[3*i:3*i+3])
			}
		}
	}
}

func TestResizePanicsOnBadInput(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"short rgb", func() { imaging.RGBToTensor(make([]byte, 5), 2, 2, 4, nil) }},
		{"zero width", func() { imaging.RGBToTensor(nil, 0, 2, 4, nil) }},
		{"zero size", func() { imaging.RGBToTensor(make([]byte, 12), 2, 2, 0, nil) }},
		{"empty image", func() { imaging.ToTensor(image.NewNRGBA(image.Rect(0, 0, 0, 0)), 4, nil) }},
		{"resize to zero", func() { imaging.ResizeRGB(make([]byte, 12), 2, 2, 0, 1) }},
		{"resize image to zero", func() { imaging.Resize(image.NewNRGBA(image.Rect(0, 0, 2, 2)), 1, 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tc.f()
		})
	}
}
