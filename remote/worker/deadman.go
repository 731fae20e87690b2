package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// Destroyer destroys one instance: a Vast client authenticated with the instance's own
// API key (CONTAINER_API_KEY), which can do nothing else.
type Destroyer interface {
	DestroyInstance(ctx context.Context, id int64) error
}

// DeadmanConfig sets up a dead-man switch.
type DeadmanConfig struct {
	// Instance is this container's Vast instance id (CONTAINER_ID). Required.
	Instance int64
	// Vast destroys it. Required.
	Vast Destroyer
	// IdleTimeout is how long the worker may go without a client request (the local engine
	// sets SAMWISE_IDLE_TIMEOUT_S). Required.
	IdleTimeout time.Duration
	// Poll is how often Run checks (default IdleTimeout/10, between 1 s and 30 s).
	Poll time.Duration
	// Clock and Log are injectable (defaults RealClock, slog.Default()).
	Clock Clock
	Log   *slog.Logger
}

// Deadman destroys the worker's own instance once no client has spoken to it for the idle
// timeout: the backstop for a local engine (or gateway) that died without destroying the
// worker. Requests count as a client speaking when they are API calls (/v1/...) that were
// not refused as unauthenticated; a request in progress (a results stream) keeps the worker
// alive; probes of /ready, /health and /metrics do not.
type Deadman struct {
	cfg DeadmanConfig
	log *slog.Logger

	mu       sync.Mutex
	last     time.Time
	inflight int
	fired    bool
}

// NewDeadman checks cfg and arms the switch; the idle time counts from now.
func NewDeadman(cfg DeadmanConfig) (*Deadman, error) {
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Poll == 0 {
		cfg.Poll = min(max(cfg.IdleTimeout/10, time.Second), 30*time.Second)
	}
	switch {
	case cfg.Instance <= 0:
		return nil, errors.New("worker: dead-man switch: no instance id (CONTAINER_ID)")
	case cfg.Vast == nil:
		return nil, errors.New("worker: dead-man switch: no Vast client")
	case cfg.IdleTimeout <= 0:
		return nil, errors.New("worker: dead-man switch: the idle timeout must be positive (SAMWISE_IDLE_TIMEOUT_S)")
	}
	d := &Deadman{cfg: cfg, log: cfg.Log.With("subsystem", "deadman", "instance", instanceName(cfg.Instance)), last: cfg.Clock.Now()}
	d.log.Info("dead-man switch armed", "idle_timeout", cfg.IdleTimeout)
	return d, nil
}

// DeadmanEnv reads what Vast gives every container: CONTAINER_ID and CONTAINER_API_KEY.
// ok is false when either is missing (not on Vast, or the switch is not wanted).
func DeadmanEnv(getenv func(string) string) (id int64, key secret.Secret, ok bool, err error) {
	rawID, rawKey := strings.TrimSpace(getenv("CONTAINER_ID")), getenv("CONTAINER_API_KEY")
	if rawID == "" || rawKey == "" {
		return 0, "", false, nil
	}
	id, err = strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false, fmt.Errorf("worker: CONTAINER_ID %q is not an instance id", rawID)
	}
	return id, secret.Secret(rawKey), true, nil
}

// counts reports whether a request is a client speaking to the worker.
func counts(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v1/") }

// Wrap returns next with activity tracking.
func (d *Deadman) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !counts(r) {
			next.ServeHTTP(w, r)
			return
		}
		d.mu.Lock()
		d.inflight++
		d.mu.Unlock()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.inflight--
			if sw.status != http.StatusUnauthorized {
				d.last = d.cfg.Clock.Now()
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// Tick destroys the instance when the worker has been idle for the idle timeout. It
// returns true once the instance was destroyed (now or before).
func (d *Deadman) Tick(ctx context.Context) (bool, error) {
	d.mu.Lock()
	idle := d.cfg.Clock.Now().Sub(d.last)
	due := !d.fired && d.inflight == 0 && idle >= d.cfg.IdleTimeout
	fired := d.fired
	d.mu.Unlock()
	if !due {
		return fired, nil
	}
	d.log.Warn("no client has spoken to this worker for the idle timeout: destroying the instance", "idle", idle)
	if err := d.cfg.Vast.DestroyInstance(ctx, d.cfg.Instance); err != nil {
		d.log.Error("the dead-man switch could not destroy the instance; will retry", "err", err)
		return false, err
	}
	d.mu.Lock()
	d.fired = true
	d.mu.Unlock()
	d.log.Info("instance destroyed by the dead-man switch")
	return true, nil
}

// Run ticks every Poll until the instance is destroyed (it returns nil: stop serving) or
// ctx ends (it returns ctx's error).
func (d *Deadman) Run(ctx context.Context) error {
	for {
		if err := d.cfg.Clock.Sleep(ctx, cmp.Or(d.cfg.Poll, time.Second)); err != nil {
			return err
		}
		if fired, _ := d.Tick(ctx); fired {
			return nil
		}
	}
}

// statusWriter records the status of a response and keeps streaming working.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes through (NDJSON result streams).
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
