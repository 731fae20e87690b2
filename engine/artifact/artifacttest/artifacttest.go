// Package artifacttest is the contract test suite every artifact.Store backend must pass.
// The local-directory backend (engine/artifact) and the S3 backend (remote/objstore, against
// a real S3 server) both call Run, so the engine can swap one for the other.
package artifacttest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/samwise-app/samwise/engine/artifact"
)

// NewStore returns an empty store for one subtest; it registers its own cleanup with t.
type NewStore func(t *testing.T) artifact.Store

// Run runs the whole contract suite, one subtest per behaviour, each on a fresh store.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s artifact.Store)
	}{
		{"PutGetRoundTrip", testPutGet},
		{"EmptyObject", testEmpty},
		{"UnknownSize", testUnknownSize},
		{"Overwrite", testOverwrite},
		{"SizeMismatchStoresNothing", testSizeMismatch},
		{"FailedReaderKeepsPrevious", testFailedReader},
		{"CancelledPutStoresNothing", testCancelledPut},
		{"Stat", testStat},
		{"MissingIsNotFound", testMissing},
		{"DeleteIsIdempotent", testDelete},
		{"ListPrefix", testList},
		{"InvalidKeysRejected", testInvalidKeys},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, newStore(t))
		})
	}
}

// Bytes returns n deterministic pseudo-random bytes for seed.
func Bytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// MustGet reads the whole object under key, failing the test on any error.
func MustGet(t *testing.T, s artifact.Store, key string) []byte {
	t.Helper()
	rc, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return b
}

func mustPut(t *testing.T, s artifact.Store, key string, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("Put(%q, %d bytes): %v", key, len(data), err)
	}
}

func wantNotFound(t *testing.T, s artifact.Store, key string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Stat(ctx, key); !errors.Is(err, artifact.ErrNotFound) {
		t.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
	}
	rc, err := s.Get(ctx, key)
	if err == nil {
		rc.Close()
	}
	if !errors.Is(err, artifact.ErrNotFound) {
		t.Errorf("Get(%q) = %v, want ErrNotFound", key, err)
	}
}

func testPutGet(t *testing.T, s artifact.Store) {
	data := Bytes(1, 3<<20+17) // several MiB and not a round size
	mustPut(t, s, "jobs/j1/results/frame-00001.bin", data)
	if got := MustGet(t, s, "jobs/j1/results/frame-00001.bin"); !bytes.Equal(got, data) {
		t.Fatalf("Get returned %d bytes that differ from the %d put", len(got), len(data))
	}
}

func testEmpty(t *testing.T, s artifact.Store) {
	mustPut(t, s, "empty", nil)
	if got := MustGet(t, s, "empty"); len(got) != 0 {
		t.Fatalf("Get(empty) = %d bytes, want 0", len(got))
	}
	info, err := s.Stat(context.Background(), "empty")
	if err != nil || info.Size != 0 {
		t.Fatalf("Stat(empty) = %+v, %v; want size 0", info, err)
	}
}

func testUnknownSize(t *testing.T, s artifact.Store) {
	data := Bytes(2, 100_000)
	// OneByteReader hides the length and any WriterTo/Seeker the backend might use.
	if err := s.Put(context.Background(), "exports/a.json", iotest.OneByteReader(bytes.NewReader(data)), -1); err != nil {
		t.Fatalf("Put with size -1: %v", err)
	}
	if got := MustGet(t, s, "exports/a.json"); !bytes.Equal(got, data) {
		t.Fatalf("unknown-size Put stored %d bytes, want the %d given", len(got), len(data))
	}
}

func testOverwrite(t *testing.T, s artifact.Store) {
	mustPut(t, s, "overlays/o.png", []byte("first version, longer"))
	mustPut(t, s, "overlays/o.png", []byte("second"))
	if got := string(MustGet(t, s, "overlays/o.png")); got != "second" {
		t.Fatalf("after overwrite Get = %q, want %q", got, "second")
	}
}

func testSizeMismatch(t *testing.T, s artifact.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		data []byte
		size int64
	}{{"short", []byte("12345"), 10}, {"long", []byte("1234567890"), 5}} {
		key := "mismatch/" + tc.name
		err := s.Put(ctx, key, bytes.NewReader(tc.data), tc.size)
		if !errors.Is(err, artifact.ErrSizeMismatch) {
			t.Errorf("Put(%s: %d bytes, size %d) = %v, want ErrSizeMismatch", key, len(tc.data), tc.size, err)
		}
		wantNotFound(t, s, key)
	}
}

func testFailedReader(t *testing.T, s artifact.Store) {
	ctx := context.Background()
	mustPut(t, s, "media/clip.mp4", []byte("previous"))
	boom := errors.New("disk fell off")
	r := io.MultiReader(bytes.NewReader(Bytes(3, 64<<10)), iotest.ErrReader(boom))
	err := s.Put(ctx, "media/clip.mp4", r, -1)
	if !errors.Is(err, boom) {
		t.Fatalf("Put with a failing reader = %v, want the reader's error", err)
	}
	if got := string(MustGet(t, s, "media/clip.mp4")); got != "previous" {
		t.Fatalf("a failed Put replaced the object: got %q, want %q", got, "previous")
	}
	mustNotList(t, s, "media/", "media/clip.mp4")
}

