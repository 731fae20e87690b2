package objstore

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/samwise-app/samwise/engine/artifact"
)

// Part and upload limits.
const (
	// MinPartSize is S3's smallest part (all but the last).
	MinPartSize = 5 << 20
	// MaxPartSize is S3's largest part.
	MaxPartSize = 5 << 30
	// MaxParts is S3's part-count limit per upload.
	MaxParts = 10000
	// DefaultPartSize is the part size when Config.PartSize is zero.
	DefaultPartSize = 8 << 20
	// DefaultMultipartThreshold is the size from which Put and PutFile use multipart.
	DefaultMultipartThreshold = 16 << 20
	// DefaultConcurrency is how many parts upload at once by default.
	DefaultConcurrency = 4
)

// Config says which bucket to use and how. For R2: Endpoint
// "https://<account_id>.r2.cloudflarestorage.com", Region "auto", credentials of an R2 API
// token scoped to the bucket.
type Config struct {
	// Endpoint is the S3 API URL. Required.
	Endpoint string
	// Region is the signing region; R2 wants "auto" (the default when empty).
	Region string
	// Bucket is the bucket name. Required.
	Bucket string
	// AccessKeyID and SecretAccessKey are the credentials. Required.
	AccessKeyID     string
	SecretAccessKey Secret
	// Prefix is prepended to every key, e.g. "samwise/alice/"; "" or ending in "/".
	Prefix string
	// UsePathStyle addresses the bucket in the path (endpoint/bucket/key) instead of the host
	// name; local S3 servers need it, R2 accepts it.
	UsePathStyle bool
	// PartSize is the multipart part size (default DefaultPartSize). On R2 all parts but the
	// last must have the same size, so it is fixed per upload.
	PartSize int64
	// MultipartThreshold is the object size from which uploads go multipart (default
	// DefaultMultipartThreshold).
	MultipartThreshold int64
	// Concurrency is how many parts upload at once (default DefaultConcurrency).
	Concurrency int
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.Region == "" {
		c.Region = "auto"
	}
	if c.PartSize == 0 {
		c.PartSize = DefaultPartSize
	}
	if c.MultipartThreshold == 0 {
		c.MultipartThreshold = DefaultMultipartThreshold
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	return c
}

// Validate reports every problem with c (after defaults), each with what to change.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Endpoint == "" {
		errs = append(errs, errors.New("objstore: Config.Endpoint is empty; for R2 set https://<account_id>.r2.cloudflarestorage.com"))
	} else if u, err := url.Parse(c.Endpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("objstore: Config.Endpoint %q is not an http(s) URL with a host", c.Endpoint))
	}
	if c.Bucket == "" {
		errs = append(errs, errors.New("objstore: Config.Bucket is empty; set the bucket name"))
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		errs = append(errs, errors.New("objstore: Config.AccessKeyID and Config.SecretAccessKey are required; create an R2 API token for the bucket"))
	}
	if c.Prefix != "" {
		if !strings.HasSuffix(c.Prefix, "/") {
			errs = append(errs, fmt.Errorf("objstore: Config.Prefix %q must end with \"/\"", c.Prefix))
		} else if err := artifact.ValidPrefix(c.Prefix); err != nil {
			errs = append(errs, fmt.Errorf("objstore: Config.Prefix: %w", err))
		}
	}
	if c.PartSize < MinPartSize || c.PartSize > MaxPartSize {
		errs = append(errs, fmt.Errorf("objstore: Config.PartSize %d is outside S3's %d..%d bytes", c.PartSize, MinPartSize, MaxPartSize))
	}
	if c.MultipartThreshold < 1 {
		errs = append(errs, fmt.Errorf("objstore: Config.MultipartThreshold %d must be positive", c.MultipartThreshold))
	}
	if c.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("objstore: Config.Concurrency %d must be at least 1", c.Concurrency))
	}
	return errors.Join(errs...)
}
