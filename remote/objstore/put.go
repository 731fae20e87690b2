package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/samwise-app/samwise/engine/artifact"
)

// Put implements artifact.Store. Objects smaller than Config.MultipartThreshold go up in
// one PutObject; larger ones (or an unknown size that turns out large) as a multipart
// upload of Config.PartSize parts, aborted on any failure — a stream cannot be resumed,
// use PutFile for that. The bytes are buffered part by part, so every request body is
// seekable.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := artifact.ValidKey(key); err != nil {
		return err
	}
	r = artifact.ContextReader(ctx, r)
	if size >= 0 && size < s.cfg.MultipartThreshold {
		buf := make([]byte, size)
		if n, err := io.ReadFull(r, buf); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return fmt.Errorf("objstore: put %s: read %d bytes, caller announced %d: %w", key, n, size, artifact.ErrSizeMismatch)
			}
			return fmt.Errorf("objstore: put %s: %w", key, err)
		}
		if err := expectEOF(r, key, size); err != nil {
			return err
		}
		return s.putObject(ctx, key, buf)
	}
	// Unknown or large size: read the first part and decide.
	first, err := readPart(r, s.cfg.PartSize)
	if err != nil {
		return fmt.Errorf("objstore: put %s: %w", key, err)
	}
	if size < 0 && int64(len(first)) < min(s.cfg.PartSize, s.cfg.MultipartThreshold) {
		return s.putObject(ctx, key, first)
	}
	return s.putStream(ctx, key, r, first, size)
}

// expectEOF fails with ErrSizeMismatch when r has bytes beyond size.
func expectEOF(r io.Reader, key string, size int64) error {
	var one [1]byte
	n, err := r.Read(one[:])
	if n > 0 {
		return fmt.Errorf("objstore: put %s: the reader has more than the %d bytes the caller announced: %w", key, size, artifact.ErrSizeMismatch)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("objstore: put %s: %w", key, err)
	}
	return nil
}

// readPart reads up to n bytes; a short read at EOF is not an error.
func readPart(r io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, n)
	got, err := io.ReadFull(r, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:got], nil
}

func (s *Store) putObject(ctx context.Context, key string, data []byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        &s.cfg.Bucket,
		Key:           aws.String(s.fullKey(key)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
	})
	if err != nil {
		return s.mapErr("put", key, err)
	}
	return nil
}

// putStream uploads first and the rest of r as a multipart upload, aborting it on failure.
func (s *Store) putStream(ctx context.Context, key string, r io.Reader, first []byte, size int64) (err error) {
	uploadID, err := s.createUpload(ctx, key)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.abort(key, uploadID)
		}
	}()
	var total int64
	var readErr error
	produce := func(yield func(part) bool) {
		buf := first
		for num := int32(1); ; num++ {
			total += int64(len(buf))
			if size >= 0 && total > size {
				readErr = fmt.Errorf("objstore: put %s: the reader has more than the %d bytes the caller announced: %w", key, size, artifact.ErrSizeMismatch)
				return
			}
			if len(buf) == 0 && num > 1 {
				return // EOF on a part boundary
			}
			if !yield(part{num: num, body: bytes.NewReader(buf), size: int64(len(buf))}) {
				return
			}
			if int64(len(buf)) < s.cfg.PartSize {
				return // a short part was the last
			}
			if num == MaxParts {
				readErr = fmt.Errorf("objstore: put %s: more than %d parts of %d bytes; raise Config.PartSize", key, MaxParts, s.cfg.PartSize)
				return
			}
			if buf, readErr = readPart(r, s.cfg.PartSize); readErr != nil {
				readErr = fmt.Errorf("objstore: put %s: %w", key, readErr)
				return
			}
		}
	}
	parts, err := s.uploadParts(ctx, key, uploadID, produce)
	if err == nil {
		err = readErr
	}
	if err == nil && size >= 0 && total != size {
		err = fmt.Errorf("objstore: put %s: read %d bytes, caller announced %d: %w", key, total, size, artifact.ErrSizeMismatch)
	}
	if err != nil {
		return err
	}
	return s.complete(ctx, key, uploadID, parts)
}
