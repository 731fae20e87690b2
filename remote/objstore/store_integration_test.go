//go:build integration

package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/samwise-app/samwise/engine/artifact"
	"github.com/samwise-app/samwise/engine/artifact/artifacttest"
	"github.com/samwise-app/samwise/remote/objstore"
)

const mib = 1 << 20

func TestContract(t *testing.T) {
	t.Run("SinglePut", func(t *testing.T) {
		artifacttest.Run(t, func(t *testing.T) artifact.Store {
			s, _, _ := newStore(t, nil)
			return s
		})
	})
	// The same contract with every object from 1 MiB up going multipart (one short part),
	// so size checks, failures and cancels of the multipart path are covered too.
	t.Run("Multipart", func(t *testing.T) {
		artifacttest.Run(t, func(t *testing.T) artifact.Store {
			s, _, _ := newStore(t, func(c *objstore.Config) { c.MultipartThreshold = mib; c.PartSize = objstore.MinPartSize })
			return s
		})
	})
	t.Run("Prefixed", func(t *testing.T) {
		artifacttest.Run(t, func(t *testing.T) artifact.Store {
			s, _, _ := newStore(t, func(c *objstore.Config) { c.Prefix = "users/alice/" })
			return s
		})
	})
}

func writeFile(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "clip.bin")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func smallParts(c *objstore.Config) {
	c.PartSize = objstore.MinPartSize
	c.MultipartThreshold = objstore.MinPartSize
}

func TestMultipartFileAndStream(t *testing.T) {
	s, rec, _ := newStore(t, smallParts)
	ctx := context.Background()
	data := artifacttest.Bytes(20, 20*mib)
	if err := s.PutFile(ctx, "media/big.mp4", writeFile(t, data)); err != nil {
		t.Fatal(err)
	}
	if got := rec.uploadParts(); len(got) != 4 {
		t.Fatalf("PutFile of 20 MiB in 5 MiB parts uploaded parts %v, want 4", got)
	}
	if got := artifacttest.MustGet(t, s, "media/big.mp4"); !bytes.Equal(got, data) {
		t.Fatalf("Get returned %d bytes that differ from the 20 MiB put", len(got))
	}
	// The same bytes as a stream of unknown length.
	before := len(rec.uploadParts())
	if err := s.Put(ctx, "media/stream.mp4", io.MultiReader(bytes.NewReader(data), strings.NewReader("tail")), -1); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.uploadParts()) - before; got != 5 {
		t.Fatalf("streamed Put uploaded %d parts, want 5 (4 full + a 4-byte tail)", got)
	}
	info, err := s.Stat(ctx, "media/stream.mp4")
	if err != nil || info.Size != 20*mib+4 {
		t.Fatalf("Stat = %+v, %v", info, err)
	}
	if n := countUploads(t, s.Config().Bucket); n != 0 {
		t.Fatalf("%d incomplete uploads left", n)
	}
}

func countUploads(t *testing.T, bucket string) int {
	t.Helper()
	out, err := gw.rawClient(nil).ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Uploads)
}

func TestPutFileResumesAfterCrash(t *testing.T) {
	cfg := func(c *objstore.Config) { smallParts(c); c.Concurrency = 1 }
	s, rec, conf := newStore(t, cfg)
	data := artifacttest.Bytes(21, 20*mib+123) // 5 parts, the last 123 bytes
	path := writeFile(t, data)

	// "Crash" when part 3 is about to go: the context dies with the process.
	ctx, cancel := context.WithCancel(context.Background())
	rec.before = func(r *http.Request) error {
		if r.URL.Query().Get("partNumber") == "3" {
			cancel()
			return context.Canceled
		}
		return nil
	}
	err := s.PutFile(ctx, "media/resume.mp4", path)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted PutFile = %v, want context.Canceled", err)
	}
	if n := countUploads(t, conf.Bucket); n != 1 {
		t.Fatalf("%d incomplete uploads after the crash, want 1 kept for resuming", n)
	}

	// A new process: a fresh store on the same bucket.
	s2, rec2, _ := storeFor(t, conf)
	if err := s2.PutFile(context.Background(), "media/resume.mp4", path); err != nil {
		t.Fatal(err)
	}
	if got := rec2.uploadParts(); !slices.Equal(got, []string{"3", "4", "5"}) {
		t.Fatalf("resumed PutFile uploaded parts %v, want only the missing [3 4 5]", got)
	}
	if got := artifacttest.MustGet(t, s2, "media/resume.mp4"); !bytes.Equal(got, data) {
		t.Fatal("resumed object differs from the file")
	}
	if n := countUploads(t, conf.Bucket); n != 0 {
		t.Fatalf("%d incomplete uploads after completion", n)
	}
}

