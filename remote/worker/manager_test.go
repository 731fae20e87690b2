package worker_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/remote/vast/vasttest"
	"github.com/samwise-app/samwise/remote/worker"
)

func TestProvisionAndWarmReuse(t *testing.T) {
	f := newFixture(t)
	m := f.manager(t)
	l := acquire(t, m)
	st := wantState(t, m, worker.Ready)
	if l.URL != f.engine.srv.URL || !l.Token.IsSet() || l.DPH != 0.20 || l.GPU != "RTX 3090" {
		t.Fatalf("lease = %+v; want the cheapest offer with ≥20 GB", l)
	}
	if st.Instance != l.Instance || st.InFlight != 1 {
		t.Fatalf("status = %+v", st)
	}
	creates := f.vast.Requests()
	var body map[string]any
	for _, r := range creates {
		if r.Method == "PUT" && strings.HasPrefix(r.Path, "/api/v0/asks/") {
			json.Unmarshal(r.Body, &body)
		}
	}
	env, _ := body["env"].(map[string]any)
	if body["label"] != "samwise-alice-s1" || body["cancel_unavail"] != true || body["runtype"] != "args" ||
		env["SAMWISE_TOKEN"] != l.Token.Reveal() || env["TUNNEL_TOKEN"] != tunnelToken ||
		env["SAMWISE_IDLE_TIMEOUT_S"] != "420" || env["SAMWISE_LISTEN"] != "127.0.0.1:8000" {
		t.Fatalf("create body = %v", body)
	}
	l.Release()
	f.clock.Advance(30 * time.Minute / 10)
	l2 := acquire(t, m)
	if l2.Instance != l.Instance || f.vast.Count("PUT", "/api/v0/asks/") != 1 {
		t.Fatalf("a ready worker was not reused: %s then %s, %d creates", l.Instance, l2.Instance, f.vast.Count("PUT", "/api/v0/asks/"))
	}
	l2.Release()
	f.clock.Advance(27 * time.Minute)
	if st := m.Status(); st.CostUSD < 0.0999 || st.CostUSD > 0.1001 {
		t.Errorf("cost after 30 minutes at $0.20/h = %v, want 0.10", st.CostUSD)
	}
}

func TestIdleWorkerIsDestroyedNeverStopped(t *testing.T) {
	f := newFixture(t)
	m := f.manager(t)
	l := acquire(t, m)
	// A held lease keeps the worker however long the job takes.
	f.clock.Advance(time.Hour)
	m.Tick(context.Background())
	wantState(t, m, worker.Ready)
	l.Release()
	f.clock.Advance(5*time.Minute - time.Second)
	m.Tick(context.Background())
	wantState(t, m, worker.Ready)
	f.clock.Advance(time.Second)
	m.Tick(context.Background())
	wantState(t, m, worker.Off)
	if n := f.vast.Live(); n != 0 {
		t.Fatalf("%d instances after the idle timeout, want 0", n)
	}
	if f.vast.Count("DELETE", "/api/v0/instances/") != 1 || f.stops() != 0 {
		t.Fatalf("destroys = %d, stops = %d; want 1 destroy and no stop", f.vast.Count("DELETE", "/api/v0/instances/"), f.stops())
	}
	if st := m.Status(); st.TotalCostUSD <= 0 || st.CostUSD != 0 {
		t.Errorf("status after destroy = %+v", st)
	}
	// The next job provisions a fresh worker.
	acquire(t, m).Release()
	if f.vast.Count("PUT", "/api/v0/asks/") != 2 || f.vast.Live() != 1 {
		t.Fatalf("after idle-out a new job did not get a new worker")
	}
}

func TestMaximumLifetime(t *testing.T) {
	f := newFixture(t)
	m := f.manager(t)
	l := acquire(t, m)
	f.clock.Advance(2 * time.Hour)
	m.Tick(context.Background())
	// The lease is still held: the worker drains and takes no new lease.
	wantState(t, m, worker.Draining)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	if _, err := m.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire on a draining worker = %v, want it to wait", err)
	}
	cancel()
	f.clock.Advance(2 * time.Minute)
	m.Tick(context.Background())
	wantState(t, m, worker.Off)
	if f.vast.Live() != 0 || f.stops() != 0 {
		t.Fatalf("live = %d, stops = %d after the maximum lifetime", f.vast.Live(), f.stops())
	}
	l.Release() // late release of a destroyed worker's lease is harmless

	// Without leases the worker goes in one tick.
	acquire(t, m).Release()
	f.clock.Advance(2 * time.Hour)
	m.Tick(context.Background())
	wantState(t, m, worker.Off)
	if f.vast.Live() != 0 {
		t.Fatal("worker past its maximum lifetime survived")
	}
}

