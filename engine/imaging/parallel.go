package imaging

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelFor splits [0, n) into chunks of grain items and runs them on up to
// GOMAXPROCS goroutines. newWorker is called once per goroutine (so each can
// own its scratch buffers) and returns the function that processes one chunk
// [lo, hi). Small inputs (a single chunk) run on the calling goroutine.
func parallelFor(n, grain int, newWorker func() func(lo, hi int)) {
	if n <= 0 {
		return
	}
	grain = max(grain, 1)
	chunks := (n + grain - 1) / grain
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 {
		newWorker()(0, n)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			work := newWorker()
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				lo := c * grain
				work(lo, min(lo+grain, n))
			}
		})
	}
	wg.Wait()
}
