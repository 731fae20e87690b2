package worker

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/remote/vast"
)

// VastAPI is the part of the Vast client the lifecycle uses (*vast.Client). There is no
// stop: workers are destroyed.
type VastAPI interface {
	SearchOffers(ctx context.Context, q vast.OfferQuery) ([]vast.Offer, error)
	CreateInstance(ctx context.Context, offerID int64, req vast.CreateRequest) (int64, error)
	ShowInstance(ctx context.Context, id int64) (vast.Instance, error)
	ListInstances(ctx context.Context) ([]vast.Instance, error)
	DestroyInstance(ctx context.Context, id int64) error
}

// Config sets up a Manager.
type Config struct {
	// Vast is the API client (authenticated with the account key). Required.
	Vast VastAPI
	// Offers filters the GPU offers (GPU RAM, reliability, price cap, CUDA).
	Offers vast.OfferQuery
	// Image is the worker image (engine + cloudflared). Required.
	Image string
	// DiskGB is the container disk (default 20: models and media).
	DiskGB float64
	// Owner and Session make the label "samwise-<owner>-<session>" (see Label). Required.
	Owner, Session string
	// URL is the worker's public address: the named tunnel's hostname. Required.
	URL string
	// TunnelToken is handed to each worker (TUNNEL_TOKEN) to run its cloudflared: the only
	// long-lived credential a worker gets, and it is scoped to the tunnel.
	TunnelToken secret.Secret
	// Port is where the engine listens inside the container, the tunnel ingress's
	// service (default 8000).
	Port int
	// Env adds container variables (not secrets: Vast shows them to the account).
	Env map[string]string
	// WarmupTimeout bounds provisioning (default 15 min); IdleTimeout is how long a ready
	// worker may go without a lease before it is destroyed (default 5 min); MaxLifetime
	// caps an instance's life (default 2 h); DrainGrace is how long a draining worker
	// waits for leases to end (default 2 min).
	WarmupTimeout, IdleTimeout, MaxLifetime, DrainGrace time.Duration
	// DeadmanMargin is added to IdleTimeout for the worker's own dead-man switch, so the
	// local engine normally destroys the worker first (default 2 min).
	DeadmanMargin time.Duration
	// PollInterval paces warm-up polling and Run's ticks (default 10 s); ReapInterval
	// paces orphan reaping (default 5 min).
	PollInterval, ReapInterval time.Duration
	// MaxOffers is how many offers one provisioning tries (default 3); CreateAttempts is
	// how often one offer is tried when Vast fails with an unclear outcome (default 3).
	MaxOffers, CreateAttempts int
	// Clock and HTTP are injectable (defaults: RealClock, a client with a 10 s timeout).
	Clock Clock
	HTTP  *http.Client
	// Log gets subsystem=worker (default slog.Default()).
	Log *slog.Logger
	// NewToken makes each worker's engine token (default: 32 random hex bytes).
	NewToken func() secret.Secret
}

func (c Config) withDefaults() Config {
	c.DiskGB = cmp.Or(c.DiskGB, 20)
	c.Port = cmp.Or(c.Port, 8000)
	c.WarmupTimeout = cmp.Or(c.WarmupTimeout, 15*time.Minute)
	c.IdleTimeout = cmp.Or(c.IdleTimeout, 5*time.Minute)
	c.MaxLifetime = cmp.Or(c.MaxLifetime, 2*time.Hour)
	c.DrainGrace = cmp.Or(c.DrainGrace, 2*time.Minute)
	c.DeadmanMargin = cmp.Or(c.DeadmanMargin, 2*time.Minute)
	c.PollInterval = cmp.Or(c.PollInterval, 10*time.Second)
	c.ReapInterval = cmp.Or(c.ReapInterval, 5*time.Minute)
	c.MaxOffers = cmp.Or(c.MaxOffers, 3)
	c.CreateAttempts = cmp.Or(c.CreateAttempts, 3)
	if c.Clock == nil {
		c.Clock = RealClock{}
	}
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.NewToken == nil {
		c.NewToken = randomToken
	}
	c.URL = strings.TrimRight(c.URL, "/")
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Vast == nil {
		errs = append(errs, errors.New("worker: no Vast client"))
	}
	if c.Image == "" {
		errs = append(errs, errors.New("worker: no worker image: set burst_image"))
	}
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("worker: worker URL %q: want the tunnel hostname as https://host (setting burst_worker_url)", c.URL))
	}
	if err := checkLabelParts(c.Owner, c.Session); err != nil {
		errs = append(errs, err)
	}
	if c.WarmupTimeout > c.MaxLifetime {
		errs = append(errs, fmt.Errorf("worker: warm-up timeout %s exceeds the maximum lifetime %s", c.WarmupTimeout, c.MaxLifetime))
	}
	return errors.Join(errs...)
}

func randomToken() secret.Secret {
	b := make([]byte, 32)
	rand.Read(b)
	return secret.Secret(hex.EncodeToString(b))
}

// instance is the worker the manager rents now.
type instance struct {
	id      int64
	offer   int64
	gpu     string
	dph     float64
	created time.Time
	token   secret.Secret
}

// Manager runs the worker lifecycle against the Vast API. It holds at most one worker.
type Manager struct {
	cfg Config
	log *slog.Logger

	mu           sync.Mutex
	state        State
	since        time.Time
	inst         *instance
	gen          int // provisioning generation
	lastErr      error
	inflight     int
	lastActivity time.Time
	drainStart   time.Time
	pending      map[int64]bool // destroys not yet confirmed
	gone         map[int64]bool // destroyed by us: never adopt
	lastReap     time.Time
	spent        float64 // cost of instances already destroyed
	changed      chan struct{}
	closed       bool

	base     context.Context // provisioning runs under it; Close cancels it
	stopBase context.CancelFunc
	wg       sync.WaitGroup
}