// mustNotList fails when List(prefix) holds anything but the keys in allowed.
func mustNotList(t *testing.T, s artifact.Store, prefix string, allowed ...string) {
	t.Helper()
	infos, err := s.List(context.Background(), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	for _, in := range infos {
		if !slices.Contains(allowed, in.Key) {
			t.Errorf("List(%q) shows %q; a failed write must leave nothing behind", prefix, in.Key)
		}
	}
}

func testCancelledPut(t *testing.T, s artifact.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	data := Bytes(4, 256<<10)
	// Cancel once the backend has started reading.
	r := &cancelAfter{r: bytes.NewReader(data), n: 64 << 10, cancel: cancel}
	err := s.Put(ctx, "cancel/me", r, int64(len(data)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put cancelled mid-stream = %v, want context.Canceled", err)
	}
	wantNotFound(t, s, "cancel/me")
	mustNotList(t, s, "cancel/")
}

type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	n, err := c.r.Read(p[:min(len(p), max(c.n, 1))])
	c.n -= n
	return n, err
}

func testStat(t *testing.T, s artifact.Store) {
	data := Bytes(5, 12_345)
	mustPut(t, s, "media/sha256/abc", data)
	info, err := s.Stat(context.Background(), "media/sha256/abc")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if info.Key != "media/sha256/abc" || info.Size != int64(len(data)) || info.ModTime.IsZero() {
		t.Fatalf("Stat = %+v, want key media/sha256/abc, size %d, a modification time", info, len(data))
	}
}

func testMissing(t *testing.T, s artifact.Store) {
	wantNotFound(t, s, "never/written")
	mustPut(t, s, "a/b", []byte("x"))
	wantNotFound(t, s, "a") // a prefix is not an object
	wantNotFound(t, s, "a/b/c")
}

func testDelete(t *testing.T, s artifact.Store) {
	ctx := context.Background()
	mustPut(t, s, "d/one", []byte("1"))
	mustPut(t, s, "d/two", []byte("2"))
	for i := range 2 {
		if err := s.Delete(ctx, "d/one"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	wantNotFound(t, s, "d/one")
	if got := string(MustGet(t, s, "d/two")); got != "2" {
		t.Fatalf("Delete removed a sibling: d/two = %q", got)
	}
	if err := s.Delete(ctx, "never/written"); err != nil {
		t.Fatalf("Delete of a missing key = %v, want nil", err)
	}
}

func testList(t *testing.T, s artifact.Store) {
	ctx := context.Background()
	keys := []string{
		"media/sha256/aa", "media/sha256/bb", "media/thumbs/aa.jpg",
		"media-old/x", "jobs/1/result.json", "top",
	}
	for i, k := range keys {
		mustPut(t, s, k, Bytes(uint64(10+i), 10+i))
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"jobs/1/result.json", "media-old/x", "media/sha256/aa", "media/sha256/bb", "media/thumbs/aa.jpg", "top"}},
		{"media/", []string{"media/sha256/aa", "media/sha256/bb", "media/thumbs/aa.jpg"}},
		{"media", []string{"media-old/x", "media/sha256/aa", "media/sha256/bb", "media/thumbs/aa.jpg"}},
		{"media/sha256/", []string{"media/sha256/aa", "media/sha256/bb"}},
		{"media/sha256/b", []string{"media/sha256/bb"}},
		{"media/th", []string{"media/thumbs/aa.jpg"}},
		{"nothing/here/", nil},
		{"to", []string{"top"}},
	} {
		infos, err := s.List(ctx, tc.prefix)
		if err != nil {
			t.Errorf("List(%q): %v", tc.prefix, err)
			continue
		}
		var got []string
		for _, in := range infos {
			got = append(got, in.Key)
			wantSize := int64(10 + slices.Index(keys, in.Key))
			if in.Size != wantSize {
				t.Errorf("List(%q): %s has size %d, want %d", tc.prefix, in.Key, in.Size, wantSize)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
}

func testInvalidKeys(t *testing.T, s artifact.Store) {
	ctx := context.Background()
	bad := []string{"", "/abs", "a/../b", "..", "a//b", "trailing/", "sp ace", "uni/cödé", `back\slash`, "a/./b", "q?x", strings.Repeat("k", artifact.MaxKeyLen+1)}
	for _, key := range bad {
		checks := map[string]error{
			"Put":    s.Put(ctx, key, strings.NewReader("x"), 1),
			"Stat":   second(s.Stat(ctx, key)),
			"Delete": s.Delete(ctx, key),
			"Get":    second(s.Get(ctx, key)),
		}
		for op, err := range checks {
			if !errors.Is(err, artifact.ErrInvalidKey) {
				t.Errorf("%s(%q) = %v, want ErrInvalidKey", op, key, err)
			}
		}
	}
	for _, prefix := range []string{"/x", "../", "a/../", "a b/"} {
		if _, err := s.List(ctx, prefix); !errors.Is(err, artifact.ErrInvalidKey) {
			t.Errorf("List(%q) = %v, want ErrInvalidKey", prefix, err)
		}
	}
	infos, err := s.List(ctx, "")
	if err != nil || len(infos) != 0 {
		t.Errorf("after rejected writes List(\"\") = %v, %v; want nothing stored", infos, err)
	}
}

func second[T any](v T, err error) error {
	if c, ok := any(v).(io.Closer); ok && err == nil {
		c.Close()
	}
	return err
}
