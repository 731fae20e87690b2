package embcache_test

import (
	"testing"

	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/ort"
)

// BenchmarkPutDisk writes a demo-sized video frame embedding (1.4 MB).
func BenchmarkPutDisk(b *testing.B) {
	c := embcache.New(b.TempDir(), 0, 1<<30, nil)
	e := embcache.Entry{
		"image_embeddings.0": ort.NewF32(make([]float32, 3*288*288), 1, 3, 288, 288),
		"image_embeddings.1": ort.NewF32(make([]float32, 3*144*144), 1, 3, 144, 144),
		"image_embeddings.2": ort.NewF32(make([]float32, 8*72*72), 1, 8, 72, 72),
	}
	b.SetBytes(int64(4 * (3*288*288 + 3*144*144 + 8*72*72)))
	for i := range b.N {
		c.PutDisk(embcache.Key{SHA256: "abc", Model: "m", InputSize: 288, Frame: i}, e)
	}
	c.Wait()
}

// BenchmarkGetDisk reads it back.
func BenchmarkGetDisk(b *testing.B) {
	c := embcache.New(b.TempDir(), 0, 1<<30, nil)
	e := embcache.Entry{"image_embeddings.0": ort.NewF32(make([]float32, 3*288*288), 1, 3, 288, 288)}
	k := embcache.Key{SHA256: "abc", Model: "m", InputSize: 288}
	c.PutDisk(k, e)
	c.Wait()
	b.SetBytes(4 * 3 * 288 * 288)
	for range b.N {
		if _, ok := c.GetDisk(k); !ok {
			b.Fatal("miss")
		}
	}
}
