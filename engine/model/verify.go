package model

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Mismatch is one file of a bundle that does not match its manifest.
type Mismatch struct {
	Path    string // path inside the bundle
	Problem string // "missing", "size 12 bytes, manifest says 14", "sha256 ab…, manifest says cd…"
}

// VerifyError lists the files of a bundle that differ from its manifest.
type VerifyError struct {
	Bundle string
	Total  int // files in the manifest
	Files  []Mismatch
}

// Error lists every mismatching file and what is wrong with it.
func (e *VerifyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %q: %d of %d files differ from the manifest:", e.Bundle, len(e.Files), e.Total)
	for i, m := range e.Files {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s (%s)", m.Path, m.Problem)
	}
	fmt.Fprintf(&b, ". Pull or import it again, or remove it (engine models rm %s)", e.Bundle)
	return b.String()
}

// Verify checks the sizes and sha256 of every file of the bundle called
// name. progress, when not nil, receives bytes hashed so far and the total.
// A *VerifyError lists the files that differ.
func (r *Registry) Verify(ctx context.Context, name string, progress func(done, total int64)) error {
	b, err := r.Get(name)
	if err != nil {
		return err
	}
	return b.Verify(ctx, progress)
}

// Verify checks the sizes and sha256 of every file of the bundle; see
// Registry.Verify.
func (b *Bundle) Verify(ctx context.Context, progress func(done, total int64)) error {
	if b.Manifest == nil {
		return b.broken()
	}
	total := b.Size()
	var done int64
	report := func(n int64) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	if progress != nil {
		progress(0, total)
	}
	verr := &VerifyError{Bundle: b.Name(), Total: len(b.Manifest.Files)}
	for _, f := range b.Manifest.Files {
		p := b.file(f.Path)
		fi, err := os.Stat(p)
		switch {
		case isNotExist(err):
			verr.Files = append(verr.Files, Mismatch{f.Path, "missing"})
			report(f.Size)
			continue
		case err != nil:
			return err
		case !fi.Mode().IsRegular():
			verr.Files = append(verr.Files, Mismatch{f.Path, "not a regular file"})
			report(f.Size)
			continue
		case fi.Size() != f.Size:
			verr.Files = append(verr.Files, Mismatch{f.Path, fmt.Sprintf("size %d bytes, manifest says %d", fi.Size(), f.Size)})
			report(f.Size)
			continue
		}
		sum, _, err := hashFile(ctx, p, report)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("verify %q: %w", b.Name(), ctx.Err())
			}
			return fmt.Errorf("verify %q: %s: %w", b.Name(), f.Path, err)
		}
		if sum != f.SHA256 {
			verr.Files = append(verr.Files, Mismatch{f.Path, fmt.Sprintf("sha256 %s, manifest says %s", sum, f.SHA256)})
		}
	}
	if len(verr.Files) > 0 {
		return verr
	}
	return nil
}
