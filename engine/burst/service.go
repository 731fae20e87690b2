package burst

import (
	"cmp"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/artifact"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/track"
	"github.com/samwise-app/samwise/remote/objstore"
	"github.com/samwise-app/samwise/remote/worker"
)

// ObjectStore is where media travels to the worker (*objstore.Store on R2).
type ObjectStore interface {
	// PutContent uploads a file under its content address (once) and returns the key.
	PutContent(ctx context.Context, path string) (string, error)
	// PresignGet and PresignPut return a URL that reads or writes key until expiry.
	PresignGet(ctx context.Context, key string, expiry time.Duration) (objstore.PresignedRequest, error)
	PresignPut(ctx context.Context, key string, expiry time.Duration) (objstore.PresignedRequest, error)
	// Get, List and Delete read back and remove the results the worker stored.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	List(ctx context.Context, prefix string) ([]artifact.Info, error)
	Delete(ctx context.Context, key string) error
}

// Config sets up a Service.
type Config struct {
	// Policy is off, ask or auto; Threshold the estimated local run time above which a
	// job is sent (auto) or asked about (ask).
	Policy    string
	Threshold time.Duration
	// Via names how workers are rented ("vast", "gateway"), for status.
	Via string
	// Pool rents the worker; nil means none is configured (every job runs here).
	Pool worker.Pool
	// Store carries media to the worker; required with a Pool.
	Store ObjectStore
	// Speed keeps measured speeds (default: in memory only).
	Speed *Speed
	// MaxDPH is the price cap, used for cost estimates while no worker runs.
	MaxDPH float64
	// HTTP calls the worker's engine (default: a client without an overall timeout, as
	// result streams last as long as the job).
	HTTP *http.Client
	// Log gets subsystem=burst.
	Log *slog.Logger
	// UploadAttempts bounds the media upload tries (default 5); RetryDelay is the first wait
	// between tries of anything, doubling (default 1 s); StoreRetries bounds the reads of
	// results from object storage, and the worker's job status answers, that fail in a row
	// (default 5).
	UploadAttempts int
	RetryDelay     time.Duration
	StoreRetries   int
	// ResultChunk is how many frames the worker stores per results object (default 32);
	// ResultPoll how often the worker's job is polled for them (default 500 ms).
	ResultChunk int
	ResultPoll  time.Duration
	// PresignExpiry is how long the worker's media URL is valid (default 1 h).
	PresignExpiry time.Duration
}

// Service places propagation jobs and runs the remote ones. It implements
// track.Placement.
type Service struct {
	cfg Config
	log *slog.Logger
}

var _ track.Placement = (*Service)(nil)

// New returns a service; it starts nothing (see Run).
func New(cfg Config) (*Service, error) {
	cfg.Policy = cmp.Or(cfg.Policy, api.BurstOff)
	switch cfg.Policy {
	case api.BurstOff, api.BurstAsk, api.BurstAuto:
	default:
		return nil, errors.New("burst: policy must be off, ask or auto")
	}
	if cfg.Pool != nil && cfg.Store == nil {
		return nil, errors.New("burst: a worker pool needs an object store for the media")
	}
	if cfg.Speed == nil {
		cfg.Speed = LoadSpeed("")
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{}
	}
	cfg.HTTP = guarded(cfg.HTTP)
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.UploadAttempts = cmp.Or(cfg.UploadAttempts, 5)
	cfg.RetryDelay = cmp.Or(cfg.RetryDelay, time.Second)
	cfg.StoreRetries = cmp.Or(cfg.StoreRetries, 5)
	cfg.ResultChunk = cmp.Or(cfg.ResultChunk, 32)
	cfg.ResultPoll = cmp.Or(cfg.ResultPoll, 500*time.Millisecond)
	cfg.PresignExpiry = cmp.Or(cfg.PresignExpiry, time.Hour)
	return &Service{cfg: cfg, log: cfg.Log.With("subsystem", "burst")}, nil
}

// remote reports whether jobs can run remotely.
func (s *Service) remote() bool { return s.cfg.Pool != nil && s.cfg.Policy != api.BurstOff }

