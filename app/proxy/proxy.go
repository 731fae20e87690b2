// Package proxy forwards the webview's API requests to the supervised
// engine: the Wails AssetServer hands /v1/*, /ready, /health, /metrics and
// /openapi.json to it, it adds the engine's per-launch token and streams the
// answer back (NDJSON results flush as they come). While the engine starts
// or restarts it answers 503 with the engine's own error envelope and a
// Retry-After, so the frontend handles both cases the same way.
package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"time"

	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/engine/api"
)

// Upstream says where the engine is now (*supervisor.Supervisor).
type Upstream interface {
	// Endpoint returns the ready engine, or an error (an
	// *supervisor.UnavailableError carries a retry hint) when there is none.
	Endpoint() (supervisor.Endpoint, error)
}

// Handles reports whether path belongs to the engine rather than to the
// frontend's assets.
func Handles(path string) bool {
	switch path {
	case "/v1", "/ready", "/health", "/metrics", "/openapi.json":
		return true
	}
	return strings.HasPrefix(path, "/v1/")
}

// Proxy is the http.Handler for engine paths.
type Proxy struct {
	up        Upstream
	transport http.RoundTripper
	log       *slog.Logger
}

// New makes a proxy to up. A nil transport means a loopback transport of
// its own (no environment proxies: the engine is always on 127.0.0.1).
func New(up Upstream, transport http.RoundTripper, log *slog.Logger) *Proxy {
	if transport == nil {
		transport = &http.Transport{
			Proxy:               nil,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     90 * time.Second,
		}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Proxy{up: up, transport: transport, log: log.With("subsystem", "proxy")}
}

// ServeHTTP forwards r to the engine with its token, or answers 503.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ep, err := p.up.Endpoint()
	if err != nil {
		p.unavailable(w, r, err)
		return
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(ep.URL)
			// Whatever the page sent (a token typed into the browser UI)
			// is replaced by this launch's token.
			pr.Out.Header.Set("Authorization", "Bearer "+ep.Token.Reveal())
		},
		Transport: p.transport,
		// Flush every write: job results stream as NDJSON.
		FlushInterval: -1,
		ModifyResponse: func(resp *http.Response) error {
			p.log.Debug("proxied", "method", r.Method, "path", r.URL.Path, "status", resp.StatusCode)
			return nil
		},
		ErrorHandler: p.failed,
		ErrorLog:     slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
	}
	rp.ServeHTTP(w, r)
}

// failed answers when the engine could not be reached or broke off, which
// happens when it dies mid-request: the supervisor is restarting it.
func (p *Proxy) failed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the page went away; nobody reads the answer
	}
	p.log.Warn("engine request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	if _, upErr := p.up.Endpoint(); upErr != nil {
		p.unavailable(w, r, upErr)
		return
	}
	p.unavailable(w, r, &supervisor.UnavailableError{State: supervisor.StateRestarting, Reason: err.Error(), RetryAfter: time.Second})
}

// unavailable writes 503 with the engine's error envelope and Retry-After.
func (p *Proxy) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	retry := time.Second
	var u *supervisor.UnavailableError
	if errors.As(err, &u) && u.RetryAfter > retry {
		retry = u.RetryAfter
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
	w.WriteHeader(http.StatusServiceUnavailable)
	json.NewEncoder(w).Encode(api.ErrorResponse{Error: api.Error{Code: api.CodeUnavailable, Message: err.Error()}})
}
