// Package vasttest is a loopback stand-in for the Vast.ai REST API, for tests that must
// not rent real GPUs.
//
// It is a stand-in, not Vast: it was built from the documented endpoints and JSON shapes
// (shared/reference/remote.md §1, drawn from vast-cli and the vast-ai/docs OpenAPI files)
// and was never checked against the live service. It implements
//
//	POST   /api/v0/bundles/            search: the query object, its operators, order, limit
//	PUT    /api/v0/asks/{id}/          create: returns new_contract; a taken offer is no_such_ask
//	GET    /api/v0/instances/{id}/     show: {"instances": {...}} or {"instances": null}
//	GET    /api/v1/instances/          list: select_filters, order_by, limit ≤ 25, after_token
//	DELETE /api/v0/instances/{id}/     destroy: {"success": true}, or 404 no_such_instance
//	PUT    /api/v0/instances/{id}/     stop/start/label: {"state": "stopped"|"running"} or {"label"}
//
// Each instance also gets an instance API key (the create answer's instance_api_key, which
// Vast hands the container as CONTAINER_API_KEY); it authorizes show, destroy and
// stop/start of that one instance and nothing else (remote.md §1.9). Hooks let a test play
// the machines behind the API: start a process when an instance is created, kill it when
// it is destroyed.
//
// with bearer-token auth, an instances table the test can read and edit, a record of every
// request, and fault injection (Inject): canned statuses such as 429 with Vast's plain-text
// body, 5xx, answers after the action took effect, hung requests and dropped connections.
// Where the documents leave a detail open (the status of a taken offer), the choice is
// noted at the handler.
package vasttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running stand-in. Its methods are safe for concurrent use.
type Server struct {
	// APIKey is the bearer token requests must carry.
	APIKey string

	srv  *httptest.Server
	done chan struct{}

	mu        sync.Mutex
	offers    []map[string]any
	instances map[int64]map[string]any
	nextID    int64
	requests  []Request
	faults    []*Fault
	keys      map[int64]string // instance id → instance API key
	hooks     Hooks
}

// Hooks are called after the stand-in changed its instance table, in the request's
// goroutine and outside the server's lock, before the answer is written.
type Hooks struct {
	// OnCreate is called for every created instance.
	OnCreate func(Created)
	// OnDestroy is called for every destroyed instance.
	OnDestroy func(id int64)
}

// Created describes an instance as the create request asked for it.
type Created struct {
	ID int64
	// Image, Label, RunType and Args are the create request's fields.
	Image, Label, RunType string
	Args                  []string
	// Env is the container environment of the request.
	Env map[string]string
	// APIKey is the instance API key (CONTAINER_API_KEY in the container).
	APIKey string
}

// Request is one request as the server received it.
type Request struct {
	// Method and Path are the HTTP method and URL path.
	Method, Path string
	// Query is the parsed query string.
	Query url.Values
	// Header is a copy of the request headers.
	Header http.Header
	// Body is the request body.
	Body []byte
}

// Fault changes how the next Times requests matching Method and Path are answered.
type Fault struct {
	// Method matches the HTTP method; "" matches any.
	Method string
	// Path matches URL paths that start with it; "" matches any.
	Path string
	// Times is how many matching requests the fault affects.
	Times int
	// Status, when non-zero, is answered instead of handling the request; 429 gets Vast's
	// plain-text rate-limit body unless Body is set.
	Status int
	// Body is the answer body for Status.
	Body string
	// AfterHandle handles the request first (the action takes effect) and then answers
	// Status anyway, like a server that fails after committing.
	AfterHandle bool
	// Hang holds the request until the client gives up or the server closes.
	Hang bool
	// Drop closes the connection without answering.
	Drop bool
}

// NewServer starts a stand-in on a loopback port that accepts apiKey.
func NewServer(apiKey string) *Server {
	s := &Server{APIKey: apiKey, done: make(chan struct{}), instances: map[int64]map[string]any{}, nextID: 7000, keys: map[int64]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close stops the server, releasing hung requests first.
func (s *Server) Close() {
	close(s.done)
	s.srv.Close()
}

// URL is the server's root, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.srv.URL }

// BaseURL is the v0 API root to pass to vast.WithBaseURL.
func (s *Server) BaseURL() string { return s.srv.URL + "/api/v0" }

// AddOffers adds rentable offers. Each needs an "id"; verified, external, rentable and
// rented default to true, false, true and false.
func (s *Server) AddOffers(offers ...map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range offers {
		row := map[string]any{"verified": true, "external": false, "rentable": true, "rented": false}
		for k, v := range o {
			row[k] = normalize(v)
		}
		s.offers = append(s.offers, row)
	}
}

// AddInstance inserts an instance row as if created earlier (e.g. an orphan) and returns
// its id. Missing fields get the values a fresh instance has.
func (s *Server) AddInstance(row map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addInstanceLocked(row)
}

func (s *Server) addInstanceLocked(row map[string]any) int64 {
	s.nextID++
	id := s.nextID
	in := map[string]any{
		"id": float64(id), "actual_status": nil, "intended_status": "running", "cur_state": "running",
		"next_state": "running", "status_msg": "", "label": nil, "start_date": float64(time.Now().Unix()),
		"extra_env": []any{},
	}
	for k, v := range row {
		in[k] = normalize(v)
	}
	in["id"] = float64(id)
	s.instances[id] = in
	return id
}

// Instance returns a copy of instance id's row, or nil when there is none.
func (s *Server) Instance(id int64) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.instances[id])
}

