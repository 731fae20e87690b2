package resultchunk

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
)

// bucket stores PUT bodies by path and answers the statuses its fail func picks.
type bucket struct {
	mu      sync.Mutex
	objects map[string][]byte
	puts    int
	fail    func(path string, put int) int
}

func newBucket(t *testing.T, fail func(path string, put int) int) (*bucket, *httptest.Server) {
	b := &bucket{objects: map[string][]byte{}, fail: fail}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		b.mu.Lock()
		defer b.mu.Unlock()
		b.puts++
		if r.Method != http.MethodPut {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		if code := b.fail(r.URL.Path, b.puts); code != 0 {
			w.WriteHeader(code)
			fmt.Fprintf(w, "<Error><Code>Code%d</Code><StringToSign>secret</StringToSign></Error>", code)
			return
		}
		b.objects[r.URL.Path] = body
	}))
	t.Cleanup(srv.Close)
	return b, srv
}

func upload(srv *httptest.Server, chunks int) api.ResultsUpload {
	up := api.ResultsUpload{ChunkFrames: 4}
	for i := range chunks {
		up.URLs = append(up.URLs, fmt.Sprintf("%s/c%d?X-Amz-Signature=abc", srv.URL, i))
	}
	return up
}

func newUploader(up api.ResultsUpload, total int) *Uploader {
	u := NewUploader(up, total, nil, slog.New(slog.DiscardHandler))
	u.Delay = time.Millisecond
	u.Start(context.Background())
	return u
}

func TestUploaderStoresEveryChunkRetryingServerErrors(t *testing.T) {
	b, srv := newBucket(t, func(path string, put int) int {
		if path == "/c1" && put <= 3 { // chunk 1's first tries meet a busy server
			return http.StatusServiceUnavailable
		}
		return 0
	})
	u := newUploader(upload(srv, 3), 10)
	for i, fr := range results(0, 10) {
		if err := u.Add(i, fr); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.Close(true); err != nil {
		t.Fatal(err)
	}
	for i, n := range []int{4, 4, 2} {
		got, err := Decode(b.objects[fmt.Sprintf("/c%d", i)], n)
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		if got[0].Frame != i*4 {
			t.Fatalf("chunk %d starts at frame %d", i, got[0].Frame)
		}
	}
	if b.puts < 4 {
		t.Fatalf("%d PUTs: the 503 was not retried", b.puts)
	}
}

func TestUploaderStopsTheJobWhenAChunkIsRefused(t *testing.T) {
	_, srv := newBucket(t, func(path string, _ int) int {
		if path == "/c0" {
			return http.StatusForbidden // an expired signature: retrying cannot help
		}
		return 0
	})
	u := newUploader(upload(srv, 3), 10)
	var err error
	for i, fr := range results(0, 10) {
		if err = u.Add(i, fr); err != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cerr := u.Close(err == nil)
	if err == nil {
		err = cerr
	}
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "Code403") {
		t.Fatalf("error = %v, want the refusal with its S3 code", err)
	}
	if strings.Contains(err.Error(), "Signature") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("the error quotes the URL or the answer's request: %v", err)
	}
}

func TestUploaderKeepsOrderAndSkipsTheShortChunkOfAFailedJob(t *testing.T) {
	b, srv := newBucket(t, func(string, int) int { return 0 })
	u := newUploader(upload(srv, 3), 10)
	fr := results(0, 6)
	for i := range 5 {
		if err := u.Add(i, fr[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.Add(6, fr[5]); err == nil || !strings.Contains(err.Error(), "result 6 arrived, 5 of 10 was expected") {
		t.Fatalf("out of order: %v", err)
	}
	if err := u.Close(false); err != nil {
		t.Fatal(err)
	}
	if len(b.objects) != 1 || b.objects["/c0"] == nil {
		t.Fatalf("stored %d chunks, want only the full first one", len(b.objects))
	}
}

func TestUploaderRefusesResultsBeyondTheJob(t *testing.T) {
	_, srv := newBucket(t, func(string, int) int { return 0 })
	u := newUploader(upload(srv, 1), 2)
	fr := results(0, 3)
	u.Add(0, fr[0])
	u.Add(1, fr[1])
	if err := u.Add(2, fr[2]); err == nil {
		t.Fatal("a third result for a job of two was taken")
	}
	if err := u.Close(true); err != nil {
		t.Fatal(err)
	}
}

func TestUploaderCloseReportsMissingResults(t *testing.T) {
	_, srv := newBucket(t, func(string, int) int { return 0 })
	u := newUploader(upload(srv, 3), 10)
	for i, fr := range results(0, 9) {
		u.Add(i, fr)
	}
	if err := u.Close(true); err == nil || !strings.Contains(err.Error(), "9 of 10") {
		t.Fatalf("Close after 9 of 10 results = %v", err)
	}
}
