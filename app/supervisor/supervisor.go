// Package supervisor runs the headless engine as a child process of the
// desktop app: a random loopback port, a per-launch token in the child's
// environment, a readiness wait on /ready, restarts with exponential backoff
// when it exits unexpectedly, a graceful stop (SIGTERM, then a kill after a
// grace period) and its output in a size-rotated log file.
package supervisor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/samwise-app/samwise/app/logfile"
	"github.com/samwise-app/samwise/engine/secret"
)

// Config says what to run and how patiently. Zero durations take the
// defaults below; Exec and Clock are the seams tests replace.
type Config struct {
	// Binary is the engine executable (see Locator).
	Binary string
	// DataDir is passed as --data-dir.
	DataDir string
	// LogFile receives the child's stdout and stderr (rotated by size).
	LogFile     string
	LogMaxBytes int64
	LogKeep     int
	// Env is the environment the child inherits (default os.Environ());
	// SAMWISE_TOKEN is replaced by the per-launch token.
	Env []string

	// ReadyTimeout bounds the wait for the listening address and /ready.
	ReadyTimeout time.Duration
	// PollInterval spaces /ready probes.
	PollInterval time.Duration
	// StopGrace is how long a stopping child may take before it is killed.
	StopGrace time.Duration
	// MinBackoff doubles after each unexpected exit up to MaxBackoff, and
	// is back to MinBackoff once a child stayed ready for StableAfter.
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
	StableAfter time.Duration

	Exec   ExecFunc
	Clock  Clock
	Client *http.Client
	// Notify, when set, gets every status change (on the supervisor's
	// goroutine: it must not block).
	Notify func(Status)
	Logger *slog.Logger
}

// Defaults.
const (
	DefaultReadyTimeout = 2 * time.Minute
	DefaultPollInterval = 200 * time.Millisecond
	DefaultStopGrace    = 5 * time.Second
	DefaultMinBackoff   = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	DefaultStableAfter  = time.Minute
)

// Supervisor keeps one engine child running.
type Supervisor struct {
	cfg   Config
	log   *slog.Logger
	token secret.Secret
	out   *logfile.Writer

	mu     sync.Mutex
	status Status

	cancel  context.CancelFunc
	done    chan struct{}
	restart chan struct{} // a request to restart the engine now
}

// errRestart ends a child the user asked to restart.
var errRestart = errors.New("restarted on request")

