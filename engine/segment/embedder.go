package segment

import (
	"context"
	"errors"
	"image"
	"sync"
	"sync/atomic"
	"time"

	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/sam"
)

// Encoder is a model's vision encoder.
type Encoder interface {
	InputSize() int
	Encode(ctx context.Context, pixels []float32) (sam.Embedding, error)
}

// Source is an image to encode: its content hash (the cache key), size, and
// a loader called only when the embedding is not cached.
type Source struct {
	SHA256 string
	// Frame is the video frame the picture is (0 for an image).
	Frame         int
	Width, Height int
	Load          func() (image.Image, error)
}

// Embedder gives images' embeddings for one model: from the cache, or by
// running the encoder once (concurrent callers for the same image share the
// run), behind the inference gate.
type Embedder struct {
	enc   Encoder
	model string
	cache *embcache.Cache
	gate  *Gate

	encodes  atomic.Int64
	mu       sync.Mutex
	flight   map[embcache.Key]*call
	encodeMS atomic.Int64 // microseconds of the latest encoder run
}

type call struct {
	done       chan struct{}
	emb        sam.Embedding
	err        error
	background bool
}

// NewEmbedder wraps a model's encoder; model names the cache entries.
func NewEmbedder(enc Encoder, model string, c *embcache.Cache, g *Gate) *Embedder {
	return &Embedder{enc: enc, model: model, cache: c, gate: g, flight: map[embcache.Key]*call{}}
}

func (e *Embedder) key(src Source) embcache.Key {
	return embcache.Key{SHA256: src.SHA256, Model: e.model, InputSize: e.enc.InputSize(), Frame: src.Frame}
}

// Cached reports whether src's embedding is already cached.
func (e *Embedder) Cached(src Source) bool { return e.cache.Has(e.key(src)) }

// Encodes counts encoder runs since start (the cache's effect is visible here).
func (e *Embedder) Encodes() int64 { return e.encodes.Load() }

// EncodeMS is the latest encoder run's time.
func (e *Embedder) EncodeMS() float64 { return float64(e.encodeMS.Load()) / 1000 }

// Embedding returns src's embedding and whether it came from the cache.
// It runs the encoder as foreground work (see Gate), sharing a run with
// other callers for the same image, but not a background one, which it
// preempts instead.
func (e *Embedder) Embedding(ctx context.Context, src Source) (emb sam.Embedding, cached bool, err error) {
	return e.embedding(ctx, src, false)
}

// Precompute puts src's embedding in the cache as background work: it
// waits for a quiet gate and gives way to any foreground work. It does
// nothing when the embedding is cached.
func (e *Embedder) Precompute(ctx context.Context, src Source) error {
	_, _, err := e.embedding(ctx, src, true)
	return err
}

func (e *Embedder) embedding(ctx context.Context, src Source, background bool) (sam.Embedding, bool, error) {
	k := e.key(src)
	for {
		if v, ok := e.cache.Get(k); ok {
			return v, true, nil
		}
		e.mu.Lock()
		c, ok := e.flight[k]
		if !ok || (c.background && !background) {
			break // e.mu is held
		}
		e.mu.Unlock()
		select {
		case <-c.done:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		// A run whose caller gave up (a replaced prefetch, a closed
		// request) is no answer for this one: look again.
		if !errors.Is(c.err, context.Canceled) {
			return c.emb, true, c.err
		}
	}
	c := &call{done: make(chan struct{}), background: background}
	e.flight[k] = c
	e.mu.Unlock()
	c.emb, c.err = e.encode(ctx, src, k, background)
	e.mu.Lock()
	if e.flight[k] == c {
		delete(e.flight, k)
	}
	e.mu.Unlock()
	close(c.done)
	return c.emb, false, c.err
}

// encode runs the encoder on src and caches the result. In the background
// it stops early when a foreground run has cached it meanwhile (the
// embedding returned is then nil).
func (e *Embedder) encode(ctx context.Context, src Source, k embcache.Key, background bool) (sam.Embedding, error) {
	img, err := src.Load()
	if err != nil {
		return nil, err
	}
	pixels := imaging.ToTensor(img, e.enc.InputSize(), nil)
	var emb sam.Embedding
	run := func(ctx context.Context) error {
		start := time.Now()
		out, err := e.enc.Encode(ctx, pixels)
		if err != nil {
			return err
		}
		emb = out
		e.encodes.Add(1)
		e.encodeMS.Store(time.Since(start).Microseconds())
		e.cache.Put(k, emb)
		return nil
	}
	if background {
		err = e.gate.Background(ctx, func(ctx context.Context) error {
			if e.cache.Has(k) {
				return nil
			}
			return run(ctx)
		})
		return emb, err
	}
	if err := e.gate.Enter(ctx); err != nil {
		return nil, err
	}
	err = run(ctx)
	e.gate.Leave()
	return emb, err
}
