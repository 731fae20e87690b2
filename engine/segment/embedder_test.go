package segment

import (
	"context"
	"errors"
	"image"
	"sync"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/sam"
)

// blockingEncoder stands for a slow vision encoder: a run listed in block
// waits until its context ends (a preemption), every other run ends at once.
type blockingEncoder struct {
	mu      sync.Mutex
	runs    int
	block   map[int]bool // by run number, from 1
	started chan int
}

func (e *blockingEncoder) InputSize() int { return 8 }

func (e *blockingEncoder) Encode(ctx context.Context, _ []float32) (sam.Embedding, error) {
	e.mu.Lock()
	e.runs++
	n := e.runs
	e.mu.Unlock()
	e.started <- n
	if e.block[n] {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return sam.Embedding{"x": ort.NewF32([]float32{float32(n)}, 1)}, nil
}

func source(sha string) Source {
	return Source{SHA256: sha, Width: 8, Height: 8, Load: func() (image.Image, error) { return image.NewRGBA(image.Rect(0, 0, 8, 8)), nil }}
}

func newTestEmbedder(enc Encoder) *Embedder {
	return NewEmbedder(enc, "test", embcache.New("", 1<<20, 0, nil), NewGate(1, 5*time.Millisecond))
}

// precomputing starts precomputing image "a" with an encoder whose first
// run lasts until it is preempted, and returns once that run has started,
// with where the precompute's end is reported and a context for the
// foreground calls (it bounds how long they may wait).
func precomputing(t *testing.T) (*Embedder, *blockingEncoder, <-chan error, context.Context) {
	enc := &blockingEncoder{block: map[int]bool{1: true}, started: make(chan int, 10)}
	e := newTestEmbedder(enc)
	done := make(chan error)
	go func() { done <- e.Precompute(context.Background(), source("a")) }()
	<-enc.started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return e, enc, done, ctx
}

// A click on another image preempts a precompute; the precompute then runs
// again and finishes.
func TestPrecomputeGivesWayToAnotherImage(t *testing.T) {
	e, _, done, ctx := precomputing(t)
	if _, cached, err := e.Embedding(ctx, source("b")); err != nil || cached {
		t.Fatalf("foreground embedding: cached %v, err %v", cached, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !e.Cached(source("a")) || e.Encodes() != 2 {
		t.Fatalf("after the precompute: cached %v, %d encodes, want the image cached by 2 (b, and a again)", e.Cached(source("a")), e.Encodes())
	}
}

// A click on the image being precomputed does not wait for the background
// run: it preempts it, and the precompute finds the embedding cached and
// does not run again.
func TestEmbeddingPreemptsPrecomputeOfTheSameImage(t *testing.T) {
	e, enc, done, ctx := precomputing(t)
	emb, _, err := e.Embedding(ctx, source("a"))
	if err != nil || emb == nil {
		t.Fatalf("foreground embedding %v, err %v", emb, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if enc.runs != 2 || e.Encodes() != 1 {
		t.Fatalf("%d encoder runs (%d finished), want 2 (1): the preempted one and the click's", enc.runs, e.Encodes())
	}
	// Precomputing what is cached runs nothing.
	if err := e.Precompute(context.Background(), source("a")); err != nil || enc.runs != 2 {
		t.Fatalf("precompute of a cached image: err %v, %d runs", err, enc.runs)
	}
}

// A click that joined a run whose caller gave up gets its embedding all
// the same, from a run of its own.
func TestJoinerOutlivesACancelledRun(t *testing.T) {
	enc := &blockingEncoder{block: map[int]bool{1: true}, started: make(chan int, 10)}
	e := newTestEmbedder(enc)
	lead, cancel := context.WithCancel(context.Background())
	leader := make(chan error)
	go func() { _, _, err := e.Embedding(lead, source("a")); leader <- err }()
	<-enc.started
	joiner := make(chan error)
	go func() { _, _, err := e.Embedding(context.Background(), source("a")); joiner <- err }()
	time.Sleep(20 * time.Millisecond) // the joiner waits on the first run by now (if not, it leads the second)
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled caller got %v", err)
	}
	if err := <-joiner; err != nil {
		t.Fatalf("the other caller got %v, want its embedding", err)
	}
	if !e.Cached(source("a")) || enc.runs != 2 {
		t.Fatalf("cached %v after %d runs, want cached after 2", e.Cached(source("a")), enc.runs)
	}
}
