package vast

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/samwise-app/samwise/internal/wait"
)

// DefaultBaseURL is the root of Vast's v0 REST API.
const DefaultBaseURL = "https://console.vast.ai/api/v0"

// maxResponse bounds how much of one answer is read (a full instance list page is ~100 KiB).
const maxResponse = 16 << 20

// Client talks to the Vast.ai REST API. It is safe for concurrent use. The zero value is
// not usable; call New.
type Client struct {
	apiKey         Secret
	baseURL        string
	httpClient     *http.Client
	log            *slog.Logger
	userAgent      string
	retry          RetryPolicy
	attemptTimeout time.Duration
}

// Option configures a Client in New.
type Option func(*Client)

// WithBaseURL sets the root of the v0 API (default DefaultBaseURL), e.g. a vasttest
// server's BaseURL. The v1 instance list is found by replacing the final "/v0" with "/v1".
func WithBaseURL(u string) Option {
	return func(c *Client) { c.baseURL = strings.TrimRight(u, "/") }
}

// WithHTTPClient sets the HTTP client (default: a client with no overall timeout; each
// attempt is bounded by WithAttemptTimeout instead).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.httpClient = hc }
}

// WithLogger sets the logger; the client adds subsystem=vast to it.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) { c.log = l.With("subsystem", "vast") }
}

// WithRetryPolicy replaces DefaultRetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) { c.retry = p }
}

// WithAttemptTimeout bounds each HTTP attempt (default 60 s); an attempt that times out
// counts as a transient failure. Zero means no per-attempt bound.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *Client) { c.attemptTimeout = d }
}

// WithUserAgent sets the User-Agent header (default "samwise-vast/1").
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.userAgent = ua }
}

// New returns a client that authenticates with apiKey. It only records settings; no
// request is made until a method is called.
func New(apiKey Secret, opts ...Option) *Client {
	c := &Client{
		apiKey:         apiKey,
		baseURL:        DefaultBaseURL,
		httpClient:     &http.Client{},
		log:            slog.Default().With("subsystem", "vast"),
		userAgent:      "samwise-vast/1",
		retry:          DefaultRetryPolicy,
		attemptTimeout: 60 * time.Second,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// call describes one API request.
type call struct {
	method string
	path   string // below the API root, e.g. "/bundles/"
	v1     bool   // use the v1 root instead of v0
	query  url.Values
	body   any // JSON-encoded when non-nil
	// idempotent calls retry on every transient failure; the others only where the
	// request provably did not take effect (see RetryPolicy).
	idempotent bool
}

func (c *Client) url(cl call) (string, error) {
	root := c.baseURL
	if cl.v1 {
		v0, ok := strings.CutSuffix(root, "/v0")
		if !ok {
			return "", fmt.Errorf("vast: base URL %q does not end in /v0, so the v1 instance list cannot be located; use a base URL like %s", c.baseURL, DefaultBaseURL)
		}
		root = v0 + "/v1"
	}
	u := root + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	return u, nil
}

// envelope is the part of every Vast answer that reports failure.
type envelope struct {
	Success *bool  `json:"success"`
	Error   string `json:"error"`
	Msg     string `json:"msg"`
	Message string `json:"message"`
}

// do performs cl with retries and decodes a 2xx JSON answer into out (when non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	u, err := c.url(cl)
	if err != nil {
		return err
	}
	var body []byte
	if cl.body != nil {
		if body, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("vast: %s %s: encode request: %w", cl.method, cl.path, err)
		}
	}
	for attempt := 0; ; attempt++ {
		status, data, err := c.attempt(ctx, cl.method, u, body)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("vast: %s %s: %w", cl.method, cl.path, ctxErr)
		}
		var retry bool
		var failure error
		if err != nil {
			retry = c.retry.retryTransport(err, cl.idempotent)
			failure = err
		} else if status/100 == 2 {
			return c.decode(cl, status, data, out)
		} else {
			retry = c.retry.retryStatus(status, cl.idempotent)
			failure = c.apiError(cl, status, data)
		}
		if !retry || attempt >= c.retry.MaxRetries {
			return c.finalError(cl, failure, attempt+1)
		}
		delay := c.retry.delay(attempt)
		c.log.WarnContext(ctx, "vast request failed, retrying",
			"method", cl.method, "path", cl.path, "attempt", attempt+1,
			"status", status, "err", failure, "retry_in", delay)
		if err := wait.Sleep(ctx, delay); err != nil {
			return fmt.Errorf("vast: %s %s: %w", cl.method, cl.path, err)
		}
	}
}

// attempt makes one HTTP exchange and reads the whole answer.
func (c *Client) attempt(ctx context.Context, method, u string, body []byte) (int, []byte, error) {
	if c.attemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.attemptTimeout)
		defer cancel()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey.Reveal())
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return 0, nil, err
	}
	c.log.DebugContext(ctx, "vast request", "method", method, "path", req.URL.Path,
		"status", resp.StatusCode, "duration", time.Since(start))
	return resp.StatusCode, data, nil
}

func (c *Client) decode(cl call, status int, data []byte, out any) error {
	var env envelope
	if json.Unmarshal(data, &env) == nil && env.Success != nil && !*env.Success {
		return c.apiError(cl, status, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("vast: %s %s: decode answer: %w (body starts %q)", cl.method, cl.path, err, oneLine(c.scrub(string(data)), 120))
	}
	return nil
}

func (c *Client) apiError(cl call, status int, data []byte) *APIError {
	body := c.scrub(string(data[:min(len(data), maxErrorBody)]))
	e := &APIError{Method: cl.method, Path: pathOnly(cl), Status: status, Body: body}
	var env envelope
	if json.Unmarshal(data, &env) == nil {
		e.Code = env.Error
		e.Msg = c.scrub(env.Msg)
		if e.Msg == "" {
			e.Msg = c.scrub(env.Message)
		}
	}
	return e
}

func pathOnly(cl call) string {
	if cl.v1 {
		return "/api/v1" + cl.path
	}
	return "/api/v0" + cl.path
}

// scrub removes the API key from text that came back from the server.
func (c *Client) scrub(s string) string {
	if k := c.apiKey.Reveal(); len(k) >= 4 {
		s = strings.ReplaceAll(s, k, redacted)
	}
	return s
}

func (c *Client) finalError(cl call, err error, attempts int) error {
	if _, ok := err.(*APIError); ok {
		if attempts > 1 {
			return fmt.Errorf("%w (after %d attempts)", err, attempts)
		}
		return err
	}
	return fmt.Errorf("vast: %s %s: %w after %d attempts: %w", cl.method, pathOnly(cl), ErrUnavailable, attempts, err)
}