func TestOrphansAreReapedByLabel(t *testing.T) {
	f := newFixture(t)
	old := f.vast.AddInstance(map[string]any{"label": "samwise-alice-s0", "actual_status": "running"})
	older := f.vast.AddInstance(map[string]any{"label": "samwise-alice-crashed", "actual_status": "stopped"})
	otherOwner := f.vast.AddInstance(map[string]any{"label": "samwise-bob-s0", "actual_status": "running"})
	gateway := f.vast.AddInstance(map[string]any{"label": "samwise-gpu", "actual_status": "running"})
	foreign := f.vast.AddInstance(map[string]any{"label": "training-run", "actual_status": "running"})
	m := f.manager(t)
	// Provisioning reaps first, so no older worker shares the tunnel with the new one.
	l := acquire(t, m)
	for _, id := range []int64{old, older} {
		if f.vast.Instance(id) != nil {
			t.Errorf("orphan %d survived provisioning", id)
		}
	}
	for _, id := range []int64{otherOwner, gateway, foreign} {
		if f.vast.Instance(id) == nil {
			t.Errorf("instance %d of someone else was destroyed", id)
		}
	}
	// Later orphans (another engine run of the same owner) go at the next reap; the
	// current worker stays.
	late := f.vast.AddInstance(map[string]any{"label": "samwise-alice-s9"})
	n, err := m.Reap(context.Background())
	if err != nil || n != 1 || f.vast.Instance(late) != nil {
		t.Fatalf("Reap = %d, %v; late orphan present: %v", n, err, f.vast.Instance(late) != nil)
	}
	wantState(t, m, worker.Ready)
	if st := m.Status(); st.Instance != l.Instance {
		t.Fatalf("the current worker changed: %+v", st)
	}
	if f.stops() != 0 {
		t.Fatal("an orphan was stopped instead of destroyed")
	}
}

func TestWarmupTimeoutFailsAndDestroys(t *testing.T) {
	f := newFixture(t)
	f.engine.autoUp = false // the tunnel never gets a connector
	m := f.manager(t)
	start := f.clock.Now()
	_, err := m.Acquire(context.Background())
	if !errors.Is(err, worker.ErrWarmupTimeout) {
		t.Fatalf("Acquire = %v, want ErrWarmupTimeout", err)
	}
	if waited := f.clock.Now().Sub(start); waited < 15*time.Minute {
		t.Fatalf("gave up after %s of clock time, before the 15 min warm-up deadline", waited)
	}
	wantState(t, m, worker.Failed)
	if f.vast.Live() != 0 || f.stops() != 0 {
		t.Fatalf("a worker that never got ready was left: live %d, stops %d", f.vast.Live(), f.stops())
	}
	// The next Acquire tries again.
	f.engine.autoUp = true
	acquire(t, m).Release()
	if f.vast.Count("PUT", "/api/v0/asks/") != 2 {
		t.Fatal("no second provisioning after a failed one")
	}
}

func TestAnOlderWorkerOnTheTunnelIsNotTakenForTheNewOne(t *testing.T) {
	f := newFixture(t)
	f.engine.autoUp = false
	m := f.manager(t)
	go func() {
		// An old worker answers /ready on the tunnel hostname, with a token of its own.
		for f.vast.Live() == 0 {
			time.Sleep(time.Millisecond)
		}
		f.engine.mu.Lock()
		f.engine.up, f.engine.token = true, "an-older-workers-token"
		f.engine.mu.Unlock()
	}()
	if _, err := m.Acquire(context.Background()); !errors.Is(err, worker.ErrWarmupTimeout) {
		t.Fatalf("Acquire = %v; the new worker must prove itself with its own token", err)
	}
}

