package supervisor

import "time"

// Clock is the time source of the supervisor: backoff waits, readiness
// deadlines and the stop grace period all go through it, so tests can drive
// them without sleeping.
type Clock interface {
	Now() time.Time
	// After delivers the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
