package worker

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// GatewayConfig sets up a Gateway.
type GatewayConfig struct {
	// URL is the gateway's root (the Worker's stable hostname). Required.
	URL string
	// Token is one of the gateway's CLIENT_TOKENS. Required.
	Token secret.Secret
	// WarmupTimeout bounds Acquire while the gateway provisions (default 15 min).
	WarmupTimeout time.Duration
	// PollInterval paces Run's status refresh (default 10 s).
	PollInterval time.Duration
	// Clock, HTTP and Log are injectable (defaults: RealClock, a 30 s client, slog.Default()).
	Clock Clock
	HTTP  *http.Client
	Log   *slog.Logger
}

// Gateway is a Pool backed by the Cloudflare control plane (remote/gateway): the gateway
// holds the Vast key, provisions on POST /v1/worker/wake, proxies /v1/* to the worker
// with the worker's token, and destroys idle workers by its own alarm. Leases point at the
// gateway itself, so jobs use the same engine client code as with a Manager.
type Gateway struct {
	cfg GatewayConfig
	log *slog.Logger

	mu   sync.Mutex
	last Status
}

var _ Pool = (*Gateway)(nil)

// NewGateway checks cfg and returns a gateway pool. It makes no request.
func NewGateway(cfg GatewayConfig) (*Gateway, error) {
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	cfg.WarmupTimeout = cmp.Or(cfg.WarmupTimeout, 15*time.Minute)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, 10*time.Second)
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if !strings.HasPrefix(cfg.URL, "https://") && !strings.HasPrefix(cfg.URL, "http://") {
		return nil, fmt.Errorf("worker: gateway URL %q: want https://host (setting gateway_url)", cfg.URL)
	}
	if !cfg.Token.IsSet() {
		return nil, errors.New("worker: no gateway client token: engine secrets set gateway_token")
	}
	return &Gateway{cfg: cfg, log: cfg.Log.With("subsystem", "worker", "via", "gateway"), last: Status{State: Off}}, nil
}

// gatewayView is GET /v1/worker's body (remote/gateway src/state.ts view()).
type gatewayView struct {
	State        string   `json:"state"`
	InstanceID   *int64   `json:"instance_id"`
	Since        string   `json:"since"`
	DPHTotal     *float64 `json:"dph_total"`
	CostUSD      float64  `json:"cost_usd"`
	CostTotalUSD float64  `json:"cost_total_usd"`
	LastError    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"last_error"`
	RetryAfter float64 `json:"retry_after"`
}

func (v gatewayView) status() Status {
	st := Status{State: State(v.State), CostUSD: v.CostUSD, TotalCostUSD: v.CostTotalUSD}
	if v.InstanceID != nil {
		st.Instance = instanceName(*v.InstanceID)
	}
	if v.DPHTotal != nil {
		st.DPH = *v.DPHTotal
	}
	st.Since, _ = time.Parse(time.RFC3339Nano, v.Since)
	if v.LastError != nil {
		st.LastError = v.LastError.Message
	}
	return st
}

// call makes one control request and decodes the view (or the error envelope).
func (g *Gateway) call(ctx context.Context, method, path string) (int, gatewayView, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, method, g.cfg.URL+path, nil)
	if err != nil {
		return 0, gatewayView{}, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+g.cfg.Token.Reveal())
	req.Header.Set("Accept", "application/json")
	resp, err := g.cfg.HTTP.Do(req)
	if err != nil {
		return 0, gatewayView{}, 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	retry, _ := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64)
	var v gatewayView
	if resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(data, &v); err != nil {
			return resp.StatusCode, v, 0, fmt.Errorf("worker: gateway %s %s: unreadable answer: %w", method, path, err)
		}
		if v.RetryAfter > 0 {
			retry = v.RetryAfter
		}
		return resp.StatusCode, v, time.Duration(retry * float64(time.Second)), nil
	}
	var env struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	json.Unmarshal(data, &env)
	msg := cmp.Or(env.Error.Message, strings.TrimSpace(string(data)))
	if resp.StatusCode == http.StatusUnauthorized {
		msg += " (check the gateway client token: engine secrets set gateway_token)"
	}
	return resp.StatusCode, v, time.Duration(retry * float64(time.Second)), fmt.Errorf("worker: gateway %s %s: %d %s: %s", method, path, resp.StatusCode, env.Error.Code, msg)
}

func (g *Gateway) remember(st Status) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.last = st
}

// Acquire implements Pool: it asks the gateway to wake the worker and waits, as the
// gateway's Retry-After says, until it is ready.
func (g *Gateway) Acquire(ctx context.Context) (*Lease, error) {
	deadline := g.cfg.Clock.Now().Add(g.cfg.WarmupTimeout)
	for {
		code, v, retry, err := g.call(ctx, "POST", "/v1/worker/wake")
		if err != nil {
			if code != 0 {
				g.remember(Status{State: Failed, LastError: err.Error()})
			}
			return nil, err
		}
		st := v.status()
		g.remember(st)
		if code == http.StatusOK && st.State == Ready {
			return &Lease{URL: g.cfg.URL, Token: g.cfg.Token, Instance: st.Instance, DPH: st.DPH, owner: g}, nil
		}
		if !g.cfg.Clock.Now().Before(deadline) {
			return nil, ErrWarmupTimeout
		}
		if err := g.cfg.Clock.Sleep(ctx, min(max(retry, time.Second), time.Minute)); err != nil {
			return nil, err
		}
	}
}

// Status implements Pool with the last state the gateway reported.
func (g *Gateway) Status() Status {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.last
}

// Stop implements Pool: POST /v1/worker/stop.
func (g *Gateway) Stop(ctx context.Context) error {
	_, v, _, err := g.call(ctx, "POST", "/v1/worker/stop")
	if err == nil {
		g.remember(v.status())
	}
	return err
}

// Run implements Pool: it refreshes the status every PollInterval. The gateway's own alarm
// destroys idle workers.
func (g *Gateway) Run(ctx context.Context) {
	for {
		if _, v, _, err := g.call(ctx, "GET", "/v1/worker"); err == nil {
			g.remember(v.status())
		}
		if err := g.cfg.Clock.Sleep(ctx, g.cfg.PollInterval); err != nil {
			return
		}
	}
}

// Close implements Pool. The worker belongs to the gateway, which may serve other
// clients; its idle timeout destroys it.
func (g *Gateway) Close(ctx context.Context) error { return nil }

func (g *Gateway) release(*Lease) {}
func (g *Gateway) touch(*Lease)   {}

// lost asks the gateway to take down the worker that stopped answering, unless the gateway
// has seen it lost already (it counts the requests that found no worker) and moved on: the
// next Acquire then wakes a new one rather than the dead one.
func (g *Gateway) lost(ctx context.Context, l *Lease, cause error) {
	g.log.Warn("the worker behind the gateway stopped answering", "instance", l.Instance, "err", cause)
	_, v, _, err := g.call(ctx, "GET", "/v1/worker")
	if err != nil {
		return
	}
	if st := v.status(); st.State != Ready || st.Instance != l.Instance {
		g.remember(st)
		return
	}
	if err := g.Stop(ctx); err != nil {
		g.log.Warn("asking the gateway to stop the lost worker failed", "err", err)
	}
}
