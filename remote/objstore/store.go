package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/samwise-app/samwise/engine/artifact"
)

// Store is the S3 artifact.Store. It is safe for concurrent use.
type Store struct {
	cfg     Config
	client  *s3.Client
	presign *s3.PresignClient
	log     *slog.Logger
}

var _ artifact.Store = (*Store)(nil)

// Option configures a Store in New.
type Option func(*options)

type options struct {
	httpClient *http.Client
	log        *slog.Logger
}

// WithHTTPClient makes the store send its requests through hc (default: the SDK's client).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) { o.httpClient = hc }
}

// WithLogger sets the logger; the store adds subsystem=objstore to it.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// New validates cfg and returns a store for it. It makes no request.
func New(cfg Config, opts ...Option) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	o := options{log: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	s3opts := s3.Options{
		BaseEndpoint: aws.String(cfg.Endpoint),
		Region:       cfg.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey.Reveal(), ""),
		UsePathStyle: cfg.UsePathStyle,
		// The R2 checksum trap (remote.md §4.2): the SDK default (WhenSupported) adds CRC32
		// trailers R2 rejected. The zero value means "unset", i.e. WhenSupported, so name
		// the constants.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if o.httpClient != nil {
		s3opts.HTTPClient = o.httpClient
	}
	client := s3.New(s3opts)
	return &Store{
		cfg:     cfg,
		client:  client,
		presign: s3.NewPresignClient(client),
		log:     o.log.With("subsystem", "objstore", "bucket", cfg.Bucket),
	}, nil
}

// Config returns the store's configuration, defaults filled in.
func (s *Store) Config() Config { return s.cfg }

// fullKey is the bucket key of artifact key k.
func (s *Store) fullKey(k string) string { return s.cfg.Prefix + k }

// Get implements artifact.Store; the body streams from the server.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := artifact.ValidKey(key); err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key))})
	if err != nil {
		return nil, s.mapErr("get", key, err)
	}
	return out.Body, nil
}

// Stat implements artifact.Store.
func (s *Store) Stat(ctx context.Context, key string) (artifact.Info, error) {
	if err := artifact.ValidKey(key); err != nil {
		return artifact.Info{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key))})
	if err != nil {
		return artifact.Info{}, s.mapErr("stat", key, err)
	}
	return artifact.Info{
		Key:     key,
		Size:    aws.ToInt64(out.ContentLength),
		ModTime: aws.ToTime(out.LastModified),
		ETag:    aws.ToString(out.ETag),
	}, nil
}

// Delete implements artifact.Store; S3 deletes are idempotent.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := artifact.ValidKey(key); err != nil {
		return err
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.cfg.Bucket, Key: aws.String(s.fullKey(key))})
	if err = s.mapErr("delete", key, err); err != nil && !errors.Is(err, artifact.ErrNotFound) {
		return err
	}
	return nil
}

// List implements artifact.Store. Objects under Config.Prefix whose names are not valid
// artifact keys (written by something else) are skipped.
func (s *Store) List(ctx context.Context, prefix string) ([]artifact.Info, error) {
	if err := artifact.ValidPrefix(prefix); err != nil {
		return nil, err
	}
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.cfg.Bucket, Prefix: aws.String(s.fullKey(prefix))})
	var out []artifact.Info
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, s.mapErr("list", prefix, err)
		}
		for _, o := range page.Contents {
			key, ok := strings.CutPrefix(aws.ToString(o.Key), s.cfg.Prefix)
			if !ok || artifact.ValidKey(key) != nil {
				continue
			}
			out = append(out, artifact.Info{Key: key, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified), ETag: aws.ToString(o.ETag)})
		}
	}
	return out, nil
}

// mapErr turns SDK errors into artifact errors with a hint at the cause.
func (s *Store) mapErr(op, key string, err error) error {
	if err == nil {
		return nil
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return fmt.Errorf("objstore: %s %s: %w", op, key, artifact.ErrNotFound)
		case "NoSuchBucket":
			return fmt.Errorf("objstore: %s %s: bucket %q does not exist at %s; create it or fix Config.Bucket: %w", op, key, s.cfg.Bucket, s.cfg.Endpoint, err)
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "Forbidden":
			return fmt.Errorf("objstore: %s %s: the server refused the credentials; check Config.AccessKeyID/SecretAccessKey and the token's bucket permissions: %w", op, key, err)
		}
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound && (apiErr == nil || apiErr.ErrorCode() == "") {
		return fmt.Errorf("objstore: %s %s: %w", op, key, artifact.ErrNotFound)
	}
	return fmt.Errorf("objstore: %s %s: %w", op, key, err)
}

// hasCode reports whether err is an S3 error with one of the codes.
func hasCode(err error, codes ...string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && slices.Contains(codes, apiErr.ErrorCode())
}
