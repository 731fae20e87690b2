package segment

import "context"

// Gate bounds concurrent inference (one process; a small semaphore).
type Gate chan struct{}

// NewGate makes a gate admitting n concurrent holders.
func NewGate(n int) Gate { return make(Gate, n) }

// Enter waits for a slot or for ctx.
func (g Gate) Enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Leave frees a slot.
func (g Gate) Leave() { <-g }