// Instances returns copies of all instance rows, by id.
func (s *Server) Instances() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, id := range s.sortedIDsLocked() {
		out = append(out, clone(s.instances[id]))
	}
	return out
}

// SetInstanceField sets one field of instance id, e.g. "actual_status" to "running".
func (s *Server) SetInstanceField(id int64, field string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.instances[id]; in != nil {
		in[field] = normalize(value)
	}
}

// SetHooks installs hooks (replacing earlier ones).
func (s *Server) SetHooks(h Hooks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = h
}

// Live returns how many instances exist (in any state: stopped ones still bill storage).
func (s *Server) Live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.instances)
}

// InstanceKey returns the instance API key of instance id ("" when unknown).
func (s *Server) InstanceKey(id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[id]
}

// Inject queues a fault; faults are consumed in the order they were injected.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests had method and a path starting with pathPrefix.
func (s *Server) Count(method, pathPrefix string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	f := s.takeFaultLocked(r)
	s.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))

	if f != nil {
		switch {
		case f.Hang:
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			return
		case f.Drop:
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		case f.AfterHandle:
			if s.authorized(r) {
				s.route(httptest.NewRecorder(), r)
			}
			s.writeFault(w, f)
			return
		default:
			s.writeFault(w, f)
			return
		}
	}
	if !s.authorized(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"success": false, "error": "auth_error", "msg": "Invalid user key"})
		return
	}
	s.route(w, r)
}

// authorized accepts the account key everywhere and an instance API key for requests on
// its own instance (show, destroy, stop/start).
func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if auth == "Bearer "+s.APIKey {
		return true
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v0/instances/")
	if !ok {
		return false
	}
	id, ok := pathID(rest)
	if !ok {
		return false
	}
	s.mu.Lock()
	key := s.keys[id]
	s.mu.Unlock()
	return key != "" && auth == "Bearer "+key
}

func (s *Server) takeFaultLocked(r *http.Request) *Fault {
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(r.URL.Path, f.Path) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

func (s *Server) writeFault(w http.ResponseWriter, f *Fault) {
	body := f.Body
	if body == "" && f.Status == http.StatusTooManyRequests {
		// Vast's rate limiter answers plain text and sends no Retry-After.
		w.Header().Set("Content-Type", "text/plain")
		body = "API requests too frequent endpoint threshold=2"
	}
	w.WriteHeader(f.Status)
	io.WriteString(w, body)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && p == "/api/v0/bundles/":
		s.search(w, r)
	case r.Method == http.MethodPut && strings.HasPrefix(p, "/api/v0/asks/"):
		s.create(w, r, strings.TrimPrefix(p, "/api/v0/asks/"))
	case r.Method == http.MethodGet && p == "/api/v1/instances/":
		s.list(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v0/instances/"):
		s.show(w, r, strings.TrimPrefix(p, "/api/v0/instances/"))
	case r.Method == http.MethodDelete && strings.HasPrefix(p, "/api/v0/instances/"):
		s.destroy(w, strings.TrimPrefix(p, "/api/v0/instances/"))
	case r.Method == http.MethodPut && strings.HasPrefix(p, "/api/v0/instances/"):
		s.update(w, r, strings.TrimPrefix(p, "/api/v0/instances/"))
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"success": false, "error": "not_found", "msg": "no such endpoint in the stand-in: " + r.Method + " " + p})
	}
}

// pathID parses "123/" into 123.
func pathID(rest string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSuffix(rest, "/"), 10, 64)
	return id, err == nil && strings.HasSuffix(rest, "/")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func badRequest(w http.ResponseWriter, format string, args ...any) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "error": "invalid_args", "msg": fmt.Sprintf(format, args...)})
}

// normalize turns Go numbers into float64, as JSON decoding would.
func normalize(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float32:
		return float64(n)
	}
	return v
}

func clone(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
