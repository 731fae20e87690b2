package tunnel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/samwise-app/samwise/internal/wait"
)

// Status is what the supervisor knows about cloudflared.
type Status struct {
	// Running is true while a cloudflared process is alive.
	Running bool `json:"running"`
	// Ready is true when the last /ready probe answered 200.
	Ready bool `json:"ready"`
	// ReadyConnections is the edge connection count /ready reported.
	ReadyConnections int `json:"ready_connections"`
	// Starts counts cloudflared processes started; Restarts is Starts-1 once running.
	Starts int `json:"starts"`
	// Probes counts /ready probes made.
	Probes int `json:"probes"`
	// LastExit describes how the last process ended ("" before any ended).
	LastExit string `json:"last_exit,omitempty"`
}

// Supervisor runs cloudflared and keeps it running. Create it with New, run it with Run.
type Supervisor struct {
	cfg    Config
	binary string
	log    *slog.Logger
	scrub  scrubber

	mu      sync.Mutex
	status  Status
	readyCh chan struct{} // closed while ready; replaced when readiness is lost
}

// New checks cfg (the token is set, the metrics address is loopback, the binary exists)
// and returns a supervisor. It starts nothing.
func New(cfg Config) (*Supervisor, error) {
	cfg = cfg.withDefaults()
	bin, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	return &Supervisor{cfg: cfg, binary: bin, log: cfg.Log.With("subsystem", "tunnel"),
		scrub: newScrubber(cfg.Token.Reveal()), readyCh: make(chan struct{})}, nil
}

// Status returns a snapshot of the supervisor's state.
func (s *Supervisor) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Ready reports whether cloudflared's /ready answered 200 at the last probe.
func (s *Supervisor) Ready() bool { return s.Status().Ready }

// WaitReady blocks until cloudflared is ready or ctx ends.
func (s *Supervisor) WaitReady(ctx context.Context) error {
	s.mu.Lock()
	ch := s.readyCh
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("tunnel: not ready: %w", ctx.Err())
	}
}

// Run starts cloudflared and restarts it whenever it exits, waiting MinBackoff, doubling up
// to MaxBackoff (reset by a run that lasted StableAfter), until ctx is cancelled; then it
// stops cloudflared (SIGTERM, then SIGKILL after StopGrace) and returns nil.
func (s *Supervisor) Run(ctx context.Context) error {
	backoff := s.cfg.MinBackoff
	for {
		started := time.Now()
		err := s.runOnce(ctx)
		if ctx.Err() != nil {
			s.log.Info("cloudflared stopped")
			return nil
		}
		if time.Since(started) >= s.cfg.StableAfter {
			backoff = s.cfg.MinBackoff
		}
		s.log.Warn("cloudflared exited; restarting", "err", err, "restart_in", backoff)
		if wait.Sleep(ctx, backoff) != nil {
			return nil
		}
		backoff = min(2*backoff, s.cfg.MaxBackoff)
	}
}

// runOnce runs one cloudflared process until it exits or ctx ends.
func (s *Supervisor) runOnce(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, s.binary, s.cfg.args()...)
	cmd.Env = s.cfg.env()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = s.cfg.StopGrace
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	relogged := make(chan struct{})
	go func() {
		relog(pr, s.log, s.scrub)
		close(relogged)
	}()
	// The binary and the arguments are logged, never the environment (it holds the token).
	s.log.Info("starting cloudflared", "binary", s.binary, "args", s.cfg.args())
	if err := cmd.Start(); err != nil {
		pw.Close()
		<-relogged
		s.setExit(fmt.Sprintf("start failed: %v", err))
		return fmt.Errorf("starting %s: %w", s.binary, err)
	}
	s.mu.Lock()
	s.status.Running = true
	s.status.Starts++
	s.mu.Unlock()
	probeCtx, stopProbes := context.WithCancel(ctx)
	probed := make(chan struct{})
	go func() {
		s.probeLoop(probeCtx)
		close(probed)
	}()
	err := cmd.Wait()
	stopProbes()
	<-probed
	pw.Close()
	<-relogged
	desc := "exited"
	if err != nil {
		desc = err.Error()
	}
	s.setExit(desc)
	if err == nil {
		err = errors.New("cloudflared exited with status 0")
	}
	return err
}

func (s *Supervisor) setExit(desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.Running = false
	s.status.LastExit = desc
	s.setReadyLocked(false, 0)
}

func (s *Supervisor) setReadyLocked(ready bool, conns int) {
	was := s.status.Ready
	s.status.Ready, s.status.ReadyConnections = ready, conns
	switch {
	case ready && !was:
		close(s.readyCh)
	case !ready && was:
		s.readyCh = make(chan struct{})
	}
}

// probeLoop probes /ready every ReadyPoll until ctx ends, logging changes.
func (s *Supervisor) probeLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.ReadyPoll)
	defer t.Stop()
	for {
		ready, conns, err := s.probe(ctx)
		if ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		was := s.status.Ready
		s.status.Probes++
		s.setReadyLocked(ready, conns)
		s.mu.Unlock()
		switch {
		case ready && !was:
			s.log.Info("tunnel ready", "ready_connections", conns)
		case !ready && was:
			s.log.Warn("tunnel lost its edge connections", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