// New sets up a supervisor; nothing runs until Start.
func New(cfg Config) *Supervisor {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.ReadyTimeout, DefaultReadyTimeout)
	def(&cfg.PollInterval, DefaultPollInterval)
	def(&cfg.StopGrace, DefaultStopGrace)
	def(&cfg.MinBackoff, DefaultMinBackoff)
	def(&cfg.MaxBackoff, DefaultMaxBackoff)
	def(&cfg.StableAfter, DefaultStableAfter)
	if cfg.Exec == nil {
		cfg.Exec = OSExec
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{}
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	if cfg.LogFile == "" {
		cfg.LogFile = filepath.Join(cfg.DataDir, "logs", "engine.log")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Supervisor{
		cfg:     cfg,
		log:     log.With("subsystem", "supervisor"),
		status:  Status{State: StateStopped, LogFile: cfg.LogFile},
		restart: make(chan struct{}, 1),
	}
}

// Start opens the log, makes the launch token and starts the supervising
// goroutine, which runs the engine until Close. ctx carries values only:
// cancelling it does not stop the engine (Close does).
func (s *Supervisor) Start(ctx context.Context) error {
	if s.done != nil {
		return errors.New("supervisor already started")
	}
	if s.cfg.Binary == "" {
		return errors.New("no engine binary configured")
	}
	tok, err := newToken()
	if err != nil {
		return err
	}
	out, err := logfile.Open(s.cfg.LogFile, s.cfg.LogMaxBytes, s.cfg.LogKeep)
	if err != nil {
		return fmt.Errorf("engine log: %w", err)
	}
	s.token, s.out = tok, out
	ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.done = make(chan struct{})
	s.log.Info("supervising the engine", "binary", s.cfg.Binary, "data_dir", s.cfg.DataDir, "log", s.cfg.LogFile, "token", s.token)
	go s.run(ctx)
	return nil
}

// Close stops the engine (gracefully, then by force after the grace period)
// and waits for it, or until ctx is done.
func (s *Supervisor) Close(ctx context.Context) error {
	if s.done == nil {
		return nil
	}
	s.cancel()
	select {
	case <-s.done:
	case <-ctx.Done():
		return fmt.Errorf("stopping the engine: %w", ctx.Err())
	}
	return s.out.Close()
}

// Restart stops the running engine gracefully and starts a new one at once
// (no backoff) — after a model download, say, so the engine loads it. It
// returns without waiting; Status and Notify follow the restart.
func (s *Supervisor) Restart() {
	select {
	case s.restart <- struct{}{}:
	default: // one is already pending
	}
}

// Status returns a snapshot.
func (s *Supervisor) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Endpoint returns the ready engine's address and token, or an
// *UnavailableError saying why there is none now.
func (s *Supervisor) Endpoint() (Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status.State == StateReady && s.status.url != nil {
		return Endpoint{URL: s.status.url, Token: s.token}, nil
	}
	e := &UnavailableError{State: s.status.State, Reason: s.status.LastError, RetryAfter: time.Second}
	if s.status.NextStart != nil {
		if d := s.status.NextStart.Sub(s.cfg.Clock.Now()); d > e.RetryAfter {
			e.RetryAfter = d
		}
	}
	return Endpoint{}, e
}

// update changes the status under the lock and notifies outside it.
func (s *Supervisor) update(change func(st *Status)) {
	s.mu.Lock()
	change(&s.status)
	if s.status.State != StateReady {
		s.status.url = nil
	}
	st := s.status
	s.mu.Unlock()
	if s.cfg.Notify != nil {
		s.cfg.Notify(st)
	}
}

// run starts children until ctx is cancelled.
func (s *Supervisor) run(ctx context.Context) {
	defer close(s.done)
	backoff := s.cfg.MinBackoff
	for attempt := 0; ; attempt++ {
		readyAt, err := s.runChild(ctx, attempt)
		if ctx.Err() != nil {
			s.update(func(st *Status) { st.State, st.PID, st.NextStart = StateStopped, 0, nil })
			s.log.Info("engine stopped")
			return
		}
		if errors.Is(err, errRestart) {
			backoff = s.cfg.MinBackoff
			s.update(func(st *Status) { st.State, st.PID, st.LastError, st.NextStart = StateRestarting, 0, err.Error(), nil })
			s.log.Info("restarting the engine on request")
			continue
		}
		if !readyAt.IsZero() && s.cfg.Clock.Now().Sub(readyAt) >= s.cfg.StableAfter {
			backoff = s.cfg.MinBackoff
		}
		delay := backoff
		backoff = min(2*backoff, s.cfg.MaxBackoff)
		next := s.cfg.Clock.Now().Add(delay)
		s.update(func(st *Status) {
			st.State, st.PID, st.LastError, st.NextStart = StateRestarting, 0, err.Error(), &next
		})
		s.log.Error("engine stopped unexpectedly; restarting", "err", err, "backoff", delay, "log", s.cfg.LogFile)
		select {
		case <-s.cfg.Clock.After(delay):
		case <-ctx.Done():
			s.update(func(st *Status) { st.State, st.NextStart = StateStopped, nil })
			return
		}
	}
}

// child is a started engine whose exit can be awaited by several selects.
type child struct {
	Process
	exited chan struct{}
	err    error
}

// runChild starts one engine, waits for it to be ready and then for it to
// exit. It returns when the engine exited or failed (with why) or ctx was
// cancelled (after stopping it), and when it became ready, if it did.
func (s *Supervisor) runChild(ctx context.Context, attempt int) (readyAt time.Time, err error) {
	addr := newAddressWatcher(s.out)
	p, err := s.cfg.Exec(Spec{
		Path: s.cfg.Binary,
		Args: []string{"serve", "--listen", "127.0.0.1:0", "--data-dir", s.cfg.DataDir, "--allow-local-paths"},
		Env:  withToken(s.cfg.Env, s.token),
		// The child's stdout carries its listening address.
		Stdout: addr,
		Stderr: s.out,
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("starting %s: %w", s.cfg.Binary, err)
	}
	c := &child{Process: p, exited: make(chan struct{})}
	go func() {
		c.err = p.Wait()
		close(c.exited)
	}()
	started := s.cfg.Clock.Now()
	s.update(func(st *Status) {
		st.State, st.PID, st.NextStart = StateStarting, p.Pid(), nil
		if attempt > 0 {
			st.Restarts++
		}
	})
	s.log.Info("engine started", "pid", p.Pid(), "attempt", attempt+1)

	deadline := started.Add(s.cfg.ReadyTimeout)
	base, err := s.awaitAddress(ctx, c, addr.found, deadline)
	if err == nil {
		err = s.awaitReady(ctx, c, base, deadline)
	}
	if err != nil {
		s.stop(c)
		return time.Time{}, err
	}
	readyAt = s.cfg.Clock.Now()
	s.update(func(st *Status) { st.State, st.url = StateReady, base })
	s.log.Info("engine ready", "pid", p.Pid(), "url", base.String(), "startup", readyAt.Sub(started))

	select {
	case <-c.exited:
		return readyAt, exitError(c.err)
	case <-s.restart:
		s.stop(c)
		return readyAt, errRestart
	case <-ctx.Done():
		s.stop(c)
		return readyAt, ctx.Err()
	}
}

// stop asks the child to stop, kills it after the grace period and waits
// for it. A child that already exited is left alone.
func (s *Supervisor) stop(c *child) {
	select {
	case <-c.exited:
		return
	default:
	}
	s.update(func(st *Status) { st.State = StateStopping })
	if err := c.Terminate(); err != nil {
		s.log.Warn("asking the engine to stop failed", "pid", c.Pid(), "err", err)
	}
	select {
	case <-c.exited:
		return
	case <-s.cfg.Clock.After(s.cfg.StopGrace):
	}
	s.log.Warn("the engine did not stop in time; killing it", "pid", c.Pid(), "grace", s.cfg.StopGrace)
	if err := c.Kill(); err != nil {
		s.log.Error("killing the engine failed", "pid", c.Pid(), "err", err)
	}
	<-c.exited
}

func exitError(err error) error {
	if err == nil {
		return errors.New("the engine exited")
	}
	return fmt.Errorf("the engine exited: %w", err)
}

// withToken returns env with SAMWISE_TOKEN set to tok (and only there: the
// token never appears on a command line).
func withToken(env []string, tok secret.Secret) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, "SAMWISE_TOKEN=") {
			out = append(out, kv)
		}
	}
	return append(out, "SAMWISE_TOKEN="+tok.Reveal())
}

// newToken makes a 256-bit random token.
func newToken() (secret.Secret, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making the engine token: %w", err)
	}
	return secret.Secret(hex.EncodeToString(b)), nil
}
