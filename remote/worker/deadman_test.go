package worker_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/internal/syncbuf"
	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
	"github.com/samwise-app/samwise/remote/worker"
	"github.com/samwise-app/samwise/remote/worker/workertest"
)

// deadmanFixture is a worker's engine (a handler that needs a token, and one that streams
// until released) behind the switch, with the instance's own key for destroying itself.
type deadmanFixture struct {
	vast    *vasttest.Server
	id      int64
	clock   *workertest.Clock
	d       *worker.Deadman
	srv     *httptest.Server
	started chan struct{}
	release chan struct{}
	logs    *syncbuf.Buffer
}

func newDeadman(t *testing.T) *deadmanFixture {
	t.Helper()
	f := &deadmanFixture{vast: vasttest.NewServer(vastKey), clock: workertest.NewClock(), started: make(chan struct{}), release: make(chan struct{}), logs: &syncbuf.Buffer{}}
	t.Cleanup(f.vast.Close)
	f.vast.AddOffers(map[string]any{"id": 1, "gpu_name": "RTX 4090", "num_gpus": 1, "dph_total": 0.4})
	account := vast.New(vastKey, vast.WithBaseURL(f.vast.BaseURL()), vast.WithRetryPolicy(fastRetry))
	id, err := account.CreateInstance(context.Background(), 1, vast.CreateRequest{Image: "i", Label: "samwise-alice-s1"})
	if err != nil {
		t.Fatal(err)
	}
	f.id = id
	// What the container sees: CONTAINER_ID and CONTAINER_API_KEY.
	env := map[string]string{"CONTAINER_ID": " " + strconv.FormatInt(id, 10) + "\n", "CONTAINER_API_KEY": f.vast.InstanceKey(id)}
	gotID, key, ok, err := worker.DeadmanEnv(func(k string) string { return env[k] })
	if err != nil || !ok || gotID != id {
		t.Fatalf("DeadmanEnv = %d, %v, %v", gotID, ok, err)
	}
	self := vast.New(key, vast.WithBaseURL(f.vast.BaseURL()), vast.WithRetryPolicy(fastRetry))
	f.d, err = worker.NewDeadman(worker.DeadmanConfig{Instance: id, Vast: self, IdleTimeout: 7 * time.Minute, Clock: f.clock,
		Log: slog.New(slog.NewJSONHandler(f.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/jobs", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer ok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"jobs": []}`))
	})
	mux.HandleFunc("/v1/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{}\n"))
		http.NewResponseController(w).Flush()
		close(f.started)
		<-f.release
	})
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) {})
	f.srv = httptest.NewServer(f.d.Wrap(mux))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *deadmanFixture) get(t *testing.T, path, token string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func (f *deadmanFixture) tick(t *testing.T) bool {
	t.Helper()
	fired, err := f.d.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fired
}

func TestDeadmanDestroysAfterIdleTimeout(t *testing.T) {
	f := newDeadman(t)
	key := f.vast.InstanceKey(f.id)
	f.clock.Advance(6 * time.Minute)
	f.get(t, "/v1/jobs", "ok") // a client speaks: the idle time starts over
	f.clock.Advance(6 * time.Minute)
	// Probes and unauthenticated calls are not a client speaking.
	f.get(t, "/ready", "")
	f.get(t, "/v1/jobs", "wrong")
	if f.tick(t) || f.vast.Instance(f.id) == nil {
		t.Fatal("destroyed before the idle timeout")
	}
	f.clock.Advance(time.Minute)
	if !f.tick(t) {
		t.Fatal("not destroyed after the idle timeout")
	}
	if f.vast.Instance(f.id) != nil || f.vast.Live() != 0 {
		t.Fatal("the instance still exists")
	}
	// It used the instance's own key, not the account key, and never stopped.
	var destroys int
	for _, r := range f.vast.Requests() {
		if r.Method == "DELETE" {
			destroys++
			if r.Header.Get("Authorization") == "Bearer "+vastKey {
				t.Error("the dead-man switch used the account key")
			}
		}
	}
	if destroys != 1 || f.vast.Count("PUT", "/api/v0/instances/") != 0 {
		t.Fatalf("destroys = %d, stops = %d", destroys, f.vast.Count("PUT", "/api/v0/instances/"))
	}
	if key == "" || strings.Contains(f.logs.String(), key) || !strings.Contains(f.logs.String(), `"subsystem":"deadman"`) {
		t.Errorf("logs:\n%s", f.logs)
	}
}

func TestDeadmanWaitsForAStreamInProgress(t *testing.T) {
	f := newDeadman(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Get(f.srv.URL + "/v1/stream")
		if err == nil {
			buf := make([]byte, 64)
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					break
				}
			}
			resp.Body.Close()
		}
	}()
	<-f.started
	f.clock.Advance(time.Hour)
	if f.tick(t) {
		t.Fatal("destroyed while a client was reading a results stream")
	}
	close(f.release)
	<-done
	if f.tick(t) {
		t.Fatal("destroyed right after the stream ended")
	}
	f.clock.Advance(7 * time.Minute)
	if !f.tick(t) {
		t.Fatal("not destroyed after the stream ended and the idle timeout passed")
	}
}
