package objstore

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/samwise-app/samwise/engine/artifact"
)

// PutFile uploads the file at path under key. Files from Config.MultipartThreshold up go
// multipart and resume: when an earlier PutFile of the same key was interrupted (crash,
// cancel, network loss), the parts already on the server whose size and content match the
// file are kept and only the missing ones are uploaded. An upload older than the file's
// last modification is discarded rather than resumed.
//
// After an interruption the incomplete upload stays on the server for the next PutFile; a
// permanent failure (the server rejecting the upload, the file changing underneath)
// aborts it. AbortUploads discards leftovers that will not be resumed.
func (s *Store) PutFile(ctx context.Context, key, path string) error {
	if err := artifact.ValidKey(key); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("objstore: put %s from file: %w", key, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("objstore: put %s from file: %w", key, err)
	}
	size := fi.Size()
	if size < s.cfg.MultipartThreshold {
		_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket:        &s.cfg.Bucket,
			Key:           aws.String(s.fullKey(key)),
			Body:          io.NewSectionReader(f, 0, size),
			ContentLength: aws.Int64(size),
		})
		return s.mapErr("put", key, err)
	}
	nparts := (size + s.cfg.PartSize - 1) / s.cfg.PartSize
	if nparts > MaxParts {
		return fmt.Errorf("objstore: put %s: %d bytes need %d parts of %d bytes, more than S3's %d; raise Config.PartSize", key, size, nparts, s.cfg.PartSize, MaxParts)
	}

	uploadID, have, err := s.resumable(ctx, key, fi)
	if err != nil {
		return err
	}
	if uploadID == "" {
		if uploadID, err = s.createUpload(ctx, key); err != nil {
			return err
		}
	}
	var kept []types.CompletedPart
	var todo []part
	for i := range nparts {
		num := int32(i + 1)
		off := i * s.cfg.PartSize
		n := min(s.cfg.PartSize, size-off)
		sec := io.NewSectionReader(f, off, n)
		if p, ok := have[num]; ok && aws.ToInt64(p.Size) == n {
			same, err := sameContent(sec, aws.ToString(p.ETag))
			if err != nil {
				return fmt.Errorf("objstore: put %s: read %s: %w", key, path, err)
			}
			if same {
				kept = append(kept, types.CompletedPart{ETag: p.ETag, PartNumber: aws.Int32(num)})
				continue
			}
		}
		todo = append(todo, part{num: num, body: sec, size: n})
	}
	s.log.InfoContext(ctx, "multipart upload", "key", key, "upload", uploadID, "parts", nparts, "kept", len(kept), "to_upload", len(todo))

	uploaded, err := s.uploadParts(ctx, key, uploadID, func(yield func(part) bool) {
		for _, p := range todo {
			if !yield(p) {
				return
			}
		}
	})
	if cerr := unchanged(f, fi, path); cerr != nil {
		err = cerr // a changed file makes any other outcome moot
	}
	if err == nil {
		err = s.complete(ctx, key, uploadID, append(kept, uploaded...))
	}
	if err != nil {
		if permanent(err) || errors.Is(err, errFileChanged) {
			s.abort(key, uploadID)
		} else {
			s.log.WarnContext(ctx, "multipart upload interrupted; PutFile resumes it", "key", key, "upload", uploadID, "err", err)
		}
		return err
	}
	return nil
}

// staleSlack absorbs the 1-second resolution of the server's upload start time and small
// clock differences between this machine and the server when deciding whether the file
// changed after an upload began. Parts whose ETag is an MD5 are compared by content anyway.
const staleSlack = 2 * time.Second

var errFileChanged = errors.New("the file changed during the upload; upload it again once it is complete")

// unchanged fails when the file's size or modification time moved since fi.
func unchanged(f *os.File, fi os.FileInfo, path string) error {
	now, err := f.Stat()
	if err != nil {
		return fmt.Errorf("objstore: %s: %w", path, err)
	}
	if now.Size() != fi.Size() || !now.ModTime().Equal(fi.ModTime()) {
		return fmt.Errorf("objstore: %s: %w", path, errFileChanged)
	}
	return nil
}

// resumable finds the newest incomplete upload of key that is younger than the file and
// returns its id and parts; "" when there is none to resume.
func (s *Store) resumable(ctx context.Context, key string, fi os.FileInfo) (string, map[int32]types.Part, error) {
	ups, err := s.uploadsFor(ctx, key)
	if err != nil {
		return "", nil, err
	}
	for i := len(ups) - 1; i >= 0; i-- {
		u := ups[i]
		if fi.ModTime().After(u.initiated.Add(staleSlack)) {
			s.log.InfoContext(ctx, "discarding an upload older than the file", "key", key, "upload", u.id)
			s.abort(key, u.id)
			continue
		}
		parts, err := s.listParts(ctx, key, u.id)
		if hasCode(err, "NoSuchUpload") { // completed or aborted meanwhile
			continue
		}
		if err != nil {
			return "", nil, err
		}
		return u.id, parts, nil
	}
	return "", nil, nil
}

func (s *Store) listParts(ctx context.Context, key, uploadID string) (map[int32]types.Part, error) {
	p := s3.NewListPartsPaginator(s.client, &s3.ListPartsInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key)), UploadId: aws.String(uploadID)})
	out := map[int32]types.Part{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, s.mapErr("list parts of", key, err)
		}
		for _, pt := range page.Parts {
			out[aws.ToInt32(pt.PartNumber)] = pt
		}
	}
	return out, nil
}

// sameContent compares a local part with a stored part's ETag. S3 (and versitygw) use the
// part's MD5 as its ETag; when a server's ETag is not an MD5 the size match the caller
// already checked has to do.
func sameContent(r io.ReadSeeker, etag string) (bool, error) {
	etag = strings.Trim(etag, `"`)
	if _, err := hex.DecodeString(etag); err != nil || len(etag) != 2*md5.Size {
		return true, nil
	}
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return false, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == strings.ToLower(etag), nil
}
