package mask_test

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

// benchMask returns a w×h mask with a few large blobs, some with holes,
// like the masks SAM produces for objects in a photo.
func benchMask(w, h int) *mask.Mask {
	return blobs(rand.New(rand.NewPCG(uint64(w), uint64(h))), w, h, 5)
}

// The benchmark masks are built on first use, not for every test run.
var (
	mask1080p = sync.OnceValue(func() *mask.Mask { return benchMask(1920, 1080) })
	mask4K    = sync.OnceValue(func() *mask.Mask { return benchMask(3840, 2160) })
	sink      int
)

func benchEncode(b *testing.B, m *mask.Mask) {
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		sink += len(mask.Encode(m).Counts)
	}
}

// benchCountScan is the baseline Encode is measured against: one pass of
// bytes.Count over the pixels.
func benchCountScan(b *testing.B, m *mask.Mask) {
	b.SetBytes(int64(len(m.Pix)))
	one := []byte{1}
	for b.Loop() {
		sink += bytes.Count(m.Pix, one)
	}
}

func BenchmarkEncode1080p(b *testing.B)    { benchEncode(b, mask1080p()) }
func BenchmarkEncode4K(b *testing.B)       { benchEncode(b, mask4K()) }
func BenchmarkCountScan1080p(b *testing.B) { benchCountScan(b, mask1080p()) }
func BenchmarkCountScan4K(b *testing.B)    { benchCountScan(b, mask4K()) }

func BenchmarkEncodeCounts1080p(b *testing.B) {
	m := mask1080p()
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		sink += len(mask.EncodeCounts(m))
	}
}

func BenchmarkDecode(b *testing.B) {
	m := mask1080p()
	r := mask.Encode(m)
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := mask.Decode(r)
		if err != nil {
			b.Fatal(err)
		}
		sink += len(d.Pix)
	}
}

func BenchmarkRLEArea(b *testing.B) {
	m := mask1080p()
	r := mask.Encode(m)
	b.ReportAllocs()
	for b.Loop() {
		a, err := r.Area()
		if err != nil {
			b.Fatal(err)
		}
		sink += a
	}
}

func BenchmarkPolygons(b *testing.B) {
	m := mask1080p()
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		sink += len(mask.Polygons(m, 1))
	}
}

func BenchmarkRasterize(b *testing.B) {
	m := mask1080p()
	polys := mask.Polygons(m, 1)
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		sink += len(mask.Rasterize(polys, 1920, 1080).Pix)
	}
}

func BenchmarkPNG(b *testing.B) {
	m := mask1080p()
	b.SetBytes(int64(len(m.Pix)))
	b.ReportAllocs()
	for b.Loop() {
		data, err := m.PNG()
		if err != nil {
			b.Fatal(err)
		}
		sink += len(data)
	}
}

// BBox of one object in a 1080p frame: most rows are empty.
func BenchmarkBBoxSmallObject1080p(b *testing.B) {
	m := mask.New(1920, 1080)
	for y := 400; y < 700; y++ {
		for x := 800; x < 1100; x++ {
			m.Pix[y*m.W+x] = 1
		}
	}
	b.SetBytes(int64(len(m.Pix)))
	for b.Loop() {
		_, _, x1, _, _ := m.BBox()
		sink += x1
	}
}

func BenchmarkBBoxBlobs1080p(b *testing.B) {
	m := mask1080p()
	b.SetBytes(int64(len(m.Pix)))
	for b.Loop() {
		_, _, x1, _, _ := m.BBox()
		sink += x1
	}
}
