package model

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// StagingDir is the folder, inside the registry, where bundles are assembled
// before they are renamed into place. Folders whose name starts with '.' are
// never listed as bundles.
const StagingDir = ".staging"

var (
	// ErrNotFound is returned (wrapped) when no bundle has the given name.
	ErrNotFound = errors.New("model not installed")
	// ErrExists is returned (wrapped) by Import when a bundle of that name is
	// already installed and replacing it was not asked for.
	ErrExists = errors.New("model already installed")
	// ErrInvalidName is returned (wrapped) for a name that cannot name a bundle.
	ErrInvalidName = errors.New("invalid model name")
)

// Registry is the folder holding installed bundles, one sub-folder per bundle
// named after it (<data-dir>/models/<name>/manifest.json). Bundles are
// assembled under .staging/ and renamed into place, so a folder under its
// final name is always complete. A Registry is safe for concurrent use within
// one process.
type Registry struct {
	dir     string
	mu      sync.Mutex      // serialises renames into and out of place
	pulling map[string]bool // names being pulled; guarded by mu
}

// OpenRegistry opens (creating it if needed) the registry in dir.
func OpenRegistry(dir string) (*Registry, error) {
	if dir == "" {
		return nil, errors.New("model registry: directory is empty; set the data directory (SAMWISE_DATA_DIR or --data-dir)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("model registry %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("model registry: cannot create %s: %w (check the data directory's permissions)", abs, err)
	}
	return &Registry{dir: abs}, nil
}

// Dir is the registry's folder (absolute).
func (r *Registry) Dir() string { return r.dir }

// List returns every installed bundle sorted by name. A folder whose manifest
// is missing or invalid is returned with Err set and a nil Manifest rather
// than failing the whole listing.
func (r *Registry) List() ([]*Bundle, error) {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return nil, fmt.Errorf("model registry: %w", err)
	}
	var out []*Bundle
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !e.IsDir() {
			continue
		}
		out = append(out, r.load(e.Name()))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Get returns the bundle called name. It wraps ErrNotFound when none is
// installed and ErrInvalidName for a name that is not a bundle name.
func (r *Registry) Get(name string) (*Bundle, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(r.dir, name)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q is not in %s (engine models list shows what is installed)", ErrNotFound, name, r.dir)
	} else if err != nil {
		return nil, fmt.Errorf("model %q: %w", name, err)
	}
	b := r.load(name)
	if b.Err != nil {
		return nil, b.broken()
	}
	return b, nil
}

// load reads one bundle folder; problems end up in Bundle.Err.
func (r *Registry) load(name string) *Bundle {
	b := &Bundle{Dir: filepath.Join(r.dir, name)}
	m, err := ReadManifest(b.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		b.Err = fmt.Errorf("%s has no %s: remove the folder (engine models rm %s) or import it again", b.Dir, ManifestFile, name)
	case err != nil:
		b.Err = fmt.Errorf("%s: %w", filepath.Join(b.Dir, ManifestFile), err)
	case m.Name != name:
		b.Err = fmt.Errorf("%s names the model %q but its folder is %q: rename the folder or fix the manifest", filepath.Join(b.Dir, ManifestFile), m.Name, name)
	default:
		b.Manifest = m
	}
	return b
}

// Remove deletes the bundle called name, and the files of an interrupted
// pull of it (.staging/<name>). The bundle's folder is first renamed out of
// place, so a failure part-way never leaves a half bundle under its name.
func (r *Registry) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pulling[name] {
		return fmt.Errorf("remove model %q: a pull of it is running; stop it first", name)
	}
	partial := filepath.Join(r.dir, StagingDir, name)
	_, perr := os.Stat(partial)
	if perr == nil {
		if err := os.RemoveAll(partial); err != nil {
			return fmt.Errorf("remove model %q: deleting its interrupted download %s: %w", name, partial, err)
		}
	}
	final := filepath.Join(r.dir, name)
	if _, err := os.Stat(final); errors.Is(err, fs.ErrNotExist) {
		if perr == nil {
			return nil
		}
		return fmt.Errorf("%w: %q is not in %s (engine models list shows what is installed)", ErrNotFound, name, r.dir)
	}
	trash, err := r.tempName(name + "-removed")
	if err != nil {
		return err
	}
	if err := os.Rename(final, trash); err != nil {
		return fmt.Errorf("remove model %q: %w (is the app still using it? close it and retry)", name, err)
	}
	if err := os.RemoveAll(trash); err != nil {
		return fmt.Errorf("remove model %q: it is uninstalled but %s could not be deleted: %w", name, trash, err)
	}
	return nil
}

func checkName(name string) error {
	if !ValidName(name) {
		return fmt.Errorf("%w %q: use lower-case letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)", ErrInvalidName, name)
	}
	return nil
}

// stagingRoot returns <dir>/.staging, creating it.
func (r *Registry) stagingRoot() (string, error) {
	root := filepath.Join(r.dir, StagingDir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("model registry: cannot create %s: %w", root, err)
	}
	return root, nil
}

// tempName returns an unused path .staging/<prefix>-<RANDOM> without
// creating it. The random part is upper-case, which no bundle name can be,
// so it never collides with a pull's .staging/<name> folder.
func (r *Registry) tempName(prefix string) (string, error) {
	root, err := r.stagingRoot()
	if err != nil {
		return "", err
	}
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for range 100 {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		p := filepath.Join(root, prefix+"-"+string(b))
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("model registry: cannot pick a free name in %s", root)
}

// newStaging creates an empty staging folder .staging/<name>-<RANDOM>.
func (r *Registry) newStaging(name string) (string, error) {
	p, err := r.tempName(name)
	if err != nil {
		return "", err
	}
	if err := os.Mkdir(p, 0o755); err != nil {
		return "", fmt.Errorf("model registry: %w", err)
	}
	return p, nil
}

// commit renames a complete staging folder to <dir>/<name>. An installed
// bundle of that name is first moved aside and deleted only once the new one
// is in place (and moved back if that fails).
func (r *Registry) commit(staging, name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	final := filepath.Join(r.dir, name)
	syncDir(staging)
	if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(staging, final); err != nil {
			return fmt.Errorf("install model %q: %w", name, err)
		}
		syncDir(r.dir)
		return nil
	}
	old, err := r.tempName(name + "-old")
	if err != nil {
		return err
	}
	if err := os.Rename(final, old); err != nil {
		return fmt.Errorf("replace model %q: cannot move the installed copy aside: %w (is the app still using it? close it and retry)", name, err)
	}
	if err := os.Rename(staging, final); err != nil {
		if rerr := os.Rename(old, final); rerr != nil {
			return fmt.Errorf("replace model %q: %w; the previous copy is in %s (restoring it failed: %v)", name, err, old, rerr)
		}
		return fmt.Errorf("replace model %q: %w (the previous copy is still installed)", name, err)
	}
	syncDir(r.dir)
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("model %q is installed but the previous copy in %s could not be deleted: %w", name, old, err)
	}
	return nil
}
