package worker

import (
	"context"
	"time"

	"github.com/samwise-app/samwise/internal/wait"
)

// Clock is the lifecycle's source of time: deadlines are read with Now and waits go
// through Sleep, so a test clock can run a fifteen-minute warm-up in no time.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends (then it returns ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits on a timer.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error { return wait.Sleep(ctx, d) }
