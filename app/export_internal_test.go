package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAttachmentName(t *testing.T) {
	for header, want := range map[string]string{
		`attachment; filename="My project-coco.json"`: "My project-coco.json",
		`attachment; filename="../../etc/passwd"`:     "passwd",
		`attachment; filename="/"`:                    "fallback",
		`attachment`:                                  "fallback",
		``:                                            "fallback",
		`attachment; filename*=UTF-8''na%C3%AFve.zip`: "naïve.zip",
	} {
		if got := attachmentName(header, "fallback"); got != want {
			t.Errorf("attachmentName(%q) = %q, want %q", header, got, want)
		}
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

func TestWriteAtomicallyNeverLeavesAHalfWrittenFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "export.zip")
	if err := os.WriteFile(dest, []byte("the previous export"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomically(dest, &failingReader{n: 3}); err == nil {
		t.Fatal("a failed download was reported as saved")
	}
	if b, _ := os.ReadFile(dest); string(b) != "the previous export" {
		t.Errorf("the old file became %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	if err := writeAtomically(dest, io.MultiReader(strings.NewReader("new "), strings.NewReader("export"))); err != nil {
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
