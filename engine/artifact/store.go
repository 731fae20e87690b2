package artifact

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrNotFound is returned (wrapped) by Get and Stat when no object is stored under the key.
var ErrNotFound = errors.New("artifact: not found")

// ErrSizeMismatch is returned (wrapped) by Put when the reader delivered a different number
// of bytes than the size the caller announced; nothing is stored in that case.
var ErrSizeMismatch = errors.New("artifact: size mismatch")

// Info describes one stored object.
type Info struct {
	// Key is the object's key, as given to Put.
	Key string
	// Size is the object's length in bytes.
	Size int64
	// ModTime is when the object was last written.
	ModTime time.Time
	// ETag is the backend's opaque version tag when it has one (S3), or "" (Dir).
	ETag string
}

// Store keeps blobs under validated keys. Implementations are safe for concurrent use.
//
// Writes are atomic: a reader sees either the previous object or the complete new one,
// never a partial write, and a failed or cancelled Put leaves the previous object (if any)
// in place.
type Store interface {
	// Put stores the bytes of r under key, replacing any object already there. size is the
	// exact number of bytes r will deliver, or -1 when unknown; a reader that delivers a
	// different count makes Put fail with ErrSizeMismatch and store nothing.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Get opens the object under key for streaming; the caller must Close it. A missing
	// object is ErrNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat describes the object under key. A missing object is ErrNotFound.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object under key. Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// List describes every object whose key starts with prefix (a plain string prefix, as
	// in S3: "media/" lists the media tree, "" lists everything), sorted by key.
	List(ctx context.Context, prefix string) ([]Info, error)
}
