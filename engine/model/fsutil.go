package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// copyBufSize is the buffer size for copies and hashing.
const copyBufSize = 1 << 20

// syncDir flushes a directory entry to disk so a rename inside it survives a
// power loss. It is best effort: some systems cannot sync directories.
func syncDir(dir string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = f.Sync()
	_ = f.Close()
}

// ctxReader fails reads once ctx is done, so long copies stop promptly, and
// reports what it reads to ctx's progress func (WithProgress).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if fn, ok := c.ctx.Value(progressKey{}).(func(int64)); ok && n > 0 {
		fn(int64(n))
	}
	return n, err
}

type progressKey struct{}

// WithProgress returns a context under which Registry.Import calls fn with
// the bytes each read of a file it copies adds.
func WithProgress(ctx context.Context, fn func(n int64)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// HashMismatchError reports a file whose content does not hash to what its
// manifest or the hub lists. The file has been deleted.
type HashMismatchError struct {
	Path      string // file path inside the bundle or repository
	Algorithm string // "sha256" or "git-sha1"
	Got, Want string // hex digests
}

// Error names the file and both digests.
func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("%s: content has %s %s but %s was expected; the file was deleted (it is corrupt or the source changed): fetch it again",
		e.Path, e.Algorithm, e.Got, e.Want)
}

// copyVerified writes src to dst (creating parent folders) and checks the
// result against want's size and sha256. On any failure dst is removed.
func copyVerified(ctx context.Context, dst string, src io.Reader, want File) (err error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	h := sha256.New()
	// Read one byte past the expected size to notice a longer source.
	n, err := io.CopyBuffer(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, src}, want.Size+1), make([]byte, copyBufSize))
	if err != nil {
		return fmt.Errorf("%s: %w", want.Path, err)
	}
	if n != want.Size {
		return fmt.Errorf("%s: size is %s bytes but the manifest says %d: fix the manifest or the file", want.Path, sizeAtMost(n, want.Size), want.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return &HashMismatchError{Path: want.Path, Algorithm: "sha256", Got: got, Want: want.SHA256}
	}
	return f.Sync()
}

// sizeAtMost renders a size read through a limit of want+1 bytes.
func sizeAtMost(n, want int64) string {
	if n > want {
		return fmt.Sprintf("more than %d", want)
	}
	return fmt.Sprint(n)
}

// hashFile returns the sha256 (hex) and size of the file at p, reporting
// bytes read to progress when it is not nil.
func hashFile(ctx context.Context, p string, progress func(n int64)) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	var w io.Writer = h
	if progress != nil {
		w = io.MultiWriter(h, progressWriter(progress))
	}
	n, err := io.CopyBuffer(w, ctxReader{ctx, f}, make([]byte, copyBufSize))
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// progressWriter counts bytes written to it.
type progressWriter func(n int64)

func (p progressWriter) Write(b []byte) (int, error) {
	p(int64(len(b)))
	return len(b), nil
}

// isNotExist reports whether err means a file is missing.
func isNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