// Estimate implements track.Placement.
func (s *Service) Estimate(w track.Work) api.PlacementEstimate {
	per, measured := s.cfg.Speed.Local()
	units := float64(w.Frames * max(w.Objects, 1))
	e := api.PlacementEstimate{Frames: w.Frames, Objects: w.Objects, LocalS: per * units, SecondsPerFrameObject: per, Measured: measured,
		Policy: s.cfg.Policy, ThresholdS: s.cfg.Threshold.Seconds(), Placement: api.PlacementLocal, RemoteAvailable: s.remote()}
	if !s.remote() {
		return e
	}
	st := s.cfg.Pool.Status()
	e.WorkerState = string(st.State)
	if st.State != worker.Ready {
		e.WarmupS = s.cfg.Speed.Warmup().Seconds()
	}
	e.RemoteS = e.WarmupS + e.LocalS // an upper bound until the worker's speed is measured
	if rper, ok := s.cfg.Speed.Remote(); ok {
		e.RemoteS = e.WarmupS + rper*units
	}
	e.DPH = cmp.Or(st.DPH, s.cfg.MaxDPH)
	e.CostUSD = e.DPH * e.RemoteS / 3600
	over := e.LocalS > e.ThresholdS
	switch {
	case over && s.cfg.Policy == api.BurstAuto:
		e.Placement = api.PlacementRemote
	case over && s.cfg.Policy == api.BurstAsk:
		e.NeedsConfirmation = true
	}
	return e
}

// Place implements track.Placement: an explicit placement is honoured; otherwise the
// policy decides, and under ask a job over the threshold is refused with its estimate.
func (s *Service) Place(ctx context.Context, w track.Work) (track.Decision, error) {
	e := s.Estimate(w)
	switch w.Placement {
	case api.PlacementLocal:
		e.Placement, e.NeedsConfirmation = api.PlacementLocal, false
	case api.PlacementRemote:
		if !s.remote() {
			return track.Decision{}, &segment.InputError{Field: "placement", Msg: "no GPU worker is available: burst is off or not configured (see docs/remote.md)"}
		}
		e.Placement, e.NeedsConfirmation = api.PlacementRemote, false
	default:
		if e.NeedsConfirmation {
			return track.Decision{}, &track.PlacementRequiredError{Estimate: e}
		}
	}
	return track.Decision{Placement: e.Placement, Estimate: e}, nil
}

// Observe implements track.Placement.
func (s *Service) Observe(frames, objects int, elapsed time.Duration) {
	s.cfg.Speed.ObserveLocal(frames, objects, elapsed)
}

// Status describes the policy and the worker (GET /v1/remote).
func (s *Service) Status() api.RemoteWorker {
	per, measured := s.cfg.Speed.Local()
	out := api.RemoteWorker{Policy: s.cfg.Policy, ThresholdS: s.cfg.Threshold.Seconds(), State: string(worker.Off),
		SecondsPerFrameObject: per, Measured: measured}
	if s.cfg.Pool == nil {
		return out
	}
	st := s.cfg.Pool.Status()
	out.Via, out.State, out.Instance, out.GPU, out.DPH = s.cfg.Via, string(st.State), st.Instance, st.GPU, st.DPH
	out.InFlight, out.CostUSD, out.TotalCostUSD, out.LastError = st.InFlight, st.CostUSD, st.TotalCostUSD, st.LastError
	if !st.Since.IsZero() {
		since := st.Since
		out.Since = &since
	}
	return out
}

// StopWorker drains and destroys the worker now (DELETE /v1/remote/worker).
func (s *Service) StopWorker(ctx context.Context) (api.RemoteWorker, error) {
	if s.cfg.Pool != nil {
		if err := s.cfg.Pool.Stop(ctx); err != nil {
			return s.Status(), err
		}
	}
	return s.Status(), nil
}

// Run drives the worker's timers until ctx ends.
func (s *Service) Run(ctx context.Context) {
	if s.cfg.Pool != nil {
		s.cfg.Pool.Run(ctx)
	}
}

// Close destroys what the pool rented (engine shutdown: never leave a worker running).
func (s *Service) Close(ctx context.Context) error {
	if s.cfg.Pool == nil {
		return nil
	}
	return s.cfg.Pool.Close(ctx)
}
