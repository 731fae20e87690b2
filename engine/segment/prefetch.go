package segment

import (
	"context"
	"sync"
)

// prefetcher computes the embedding of the image a user has open and, as
// background work (see Gate), those of the images they are likely to open
// next: one list at a time, the latest replacing the one before. It is best
// effort: a failure is met again, and reported, when the image is clicked.
type prefetcher struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	closed bool
	wg     sync.WaitGroup
}

// set starts computing open's embedding (if not nil) and then, in the
// background, those of srcs in order, then those of open and srcs by the
// embedders in also, stopping the lists before.
func (p *prefetcher) set(e *Embedder, open *Source, srcs []Source, also []*Embedder) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if open != nil {
			if _, _, err := e.Embedding(ctx, *open); err != nil && ctx.Err() != nil {
				return
			}
		}
		for _, src := range srcs {
			if e.Precompute(ctx, src) != nil && ctx.Err() != nil {
				return
			}
		}
		all := srcs
		if open != nil {
			all = append([]Source{*open}, srcs...)
		}
		for _, a := range also {
			for _, src := range all {
				if a.Precompute(ctx, src) != nil && ctx.Err() != nil {
					return
				}
			}
		}
	}()
}

// close stops prefetching and waits for the encoder to be free of it.
func (p *prefetcher) close() {
	p.mu.Lock()
	p.closed = true
	if p.cancel != nil {
		p.cancel()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
