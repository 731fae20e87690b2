package burst_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/burst"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/track"
	"github.com/samwise-app/samwise/remote/objstore"
	"github.com/samwise-app/samwise/remote/worker"
)

// fakePool reports a fixed status; placement never acquires.
type fakePool struct{ st worker.Status }

func (p *fakePool) Acquire(context.Context) (*worker.Lease, error) {
	return nil, errors.New("not here")
}
func (p *fakePool) Status() worker.Status       { return p.st }
func (p *fakePool) Stop(context.Context) error  { p.st.State = worker.Off; return nil }
func (p *fakePool) Run(context.Context)         {}
func (p *fakePool) Close(context.Context) error { return nil }

// fakeStore refuses the calls placement makes; the rest are never reached here.
type fakeStore struct{ burst.ObjectStore }

func (fakeStore) PutContent(context.Context, string) (string, error) { return "", errors.New("no") }
func (fakeStore) PresignGet(context.Context, string, time.Duration) (objstore.PresignedRequest, error) {
	return objstore.PresignedRequest{}, errors.New("no")
}

func service(t *testing.T, policy string, threshold time.Duration, pool worker.Pool) *burst.Service {
	t.Helper()
	cfg := burst.Config{Policy: policy, Threshold: threshold, Pool: pool, MaxDPH: 0.8, Speed: burst.LoadSpeed(filepath.Join(t.TempDir(), "speed.json"))}
	if pool != nil {
		cfg.Store = fakeStore{}
	}
	s, err := burst.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func work(frames, objects int, placement string) track.Work {
	return track.Work{Frames: frames, Objects: objects, Placement: placement}
}

func TestPlacementPolicy(t *testing.T) {
	ready := &fakePool{st: worker.Status{State: worker.Ready, DPH: 0.3}}
	// The default speed is 0.5 s per frame per object: 300 frames × 2 objects = 300 s.
	for _, tc := range []struct {
		name      string
		policy    string
		threshold time.Duration
		pool      worker.Pool
		w         track.Work
		want      string // local, remote, ask (409), bad (400)
	}{
		{"off stays local", api.BurstOff, time.Second, ready, work(300, 2, ""), "local"},
		{"auto below threshold", api.BurstAuto, 10 * time.Minute, ready, work(300, 2, ""), "local"},
		{"auto above threshold", api.BurstAuto, time.Minute, ready, work(300, 2, ""), "remote"},
		{"auto without a worker", api.BurstAuto, time.Minute, nil, work(300, 2, ""), "local"},
		{"ask above threshold", api.BurstAsk, time.Minute, ready, work(300, 2, ""), "ask"},
		{"ask below threshold", api.BurstAsk, 10 * time.Minute, ready, work(300, 2, ""), "local"},
		{"ask answered remote", api.BurstAsk, time.Minute, ready, work(300, 2, api.PlacementRemote), "remote"},
		{"ask answered local", api.BurstAsk, time.Minute, ready, work(300, 2, api.PlacementLocal), "local"},
		{"explicit remote below threshold", api.BurstAuto, time.Hour, ready, work(3, 1, api.PlacementRemote), "remote"},
		{"explicit remote with burst off", api.BurstOff, time.Minute, ready, work(300, 2, api.PlacementRemote), "bad"},
		{"explicit remote without a worker", api.BurstAuto, time.Minute, nil, work(300, 2, api.PlacementRemote), "bad"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := service(t, tc.policy, tc.threshold, tc.pool)
			d, err := s.Place(context.Background(), tc.w)
			var pr *track.PlacementRequiredError
			got := d.Placement
			switch {
			case errors.As(err, &pr):
				got = "ask"
				if !pr.Estimate.NeedsConfirmation || pr.Estimate.LocalS != 300 {
					t.Errorf("the 409 estimate = %+v", pr.Estimate)
				}
			case segment.IsInputError(err):
				got = "bad"
			case err != nil:
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("placement = %s (%v), want %s", got, err, tc.want)
			}
		})
	}
}

