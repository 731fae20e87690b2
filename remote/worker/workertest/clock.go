// Package workertest has test doubles for the worker lifecycle: a clock that tests move by
// hand.
package workertest

import (
	"context"
	"sync"
	"time"
)

// Clock is a worker.Clock whose time only moves when told: Advance moves it, and Sleep
// moves it by the slept duration at once, so a loop that polls every ten seconds until a
// fifteen-minute deadline finishes immediately and always takes the same steps.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at a fixed instant.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 8, 30, 12, 0, 0, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep advances the clock by d and returns at once (or ctx's error when it is done).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}
