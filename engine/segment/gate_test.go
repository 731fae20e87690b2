package segment

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestGateForegroundPreemptsBackground(t *testing.T) {
	g := NewGate(1, 10*time.Millisecond)
	var runs atomic.Int32
	started := make(chan struct{}, 10)
	done := make(chan error)
	go func() {
		done <- g.Background(context.Background(), func(ctx context.Context) error {
			if runs.Add(1) > 1 {
				return nil // the second run ends by itself
			}
			started <- struct{}{}
			<-ctx.Done() // the first one only when preempted
			return ctx.Err()
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.Enter(ctx); err != nil {
		t.Fatalf("foreground did not get the slot the background work held: %v", err)
	}
	g.Leave()
	// The background work runs again after the quiet spell, to the end.
	if err := <-done; err != nil {
		t.Fatalf("background ended with %v, want nil after its second run", err)
	}
	if runs.Load() != 2 {
		t.Fatalf("background ran %d times, want 2", runs.Load())
	}
}

func TestGateBackgroundWaitsForQuiet(t *testing.T) {
	quiet := 150 * time.Millisecond
	g := NewGate(2, quiet)
	if err := g.Enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ran := make(chan time.Time, 1)
	go g.Background(context.Background(), func(context.Context) error { ran <- time.Now(); return nil })
	select {
	case <-ran:
		t.Fatal("background work ran beside foreground work although a slot was free")
	case <-time.After(50 * time.Millisecond):
	}
	left := time.Now()
	g.Leave()
	if at := <-ran; at.Sub(left) < quiet {
		t.Fatalf("background work ran %v after the foreground left, before the quiet spell of %v", at.Sub(left), quiet)
	}
}

func TestGateErrorsAndCancel(t *testing.T) {
	g := NewGate(1, 0)
	boom := errors.New("boom")
	calls := 0
	if err := g.Background(context.Background(), func(context.Context) error { calls++; return boom }); !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("got %v after %d calls, want boom after one: a failure that is not a preemption is not repeated", err, calls)
	}
	// A cancelled background caller returns its context's error, also while waiting.
	if err := g.Enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := g.Background(ctx, func(context.Context) error { t.Error("ran while the slot was taken"); return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	// So does a foreground caller waiting for the slot.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if err := g.Enter(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	g.Leave()
	if err := g.Enter(context.Background()); err != nil {
		t.Fatalf("the slot was not freed: %v", err)
	}
	g.Leave()
}
