package imaging_test

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/mask"
)

// reportPerMP adds an ns/MP metric: nanoseconds per operation divided by
// the megapixels the operation handles.
func reportPerMP(b *testing.B, pixels int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(pixels)/1e6), "ns/MP")
}

func BenchmarkToTensor4000x3000(b *testing.B) {
	// A JPEG-like source: 4:2:0 YCbCr, what Decode returns for photos.
	img := randYCbCr(rand.New(rand.NewPCG(51, 52)), image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	dst := make([]float32, 3*1008*1008)
	for b.Loop() {
		imaging.ToTensor(img, 1008, dst)
	}
	reportPerMP(b, 4000*3000)
}

func BenchmarkToTensorNRGBA4000x3000(b *testing.B) {
	img := randNRGBA(rand.New(rand.NewPCG(53, 54)), 4000, 3000)
	dst := make([]float32, 3*1008*1008)
	for b.Loop() {
		imaging.ToTensor(img, 1008, dst)
	}
	reportPerMP(b, 4000*3000)
}

func BenchmarkRGBToTensor1080p(b *testing.B) {
	rng := rand.New(rand.NewPCG(55, 56))
	rgb := make([]byte, 3*1920*1080)
	for i := range rgb {
		rgb[i] = uint8(rng.IntN(256))
	}
	dst := make([]float32, 3*1008*1008)
	for b.Loop() {
		imaging.RGBToTensor(rgb, 1920, 1080, 1008, dst)
	}
	reportPerMP(b, 1920*1080)
}

func benchmarkUpsampleThreshold(b *testing.B, dw, dh int, gen func(*rand.Rand, int, int) []float32) {
	src := gen(rand.New(rand.NewPCG(57, 58)), 288, 288)
	dst := make([]byte, dw*dh)
	for b.Loop() {
		imaging.UpsampleThreshold(src, 288, 288, dw, dh, 0, dst)
	}
	reportPerMP(b, dw*dh)
}

func BenchmarkUpsampleThreshold1080p(b *testing.B) {
	benchmarkUpsampleThreshold(b, 1920, 1080, blobLogits)
}

func BenchmarkUpsampleThreshold4K(b *testing.B) {
	benchmarkUpsampleThreshold(b, 3840, 2160, blobLogits)
}

// Worst case for the same-sign shortcut: the sign changes everywhere.
func BenchmarkUpsampleThreshold4KNoise(b *testing.B) {
	benchmarkUpsampleThreshold(b, 3840, 2160, noiseLogits)
}

func BenchmarkUpsampleLogits4K(b *testing.B) {
	src := blobLogits(rand.New(rand.NewPCG(59, 60)), 288, 288)
	dst := make([]float32, 3840*2160)
	for b.Loop() {
		imaging.UpsampleLogits(src, 288, 288, 3840, 2160, dst)
	}
	reportPerMP(b, 3840*2160)
}

func BenchmarkDecodeTruck(b *testing.B) {
	data, err := os.ReadFile("testdata/truck.jpg")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := imaging.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	reportPerMP(b, 1800*1200)
}

func BenchmarkOrient6_4000x3000(b *testing.B) {
	img := randYCbCr(rand.New(rand.NewPCG(61, 62)), image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for b.Loop() {
		imaging.Orient(img, 6)
	}
	reportPerMP(b, 4000*3000)
}

// sharpLogits is a disk as a segmentation decoder outputs one: logits
// that saturate within a pixel or two of its edge.
func sharpLogits(rng *rand.Rand, w, h int) []float32 {
	f := make([]float32, w*h)
	cx, cy, r := (0.3+0.4*rng.Float64())*float64(w), (0.3+0.4*rng.Float64())*float64(h), 0.2*float64(min(w, h))
	for y := range h {
		for x := range w {
			f[y*w+x] = float32(max(-20, min(20, 8*(r-math.Hypot(float64(x)-cx, float64(y)-cy)))))
		}
	}
	return f
}

// BenchmarkClickMask is what a click's mask costs once the decoder has
// run: its RLE, area and box, made through the full-resolution mask
// (UpsampleThreshold into a reused buffer, then mask.Encode, Area, BBox)
// or straight from the logits (UpsampleRuns).
func BenchmarkClickMask(b *testing.B) {
	fields := []struct {
		name string
		gen  func(*rand.Rand, int, int) []float32
	}{{"sharp", sharpLogits}, {"blob", blobLogits}}
	for _, size := range [][2]int{{1920, 1080}, {4000, 3000}} {
		w, h := size[0], size[1]
		for _, f := range fields {
			src := f.gen(rand.New(rand.NewPCG(63, 64)), 288, 288)
			b.Run(fmt.Sprintf("%s/%dx%d/mask", f.name, w, h), func(b *testing.B) {
				m := mask.New(w, h)
				for b.Loop() {
					imaging.UpsampleThreshold(src, 288, 288, w, h, 0, m.Pix)
					mask.Encode(m)
					m.Area()
					m.BBox()
				}
			})
			b.Run(fmt.Sprintf("%s/%dx%d/runs", f.name, w, h), func(b *testing.B) {
				for b.Loop() {
					r := mask.Runs{W: w, H: h, Counts: imaging.UpsampleRuns(src, 288, 288, w, h, nil)}
					r.RLE()
					r.Area()
					r.BBox()
				}
			})
		}
	}
}

// The runs of a click's mask straight from the logits (BenchmarkClickMask
// compares them with making the mask).
func benchmarkUpsampleRuns(b *testing.B, dw, dh int, gen func(*rand.Rand, int, int) []float32) {
	src := gen(rand.New(rand.NewPCG(57, 58)), 288, 288)
	var counts []int
	for b.Loop() {
		counts = imaging.UpsampleRuns(src, 288, 288, dw, dh, counts)
	}
	reportPerMP(b, dw*dh)
}

func BenchmarkUpsampleRuns1080p(b *testing.B) { benchmarkUpsampleRuns(b, 1920, 1080, blobLogits) }

func BenchmarkUpsampleRuns4K(b *testing.B) { benchmarkUpsampleRuns(b, 3840, 2160, blobLogits) }

// Worst case: the sign changes everywhere.
func BenchmarkUpsampleRuns4KNoise(b *testing.B) { benchmarkUpsampleRuns(b, 3840, 2160, noiseLogits) }