var _ Pool = (*Manager)(nil)

// New checks cfg and returns a manager in state off. It makes no request.
func New(cfg Config) (*Manager, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	base, stop := context.WithCancel(context.Background())
	return &Manager{cfg: cfg, log: cfg.Log.With("subsystem", "worker", "label", Label(cfg.Owner, cfg.Session)),
		state: Off, since: cfg.Clock.Now(), pending: map[int64]bool{}, gone: map[int64]bool{},
		changed: make(chan struct{}), base: base, stopBase: stop}, nil
}

// Label is the label of this manager's instances.
func (m *Manager) Label() string { return Label(m.cfg.Owner, m.cfg.Session) }

// setStateLocked moves to s and wakes waiters.
func (m *Manager) setStateLocked(s State) {
	if m.state != s {
		m.log.Info("worker state", "from", m.state, "to", s, "instance", m.instName())
	}
	m.state, m.since = s, m.cfg.Clock.Now()
	close(m.changed)
	m.changed = make(chan struct{})
}

func (m *Manager) instName() string {
	if m.inst == nil {
		return ""
	}
	return instanceName(m.inst.id)
}

// Status implements Pool.
func (m *Manager) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Status{State: m.state, Since: m.since, InFlight: m.inflight, TotalCostUSD: m.spent}
	if m.inst != nil {
		st.Instance, st.GPU, st.DPH, st.CreatedAt = instanceName(m.inst.id), m.inst.gpu, m.inst.dph, m.inst.created
		st.CostUSD = cost(m.inst.dph, m.cfg.Clock.Now().Sub(m.inst.created))
		st.TotalCostUSD += st.CostUSD
	}
	if m.lastErr != nil {
		st.LastError = m.lastErr.Error()
	}
	return st
}

// Acquire implements Pool: a ready worker is reused at once; otherwise one is
// provisioned (or the provisioning under way awaited). A provisioning that fails fails
// every Acquire waiting on it; the next Acquire tries again.
func (m *Manager) Acquire(ctx context.Context) (*Lease, error) {
	waitedGen := -1
	for {
		m.mu.Lock()
		if m.closed {
			m.mu.Unlock()
			return nil, ErrClosed
		}
		switch m.state {
		case Ready:
			m.inflight++
			m.lastActivity = m.cfg.Clock.Now()
			in := m.inst
			m.mu.Unlock()
			return &Lease{URL: m.cfg.URL, Token: in.token, Instance: instanceName(in.id), GPU: in.gpu, DPH: in.dph, owner: m, id: in.id}, nil
		case Failed:
			if waitedGen == m.gen {
				err := m.lastErr
				m.mu.Unlock()
				return nil, err
			}
			m.startProvisionLocked()
		case Off:
			m.startProvisionLocked()
		}
		if m.state == WarmingUp {
			waitedGen = m.gen
		}
		ch := m.changed
		m.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (m *Manager) startProvisionLocked() {
	m.gen++
	m.lastErr = nil
	m.setStateLocked(WarmingUp)
	m.wg.Add(1)
	go func(gen int) {
		defer m.wg.Done()
		m.provision(m.base, gen)
	}(m.gen)
}

func (m *Manager) release(l *Lease) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inflight > 0 {
		m.inflight--
	}
	m.lastActivity = m.cfg.Clock.Now()
}

func (m *Manager) touch(l *Lease) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastActivity = m.cfg.Clock.Now()
}

// lost marks the leased worker failed and destroys it.
func (m *Manager) lost(ctx context.Context, l *Lease, cause error) {
	m.mu.Lock()
	if m.inflight > 0 {
		m.inflight--
	}
	if m.inst == nil || m.inst.id != l.id || (m.state != Ready && m.state != Draining) {
		m.mu.Unlock()
		return
	}
	m.log.Warn("worker lost", "instance", instanceName(l.id), "err", cause)
	m.lastErr = fmt.Errorf("%w: %v", ErrLost, cause)
	m.setStateLocked(Failed)
	in := m.inst
	m.mu.Unlock()
	m.destroy(ctx, in)
}

// Stop implements Pool: a warm worker drains now; Run (or the next Tick) destroys it once
// its leases end or the drain grace passes. A provisioning under way is left to finish and
// then idles out.
func (m *Manager) Stop(ctx context.Context) error {
	m.mu.Lock()
	if m.state == Ready {
		m.startDrainLocked("stopped by the user")
	} else if m.state == Failed && m.inst == nil {
		m.setStateLocked(Off)
	}
	m.mu.Unlock()
	m.Tick(ctx)
	return nil
}

// Close implements Pool: provisioning is cancelled, and the current instance and any whose
// destroy was not confirmed are destroyed, whatever their state.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.stopBase()
	m.wg.Wait()
	m.mu.Lock()
	in := m.inst
	m.mu.Unlock()
	if in != nil {
		m.destroy(ctx, in)
	}
	m.retryPending(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state != Off {
		m.setStateLocked(Off)
	}
	if len(m.pending) > 0 {
		return fmt.Errorf("worker: %d instance(s) could not be destroyed; destroy them by hand (engine workers destroy --all)", len(m.pending))
	}
	return nil
}
