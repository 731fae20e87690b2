package supervisor_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/internal/syncbuf"
)

const (
	readyTimeout = time.Minute
	pollInterval = 250 * time.Millisecond
	stopGrace    = 5 * time.Second
	minBackoff   = time.Second
	maxBackoff   = 4 * time.Second
	stableAfter  = 10 * time.Minute
)

type harness struct {
	sup    *supervisor.Supervisor
	cfg    supervisor.Config
	clock  *fakeClock
	launch *launcher
	engine *fakeEngine
	states states
	logs   *syncbuf.Buffer
}

func setup(t *testing.T, engineReady bool, adjust func(*supervisor.Config, *launcher)) *harness {
	t.Helper()
	h := &harness{clock: newFakeClock(), engine: newFakeEngine(t, engineReady), states: make(states, 1000), logs: &syncbuf.Buffer{}}
	h.launch = newLauncher(h.engine)
	dir := t.TempDir()
	h.cfg = supervisor.Config{
		Binary:       "/opt/samwise/engine",
		DataDir:      dir,
		Env:          []string{"PATH=/usr/bin:/bin", "SAMWISE_TOKEN=stale-from-the-parent"},
		ReadyTimeout: readyTimeout,
		PollInterval: pollInterval,
		StopGrace:    stopGrace,
		MinBackoff:   minBackoff,
		MaxBackoff:   maxBackoff,
		StableAfter:  stableAfter,
		Exec:         h.launch.Exec,
		Clock:        h.clock,
		Notify:       h.states.notify,
		Logger:       slog.New(slog.NewTextHandler(h.logs, nil)),
	}
	if adjust != nil {
		adjust(&h.cfg, h.launch)
	}
	h.sup = supervisor.New(h.cfg)
	if err := h.sup.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		if err := h.sup.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return h
}

// started waits for the next child and for it to be ready.
func (h *harness) startedReady(t *testing.T) *fakeProc {
	t.Helper()
	p := h.launch.next(t)
	h.clock.expectWaitNoAdvance(t, readyTimeout) // the address wait's deadline timer
	h.states.until(t, supervisor.StateReady)
	return p
}

func (c *fakeClock) expectWaitNoAdvance(t *testing.T, want time.Duration) {
	t.Helper()
	if got := c.nextWait(t); got != want {
		t.Fatalf("supervisor waits %s, want %s", got, want)
	}
}

func TestStartsTheEngineOnLoopbackWithTheTokenOnlyInItsEnvironment(t *testing.T) {
	h := setup(t, true, nil)
	h.startedReady(t)

	spec := h.launch.spec(0)
	if spec.Path != h.cfg.Binary {
		t.Errorf("path = %s", spec.Path)
	}
	wantArgs := []string{"serve", "--listen", "127.0.0.1:0", "--data-dir", h.cfg.DataDir, "--allow-local-paths"}
	if !slices.Equal(spec.Args, wantArgs) {
		t.Errorf("args = %q, want %q", spec.Args, wantArgs)
	}
	ep, err := h.sup.Endpoint()
	if err != nil {
		t.Fatal(err)
	}
	if ep.URL.String() != h.engine.URL {
		t.Errorf("endpoint = %s, want %s", ep.URL, h.engine.URL)
	}
	tok := ep.Token.Reveal()
	if len(tok) < 32 {
		t.Fatalf("token %q is too short", tok)
	}
	var tokens []string
	for _, kv := range spec.Env {
		if v, ok := strings.CutPrefix(kv, "SAMWISE_TOKEN="); ok {
			tokens = append(tokens, v)
		}
	}
	if !slices.Equal(tokens, []string{tok}) {
		t.Errorf("SAMWISE_TOKEN in the child's env = %q, want only the launch token", tokens)
	}
	if !slices.Contains(spec.Env, "PATH=/usr/bin:/bin") {
		t.Errorf("the child lost the inherited environment: %q", spec.Env)
	}
	for _, a := range spec.Args {
		if strings.Contains(a, tok) {
			t.Errorf("the token is on the command line: %q", spec.Args)
		}
	}
	if strings.Contains(h.logs.String(), tok) {
		t.Errorf("the token is in the app's log:\n%s", h.logs.String())
	}

	// The child's output goes to the engine log in the data directory.
	logFile := filepath.Join(h.cfg.DataDir, "logs", "engine.log")
	if st := h.sup.Status(); st.LogFile != logFile || st.PID != 1001 || st.Restarts != 0 {
		t.Errorf("status = %+v", st)
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fake engine 1001 starting", "engine listening on " + h.engine.URL} {
		if !strings.Contains(string(b), want) {
			t.Errorf("engine.log lacks %q:\n%s", want, b)
		}
	}
}

