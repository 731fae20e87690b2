package imaging_test

import (
	"image"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/samwise-app/samwise/engine/imaging"
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
