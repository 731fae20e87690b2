package worker_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/samwise-app/samwise/internal/syncbuf"
	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
	"github.com/samwise-app/samwise/remote/worker"
	"github.com/samwise-app/samwise/remote/worker/workertest"
)

const (
	vastKey     = "vast-account-key-0123456789"
	tunnelToken = "eyJhIjoiYWNjdCIsInMiOiJ0dW5uZWwtc2VjcmV0IiwidCI6InR1bm5lbCJ9"
)

var fastRetry = vast.RetryPolicy{MaxRetries: 3, BaseDelay: time.Microsecond, MaxDelay: 10 * time.Microsecond, Multiplier: 2}

// engineStandIn plays the worker's engine behind the tunnel hostname: it is up while the
// instance the stand-in Vast created last exists, and accepts only that worker's token.
type engineStandIn struct {
	srv *httptest.Server

	mu       sync.Mutex
	instance int64
	token    string
	up       bool
	autoUp   bool // come up as soon as the instance is created
}

func (e *engineStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	up, token := e.up, e.token
	e.mu.Unlock()
	switch {
	case !up:
		http.Error(w, "origin down", http.StatusBadGateway) // what the tunnel answers without a connector
	case r.URL.Path == "/ready":
		w.Write([]byte(`{"ready": true}`))
	case r.Header.Get("Authorization") != "Bearer "+token:
		http.Error(w, `{"error": {"code": "unauthorized"}}`, http.StatusUnauthorized)
	default:
		w.Write([]byte(`{"jobs": []}`))
	}
}

func (e *engineStandIn) setUp(up bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.up = up
}

type fixture struct {
	vast   *vasttest.Server
	engine *engineStandIn
	clock  *workertest.Clock
	logs   *syncbuf.Buffer
	cfg    worker.Config
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{vast: vasttest.NewServer(vastKey), engine: &engineStandIn{autoUp: true}, clock: workertest.NewClock(), logs: &syncbuf.Buffer{}}
	t.Cleanup(f.vast.Close)
	f.engine.srv = httptest.NewServer(f.engine)
	t.Cleanup(f.engine.srv.Close)
	f.vast.AddOffers(
		map[string]any{"id": 1, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.42, "reliability": 0.995},
		map[string]any{"id": 2, "gpu_name": "RTX 3090", "num_gpus": 1, "gpu_ram": 24576, "dph_total": 0.20, "reliability": 0.99},
		map[string]any{"id": 3, "gpu_name": "RTX 3060", "num_gpus": 1, "gpu_ram": 12288, "dph_total": 0.06, "reliability": 0.999},
	)
	f.vast.SetHooks(vasttest.Hooks{
		OnCreate: func(c vasttest.Created) {
			f.engine.mu.Lock()
			defer f.engine.mu.Unlock()
			f.engine.instance, f.engine.token, f.engine.up = c.ID, c.Env["SAMWISE_TOKEN"], f.engine.autoUp
		},
		OnDestroy: func(id int64) {
			f.engine.mu.Lock()
			defer f.engine.mu.Unlock()
			if id == f.engine.instance {
				f.engine.up = false
			}
		},
	})
	log := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := vast.New(vastKey, vast.WithBaseURL(f.vast.BaseURL()), vast.WithRetryPolicy(fastRetry), vast.WithLogger(log),
		vast.WithAttemptTimeout(2*time.Second))
	f.cfg = worker.Config{
		Vast: client, Offers: vast.OfferQuery{MinGPURAMGB: 20}, Image: "ghcr.io/samwise-app/worker:test",
		Owner: "alice", Session: "s1", URL: f.engine.srv.URL, TunnelToken: tunnelToken,
		WarmupTimeout: 15 * time.Minute, IdleTimeout: 5 * time.Minute, MaxLifetime: 2 * time.Hour, DrainGrace: 2 * time.Minute,
		PollInterval: 10 * time.Second, ReapInterval: time.Hour,
		Clock: f.clock, Log: log,
	}
	return f
}

func (f *fixture) manager(t *testing.T) *worker.Manager {
	t.Helper()
	m, err := worker.New(f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(context.Background()) })
	return m
}

func acquire(t *testing.T, p worker.Pool) *worker.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := p.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func wantState(t *testing.T, p worker.Pool, want worker.State) worker.Status {
	t.Helper()
	st := p.Status()
	if st.State != want {
		t.Fatalf("state = %s (%s), want %s", st.State, st.LastError, want)
	}
	return st
}

// stops counts stop/start calls: a worker must be destroyed, never stopped.
func (f *fixture) stops() int { return f.vast.Count("PUT", "/api/v0/instances/") }
