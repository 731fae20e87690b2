package vast

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels matched by *APIError (and by transport failures after the last retry) through
// errors.Is.
var (
	// ErrNotFound: the instance or offer does not exist (HTTP 404, or a show answer of null).
	ErrNotFound = errors.New("vast: not found")
	// ErrUnauthorized: the API key is missing, wrong or lacks the permission (HTTP 401/403).
	ErrUnauthorized = errors.New("vast: unauthorized: check the Vast API key (console.vast.ai → Account → API keys)")
	// ErrRateLimited: Vast kept answering 429 after every retry.
	ErrRateLimited = errors.New("vast: rate limited")
	// ErrUnavailable: Vast's servers failed (5xx) or could not be reached, after every retry.
	ErrUnavailable = errors.New("vast: service unavailable")
	// ErrOfferTaken: the offer was rented by someone else or could not be scheduled
	// (error "no_such_ask"); search again and try the next offer.
	ErrOfferTaken = errors.New("vast: offer no longer available")
)

// maxErrorBody is how much of an error answer APIError keeps.
const maxErrorBody = 4 << 10

// APIError is a non-2xx answer from Vast, or a 2xx answer with "success": false.
type APIError struct {
	// Method and Path name the request, e.g. "PUT" "/api/v0/asks/123/".
	Method, Path string
	// Status is the HTTP status code.
	Status int
	// Code is the machine-readable "error" field, e.g. "no_such_instance", when present.
	Code string
	// Msg is the human-readable "msg" (or "message") field, when present.
	Msg string
	// Body is the start of the raw answer (at most 4 KiB), with the API key scrubbed out.
	Body string
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "vast: %s %s: HTTP %d", e.Method, e.Path, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	switch {
	case e.Msg != "":
		fmt.Fprintf(&b, ": %s", e.Msg)
	case e.Body != "" && e.Code == "":
		fmt.Fprintf(&b, ": %s", oneLine(e.Body, 200))
	}
	if hint := e.hint(); hint != "" {
		fmt.Fprintf(&b, " (%s)", hint)
	}
	return b.String()
}

func (e *APIError) hint() string {
	switch {
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return "check the Vast API key and its permissions"
	case e.offerTaken():
		return "the offer is gone: search again and pick another"
	case e.Status == http.StatusTooManyRequests:
		return "too many requests: slow down polling"
	}
	return ""
}

func (e *APIError) offerTaken() bool {
	return e.Code == "no_such_ask" || strings.Contains(e.Msg, "no_such_ask")
}

// Is maps the status and error code onto the package's sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrUnavailable:
		return e.Status >= 500
	case ErrOfferTaken:
		return e.offerTaken()
	}
	return false
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
