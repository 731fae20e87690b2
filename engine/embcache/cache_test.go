package embcache_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/ort"
)

func entry(v float32, n int) embcache.Entry {
	data := make([]float32, n)
	for i := range data {
		data[i] = v + float32(i)
	}
	return embcache.Entry{"image_embeddings.0": ort.NewF32(data, 1, int64(n))}
}

func key(i int) embcache.Key {
	return embcache.Key{SHA256: "0123abcd", Model: "demo-tracker", InputSize: 576, Frame: i}
}

func TestCodecRoundTrip(t *testing.T) {
	e := embcache.Entry{
		"b": ort.NewF32([]float32{1, -2, 3.5, 0}, 2, 2),
		"a": ort.NewF32([]float32{}, 1, 0, 4),
	}
	var buf bytes.Buffer
	if err := embcache.Encode(&buf, e); err != nil {
		t.Fatal(err)
	}
	got, err := embcache.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["b"].F32[2] != 3.5 || got["b"].Shape[1] != 2 || len(got["a"].F32) != 0 || got["a"].Shape[2] != 4 {
		t.Fatalf("round trip: %+v", got)
	}
	// Every truncation is an error, never a panic.
	data := buf.Bytes()
	for n := 0; n < len(data); n++ {
		if _, err := embcache.Decode(bytes.NewReader(data[:n])); err == nil {
			t.Fatalf("truncated at %d bytes decoded without error", n)
		}
	}
}

func TestMemoryBudgetEvictsLeastRecentlyUsed(t *testing.T) {
	c := embcache.New("", 3*400, 0, nil) // three 400-byte entries fit
	for i := 0; i < 3; i++ {
		c.Put(key(i), entry(float32(i), 100))
	}
	c.Get(key(0)) // 0 is now the most recent
	c.Put(key(3), entry(3, 100))
	if _, ok := c.Get(key(1)); ok {
		t.Error("the least recently used entry survived past the budget")
	}
	for _, i := range []int{0, 2, 3} {
		if e, ok := c.Get(key(i)); !ok || e["image_embeddings.0"].F32[0] != float32(i) {
			t.Errorf("entry %d lost or wrong", i)
		}
	}
	if s := c.Stats(); s.MemBytes > 3*400 || s.Evictions != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestDiskTierSurvivesANewCache(t *testing.T) {
	dir := t.TempDir()
	c := embcache.New(dir, 1<<20, 1<<20, nil)
	c.Put(key(1), entry(7, 1000))
	c.PutDisk(key(2), entry(8, 1000))
	c.Wait()
	fresh := embcache.New(dir, 1<<20, 1<<20, nil)
	for i, v := range map[int]float32{1: 7, 2: 8} {
		e, ok := fresh.Get(key(i))
		if !ok || e["image_embeddings.0"].F32[0] != v {
			t.Fatalf("entry %d not read back from disk", i)
		}
	}
	if s := fresh.Stats(); s.DiskHits != 2 {
		t.Errorf("disk hits %d, want 2", s.DiskHits)
	}
	if !fresh.Has(key(1)) || fresh.Has(key(9)) {
		t.Error("Has is wrong")
	}
}

func TestCorruptFileIsDroppedNotServed(t *testing.T) {
	dir := t.TempDir()
	c := embcache.New(dir, 0, 1<<20, nil)
	c.PutDisk(key(1), entry(1, 100))
	c.Wait()
	path := filepath.Join(dir, key(1).File())
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)-10], 0o644)
	if _, ok := c.GetDisk(key(1)); ok {
		t.Fatal("a truncated cache file was served")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the corrupt file was not removed")
	}
}

func TestDiskBudgetTrimsOldestFiles(t *testing.T) {
	dir := t.TempDir()
	c := embcache.New(dir, 0, 3*4100, nil) // about three 4 KB files
	for i := 0; i < 10; i++ {
		c.PutDisk(key(i), entry(float32(i), 1000))
	}
	c.Wait()
	ents, _ := os.ReadDir(dir)
	var total int64
	for _, e := range ents {
		info, _ := e.Info()
		total += info.Size()
	}
	if total > 3*4100 {
		t.Errorf("disk tier holds %d bytes in %d files, budget %d", total, len(ents), 3*4100)
	}
	if _, ok := c.GetDisk(key(9)); !ok {
		t.Error("the newest entry was trimmed")
	}
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	embcache.Encode(&buf, entry(1, 4))
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		embcache.Decode(bytes.NewReader(data))
	})
}
