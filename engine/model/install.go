package model

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"

	"github.com/samwise-app/samwise/internal/atomicfile"
)

// InstallFS installs the bundle in fsys at root (a folder holding
// manifest.json and the files it lists; "." for the top) into the registry:
// typically a demo bundle embedded in the binary. It does nothing when the
// installed bundle has an identical manifest and files of the listed sizes,
// and otherwise copies every file into a staging folder, checking each
// against the manifest's sha256, then renames the folder into place
// (replacing an older copy).
func (r *Registry) InstallFS(fsys fs.FS, root string) (*Bundle, error) {
	raw, err := fs.ReadFile(fsys, path.Join(root, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("install bundle from %s: %w", root, err)
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("install bundle from %s: %w", root, err)
	}
	if b, err := r.Get(m.Name); err == nil && reflect.DeepEqual(b.Manifest, m) && sizesMatch(b) {
		return b, nil
	}
	return r.install(context.Background(), fsys, root, m)
}

// sizesMatch reports whether every file of b exists with its listed size.
func sizesMatch(b *Bundle) bool {
	for _, f := range b.Manifest.Files {
		fi, err := os.Stat(b.file(f.Path))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != f.Size {
			return false
		}
	}
	return true
}

// install copies the files m lists from fsys/root into a fresh staging
// folder, verifying each, writes the manifest and renames the folder into
// place. The staging folder is removed on failure.
func (r *Registry) install(ctx context.Context, fsys fs.FS, root string, m *Manifest) (b *Bundle, err error) {
	staging, err := r.newStaging(m.Name)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(staging)
		}
	}()
	for _, f := range m.Files {
		if err := copyFromFS(ctx, fsys, path.Join(root, f.Path), filepath.Join(staging, filepath.FromSlash(f.Path)), f); err != nil {
			return nil, fmt.Errorf("install model %q: %w", m.Name, err)
		}
	}
	if err := writeManifest(staging, m); err != nil {
		return nil, fmt.Errorf("install model %q: %w", m.Name, err)
	}
	if err := r.commit(staging, m.Name); err != nil {
		return nil, err
	}
	return r.Get(m.Name)
}

func copyFromFS(ctx context.Context, fsys fs.FS, src, dst string, want File) error {
	in, err := fsys.Open(src)
	if err != nil {
		return fmt.Errorf("%s is listed in the manifest but cannot be read: %w", want.Path, err)
	}
	defer in.Close()
	return copyVerified(ctx, dst, in, want)
}

// writeManifest writes m as dir/manifest.json.
func writeManifest(dir string, m *Manifest) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ManifestFile), data)
}