func TestEndpointIsUnavailableUntilReady(t *testing.T) {
	h := setup(t, false, nil)
	h.launch.next(t)
	h.clock.expectWaitNoAdvance(t, readyTimeout)
	h.clock.expectWaitNoAdvance(t, pollInterval) // first probe said 503

	_, err := h.sup.Endpoint()
	var u *supervisor.UnavailableError
	if !errors.As(err, &u) || u.State != supervisor.StateStarting || u.RetryAfter != time.Second {
		t.Fatalf("endpoint while starting: %v", err)
	}
	h.engine.ready.Store(true)
	h.clock.Advance(pollInterval)
	h.states.until(t, supervisor.StateReady)
	if _, err := h.sup.Endpoint(); err != nil {
		t.Fatalf("endpoint when ready: %v", err)
	}
}

func TestRestartsWithExponentialBackoffAfterCrashes(t *testing.T) {
	h := setup(t, true, nil)
	p := h.startedReady(t)
	for i, want := range []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		p.Crash(errors.New("exit status 2"))
		got := h.clock.nextWait(t)
		if got != want {
			t.Fatalf("backoff after crash %d = %s, want %s", i+1, got, want)
		}
		st := h.sup.Status()
		if st.State != supervisor.StateRestarting || !strings.Contains(st.LastError, "exit status 2") || st.Restarts != i {
			t.Fatalf("status while restarting = %+v", st)
		}
		_, err := h.sup.Endpoint()
		var u *supervisor.UnavailableError
		if !errors.As(err, &u) || u.State != supervisor.StateRestarting || u.RetryAfter != want || !strings.Contains(u.Reason, "exit status 2") {
			t.Fatalf("endpoint while restarting: %#v", err)
		}
		h.clock.Advance(got)
		p = h.startedReady(t)
	}
	if st := h.sup.Status(); st.Restarts != 4 || st.PID != 1005 {
		t.Errorf("status = %+v, want 4 restarts and the fifth child", st)
	}
}

func TestBackoffResetsOnceTheEngineStayedUp(t *testing.T) {
	h := setup(t, true, nil)
	p := h.startedReady(t)
	p.Crash(errors.New("exit status 2"))
	h.clock.expectWait(t, 1*time.Second)
	p = h.startedReady(t)
	p.Crash(errors.New("exit status 2"))
	h.clock.expectWait(t, 2*time.Second)
	p = h.startedReady(t)

	h.clock.Advance(stableAfter)
	p.Crash(errors.New("exit status 2"))
	if got := h.clock.nextWait(t); got != minBackoff {
		t.Fatalf("backoff after a stable run = %s, want %s", got, minBackoff)
	}
}

// TestRestartOnRequest stops the ready engine gracefully and starts a new
// one at once, without backoff and without counting it as a crash.
func TestRestartOnRequest(t *testing.T) {
	h := setup(t, true, nil)
	p := h.startedReady(t)
	h.sup.Restart()
	h.clock.expectWaitNoAdvance(t, stopGrace) // the grace timer; the engine exits on terminate
	h.states.until(t, supervisor.StateRestarting)
	q := h.startedReady(t)
	if got := p.Signals(); !slices.Equal(got, []string{"terminate"}) {
		t.Errorf("signals to the old engine = %q, want a graceful terminate", got)
	}
	if q == p {
		t.Fatal("no new engine was started")
	}
	if st := h.sup.Status(); st.PID != 1002 || st.State != supervisor.StateReady {
		t.Errorf("status after the restart = %+v", st)
	}
}

func TestCloseTerminatesThenKillsAfterTheGracePeriod(t *testing.T) {
	h := setup(t, true, func(_ *supervisor.Config, l *launcher) { l.exitOnTerm = false })
	p := h.startedReady(t)

	closed := make(chan error, 1)
	go func() { closed <- h.sup.Close(context.Background()) }()
	if got := h.clock.nextWait(t); got != stopGrace {
		t.Fatalf("stop waits %s, want the grace period %s", got, stopGrace)
	}
	if got := p.Signals(); !slices.Equal(got, []string{"terminate"}) {
		t.Fatalf("signals before the grace period ended = %q", got)
	}
	h.clock.Advance(stopGrace)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if got := p.Signals(); !slices.Equal(got, []string{"terminate", "kill"}) {
		t.Errorf("signals = %q, want terminate then kill", got)
	}
	if st := h.sup.Status(); st.State != supervisor.StateStopped || st.PID != 0 {
		t.Errorf("status after close = %+v", st)
	}
	if !strings.Contains(h.logs.String(), "did not stop in time") {
		t.Errorf("the kill is not logged:\n%s", h.logs.String())
	}
}

func TestCloseWaitsForAGracefulExitWithoutKilling(t *testing.T) {
	h := setup(t, true, nil)
	p := h.startedReady(t)
	if err := h.sup.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := p.Signals(); !slices.Equal(got, []string{"terminate"}) {
		t.Errorf("signals = %q, want only terminate", got)
	}
	select {
	case p2 := <-h.launch.started:
		t.Errorf("a child (pid %d) was started after close", p2.pid)
	default:
	}
}

