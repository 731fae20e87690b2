package worker

import (
	"context"
	"errors"
	"time"

	"github.com/samwise-app/samwise/remote/vast"
)

// Run implements Pool: it calls Tick every PollInterval until ctx ends.
func (m *Manager) Run(ctx context.Context) {
	for {
		if err := m.cfg.Clock.Sleep(ctx, m.cfg.PollInterval); err != nil {
			return
		}
		m.Tick(ctx)
	}
}

// Tick applies the deadlines at the clock's current time: a ready worker past its
// maximum lifetime, or idle (no lease) for the idle timeout, starts draining; a draining
// worker whose leases ended (or whose drain grace passed) is destroyed; destroys that were
// not confirmed are retried; and every ReapInterval orphans are reaped.
func (m *Manager) Tick(ctx context.Context) {
	now := m.cfg.Clock.Now()
	var doomed *instance
	m.mu.Lock()
	switch m.state {
	case Ready:
		switch {
		case now.Sub(m.inst.created) >= m.cfg.MaxLifetime:
			m.startDrainLocked("maximum lifetime reached")
		case m.inflight == 0 && now.Sub(m.lastActivity) >= m.cfg.IdleTimeout:
			m.startDrainLocked("idle")
		}
	}
	if m.state == Draining && (m.inflight == 0 || now.Sub(m.drainStart) >= m.cfg.DrainGrace) {
		doomed = m.inst
		if doomed == nil {
			m.setStateLocked(Off)
		}
	}
	reap := now.Sub(m.lastReap) >= m.cfg.ReapInterval
	m.mu.Unlock()
	if doomed != nil {
		m.destroy(ctx, doomed)
		m.mu.Lock()
		if m.state == Draining {
			m.setStateLocked(Off)
		}
		m.mu.Unlock()
	}
	m.retryPending(ctx)
	if reap {
		if _, err := m.Reap(ctx); err != nil {
			m.log.Warn("reaping orphaned workers failed", "err", err)
		}
	}
}

func (m *Manager) startDrainLocked(reason string) {
	m.log.Info("draining the worker", "reason", reason, "instance", m.instName(), "in_flight", m.inflight)
	m.drainStart = m.cfg.Clock.Now()
	m.setStateLocked(Draining)
}

// destroy destroys an instance and confirms it is gone; an unconfirmed destroy is kept and
// retried by Tick and Close. It never stops an instance. It runs even when ctx was
// cancelled (shutdown), bounded by its own timeout.
func (m *Manager) destroy(ctx context.Context, in *instance) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	m.mu.Lock()
	m.gone[in.id] = true
	m.mu.Unlock()
	err := m.cfg.Vast.DestroyInstance(ctx, in.id)
	if err == nil {
		if _, serr := m.cfg.Vast.ShowInstance(ctx, in.id); serr == nil {
			err = errors.New("the instance still exists after destroy")
		} else if !errors.Is(serr, vast.ErrNotFound) {
			err = serr
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inst != nil && m.inst.id == in.id {
		m.spent += cost(in.dph, m.cfg.Clock.Now().Sub(in.created))
		m.inst = nil
	}
	if err != nil {
		m.pending[in.id] = true
		m.log.Error("destroying the worker failed; will retry", "instance", instanceName(in.id), "err", err)
		return
	}
	delete(m.pending, in.id)
	m.log.Info("worker destroyed", "instance", instanceName(in.id))
}

func (m *Manager) retryPending(ctx context.Context) {
	m.mu.Lock()
	var ids []int64
	for id := range m.pending {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	for _, id := range ids {
		m.destroy(ctx, &instance{id: id})
	}
}

// Reap destroys every instance labelled with this owner by another session (an earlier
// engine run that crashed or was killed) and any of this session's that it already tried
// to destroy. It returns how many it destroyed.
func (m *Manager) Reap(ctx context.Context) (int, error) {
	m.mu.Lock()
	m.lastReap = m.cfg.Clock.Now()
	m.mu.Unlock()
	list, err := m.cfg.Vast.ListInstances(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, vi := range list {
		owner, session, ok := ParseLabel(vi.Label)
		if !ok || owner != m.cfg.Owner {
			continue
		}
		// This session's instances are the current one, one being created right now, or
		// ones already destroyed whose destroy is retried.
		m.mu.Lock()
		skip := session == m.cfg.Session && !m.gone[vi.ID]
		m.mu.Unlock()
		if skip {
			continue
		}
		m.log.Warn("destroying an orphaned worker", "instance", instanceName(vi.ID), "label", vi.Label, "status", vi.ActualStatus)
		m.destroy(ctx, &instance{id: vi.ID})
		n++
	}
	return n, nil
}
