package logfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/app/logfile"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRotatesBySizeAndKeepsTheNewest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "engine.log")
	w, err := logfile.Open(path, 10, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"aaaa\n", "bbbb\n", "cccc\n", "dddd\n", "eeee\n", "ffff\n", "gg\n"} {
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Each write that would pass 10 bytes starts a new file; the oldest
	// (aaaa, bbbb) fell off.
	want := map[string]string{
		path:        "gg\n",
		path + ".1": "eeee\nffff\n",
		path + ".2": "cccc\ndddd\n",
	}
	for p, content := range want {
		if got := read(t, p); got != content {
			t.Errorf("%s = %q, want %q", filepath.Base(p), got, content)
		}
	}
	if _, err := os.Stat(path + ".3"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("engine.log.3 exists (keep is 2): %v", err)
	}
}

func TestAppendsToAnExistingFileAndCountsItsSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.log")
	if err := os.WriteFile(path, []byte("12345678\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := logfile.Open(path, 12, 1)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("next\n"))
	w.Close()
	if got := read(t, path+".1"); got != "12345678\n" {
		t.Errorf("rotated file = %q, want the old content", got)
	}
	if got := read(t, path); got != "next\n" {
		t.Errorf("log = %q", got)
	}
}

func TestAWriteLargerThanTheLimitIsKeptWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.log")
	w, err := logfile.Open(path, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 20) + "\n"
	w.Write([]byte(long))
	w.Write([]byte("y\n"))
	w.Close()
	if got := read(t, path+".1"); got != long {
		t.Errorf("rotated = %q, want the long line whole", got)
	}
	if got := read(t, path); got != "y\n" {
		t.Errorf("log = %q", got)
	}
}

func TestKeepZeroTruncates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.log")
	w, err := logfile.Open(path, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("abc\n"))
	w.Write([]byte("def\n"))
	w.Close()
	if got := read(t, path); got != "def\n" {
		t.Errorf("log = %q", got)
	}
	if _, err := os.Stat(path + ".1"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a rotated file exists with keep 0")
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	w, err := logfile.Open(filepath.Join(t.TempDir(), "engine.log"), 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := w.Write([]byte("x")); !errors.Is(err, os.ErrClosed) {
		t.Errorf("write after close: %v, want os.ErrClosed", err)
	}
}
