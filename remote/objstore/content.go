package objstore

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/samwise-app/samwise/engine/artifact"
)

// PutContent uploads the file at path under its content address,
// artifact.ContentPrefix + hex SHA-256 ("media/sha256/<hex>"), and returns that key. When
// an object of the same size is already stored there, nothing is uploaded: media goes to
// the bucket once. Large files go through PutFile, so an interrupted upload resumes. The
// file must not change during the call; if it does, the object is removed and an error
// returned.
func (s *Store) PutContent(ctx context.Context, path string) (string, error) {
	before, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("objstore: put content: %w", err)
	}
	key, size, err := artifact.HashFile(ctx, path)
	if err != nil {
		return "", fmt.Errorf("objstore: put content: %w", err)
	}
	info, err := s.Stat(ctx, key)
	switch {
	case err == nil && info.Size == size:
		s.log.DebugContext(ctx, "content already stored", "key", key, "size", size)
		return key, nil
	case err != nil && !errors.Is(err, artifact.ErrNotFound):
		return "", err
	}
	if err := s.PutFile(ctx, key, path); err != nil {
		return "", err
	}
	after, err := os.Stat(path)
	if err != nil || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		// The bytes uploaded may not be the bytes hashed.
		if derr := s.Delete(ctx, key); derr != nil {
			s.log.WarnContext(ctx, "could not remove content uploaded from a changing file", "key", key, "err", derr)
		}
		return "", fmt.Errorf("objstore: put content %s: %w", path, errFileChanged)
	}
	s.log.InfoContext(ctx, "content uploaded", "key", key, "size", size)
	return key, nil
}
