package objstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// part is one part to upload; body must be seekable so the SDK can sign and resend it.
type part struct {
	num  int32
	body io.ReadSeeker
	size int64
}

func (s *Store) createUpload(ctx context.Context, key string) (string, error) {
	out, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key))})
	if err != nil {
		return "", s.mapErr("start multipart upload of", key, err)
	}
	return aws.ToString(out.UploadId), nil
}

// uploadParts uploads what produce yields with Config.Concurrency workers and returns the
// completed parts. produce must stop when yield returns false.
func (s *Store) uploadParts(ctx context.Context, key, uploadID string, produce func(yield func(part) bool)) ([]types.CompletedPart, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		done     []types.CompletedPart
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	work := make(chan part)
	for range s.cfg.Concurrency {
		wg.Go(func() {
			for p := range work {
				out, err := s.client.UploadPart(ctx, &s3.UploadPartInput{
					Bucket:        &s.cfg.Bucket,
					Key:           aws.String(s.fullKey(key)),
					UploadId:      aws.String(uploadID),
					PartNumber:    aws.Int32(p.num),
					Body:          p.body,
					ContentLength: aws.Int64(p.size),
				})
				if err != nil {
					fail(fmt.Errorf("objstore: upload part %d of %s: %w", p.num, key, err))
					continue
				}
				mu.Lock()
				done = append(done, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(p.num)})
				mu.Unlock()
				s.log.DebugContext(ctx, "part uploaded", "key", key, "part", p.num, "size", p.size)
			}
		})
	}
	produce(func(p part) bool {
		select {
		case work <- p:
			return true
		case <-ctx.Done():
			return false
		}
	})
	close(work)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("objstore: upload %s: %w", key, err)
	}
	return done, nil
}

func (s *Store) complete(ctx context.Context, key, uploadID string, parts []types.CompletedPart) error {
	slices.SortFunc(parts, func(a, b types.CompletedPart) int { return cmp.Compare(*a.PartNumber, *b.PartNumber) })
	_, err := s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          &s.cfg.Bucket,
		Key:             aws.String(s.fullKey(key)),
		UploadId:        aws.String(uploadID),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return s.mapErr("complete multipart upload of", key, err)
	}
	return nil
}

// abort discards an upload. It runs on its own short context: the caller's may be the
// reason for the failure.
func (s *Store) abort(key, uploadID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key)), UploadId: aws.String(uploadID),
	})
	if err != nil {
		s.log.Warn("abort multipart upload failed; the bucket's lifecycle rule will remove it", "key", key, "upload", uploadID, "err", err)
		return
	}
	s.log.Info("multipart upload aborted", "key", key, "upload", uploadID)
}

// upload is an incomplete multipart upload found on the server.
type upload struct {
	id        string
	initiated time.Time
}

// uploadsFor lists the incomplete multipart uploads of exactly key, oldest first.
func (s *Store) uploadsFor(ctx context.Context, key string) ([]upload, error) {
	full := s.fullKey(key)
	p := s3.NewListMultipartUploadsPaginator(s.client, &s3.ListMultipartUploadsInput{Bucket: &s.cfg.Bucket, Prefix: aws.String(full)})
	var out []upload
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, s.mapErr("list multipart uploads of", key, err)
		}
		for _, u := range page.Uploads {
			if aws.ToString(u.Key) == full { // Prefix also matches longer keys
				out = append(out, upload{id: aws.ToString(u.UploadId), initiated: aws.ToTime(u.Initiated)})
			}
		}
	}
	slices.SortFunc(out, func(a, b upload) int { return a.initiated.Compare(b.initiated) })
	return out, nil
}

// AbortUploads aborts every incomplete multipart upload of key (leftovers of interrupted
// PutFile calls that will not be resumed) and returns how many it aborted.
func (s *Store) AbortUploads(ctx context.Context, key string) (int, error) {
	ups, err := s.uploadsFor(ctx, key)
	if err != nil {
		return 0, err
	}
	for _, u := range ups {
		_, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
			Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key)), UploadId: aws.String(u.id),
		})
		if err != nil {
			return 0, s.mapErr("abort multipart upload of", key, err)
		}
	}
	return len(ups), nil
}

// permanent reports whether err means the upload cannot succeed by trying again later
// (a 4xx answer other than timeout or throttling), as opposed to an interruption — a
// cancel, a network failure, a 5xx — after which PutFile can resume it.
func permanent(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		st := re.HTTPStatusCode()
		return st >= 400 && st < 500 && st != http.StatusRequestTimeout && st != http.StatusTooManyRequests
	}
	return false
}
