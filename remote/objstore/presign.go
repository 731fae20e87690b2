package objstore

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/samwise-app/samwise/engine/artifact"
)

// Presigned URL expiry bounds (R2 accepts 1 s to 7 days).
const (
	MinPresignExpiry = time.Second
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// PresignedRequest is a request anyone holding it can make without credentials until it
// expires: the remote worker reads media and writes results with these.
type PresignedRequest struct {
	// Method is the HTTP method to use, GET or PUT.
	Method string
	// URL carries the signature in its query string; treat it as a secret until expiry.
	URL string
	// Header holds headers that were signed and must be sent as they are (usually only
	// Host, which HTTP clients set themselves).
	Header http.Header
	// Expires is when the signature stops being accepted.
	Expires time.Time
}

// PresignGet returns a GET request for key valid for expiry. It is signed locally; no
// request is made.
func (s *Store) PresignGet(ctx context.Context, key string, expiry time.Duration) (PresignedRequest, error) {
	if err := s.checkPresign(key, expiry); err != nil {
		return PresignedRequest{}, err
	}
	now := time.Now()
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key))}, s3.WithPresignExpires(expiry))
	if err != nil {
		return PresignedRequest{}, s.mapErr("presign get", key, err)
	}
	return PresignedRequest{Method: req.Method, URL: req.URL, Header: req.SignedHeader, Expires: now.Add(expiry)}, nil
}

// PresignPut returns a PUT request that stores its body under key, valid for expiry. No
// checksum is signed into it (checksums are "when required"), so any client can send a
// plain body.
func (s *Store) PresignPut(ctx context.Context, key string, expiry time.Duration) (PresignedRequest, error) {
	if err := s.checkPresign(key, expiry); err != nil {
		return PresignedRequest{}, err
	}
	now := time.Now()
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key))}, s3.WithPresignExpires(expiry))
	if err != nil {
		return PresignedRequest{}, s.mapErr("presign put", key, err)
	}
	return PresignedRequest{Method: req.Method, URL: req.URL, Header: req.SignedHeader, Expires: now.Add(expiry)}, nil
}

func (s *Store) checkPresign(key string, expiry time.Duration) error {
	if err := artifact.ValidKey(key); err != nil {
		return err
	}
	if expiry < MinPresignExpiry || expiry > MaxPresignExpiry {
		return fmt.Errorf("objstore: presign %s: expiry %s is outside %s..%s (R2's limits)", key, expiry, MinPresignExpiry, MaxPresignExpiry)
	}
	return nil
}