// startUpload plays an earlier, interrupted PutFile: an upload of key with the given parts.
func startUpload(t *testing.T, bucket, key string, parts map[int32][]byte) string {
	t.Helper()
	ctx := context.Background()
	raw := gw.rawClient(nil)
	up, err := raw.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	for num, body := range parts {
		_, err := raw.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId,
			PartNumber: aws.Int32(num), Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body)))})
		if err != nil {
			t.Fatal(err)
		}
	}
	return aws.ToString(up.UploadId)
}

func TestPutFileReuploadsPartsThatDoNotMatch(t *testing.T) {
	s, rec, conf := newStore(t, smallParts)
	data := artifacttest.Bytes(22, 15*mib) // 3 parts
	path := writeFile(t, data)
	startUpload(t, conf.Bucket, "media/x.mp4", map[int32][]byte{
		1: data[:5*mib],
		2: artifacttest.Bytes(99, 5*mib), // right size, wrong bytes
	})
	if err := s.PutFile(context.Background(), "media/x.mp4", path); err != nil {
		t.Fatal(err)
	}
	got := rec.uploadParts()
	slices.Sort(got)
	if !slices.Equal(got, []string{"2", "3"}) {
		t.Fatalf("uploaded parts %v, want [2 3] (part 1 matches, part 2 is corrupt)", got)
	}
	if !bytes.Equal(artifacttest.MustGet(t, s, "media/x.mp4"), data) {
		t.Fatal("object differs from the file")
	}
}

func TestPutFileDiscardsUploadOlderThanFile(t *testing.T) {
	s, rec, conf := newStore(t, smallParts)
	data := artifacttest.Bytes(23, 10*mib)
	path := writeFile(t, data)
	startUpload(t, conf.Bucket, "media/y.mp4", map[int32][]byte{1: data[:5*mib]})
	// The file was rewritten after that upload began.
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, future, future); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFile(context.Background(), "media/y.mp4", path); err != nil {
		t.Fatal(err)
	}
	got := rec.uploadParts()
	slices.Sort(got)
	if !slices.Equal(got, []string{"1", "2"}) {
		t.Fatalf("uploaded parts %v, want all of [1 2]", got)
	}
	if n := countUploads(t, conf.Bucket); n != 0 {
		t.Fatalf("%d incomplete uploads left; the stale one should be aborted", n)
	}
}

func TestAbortUploads(t *testing.T) {
	s, _, conf := newStore(t, nil)
	startUpload(t, conf.Bucket, "media/z", map[int32][]byte{1: []byte("x")})
	startUpload(t, conf.Bucket, "media/z", nil)
	startUpload(t, conf.Bucket, "media/z-other", nil) // same prefix, another key
	n, err := s.AbortUploads(context.Background(), "media/z")
	if err != nil || n != 2 {
		t.Fatalf("AbortUploads = %d, %v; want 2", n, err)
	}
	if left := countUploads(t, conf.Bucket); left != 1 {
		t.Fatalf("%d uploads left, want only media/z-other's", left)
	}
}

func TestPutContentDedupes(t *testing.T) {
	s, rec, _ := newStore(t, smallParts)
	ctx := context.Background()
	data := artifacttest.Bytes(24, 7*mib) // multipart: 2 parts
	p1 := writeFile(t, data)
	key, err := s.PutContent(ctx, p1)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := "media/sha256/" + hex.EncodeToString(sum[:]); key != want {
		t.Fatalf("key = %q, want %q", key, want)
	}
	puts := func() int { return rec.count(http.MethodPut, func(recorded) bool { return true }) }
	if n := puts(); n != 2 {
		t.Fatalf("first PutContent made %d PUT requests, want 2 parts", n)
	}
	// The same bytes again, from another path: only a HEAD, no upload.
	p2 := writeFile(t, data)
	key2, err := s.PutContent(ctx, p2)
	if err != nil || key2 != key {
		t.Fatalf("second PutContent = %q, %v", key2, err)
	}
	if n := puts(); n != 2 {
		t.Fatalf("second PutContent uploaded again (%d PUT requests in all)", n)
	}
	if !bytes.Equal(artifacttest.MustGet(t, s, key), data) {
		t.Fatal("content object differs")
	}
	// A stored object of the wrong size under the key (a torn earlier upload) is replaced.
	if err := s.Put(ctx, key, strings.NewReader("torn"), 4); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutContent(ctx, p1); err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Stat(ctx, key); info.Size != int64(len(data)) {
		t.Fatalf("size after repair = %d, want %d", info.Size, len(data))
	}
}

