package artifact

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// ContentPrefix is where content-addressed media lives: ContentPrefix + hex SHA-256.
const ContentPrefix = "media/sha256/"

// ContentKey returns the content-addressed key of bytes whose SHA-256 is sum.
func ContentKey(sum [sha256.Size]byte) string {
	return ContentPrefix + hex.EncodeToString(sum[:])
}

// HashFile returns the content-addressed key (ContentKey) and the size of the file at path.
// It reads the whole file and stops early when ctx is done.
func HashFile(ctx context.Context, path string) (key string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("artifact: hash %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	size, err = io.Copy(h, ContextReader(ctx, f))
	if err != nil {
		return "", 0, fmt.Errorf("artifact: hash %s: %w", path, err)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return ContentKey(sum), size, nil
}

// ContextReader returns a reader that fails with ctx's error once ctx is done, so a long
// copy from r stops promptly after a cancel.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
