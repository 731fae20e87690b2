package worker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/remote/vast"
)

// provision takes generation gen from warming_up to ready, or to failed with the instance
// destroyed.
func (m *Manager) provision(ctx context.Context, gen int) {
	if n, err := m.Reap(ctx); err != nil {
		m.log.Warn("could not look for orphans before provisioning", "err", err)
	} else if n > 0 {
		m.log.Info("destroyed orphaned workers before provisioning", "count", n)
	}
	in, err := m.create(ctx)
	if err != nil {
		m.failProvision(ctx, gen, nil, err)
		return
	}
	m.mu.Lock()
	m.inst = in
	m.mu.Unlock()
	if err := m.waitReady(ctx, in); err != nil {
		m.failProvision(ctx, gen, in, err)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen != gen || m.state != WarmingUp {
		return
	}
	m.lastActivity = m.cfg.Clock.Now()
	m.setStateLocked(Ready)
}

func (m *Manager) failProvision(ctx context.Context, gen int, in *instance, err error) {
	m.log.Error("provisioning failed", "err", err, "instance", instName(in))
	if in != nil {
		m.destroy(ctx, in)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen == gen {
		m.lastErr = err
		m.setStateLocked(Failed)
	}
}

func instName(in *instance) string {
	if in == nil {
		return ""
	}
	return instanceName(in.id)
}

// env is the container environment of a new worker. Its secrets are the worker's own
// engine token (random, dies with the worker) and the tunnel token (scoped to the tunnel).
func (m *Manager) env(token secret.Secret) map[string]string {
	env := map[string]string{}
	for k, v := range m.cfg.Env {
		env[k] = v
	}
	env["SAMWISE_TOKEN"] = token.Reveal()
	env["SAMWISE_LISTEN"] = "127.0.0.1:" + strconv.Itoa(m.cfg.Port)
	env["SAMWISE_IDLE_TIMEOUT_S"] = strconv.Itoa(int((m.cfg.IdleTimeout + m.cfg.DeadmanMargin).Seconds()))
	if m.cfg.TunnelToken.IsSet() {
		env["TUNNEL_TOKEN"] = m.cfg.TunnelToken.Reveal()
	}
	return env
}

// create searches offers and rents the first that works. A create whose outcome is unclear
// (a 5xx, a timeout, a dropped connection: Vast may have created the instance anyway) is
// resolved by looking for the label; only when no instance carries it is the create
// repeated, so a failure never rents two GPUs.
func (m *Manager) create(ctx context.Context) (*instance, error) {
	q := m.cfg.Offers
	q.AllocatedStorageGB = m.cfg.DiskGB
	offers, err := m.cfg.Vast.SearchOffers(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("worker: searching GPU offers: %w", err)
	}
	if len(offers) == 0 {
		return nil, ErrNoOffers
	}
	token := m.cfg.NewToken()
	req := vast.CreateRequest{Image: m.cfg.Image, Env: m.env(token), DiskGB: m.cfg.DiskGB, Label: m.Label(), RunType: "args"}
	lastErr := ErrNoOffers
	for _, offer := range offers[:min(len(offers), m.cfg.MaxOffers)] {
		for attempt := 1; attempt <= m.cfg.CreateAttempts; attempt++ {
			id, err := m.cfg.Vast.CreateInstance(ctx, offer.ID, req)
			if err == nil {
				return m.created(id, offer, token), nil
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			lastErr = err
			var ae *vast.APIError
			switch {
			case errors.Is(err, vast.ErrOfferTaken):
				m.log.Info("offer taken; trying the next", "offer", offer.ID)
			case errors.Is(err, vast.ErrUnauthorized):
				return nil, fmt.Errorf("worker: creating the instance: %w", err)
			case errors.As(err, &ae) && ae.Status < 500 && ae.Status != http.StatusTooManyRequests:
				return nil, fmt.Errorf("worker: Vast refused the create request: %w", err)
			default:
				if in := m.adopt(ctx, offer, token); in != nil {
					return in, nil
				}
				m.log.Warn("create failed with no instance made; retrying", "offer", offer.ID, "attempt", attempt, "err", err)
				if err := m.cfg.Clock.Sleep(ctx, time.Duration(attempt)*m.cfg.PollInterval); err != nil {
					return nil, err
				}
				continue
			}
			break
		}
	}
	return nil, fmt.Errorf("worker: no offer could be rented: %w", lastErr)
}

func (m *Manager) created(id int64, offer vast.Offer, token secret.Secret) *instance {
	in := &instance{id: id, offer: offer.ID, gpu: offer.GPUName, dph: offer.DPHTotal, created: m.cfg.Clock.Now(), token: token}
	m.log.Info("worker created", "instance", instanceName(id), "offer", offer.ID, "gpu", offer.GPUName, "dph", offer.DPHTotal)
	return in
}

// adopt finds an instance a failed create made after all: it carries this session's label
// and was not destroyed by us.
func (m *Manager) adopt(ctx context.Context, offer vast.Offer, token secret.Secret) *instance {
	list, err := m.cfg.Vast.ListInstances(ctx)
	if err != nil {
		m.log.Warn("could not list instances after a failed create", "err", err)
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, in := range list {
		if in.Label == m.Label() && !m.gone[in.ID] {
			m.log.Info("the failed create made an instance after all; adopting it", "instance", instanceName(in.ID))
			return m.created(in.ID, offer, token)
		}
	}
	return nil
}

// waitReady polls until the worker answers through its public URL, the instance fails, or
// the warm-up deadline passes.
func (m *Manager) waitReady(ctx context.Context, in *instance) error {
	deadline := in.created.Add(m.cfg.WarmupTimeout)
	for {
		if err := m.probe(ctx, in); err == nil {
			m.log.Info("worker ready", "instance", instanceName(in.id), "warmup", m.cfg.Clock.Now().Sub(in.created))
			return nil
		} else {
			m.log.Debug("worker not ready yet", "instance", instanceName(in.id), "err", err)
		}
		vi, err := m.cfg.Vast.ShowInstance(ctx, in.id)
		switch {
		case errors.Is(err, vast.ErrNotFound):
			return fmt.Errorf("worker: instance %d disappeared while warming up", in.id)
		case err != nil:
			m.log.Warn("could not read the instance status", "instance", instanceName(in.id), "err", err)
		case vi.Failed():
			return fmt.Errorf("worker: instance %d failed while warming up: %s %s", in.id, vi.ActualStatus, vi.StatusMsg)
		}
		if !m.cfg.Clock.Now().Before(deadline) {
			return ErrWarmupTimeout
		}
		if err := m.cfg.Clock.Sleep(ctx, m.cfg.PollInterval); err != nil {
			return err
		}
	}
}

// probe checks the whole path: /ready answers 200 through the tunnel hostname, and an
// authenticated call with this worker's own token succeeds — so an older worker still on
// the same tunnel cannot pass for the new one.
func (m *Manager) probe(ctx context.Context, in *instance) error {
	for _, p := range []struct {
		path string
		auth bool
	}{{"/ready", false}, {"/v1/jobs", true}} {
		req, err := http.NewRequestWithContext(ctx, "GET", m.cfg.URL+p.path, nil)
		if err != nil {
			return err
		}
		if p.auth {
			req.Header.Set("Authorization", "Bearer "+in.token.Reveal())
		}
		resp, err := m.cfg.HTTP.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s answered %d", p.path, resp.StatusCode)
		}
	}
	return nil
}