func TestPresignedGetAndPutWithPlainHTTP(t *testing.T) {
	s, _, _ := newStore(t, func(c *objstore.Config) { c.Prefix = "users/bob/" })
	ctx := context.Background()
	hc := gw.httpClient(nil) // trusts the test CA, no AWS code involved
	data := artifacttest.Bytes(25, 300_000)

	put, err := s.PresignPut(ctx, "jobs/1/result.bin", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(put.Method, put.URL, bytes.NewReader(data))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned PUT: HTTP %d", resp.StatusCode)
	}
	if !bytes.Equal(artifacttest.MustGet(t, s, "jobs/1/result.bin"), data) {
		t.Fatal("object stored by presigned PUT differs")
	}

	get, err := s.PresignGet(ctx, "jobs/1/result.bin", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = hc.Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("presigned GET: HTTP %d, %d bytes", resp.StatusCode, len(body))
	}

	// A tampered signature is refused: the server really checks it.
	tampered := strings.Replace(get.URL, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
	resp, err = hc.Get(tampered)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("tampered presigned GET: HTTP %d, want 403", resp.StatusCode)
	}
}

func TestNotFoundAndConfigErrors(t *testing.T) {
	s, _, conf := newStore(t, nil)
	ctx := context.Background()
	if _, err := s.Stat(ctx, "nope"); !errors.Is(err, artifact.ErrNotFound) {
		t.Fatalf("Stat(missing) = %v", err)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, artifact.ErrNotFound) {
		t.Fatalf("Get(missing) = %v", err)
	}

	noBucket := conf
	noBucket.Bucket = "no-such-bucket"
	nb, _, _ := storeFor(t, noBucket)
	_, err := nb.Get(ctx, "k")
	if err == nil || errors.Is(err, artifact.ErrNotFound) || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Get from a missing bucket = %v, want a bucket error (not ErrNotFound)", err)
	}

	wrong := conf
	wrong.SecretAccessKey = "not-the-secret"
	ws, _, _ := storeFor(t, wrong)
	err = ws.Put(ctx, "k", strings.NewReader("x"), 1)
	if err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Fatalf("Put with a wrong secret = %v, want a credentials hint", err)
	}
	if strings.Contains(err.Error(), "not-the-secret") {
		t.Fatal("error text contains the secret")
	}
}

// The R2 checksum trap: no request may carry SDK checksums or aws-chunked trailers, and
// every upload style must still succeed against a real, signature-checking server over TLS.
func TestNoChecksumsOnTheWire(t *testing.T) {
	s, rec, _ := newStore(t, smallParts)
	ctx := context.Background()
	if err := s.Put(ctx, "a/small", bytes.NewReader(artifacttest.Bytes(26, 12_000)), 12_000); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "a/unknown", io.LimitReader(bytes.NewReader(artifacttest.Bytes(27, 12_000)), 12_000), -1); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFile(ctx, "a/multi", writeFile(t, artifacttest.Bytes(28, 6*mib))); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a/small", "a/unknown", "a/multi"} {
		artifacttest.MustGet(t, s, k)
	}
	reqs := rec.requests()
	if len(reqs) < 8 {
		t.Fatalf("only %d requests recorded", len(reqs))
	}
	for _, r := range reqs {
		if bad := checksumHeaders(r.Header); len(bad) > 0 {
			t.Errorf("%s %s?%s carries checksum headers %v", r.Method, r.Path, r.Query.Encode(), bad)
		}
	}
}

// Over plain HTTP the SDK cannot send a checksum trailer and fails on unseekable bodies
// (remote.md §4.2); every body the store sends is seekable, so all upload styles work.
func TestPlainHTTP(t *testing.T) {
	g, stop, err := startGateway(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	s, _, _ := newStoreOn(t, g, smallParts)
	ctx := context.Background()
	small := artifacttest.Bytes(29, 12_000)
	big := artifacttest.Bytes(30, 6*mib)
	if err := s.Put(ctx, "h/small", bytes.NewReader(small), -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "h/stream", iotest.OneByteReader(bytes.NewReader(big)), -1); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFile(ctx, "h/file", writeFile(t, big)); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string][]byte{"h/small": small, "h/stream": big, "h/file": big} {
		if !bytes.Equal(artifacttest.MustGet(t, s, k), want) {
			t.Errorf("%s differs after a plain-HTTP round trip", k)
		}
	}
}
