package s3test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// Fault says how the proxy answers a request instead of forwarding it.
type Fault int

// Faults.
const (
	// Pass forwards the request.
	Pass Fault = iota
	// Fail500 answers 500 InternalError, as an overloaded S3 server does.
	Fail500
	// Drop closes the connection without an answer.
	Drop
)

// Proxy forwards to a Server, keeping the Host header (so signatures made for the proxy's
// address verify), records every request, and fails those its rule picks.
type Proxy struct {
	// URL is the proxy's root: the endpoint to give clients.
	URL string

	mu   sync.Mutex
	rule func(r *http.Request, seen int) Fault
	log  []Request
}

// Request is one request the proxy saw.
type Request struct {
	Method, Path string
	Query        url.Values
	Fault        Fault
	// Status is the answer's status code (0 when none was sent).
	Status int
}

// statusWriter reports the status code of an answer.
type statusWriter struct {
	http.ResponseWriter
	set  func(int)
	sent bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.sent {
		w.sent = true
		w.set(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.sent {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Drop hijacks it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// NewProxy starts a proxy to s until the test ends.
func NewProxy(t testing.TB, s *Server) *Proxy {
	t.Helper()
	target, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		f := Pass
		if p.rule != nil {
			f = p.rule(r, len(p.log))
		}
		p.log = append(p.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Fault: f})
		n := len(p.log) - 1
		p.mu.Unlock()
		w = &statusWriter{ResponseWriter: w, set: func(code int) {
			p.mu.Lock()
			p.log[n].Status = code
			p.mu.Unlock()
		}}
		switch f {
		case Fail500:
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>`))
		case Drop:
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		default:
			rp.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// SetRule installs the fault rule: called for every request with how many requests came
// before it; nil passes everything.
func (p *Proxy) SetRule(rule func(r *http.Request, seen int) Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rule = rule
}

// Requests returns what the proxy saw.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.log...)
}