func TestEstimate(t *testing.T) {
	pool := &fakePool{st: worker.Status{State: worker.Off}}
	s := service(t, api.BurstAuto, time.Minute, pool)
	e := s.Estimate(work(120, 3, ""))
	if e.Frames != 120 || e.Objects != 3 || e.LocalS != 180 || e.Measured || e.SecondsPerFrameObject != burst.DefaultSecondsPerFrameObject {
		t.Fatalf("estimate = %+v", e)
	}
	// A cold worker: warm-up plus (unmeasured) the local time as an upper bound, at the
	// price cap.
	if e.WarmupS != 180 || e.RemoteS != 360 || e.DPH != 0.8 || math.Abs(e.CostUSD-0.08) > 1e-9 || e.WorkerState != "off" || e.Placement != api.PlacementRemote {
		t.Fatalf("remote part of the estimate = %+v", e)
	}
	// The engine measures its own speed: a local run of 100 frames × 2 objects in 20 s.
	s.Observe(100, 2, 20*time.Second)
	e = s.Estimate(work(120, 3, ""))
	if !e.Measured || e.SecondsPerFrameObject != 0.1 || math.Abs(e.LocalS-36) > 1e-9 || e.Placement != api.PlacementLocal {
		t.Fatalf("after a measured run: %+v", e)
	}
	// Runs too small to measure leave the speed alone.
	s.Observe(2, 1, time.Minute)
	if e2 := s.Estimate(work(120, 3, "")); e2.SecondsPerFrameObject != 0.1 {
		t.Fatalf("a two-frame run changed the speed to %v", e2.SecondsPerFrameObject)
	}
}

func TestSpeedSurvivesRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "burst", "speed.json")
	sp := burst.LoadSpeed(path)
	sp.ObserveLocal(50, 2, 25*time.Second)
	sp.ObserveLocal(50, 2, 50*time.Second) // running average: 0.7×0.25 + 0.3×0.5
	sp.ObserveRemote(100, 1, 5*time.Second)
	again := burst.LoadSpeed(path)
	if v, ok := again.Local(); !ok || math.Abs(v-0.325) > 1e-9 {
		t.Fatalf("local speed after reload = %v, %v", v, ok)
	}
	if v, ok := again.Remote(); !ok || v != 0.05 {
		t.Fatalf("remote speed after reload = %v, %v", v, ok)
	}
}

func TestStatusAndStop(t *testing.T) {
	pool := &fakePool{st: worker.Status{State: worker.Ready, Instance: "vast:7", DPH: 0.3, CostUSD: 0.01, TotalCostUSD: 0.05}}
	s := service(t, api.BurstAuto, time.Minute, pool)
	st := s.Status()
	if st.State != "ready" || st.Instance != "vast:7" || st.TotalCostUSD != 0.05 || st.Policy != "auto" || st.ThresholdS != 60 {
		t.Fatalf("status = %+v", st)
	}
	st, err := s.StopWorker(context.Background())
	if err != nil || st.State != "off" {
		t.Fatalf("StopWorker = %+v, %v", st, err)
	}
	if st := service(t, api.BurstOff, 0, nil).Status(); st.State != "off" || st.Via != "" {
		t.Fatalf("status without a worker = %+v", st)
	}
}

func TestTheGatewaysWarmingAnswerIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/pvs/video/s/propagate" {
			w.WriteHeader(http.StatusAccepted) // the engine's own 202: no Retry-After
			w.Write([]byte(`{"job_id": "j1", "status_url": "/v1/jobs/j1"}`))
			return
		}
		w.Header().Set("Retry-After", "10")
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"state": "warming_up", "retry_after": 10}`))
	}))
	defer srv.Close()
	hc := burst.GuardedClient(srv.Client())
	c, _ := client.New(srv.URL, "t", hc)
	if _, err := c.CreateSession(context.Background(), "m"); err == nil || !strings.Contains(err.Error(), "warming") {
		t.Fatalf("CreateSession through a warming gateway = %v, want an error", err)
	}
	if err := c.StreamResults(context.Background(), "j1", -1, func(api.FrameResult) error { return nil }); err == nil {
		t.Fatal("a warming answer was read as a results stream")
	}
	acc, err := c.Propagate(context.Background(), "s", &api.PropagateRequest{})
	if err != nil || acc.JobID != "j1" {
		t.Fatalf("the engine's own 202 = %+v, %v", acc, err)
	}
}
