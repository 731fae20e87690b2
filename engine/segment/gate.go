package segment

import (
	"context"
	"sync"
	"time"
)

// Gate bounds concurrent inference in one process: a small semaphore with
// two priorities. Foreground work (a click, a tracked frame) enters at once
// when a slot is free; background work (precomputing embeddings) runs only
// when the gate has been idle for a quiet spell, and is preempted — its
// context cancelled, which stops ONNX Runtime mid-run — as soon as
// foreground work waits for its slot, then run again once it is quiet.
// So a click never waits for a whole background encode.
type Gate struct {
	slots int
	quiet time.Duration

	mu         sync.Mutex
	held       int // slots taken, by either priority
	foreground int // slots taken by foreground work
	waiting    int // foreground callers waiting for a slot
	lastFront  time.Time
	background map[*context.CancelFunc]struct{}
	changed    chan struct{} // closed (and replaced) on every change
}

// NewGate makes a gate with n slots whose background work waits for quiet
// (no foreground work for that long).
func NewGate(n int, quiet time.Duration) *Gate {
	return &Gate{slots: max(n, 1), quiet: quiet, background: map[*context.CancelFunc]struct{}{}, changed: make(chan struct{})}
}

// Enter waits for a slot or for ctx, preempting background work meanwhile.
func (g *Gate) Enter(ctx context.Context) error {
	g.mu.Lock()
	for g.held >= g.slots {
		for cancel := range g.background {
			(*cancel)()
		}
		g.waiting++
		ch := g.changed
		g.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		g.mu.Lock()
		g.waiting--
		if err := ctx.Err(); err != nil {
			g.mu.Unlock()
			return err
		}
	}
	g.held++
	g.foreground++
	g.mu.Unlock()
	return nil
}

// Leave frees a slot taken by Enter.
func (g *Gate) Leave() {
	g.mu.Lock()
	g.held--
	g.foreground--
	g.lastFront = time.Now()
	g.notify()
	g.mu.Unlock()
}

// notify wakes every waiter; g.mu is held.
func (g *Gate) notify() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// Background runs fn holding a slot at background priority, once the gate
// has been quiet: no foreground work holding or waiting for a slot, none
// for the quiet spell. When foreground work preempts it (fn's context is
// cancelled while ctx is not), it waits for quiet again and runs fn again;
// fn must be safe to repeat. It returns fn's error, or ctx's.
func (g *Gate) Background(ctx context.Context, fn func(ctx context.Context) error) error {
	for {
		run, cancel := context.WithCancel(ctx)
		if err := g.enterBackground(ctx, &cancel); err != nil {
			cancel()
			return err
		}
		err := fn(run)
		g.mu.Lock()
		delete(g.background, &cancel)
		g.held--
		g.notify()
		g.mu.Unlock()
		preempted := err != nil && run.Err() != nil && ctx.Err() == nil
		cancel()
		if !preempted {
			return err
		}
	}
}

// enterBackground waits for quiet and takes a slot, noting cancel as the
// way to preempt its holder (at once, so no foreground caller can come
// between and find nothing to preempt).
func (g *Gate) enterBackground(ctx context.Context, cancel *context.CancelFunc) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		busy := g.held >= g.slots || g.foreground > 0 || g.waiting > 0
		rest := g.quiet - time.Since(g.lastFront)
		if !busy && rest <= 0 {
			g.held++
			g.background[cancel] = struct{}{}
			return nil
		}
		ch := g.changed
		g.mu.Unlock()
		var timer *time.Timer
		var expired <-chan time.Time
		if !busy {
			timer = time.NewTimer(rest)
			expired = timer.C
		}
		select {
		case <-ch:
		case <-expired:
		case <-ctx.Done():
		}
		if timer != nil {
			timer.Stop()
		}
		g.mu.Lock()
	}
}
