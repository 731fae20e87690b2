// Package s3test runs a real S3 server for tests: versitygw (built by
// build/install-versitygw.sh) on a loopback port with the posix backend in a temporary
// directory, and a proxy in front of it that can fail requests on cue.
package s3test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Root credentials of every test server.
const (
	AccessKey = "samwise-s3test-access"
	SecretKey = "samwise-s3test-secret-0123456789"
)

// Server is a running versitygw.
type Server struct {
	// Endpoint is its plain-HTTP root, e.g. http://127.0.0.1:41234.
	Endpoint string
}

// Binary finds versitygw: $SAMWISE_VERSITYGW, else build/bin/versitygw of the repository.
// The error names the install script.
func Binary() (string, error) {
	if p := os.Getenv("SAMWISE_VERSITYGW"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("SAMWISE_VERSITYGW=%s: %w", p, err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory; set SAMWISE_VERSITYGW")
		}
		dir = parent
	}
	bin := filepath.Join(dir, "build", "bin", "versitygw")
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("versitygw is not installed at %s: run build/install-versitygw.sh (or set SAMWISE_VERSITYGW)", bin)
	}
	return bin, nil
}

// Start runs versitygw until the test ends. It fails the test (never skips) when the
// binary is missing.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data, meta := filepath.Join(dir, "data"), filepath.Join(dir, "meta")
	for _, d := range []string{data, meta} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var lastErr error
	for range 3 { // a port picked free can be taken before versitygw binds it
		addr, err := FreeAddr()
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		cmd := exec.Command(bin, "--port", addr, "--region", "auto", "--quiet", "posix", "--sidecar", meta, data)
		cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+AccessKey, "ROOT_SECRET_KEY="+SecretKey)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		s := &Server{Endpoint: "http://" + addr}
		if err := s.waitReady(exited); err != nil {
			cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%w\nversitygw output:\n%s", err, out.String())
			continue
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			<-exited
		})
		return s
	}
	t.Fatal(lastErr)
	return nil
}

// Client is an SDK client with the root credentials.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(s.Endpoint), Region: "auto",
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		UsePathStyle: true, RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// CreateBucket makes a bucket or fails the test.
func (s *Server) CreateBucket(t testing.TB, name string) {
	t.Helper()
	if _, err := s.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func (s *Server) waitReady(exited <-chan error) error {
	client := s.Client()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if err == nil {
			return nil
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("versitygw exited before it was ready: %v", werr)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("versitygw not ready after 30s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FreeAddr returns a loopback host:port that was free a moment ago.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
