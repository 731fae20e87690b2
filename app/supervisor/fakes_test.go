package supervisor_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/engine/api"
)

// patience bounds how long a test waits for the supervisor's goroutine to
// reach its next step before failing (a hang, not a slow machine).
const patience = 20 * time.Second

// fakeClock moves only when the test advances it. Every After call is
// reported on waits, so a test knows what the supervisor waits for next.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []fakeTimer
	waits  chan time.Duration
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), waits: make(chan time.Duration, 1000)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
	} else {
		c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), ch: ch})
	}
	c.mu.Unlock()
	c.waits <- d
	return ch
}

// Advance moves the clock and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if !t.at.After(c.now) {
			t.ch <- c.now
		} else {
			kept = append(kept, t)
		}
	}
	c.timers = kept
}

// nextWait returns the duration of the supervisor's next wait.
func (c *fakeClock) nextWait(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-c.waits:
		return d
	case <-time.After(patience):
		t.Fatal("the supervisor never waited")
		return 0
	}
}

// expectWait checks the supervisor's next wait and lets it pass.
func (c *fakeClock) expectWait(t *testing.T, want time.Duration) {
	t.Helper()
	if got := c.nextWait(t); got != want {
		t.Fatalf("supervisor waits %s, want %s", got, want)
	}
	c.Advance(want)
}

// fakeEngine answers /ready like the engine: 200 when ready, else 503 with
// the reason in the body.
type fakeEngine struct {
	*httptest.Server
	ready atomic.Bool
}

func newFakeEngine(t *testing.T, ready bool) *fakeEngine {
	e := &fakeEngine{}
	e.ready.Store(ready)
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ready" {
			http.NotFound(w, r)
			return
		}
		if e.ready.Load() {
			json.NewEncoder(w).Encode(api.Ready{Ready: true})
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(api.Ready{Runtime: api.RuntimeStatus{Error: "ONNX Runtime library not found"}})
	}))
	t.Cleanup(e.Close)
	return e
}

// fakeProc is a child that exits when the test says, or when signalled.
type fakeProc struct {
	pid        int
	exitOnTerm bool
	exit       chan error

	mu      sync.Mutex
	signals []string
}

func (p *fakeProc) Pid() int    { return p.pid }
func (p *fakeProc) Wait() error { return <-p.exit }

func (p *fakeProc) Terminate() error {
	p.record("terminate")
	if p.exitOnTerm {
		p.end(errors.New("signal: terminated"))
	}
	return nil
}

func (p *fakeProc) Kill() error {
	p.record("kill")
	p.end(errors.New("signal: killed"))
	return nil
}

// Crash ends the process as if it died on its own.
func (p *fakeProc) Crash(err error) { p.end(err) }

func (p *fakeProc) end(err error) {
	select {
	case p.exit <- err:
	default: // already ended
	}
}

func (p *fakeProc) record(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.signals = append(p.signals, s)
}

func (p *fakeProc) Signals() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.signals...)
}

// launcher is the fake ExecFunc: each start makes a fakeProc that prints the
// fake engine's address (unless silent) and some stderr.
type launcher struct {
	engine     *fakeEngine
	silent     bool
	exitOnTerm bool
	failNext   atomic.Int32 // starts that fail before the process runs
	dieAtOnce  atomic.Bool  // the process exits right after it starts

	mu      sync.Mutex
	specs   []supervisor.Spec
	started chan *fakeProc
}

func newLauncher(e *fakeEngine) *launcher {
	return &launcher{engine: e, exitOnTerm: true, started: make(chan *fakeProc, 100)}
}

func (l *launcher) Exec(spec supervisor.Spec) (supervisor.Process, error) {
	if l.failNext.Load() > 0 {
		l.failNext.Add(-1)
		return nil, errors.New("exec format error")
	}
	l.mu.Lock()
	l.specs = append(l.specs, spec)
	pid := 1000 + len(l.specs)
	l.mu.Unlock()
	p := &fakeProc{pid: pid, exitOnTerm: l.exitOnTerm, exit: make(chan error, 1)}
	fmt.Fprintf(spec.Stderr, `{"level":"INFO","msg":"fake engine %d starting"}`+"\n", pid)
	if l.dieAtOnce.Load() {
		p.Crash(errors.New("exit status 3"))
	} else if !l.silent {
		fmt.Fprintf(spec.Stdout, "engine listening on %s  model: demo  data: /tmp\n", l.engine.URL)
	}
	l.started <- p
	return p, nil
}

func (l *launcher) next(t *testing.T) *fakeProc {
	t.Helper()
	select {
	case p := <-l.started:
		return p
	case <-time.After(patience):
		t.Fatal("no engine was started")
		return nil
	}
}

func (l *launcher) spec(i int) supervisor.Spec {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.specs[i]
}

// states collects status changes.
type states chan supervisor.Status

func (s states) notify(st supervisor.Status) { s <- st }

// until reads status changes until one is in state want.
func (s states) until(t *testing.T, want supervisor.State) supervisor.Status {
	t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case st := <-s:
			if st.State == want {
				return st
			}
		case <-timeout:
			t.Fatalf("the engine never became %s", want)
		}
	}
}
