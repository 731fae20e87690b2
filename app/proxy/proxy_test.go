package proxy_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samwise-app/samwise/app/proxy"
	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/secret"
)

const patience = 20 * time.Second

// upstream is a settable Upstream.
type upstream struct {
	mu  sync.Mutex
	ep  supervisor.Endpoint
	err error
}

func (u *upstream) Endpoint() (supervisor.Endpoint, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.ep, u.err
}

func (u *upstream) set(base string, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.err = err
	u.ep = supervisor.Endpoint{}
	if base != "" {
		parsed, _ := url.Parse(base)
		u.ep = supervisor.Endpoint{URL: parsed, Token: secret.Secret("launch-token")}
	}
}

// front serves the proxy the way the AssetServer would hand it requests.
func front(t *testing.T, up proxy.Upstream) *httptest.Server {
	s := httptest.NewServer(proxy.New(up, nil, nil))
	t.Cleanup(s.Close)
	return s
}

func TestForwardsWithTheLaunchToken(t *testing.T) {
	type seen struct{ method, path, query, auth, body string }
	got := make(chan seen, 1)
	engine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), string(b)}
		w.Header().Set("X-Request-Id", "req-1")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"media_id":"m1"}`)
	}))
	defer engine.Close()
	up := &upstream{}
	up.set(engine.URL, nil)
	f := front(t, up)

	req, _ := http.NewRequest("POST", f.URL+"/v1/media?x=1", strings.NewReader(`{"path":"/a.png"}`))
	req.Header.Set("Authorization", "Bearer typed-in-the-browser")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || string(body) != `{"media_id":"m1"}` || resp.Header.Get("X-Request-Id") != "req-1" {
		t.Errorf("answer = %d %q %v", resp.StatusCode, body, resp.Header)
	}
	s := <-got
	want := seen{"POST", "/v1/media", "x=1", "Bearer launch-token", `{"path":"/a.png"}`}
	if s != want {
		t.Errorf("engine saw %+v, want %+v", s, want)
	}
}

func checkUnavailable(t *testing.T, resp *http.Response, retryAfter string, msgParts ...string) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", resp.StatusCode)
	}
	if got := resp.Header.Get("Retry-After"); got != retryAfter {
		t.Errorf("Retry-After = %q, want %q", got, retryAfter)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var env api.ErrorResponse
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	if env.Error.Code != api.CodeUnavailable {
		t.Errorf("code = %q", env.Error.Code)
	}
	for _, p := range msgParts {
		if !strings.Contains(env.Error.Message, p) {
			t.Errorf("message %q lacks %q", env.Error.Message, p)
		}
	}
}

func TestAnswers503WithTheEnvelopeWhileTheEngineRestarts(t *testing.T) {
	up := &upstream{}
	up.set("", &supervisor.UnavailableError{State: supervisor.StateRestarting, Reason: "the engine exited: signal: killed", RetryAfter: 2500 * time.Millisecond})
	f := front(t, up)
	for _, path := range []string{"/v1/media", "/ready", "/openapi.json"} {
		resp, err := http.Get(f.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		checkUnavailable(t, resp, "3", "restarting", "signal: killed")
	}
	resp, err := http.Post(f.URL+"/v1/pvs/image", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	checkUnavailable(t, resp, "3")
}

func TestAnEngineThatDiesMidRequestGives503(t *testing.T) {
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close() // the engine crashed
		}
	}))
	defer dead.Close()
	up := &upstream{}
	up.set(dead.URL, nil)
	resp, err := http.Get(front(t, up).URL + "/v1/jobs/j1")
	if err != nil {
		t.Fatal(err)
	}
	checkUnavailable(t, resp, "1", "restarting")
}

func TestResultsStreamThroughUnbuffered(t *testing.T) {
	release := make(chan struct{})
	engine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		io.WriteString(w, `{"frame":0}`+"\n")
		w.(http.Flusher).Flush()
		<-release // the second frame is not computed until the first arrived
		io.WriteString(w, `{"frame":1}`+"\n")
	}))
	defer engine.Close()
	defer close(release)
	up := &upstream{}
	up.set(engine.URL, nil)
	req, _ := http.NewRequest("GET", front(t, up).URL+"/v1/jobs/j1/results", nil)
	req.Header.Set("Accept", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		r := bufio.NewReader(resp.Body)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				close(lines)
				return
			}
			lines <- l
		}
	}()
	select {
	case l := <-lines:
		if l != `{"frame":0}`+"\n" {
			t.Fatalf("first line %q", l)
		}
	case <-time.After(patience):
		t.Fatal("the first result line was held back by the proxy")
	}
	release <- struct{}{}
	if l := <-lines; l != `{"frame":1}`+"\n" {
		t.Errorf("second line %q", l)
	}
}

func TestHandles(t *testing.T) {
	for path, want := range map[string]bool{
		"/v1/media": true, "/v1/jobs/x/results": true, "/ready": true, "/health": true, "/openapi.json": true, "/metrics": true,
		"/": false, "/index.html": false, "/assets/index.js": false, "/v1x": false, "/readyz": false,
	} {
		if got := proxy.Handles(path); got != want {
			t.Errorf("Handles(%q) = %v", path, got)
		}
	}
}
