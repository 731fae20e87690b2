package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Write creates the folder, replaces an existing file, and leaves no
// temporary file behind, also when the rename fails.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b", "f.json")
	for _, body := range []string{"first", "second"} {
		if err := Write(p, []byte(body)); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(p); err != nil || string(got) != body {
			t.Fatalf("read %q, %v; want %q", got, err, body)
		}
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	// A folder in the way: the rename fails and nothing is left over.
	blocked := filepath.Join(dir, "a", "b", "dir")
	os.Mkdir(blocked, 0o755)
	os.WriteFile(filepath.Join(blocked, "x"), nil, 0o644)
	if err := Write(blocked, []byte("x")); err == nil {
		t.Fatal("writing over a folder succeeded")
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "a", "b"))
	if len(ents) != 2 {
		t.Errorf("left %v; want only f.json and dir", ents)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n--
		return copy(p, "partial"), nil
	}
	return 0, errors.New("connection reset")
}

func TestWriteFromNeverLeavesAHalfWrittenFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "export.zip")
	if err := os.WriteFile(dest, []byte("the previous export"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFrom(dest, &failingReader{n: 3}); err == nil {
		t.Fatal("a failed download was reported as saved")
	}
	if b, _ := os.ReadFile(dest); string(b) != "the previous export" {
		t.Errorf("the old file became %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	if err := WriteFrom(dest, io.MultiReader(strings.NewReader("new "), strings.NewReader("export"))); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dest)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "new export" || st.Mode().Perm() != 0o644 {
		t.Errorf("saved %q with mode %v", b, st.Mode().Perm())
	}
}
