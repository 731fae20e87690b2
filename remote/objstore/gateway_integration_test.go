//go:build integration

package objstore_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/samwise-app/samwise/remote/objstore"
	"github.com/samwise-app/samwise/remote/objstore/s3test"
)

// The integration tier runs against versitygw, a real S3 server, started once for the
// package on a loopback port over TLS (the R2 code path) with its posix backend on a
// temporary directory. Each test gets its own bucket.

const (
	rootAccess = "samwise-test-access"
	rootSecret = "samwise-test-secret-0123456789"
)

var gw *gateway

type gateway struct {
	endpoint string
	roots    *x509.CertPool
	dataDir  string
	buckets  atomic.Int32
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "samwise-versitygw-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	g, stop, err := startGateway(dir, true)
	if err != nil {
		fmt.Fprintf(os.Stderr, "objstore integration tests: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	gw = g
	code := m.Run()
	stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startGateway starts versitygw with its data under dir, over TLS or plain HTTP.
func startGateway(dir string, useTLS bool) (*gateway, func(), error) {
	bin, err := s3test.Binary()
	if err != nil {
		return nil, nil, err
	}
	var tlsArgs []string
	var roots *x509.CertPool
	scheme := "http://"
	if useTLS {
		certFile, keyFile, pool, err := selfSignedCert(dir)
		if err != nil {
			return nil, nil, err
		}
		tlsArgs, roots, scheme = []string{"--cert", certFile, "--key", keyFile}, pool, "https://"
	}
	data, meta := filepath.Join(dir, "data"), filepath.Join(dir, "meta")
	for _, d := range []string{data, meta} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, nil, err
		}
	}
	var lastErr error
	for range 3 { // a port picked free can be taken before versitygw binds it
		addr, err := s3test.FreeAddr()
		if err != nil {
			return nil, nil, err
		}
		var out bytes.Buffer
		args := append([]string{"--port", addr, "--region", "auto", "--quiet"}, tlsArgs...)
		cmd := exec.Command(bin, append(args, "posix", "--sidecar", meta, data)...)
		cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+rootAccess, "ROOT_SECRET_KEY="+rootSecret)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			return nil, nil, fmt.Errorf("start %s: %w", bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() {
			cmd.Process.Kill()
			<-exited
		}
		g := &gateway{endpoint: scheme + addr, roots: roots, dataDir: data}
		if err := g.waitReady(exited); err != nil {
			stop()
			lastErr = fmt.Errorf("%w\nversitygw output:\n%s", err, out.String())
			continue
		}
		return g, stop, nil
	}
	return nil, nil, lastErr
}

// waitReady polls until a signed ListBuckets succeeds.
func (g *gateway) waitReady(exited <-chan error) error {
	client := g.rawClient(nil)
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

func (g *gateway) httpClient(base http.RoundTripper) *http.Client {
	if base == nil {
		base = http.DefaultTransport
	}
	tr := base.(*http.Transport).Clone()
	if g.roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: g.roots}
	}
	return &http.Client{Transport: tr}
}

// rawClient is a plain SDK client for setting up scenarios behind the store's back.
func (g *gateway) rawClient(base http.RoundTripper) *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint:               aws.String(g.endpoint),
		Region:                     "auto",
		Credentials:                credentials.NewStaticCredentialsProvider(rootAccess, rootSecret, ""),
		UsePathStyle:               true,
		HTTPClient:                 g.httpClient(base),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// newBucket creates a fresh bucket for one test.
func (g *gateway) newBucket(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("test-%03d", g.buckets.Add(1))
	if _, err := g.rawClient(nil).CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

// recorder is an http.RoundTripper that records requests and can fail them on cue.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	reqs []recorded
	// before, when set, runs before each request is sent; an error fails the request.
	before func(r *http.Request) error
}

type recorded struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
}

func (rec *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
	before := rec.before
	rec.mu.Unlock()
	if before != nil {
		if err := before(r); err != nil {
			return nil, err
		}
	}
	return rec.base.RoundTrip(r)
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// uploadParts returns the part numbers of recorded UploadPart requests.
func (rec *recorder) uploadParts() []string {
	var out []string
	for _, r := range rec.requests() {
		if r.Method == http.MethodPut && r.Query.Has("partNumber") && r.Query.Has("uploadId") {
			out = append(out, r.Query.Get("partNumber"))
		}
	}
	return out
}

// count counts recorded requests with method whose query has (or, for "", lacks any) key.
func (rec *recorder) count(method string, pred func(recorded) bool) int {
	n := 0
	for _, r := range rec.requests() {
		if r.Method == method && pred(r) {
			n++
		}
	}
	return n
}

// newStore returns a store on a fresh bucket, its requests recorded.
func newStore(t *testing.T, mutate func(*objstore.Config)) (*objstore.Store, *recorder, objstore.Config) {
	t.Helper()
	return newStoreOn(t, gw, mutate)
}

func newStoreOn(t *testing.T, g *gateway, mutate func(*objstore.Config)) (*objstore.Store, *recorder, objstore.Config) {
	t.Helper()
	cfg := objstore.Config{
		Endpoint:        g.endpoint,
		Bucket:          g.newBucket(t),
		AccessKeyID:     rootAccess,
		SecretAccessKey: rootSecret,
		UsePathStyle:    true,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	return storeOn(t, g, cfg)
}

func storeFor(t *testing.T, cfg objstore.Config) (*objstore.Store, *recorder, objstore.Config) {
	t.Helper()
	return storeOn(t, gw, cfg)
}

func storeOn(t *testing.T, g *gateway, cfg objstore.Config) (*objstore.Store, *recorder, objstore.Config) {
	t.Helper()
	rec := &recorder{base: g.httpClient(nil).Transport}
	s, err := objstore.New(cfg, objstore.WithHTTPClient(&http.Client{Transport: rec}),
		objstore.WithLogger(slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	return s, rec, s.Config()
}

// selfSignedCert writes a certificate for 127.0.0.1 and returns its files and a pool that
// trusts it.
func selfSignedCert(dir string) (certFile, keyFile string, roots *x509.CertPool, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "samwise-test-s3"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", nil, err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return "", "", nil, err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return "", "", nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return "", "", nil, err
	}
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots, nil
}

// checksumHeaders lists request headers that mean the SDK computed or asked for checksums.
func checksumHeaders(h http.Header) []string {
	var out []string
	for k, v := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz-checksum-") || lk == "x-amz-sdk-checksum-algorithm" || lk == "x-amz-trailer" ||
			(lk == "content-encoding" && strings.Contains(strings.Join(v, ","), "aws-chunked")) ||
			(lk == "x-amz-content-sha256" && strings.HasPrefix(strings.Join(v, ","), "STREAMING-")) {
			out = append(out, k+": "+strings.Join(v, ","))
		}
	}
	return out
}
