package vast

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// RetryPolicy says how often and how patiently the client retries.
//
// Idempotent calls (search, show, list, destroy) retry on HTTP 429, on 5xx other than 501,
// on attempt timeouts and on network errors. Vast sends no Retry-After, so every wait is
// exponential backoff with jitter.
//
// CreateInstance is not idempotent: each success rents a GPU. It retries only on 429 and
// on "connection refused", the two failures that prove the request was not acted on (the
// rate limiter answers before the handler runs; a refused connection never carried the
// request). A 5xx, a timeout or a reset connection may come after Vast already created the
// instance, and retrying could rent a second, untracked GPU — so those fail at once and the
// caller should look for the instance by label (ListByLabel) before trying again.
type RetryPolicy struct {
	// MaxRetries is how many times a call is retried after its first attempt.
	MaxRetries int
	// BaseDelay is the wait before the first retry; each later wait is Multiplier times
	// longer, capped at MaxDelay. Each wait is jittered uniformly into [d/2, d].
	BaseDelay time.Duration
	// MaxDelay caps one wait.
	MaxDelay time.Duration
	// Multiplier grows the wait between retries (values below 1 are treated as 1).
	Multiplier float64
}

// DefaultRetryPolicy retries 5 times, waiting about 0.5, 1, 2, 4 and 8 s.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 5, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second, Multiplier: 2}

func (p RetryPolicy) delay(attempt int) time.Duration {
	d := float64(p.BaseDelay) * math.Pow(max(p.Multiplier, 1), float64(attempt))
	if p.MaxDelay > 0 {
		d = min(d, float64(p.MaxDelay))
	}
	if d < 2 {
		return time.Duration(d)
	}
	half := int64(d / 2)
	return time.Duration(half + rand.Int64N(half+1))
}

func (p RetryPolicy) retryStatus(status int, idempotent bool) bool {
	if status == http.StatusTooManyRequests {
		return true
	}
	return idempotent && status >= 500 && status != http.StatusNotImplemented
}

func (p RetryPolicy) retryTransport(err error, idempotent bool) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	if !idempotent {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error is itself a net.Error; judge what it wraps
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
