package objstore_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/artifact"
	"github.com/samwise-app/samwise/remote/objstore"
)

func validConfig() objstore.Config {
	return objstore.Config{
		Endpoint:        "https://0123456789abcdef.r2.cloudflarestorage.com",
		Bucket:          "samwise",
		AccessKeyID:     "AKIDEXAMPLE",
		SecretAccessKey: "r2-secret-value-123",
	}
}

func TestConfigValidate(t *testing.T) {
	if err := validConfig().Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for _, tc := range []struct {
		mutate func(*objstore.Config)
		want   string
	}{
		{func(c *objstore.Config) { c.Endpoint = "" }, "Endpoint is empty"},
		{func(c *objstore.Config) { c.Endpoint = "ftp://x" }, "not an http(s) URL"},
		{func(c *objstore.Config) { c.Bucket = "" }, "Bucket is empty"},
		{func(c *objstore.Config) { c.SecretAccessKey = "" }, "SecretAccessKey are required"},
		{func(c *objstore.Config) { c.Prefix = "users/alice" }, `must end with "/"`},
		{func(c *objstore.Config) { c.Prefix = "../x/" }, "invalid key"},
		{func(c *objstore.Config) { c.PartSize = 1 << 20 }, "PartSize"},
		{func(c *objstore.Config) { c.Concurrency = -1 }, "Concurrency"},
	} {
		c := validConfig()
		tc.mutate(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error mentioning %q", c, err, tc.want)
		}
		if _, nerr := objstore.New(c); nerr == nil {
			t.Errorf("New accepted an invalid config (%s)", tc.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	s, err := objstore.New(validConfig())
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config()
	if c.Region != "auto" || c.PartSize != objstore.DefaultPartSize || c.MultipartThreshold != objstore.DefaultMultipartThreshold || c.Concurrency != objstore.DefaultConcurrency {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestConfigPrintsNoSecret(t *testing.T) {
	c := validConfig()
	for _, out := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(out, "r2-secret-value-123") {
			t.Errorf("config prints its secret: %s", out)
		}
	}
}

// Presigning is local: the URL can be checked without a server.
func TestPresignedURLShape(t *testing.T) {
	c := validConfig()
	c.Prefix = "users/alice/"
	s, err := objstore.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	put, err := s.PresignPut(ctx, "media/sha256/ab", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(put.URL)
	if err != nil {
		t.Fatal(err)
	}
	if put.Method != "PUT" || u.Host != "samwise.0123456789abcdef.r2.cloudflarestorage.com" || u.Path != "/users/alice/media/sha256/ab" {
		t.Fatalf("presigned PUT = %s %s", put.Method, put.URL)
	}
	q := u.Query()
	if q.Get("X-Amz-Expires") != "900" || q.Get("X-Amz-Signature") == "" || !strings.Contains(q.Get("X-Amz-Credential"), "/auto/s3/") {
		t.Fatalf("presigned PUT query = %v", q)
	}
	for k := range q {
		if strings.Contains(strings.ToLower(k), "checksum") {
			t.Errorf("presigned PUT bakes in a checksum (%s): uploads of other bodies would fail", k)
		}
	}
	if strings.Contains(put.URL, "r2-secret-value-123") {
		t.Error("presigned URL contains the secret key")
	}
	get, err := s.PresignGet(ctx, "media/sha256/ab", time.Hour)
	if err != nil || get.Method != "GET" || !get.Expires.After(time.Now()) {
		t.Fatalf("PresignGet = %+v, %v", get, err)
	}
	for _, d := range []time.Duration{0, 8 * 24 * time.Hour} {
		if _, err := s.PresignGet(ctx, "k", d); err == nil {
			t.Errorf("PresignGet with expiry %s accepted", d)
		}
	}
	if _, err := s.PresignPut(ctx, "../k", time.Minute); !errors.Is(err, artifact.ErrInvalidKey) {
		t.Errorf("PresignPut(../k) = %v, want ErrInvalidKey", err)
	}
}
