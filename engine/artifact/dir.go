package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// tmpPrefix starts the name of a file being written. "~" is not a key character, so a
// leftover temporary file (from a crash) can never be mistaken for an object.
const tmpPrefix = "~put-"

// Dir is the local-directory Store: the object under key "a/b/c" is the file
// <root>/a/b/c. Writes go to a temporary file in the same directory, are fsynced, then
// renamed over the final name, so the final name never holds a partial object.
//
// A directory cannot be both a file and a folder, so unlike S3 a Dir cannot hold both
// "a/b" and "a/b/c"; Put reports that conflict as an error.
type Dir struct {
	root string
}

var _ Store = (*Dir)(nil)

// NewDir returns a Store rooted at root. Nothing is created until the first Put.
func NewDir(root string) *Dir {
	return &Dir{root: root}
}

// Root returns the directory the store writes under.
func (d *Dir) Root() string { return d.root }

func (d *Dir) path(key string) string {
	return filepath.Join(d.root, filepath.FromSlash(key))
}

// Put implements Store.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("artifact: put %s: %w", key, err)
	}
	final := d.path(key)
	if fi, err := os.Lstat(final); err == nil && fi.IsDir() {
		return fmt.Errorf("artifact: put %s: the directory store already holds objects under %q, so it cannot also hold an object named %q",
			key, key+"/", key)
	}
	tmp, err := d.createTemp(key, filepath.Dir(final))
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, ContextReader(ctx, r))
	if err != nil {
		return fmt.Errorf("artifact: put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("artifact: put %s: read %d bytes, caller announced %d: %w", key, n, size, ErrSizeMismatch)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("artifact: put %s: fsync: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("artifact: put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("artifact: put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("artifact: put %s: %w", key, err)
	}
	committed = true
	if err := syncDir(filepath.Dir(final)); err != nil {
		return fmt.Errorf("artifact: put %s: fsync directory: %w", key, err)
	}
	return nil
}

// createTemp creates the temporary file for key in dir, creating dir first. A concurrent
// Delete may prune the freshly created dir, so a vanished directory is retried.
func (d *Dir) createTemp(key, dir string) (*os.File, error) {
	var err error
	for range 3 {
		if err = os.MkdirAll(dir, 0o755); err != nil {
			if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("artifact: put %s: a parent of this key is already an object in the directory store; pick a key that does not extend another object's key: %w", key, err)
			}
			return nil, fmt.Errorf("artifact: put %s: create directory: %w", key, err)
		}
		var f *os.File
		f, err = os.CreateTemp(dir, tmpPrefix+"*")
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	return nil, fmt.Errorf("artifact: put %s: %w", key, err)
}

// Get implements Store.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("artifact: get %s: %w", key, err)
	}
	f, err := os.Open(d.path(key))
	if err != nil {
		return nil, d.mapErr("get", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("artifact: get %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("artifact: get %s: %w", key, ErrNotFound)
	}
	return f, nil
}

// Stat implements Store.
func (d *Dir) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("artifact: stat %s: %w", key, err)
	}
	fi, err := os.Stat(d.path(key))
	if err != nil {
		return Info{}, d.mapErr("stat", key, err)
	}
	if !fi.Mode().IsRegular() {
		return Info{}, fmt.Errorf("artifact: stat %s: %w", key, ErrNotFound)
	}
	return Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Delete implements Store. Directories left empty are removed up to the root.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("artifact: delete %s: %w", key, err)
	}
	p := d.path(key)
	fi, err := os.Lstat(p)
	if err != nil {
		if isNotExist(err) {
			return nil
		}
		return fmt.Errorf("artifact: delete %s: %w", key, err)
	}
	if fi.IsDir() {
		return nil // a prefix of other objects, not an object
	}
	if err := os.Remove(p); err != nil && !isNotExist(err) {
		return fmt.Errorf("artifact: delete %s: %w", key, err)
	}
	d.pruneEmpty(filepath.Dir(p))
	return nil
}

// pruneEmpty removes dir and its parents while they are empty, stopping at the root.
func (d *Dir) pruneEmpty(dir string) {
	root := filepath.Clean(d.root)
	for dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			return // not empty (or already gone): stop
		}
		dir = filepath.Dir(dir)
	}
}

// List implements Store.
func (d *Dir) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := ValidPrefix(prefix); err != nil {
		return nil, err
	}
	// Walk only the deepest directory the prefix names in full.
	base := ""
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		base = prefix[:i]
	}
	start := d.root
	if base != "" {
		start = d.path(base)
	}
	var out []Info
	err := filepath.WalkDir(start, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if isNotExist(err) {
				return nil // removed while walking, or no such prefix
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) || ValidKey(key) != nil || strings.HasPrefix(path.Base(key), tmpPrefix) {
			return nil
		}
		fi, err := e.Info()
		if err != nil {
			if isNotExist(err) {
				return nil
			}
			return err
		}
		out = append(out, Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("artifact: list %q: %w", prefix, err)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

func (d *Dir) mapErr(op, key string, err error) error {
	if isNotExist(err) {
		return fmt.Errorf("artifact: %s %s: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("artifact: %s %s: %w", op, key, err)
}

// isNotExist also treats ENOTDIR ("a/b" looked up where "a" is a file) as absence.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}
