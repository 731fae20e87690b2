//go:build integration

package burst

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/samwise-app/samwise/remote/objstore"
	"github.com/samwise-app/samwise/remote/objstore/s3test"
)

// TestUploadRetriesAndResumes uploads a 12 MiB file in 5 MiB parts to a real S3 server
// (versitygw) through a proxy that drops part 2 more often than the SDK retries: the
// upload fails, is retried, and resumes — part 1 is not sent again.
func TestUploadRetriesAndResumes(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "media")
	proxy := s3test.NewProxy(t, srv)
	drops := 0
	proxy.SetRule(func(r *http.Request, _ int) s3test.Fault {
		if r.Method == "PUT" && r.URL.Query().Get("partNumber") == "2" && drops < 4 {
			drops++
			return s3test.Drop
		}
		return s3test.Pass
	})
	store, err := objstore.New(objstore.Config{Endpoint: proxy.URL, Bucket: "media", AccessKeyID: s3test.AccessKey, SecretAccessKey: s3test.SecretKey,
		UsePathStyle: true, PartSize: 5 << 20, MultipartThreshold: 5 << 20, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Policy: "auto", Store: store, RetryDelay: 10 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 12<<20)
	rand.Read(data)
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	key, sha, err := s.upload(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if sha != hex.EncodeToString(sum[:]) || key != "media/sha256/"+sha {
		t.Fatalf("upload = %s, %s", key, sha)
	}
	parts := map[string]int{}
	for _, r := range proxy.Requests() {
		if r.Method == "PUT" && r.Query.Get("partNumber") != "" {
			parts[r.Query.Get("partNumber")]++
		}
	}
	if drops != 4 || parts["1"] != 1 || parts["2"] != 5 || parts["3"] != 1 {
		t.Fatalf("part uploads = %v after %d drops; want part 1 and 3 once (resumed), part 2 five times", parts, drops)
	}
	rc, err := store.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, _ := io.ReadAll(rc)
	if sha256.Sum256(got) != sum {
		t.Fatal("the stored object differs from the file")
	}
	// Content-addressed: a second upload of the same file sends nothing.
	before := len(proxy.Requests())
	if _, _, err := s.upload(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	for _, r := range proxy.Requests()[before:] {
		if r.Method == "PUT" || r.Method == "POST" {
			t.Fatalf("the second upload of the same content sent %s %s", r.Method, r.Path)
		}
	}
}
