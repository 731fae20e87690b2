package worker

import (
	"context"
	"sync"

	"github.com/samwise-app/samwise/engine/secret"
)

// Pool hands out the remote GPU worker. Manager (Vast directly) and Gateway (through the
// Cloudflare control plane) implement it.
type Pool interface {
	// Acquire returns a lease on a ready worker, provisioning one when none is warm. It
	// blocks until the worker is ready, provisioning fails, or ctx ends.
	Acquire(ctx context.Context) (*Lease, error)
	// Status describes the worker now.
	Status() Status
	// Stop drains and destroys the worker now (the user's "stop the GPU").
	Stop(ctx context.Context) error
	// Run drives the timers (idle, maximum lifetime, reaping) until ctx ends.
	Run(ctx context.Context)
	// Close destroys whatever the pool rented and refuses further leases.
	Close(ctx context.Context) error
}

// Lease is the right to use the worker for one job. The worker is not idle while a lease
// is held; Release it when the job ends, or Lost when the worker stopped answering.
type Lease struct {
	// URL is the engine API root to call (the tunnel hostname, or the gateway).
	URL string
	// Token is the bearer token for URL.
	Token secret.Secret
	// Instance names the machine ("vast:<id>"); GPU and DPH describe it.
	Instance string
	GPU      string
	DPH      float64

	owner leaseOwner
	id    int64
	once  sync.Once
}

type leaseOwner interface {
	release(l *Lease)
	touch(l *Lease)
	lost(ctx context.Context, l *Lease, cause error)
}

// Release ends the lease; the worker's idle timer starts when no lease is held.
func (l *Lease) Release() { l.once.Do(func() { l.owner.release(l) }) }

// Touch records activity (a result arrived), so the worker is not considered idle.
func (l *Lease) Touch() { l.owner.touch(l) }

// Lost reports that the worker stopped answering: it is marked failed and destroyed, and
// the lease ends.
func (l *Lease) Lost(ctx context.Context, cause error) {
	l.once.Do(func() { l.owner.lost(ctx, l, cause) })
}
