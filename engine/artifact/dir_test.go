package artifact_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/samwise-app/samwise/engine/artifact"
	"github.com/samwise-app/samwise/engine/artifact/artifacttest"
)

func TestDirContract(t *testing.T) {
	artifacttest.Run(t, func(t *testing.T) artifact.Store {
		return artifact.NewDir(filepath.Join(t.TempDir(), "store"))
	})
}

// files lists every file under root, temporary ones included.
func files(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDirLeavesNoTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	d := artifact.NewDir(root)
	ctx := context.Background()
	if err := d.Put(ctx, "m/ok", strings.NewReader("fine"), 4); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "m/short", strings.NewReader("abc"), 4); !errors.Is(err, artifact.ErrSizeMismatch) {
		t.Fatalf("short Put = %v", err)
	}
	if err := d.Put(ctx, "m/broken", io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(io.ErrClosedPipe)), -1); err == nil {
		t.Fatal("Put with failing reader succeeded")
	}
	got := files(t, root)
	if len(got) != 1 || got[0] != "m/ok" {
		t.Fatalf("files on disk after failed writes = %q, want only m/ok", got)
	}
}

func TestDirIgnoresLeftoverTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	// What a crash between create and rename leaves behind.
	if err := os.MkdirAll(filepath.Join(root, "m"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "m", "~put-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	infos, err := artifact.NewDir(root).List(context.Background(), "")
	if err != nil || len(infos) != 0 {
		t.Fatalf("List = %v, %v; want the temporary file hidden", infos, err)
	}
}

// Readers racing a writer must see one complete version or the other, never a mix or a
// truncated file.
func TestDirConcurrentOverwriteIsAtomic(t *testing.T) {
	d := artifact.NewDir(t.TempDir())
	ctx := context.Background()
	a := bytes.Repeat([]byte{'a'}, 1<<20)
	b := bytes.Repeat([]byte{'b'}, 1<<20+5)
	if err := d.Put(ctx, "x", bytes.NewReader(a), int64(len(a))); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		defer close(stop)
		for i := range 20 {
			v := a
			if i%2 == 0 {
				v = b
			}
			if err := d.Put(ctx, "x", bytes.NewReader(v), int64(len(v))); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for reads := 0; ; reads++ {
		select {
		case <-stop:
			wg.Wait()
			if reads == 0 {
				t.Log("writer finished before any read")
			}
			return
		default:
		}
		got := artifacttest.MustGet(t, d, "x")
		if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			t.Fatalf("read a torn object: %d bytes", len(got))
		}
	}
}

func TestDirKeyConflicts(t *testing.T) {
	d := artifact.NewDir(t.TempDir())
	ctx := context.Background()
	if err := d.Put(ctx, "a/b", strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	err := d.Put(ctx, "a", strings.NewReader("y"), 1)
	if err == nil || !strings.Contains(err.Error(), "cannot also hold") {
		t.Errorf("Put(a) over prefix a/ = %v, want a conflict error", err)
	}
	err = d.Put(ctx, "a/b/c", strings.NewReader("y"), 1)
	if err == nil || !strings.Contains(err.Error(), "already an object") {
		t.Errorf("Put(a/b/c) under object a/b = %v, want a conflict error", err)
	}
	if got := string(artifacttest.MustGet(t, d, "a/b")); got != "x" {
		t.Errorf("a/b = %q after conflicts, want x", got)
	}
}

func TestDirDeletePrunesEmptyDirectories(t *testing.T) {
	root := t.TempDir()
	d := artifact.NewDir(root)
	ctx := context.Background()
	for _, k := range []string{"p/q/r/one", "p/keep"} {
		if err := d.Put(ctx, k, strings.NewReader("1"), 1); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Delete(ctx, "p/q/r/one"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "p", "q")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty directory p/q left behind: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "p", "keep")); err != nil {
		t.Errorf("sibling removed: %v", err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Errorf("root removed: %v", err)
	}
}

func TestDirMissingRoot(t *testing.T) {
	d := artifact.NewDir(filepath.Join(t.TempDir(), "not", "yet"))
	infos, err := d.List(context.Background(), "media/")
	if err != nil || len(infos) != 0 {
		t.Fatalf("List on a missing root = %v, %v; want empty", infos, err)
	}
}

func TestHashFile(t *testing.T) {
	data := artifacttest.Bytes(7, 70_000)
	p := filepath.Join(t.TempDir(), "clip.mp4")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	key, size, err := artifact.HashFile(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := "media/sha256/" + hex.EncodeToString(sum[:]); key != want || size != int64(len(data)) {
		t.Fatalf("HashFile = %q, %d; want %q, %d", key, size, want, len(data))
	}
	if err := artifact.ValidKey(key); err != nil {
		t.Fatalf("content key is not a valid key: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := artifact.HashFile(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("HashFile with cancelled ctx = %v", err)
	}
}
