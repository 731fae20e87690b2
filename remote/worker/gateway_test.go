package worker_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/samwise-app/samwise/remote/worker"
)

// gatewayStandin answers the gateway's control routes (remote/gateway's view shape) with
// a worker whose state and instance the test sets, and records the calls.
type gatewayStandin struct {
	mu       sync.Mutex
	state    string
	instance int
	calls    []string
}

func (g *gatewayStandin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, r.Method+" "+r.URL.Path)
	if r.Header.Get("Authorization") != "Bearer client-token" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.URL.Path == "/v1/worker/stop" {
		g.state = "draining"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"state": g.state, "instance_id": g.instance})
}

func (g *gatewayStandin) set(state string, instance int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.state, g.instance, g.calls = state, instance, nil
}

func (g *gatewayStandin) called() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.calls)
}

// A lost lease asks the gateway to stop its worker when the gateway still serves that
// worker as ready; when the gateway has given it up already, or moved on to another
// worker, nothing is stopped.
func TestGatewayLostStopsOnlyThatWorker(t *testing.T) {
	sg := &gatewayStandin{}
	srv := httptest.NewServer(sg)
	t.Cleanup(srv.Close)
	gw, err := worker.NewGateway(worker.GatewayConfig{URL: srv.URL, Token: "client-token", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		state    string
		instance int
		stopped  bool
	}{
		{"still ready", "ready", 7001, true},
		{"given up by the gateway", "failed", 7001, false},
		{"another worker already", "ready", 7002, false},
	} {
		sg.set("ready", 7001)
		lease, err := gw.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sg.set(tc.state, tc.instance)
		lease.Lost(context.Background(), errors.New("no answer"))
		stopped := slices.Contains(sg.called(), "POST /v1/worker/stop")
		if stopped != tc.stopped {
			t.Errorf("%s: calls %v; stop sent = %v, want %v", tc.name, sg.called(), stopped, tc.stopped)
		}
	}
}
