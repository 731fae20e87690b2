package atomicfile

import (
	"os"
	"path/filepath"
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