func TestInstanceFailingDuringWarmup(t *testing.T) {
	f := newFixture(t)
	f.engine.autoUp = false
	f.vast.SetHooks(vasttest.Hooks{OnCreate: func(c vasttest.Created) {
		go f.vast.SetInstanceField(c.ID, "actual_status", "exited")
	}})
	m := f.manager(t)
	_, err := m.Acquire(context.Background())
	if err == nil || !strings.Contains(err.Error(), "exited") {
		t.Fatalf("Acquire = %v, want the instance's failure", err)
	}
	if f.vast.Live() != 0 {
		t.Fatal("the failed instance was not destroyed")
	}
}

func TestCreateFaultsAreRetriedWithoutRentingTwice(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault vasttest.Fault
	}{
		{"429 rate limit", vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Status: 429, Times: 2}},
		{"500 before acting", vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Status: 500, Times: 2}},
		{"500 after creating", vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Status: 500, Times: 1, AfterHandle: true}},
		{"timeout", vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Hang: true, Times: 1}},
		{"dropped connection", vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Drop: true, Times: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.vast.Inject(tc.fault)
			m := f.manager(t)
			l := acquire(t, m)
			wantState(t, m, worker.Ready)
			if n := f.vast.Live(); n != 1 {
				t.Fatalf("%d instances exist, want exactly 1", n)
			}
			if st := m.Status(); st.Instance != l.Instance {
				t.Fatalf("status %+v, lease %+v", st, l)
			}
		})
	}
}

func TestUnauthorizedAndNoOffersFail(t *testing.T) {
	f := newFixture(t)
	f.vast.Inject(vasttest.Fault{Method: "POST", Path: "/api/v0/bundles/", Status: 401, Body: `{"success": false, "error": "auth_error", "msg": "Invalid user key"}`})
	m := f.manager(t)
	if _, err := m.Acquire(context.Background()); err == nil || !strings.Contains(err.Error(), "API key") {
		t.Fatalf("Acquire = %v, want an unauthorized error naming the key", err)
	}
	f2 := newFixture(t)
	f2.cfg.Offers.MaxDPH = 0.01
	m2 := f2.manager(t)
	if _, err := m2.Acquire(context.Background()); !errors.Is(err, worker.ErrNoOffers) {
		t.Fatalf("Acquire = %v, want ErrNoOffers", err)
	}
	if f.vast.Live()+f2.vast.Live() != 0 {
		t.Fatal("instances were created")
	}
}

func TestLostWorkerIsDestroyedAndReplaced(t *testing.T) {
	f := newFixture(t)
	m := f.manager(t)
	l := acquire(t, m)
	f.engine.setUp(false)
	l.Lost(context.Background(), errors.New("connection refused"))
	st := wantState(t, m, worker.Failed)
	if !strings.Contains(st.LastError, "connection refused") || f.vast.Live() != 0 {
		t.Fatalf("status %+v, live %d", st, f.vast.Live())
	}
	l2 := acquire(t, m)
	if l2.Instance == l.Instance || f.vast.Live() != 1 {
		t.Fatalf("the lost worker was not replaced: %s → %s", l.Instance, l2.Instance)
	}
}

func TestCloseDestroysEverything(t *testing.T) {
	f := newFixture(t)
	m := f.manager(t)
	acquire(t, m)
	if err := m.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.vast.Live() != 0 || f.stops() != 0 {
		t.Fatalf("live %d, stops %d after Close", f.vast.Live(), f.stops())
	}
	if _, err := m.Acquire(context.Background()); !errors.Is(err, worker.ErrClosed) {
		t.Fatalf("Acquire after Close = %v", err)
	}
}

func TestStopDrainsNow(t *testing.T) {
	f := newFixture(t)
	m := f.manager(t)
	acquire(t, m).Release()
	if err := m.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantState(t, m, worker.Off)
	if f.vast.Live() != 0 {
		t.Fatal("Stop left the worker running")
	}
}

func TestLogsNeverCarryTheSecrets(t *testing.T) {
	f := newFixture(t)
	f.vast.Inject(vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Status: 500, Times: 1, AfterHandle: true})
	m := f.manager(t)
	l := acquire(t, m)
	l.Release()
	f.clock.Advance(time.Hour)
	m.Tick(context.Background())
	logs := f.logs.String()
	for _, s := range []string{vastKey, tunnelToken, l.Token.Reveal()} {
		if strings.Contains(logs, s) {
			t.Errorf("logs contain a secret %q…", s[:6])
		}
	}
	if !strings.Contains(logs, `"subsystem":"worker"`) {
		t.Error("no subsystem=worker in the logs")
	}
}