func TestCloseIsBoundedByItsContext(t *testing.T) {
	h := setup(t, true, func(_ *supervisor.Config, l *launcher) { l.exitOnTerm = false })
	h.startedReady(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.sup.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("close with a done context = %v", err)
	}
	// Let the stop finish so the cleanup's Close returns.
	h.clock.expectWait(t, stopGrace)
}

func TestReadinessTimeoutStopsTheEngineAndRestartsIt(t *testing.T) {
	h := setup(t, false, func(c *supervisor.Config, _ *launcher) { c.ReadyTimeout = time.Second })
	p := h.launch.next(t)
	h.clock.expectWaitNoAdvance(t, time.Second) // address deadline
	polls := 0
	for {
		d := h.clock.nextWait(t)
		if d == stopGrace { // the timeout: the engine is being stopped
			break
		}
		if d != pollInterval {
			t.Fatalf("readiness waits %s, want the poll interval", d)
		}
		polls++
		h.clock.Advance(d)
	}
	if polls != 4 {
		t.Errorf("%d polls in 1s at %s each, want 4", polls, pollInterval)
	}
	if got := h.clock.nextWait(t); got != minBackoff {
		t.Fatalf("after the stop the supervisor waits %s, want the backoff", got)
	}
	if got := p.Signals(); !slices.Equal(got, []string{"terminate"}) {
		t.Errorf("the unready engine got %q, want terminate", got)
	}
	st := h.sup.Status()
	for _, want := range []string{"not ready within 1s", "503", "ONNX Runtime library not found"} {
		if !strings.Contains(st.LastError, want) {
			t.Errorf("last error %q lacks %q", st.LastError, want)
		}
	}

	h.engine.ready.Store(true)
	h.clock.Advance(minBackoff)
	h.launch.next(t)
	h.states.until(t, supervisor.StateReady)
}

func TestNoListeningAddressTimesOut(t *testing.T) {
	h := setup(t, true, func(_ *supervisor.Config, l *launcher) { l.silent = true })
	p := h.launch.next(t)
	h.clock.expectWait(t, readyTimeout)
	h.clock.expectWaitNoAdvance(t, stopGrace) // it exits on terminate
	if got := h.clock.nextWait(t); got != minBackoff {
		t.Fatalf("after the timeout the supervisor waits %s, want the backoff", got)
	}
	if got := p.Signals(); !slices.Equal(got, []string{"terminate"}) {
		t.Errorf("signals = %q", got)
	}
	if st := h.sup.Status(); !strings.Contains(st.LastError, "no listening address") {
		t.Errorf("last error = %q", st.LastError)
	}
}

func TestAnEngineThatDiesAtOnceIsRestarted(t *testing.T) {
	h := setup(t, true, func(_ *supervisor.Config, l *launcher) { l.dieAtOnce.Store(true) })
	p := h.launch.next(t)
	if got := h.clock.nextWait(t); got != readyTimeout {
		t.Fatalf("first wait = %s", got)
	}
	if got := h.clock.nextWait(t); got != minBackoff {
		t.Fatalf("backoff = %s", got)
	}
	if len(p.Signals()) != 0 {
		t.Errorf("an exited engine was signalled: %q", p.Signals())
	}
	if st := h.sup.Status(); !strings.Contains(st.LastError, "exited before listening") || !strings.Contains(st.LastError, "exit status 3") {
		t.Errorf("last error = %q", st.LastError)
	}
	h.launch.dieAtOnce.Store(false)
	h.clock.Advance(minBackoff)
	h.startedReady(t)
}

func TestAFailedStartIsRetried(t *testing.T) {
	h := setup(t, true, func(_ *supervisor.Config, l *launcher) { l.failNext.Store(1) })
	if got := h.clock.nextWait(t); got != minBackoff {
		t.Fatalf("backoff = %s", got)
	}
	if st := h.sup.Status(); !strings.Contains(st.LastError, "exec format error") {
		t.Errorf("last error = %q", st.LastError)
	}
	h.clock.Advance(minBackoff)
	h.startedReady(t)
}

func TestLifecycleMisuse(t *testing.T) {
	s := supervisor.New(supervisor.Config{DataDir: t.TempDir()})
	if err := s.Close(context.Background()); err != nil {
		t.Errorf("close before start: %v", err)
	}
	if err := s.Start(context.Background()); err == nil {
		t.Error("start without a binary succeeded")
	}
	if _, err := s.Endpoint(); err == nil {
		t.Error("endpoint of a stopped supervisor succeeded")
	}
	h := setup(t, true, nil)
	if err := h.sup.Start(context.Background()); err == nil {
		t.Error("a second start succeeded")
	}
}
