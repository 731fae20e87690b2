package resultchunk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/internal/wait"
)

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errURL
	}
	return nil
}

// Uploader stores a job's results as they are produced: Add collects them, each full
// chunk is PUT in the background (retried with backoff), and Close stores the last one and
// waits. A chunk that cannot be stored makes Add and Close fail, so the job stops.
type Uploader struct {
	up    api.ResultsUpload
	total int
	http  *http.Client
	log   *slog.Logger
	// Attempts bounds the tries of one chunk (default 5); Delay is the first wait
	// between them, doubling (default 500 ms).
	Attempts int
	Delay    time.Duration

	buf   []api.FrameResult
	next  int // the result Add expects
	queue chan chunk
	done  chan struct{}

	mu  sync.Mutex
	err error
}

type chunk struct {
	i    int
	data []byte
}

// NewUploader makes an uploader for a job of total results (call Start before Add); hc
// nil uses a client with a two-minute timeout per request.
func NewUploader(up api.ResultsUpload, total int, hc *http.Client, log *slog.Logger) *Uploader {
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	return &Uploader{up: up, total: total, http: hc, log: log, Attempts: 5, Delay: 500 * time.Millisecond,
		queue: make(chan chunk, 4), done: make(chan struct{})}
}

// Start begins uploading; chunks are stored in order until ctx ends.
func (u *Uploader) Start(ctx context.Context) {
	go func() {
		defer close(u.done)
		for c := range u.queue {
			if u.failed() != nil {
				continue // drain: the job is stopping
			}
			if err := u.put(ctx, c); err != nil {
				u.fail(err)
			}
		}
	}()
}

// Add takes result seq, which must follow the previous one.
func (u *Uploader) Add(seq int, fr api.FrameResult) error {
	if err := u.failed(); err != nil {
		return err
	}
	if seq != u.next || seq >= u.total {
		return fmt.Errorf("results upload: result %d arrived, %d of %d was expected", seq, u.next, u.total)
	}
	u.next++
	u.buf = append(u.buf, fr)
	if len(u.buf) == u.up.ChunkFrames {
		return u.send()
	}
	return nil
}

// send encodes the buffered chunk and queues it.
func (u *Uploader) send() error {
	data, err := Encode(u.buf)
	if err != nil {
		return err
	}
	u.queue <- chunk{i: (u.next - 1) / u.up.ChunkFrames, data: data}
	u.buf = u.buf[:0]
	return nil
}

// Close stores the last, short chunk when complete is true and every result arrived,
// and waits for the queued chunks. It returns the first upload error.
func (u *Uploader) Close(complete bool) error {
	var err error
	if complete && len(u.buf) > 0 && u.next == u.total {
		err = u.send()
	}
	close(u.queue)
	<-u.done
	if err != nil {
		return err
	}
	if complete && u.next != u.total {
		return fmt.Errorf("results upload: %d of %d results were produced", u.next, u.total)
	}
	return u.failed()
}

// put stores one chunk, retrying network errors, 429 and 5xx answers.
func (u *Uploader) put(ctx context.Context, c chunk) error {
	delay := u.Delay
	for attempt := 1; ; attempt++ {
		retry, err := u.try(ctx, c)
		if err == nil {
			return nil
		}
		if !retry || attempt >= u.Attempts || ctx.Err() != nil {
			return fmt.Errorf("results upload: chunk %d (%d attempts): %w", c.i, attempt, err)
		}
		u.log.Warn("uploading results failed; retrying", "chunk", c.i, "attempt", attempt, "retry_in", delay, "err", err)
		if err := wait.Sleep(ctx, delay); err != nil {
			return err
		}
		delay *= 2
	}
}

// try makes one PUT; the error never includes the URL (it carries a signature).
func (u *Uploader) try(ctx context.Context, c chunk) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.up.URLs[c.i], bytes.NewReader(c.data))
	if err != nil {
		return false, errors.New("bad upload URL")
	}
	resp, err := u.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return true, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode/100 == 2:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, fmt.Errorf("object storage answered %s", resp.Status)
	default:
		return false, fmt.Errorf("object storage refused the chunk: %s %s", resp.Status, errorCode(body))
	}
}

// errorCode is the S3 error code of an answer's body (the rest can quote the request).
func errorCode(body []byte) string {
	_, rest, ok := bytes.Cut(body, []byte("<Code>"))
	code, _, ok2 := bytes.Cut(rest, []byte("</Code>"))
	if !ok || !ok2 || len(code) > 64 {
		return ""
	}
	return string(code)
}

func (u *Uploader) fail(err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.err == nil {
		u.err = err
	}
}

func (u *Uploader) failed() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.err
}
