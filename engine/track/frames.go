package track

import (
	"context"
	"errors"
	"time"

	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/video"
)

func (s *Service) frameKey(ss *Session, f int) embcache.Key {
	return embcache.Key{SHA256: ss.rec.MediaSHA, Model: s.manifest.Name, InputSize: s.tracker.InputSize(), Frame: f}
}

// encodeRGB turns a frame's RGB bytes into its embedding.
func (s *Service) encodeRGB(ctx context.Context, ss *Session, f int, rgb []byte) (sam.Embedding, error) {
	info := ss.src.Info()
	return s.encodePixels(ctx, ss, f, imaging.RGBToTensor(rgb, info.Width, info.Height, s.tracker.InputSize(), nil))
}

// encodePixels runs the encoder on a resized frame and caches the result on
// disk, so re-propagating after a correction does not re-encode.
func (s *Service) encodePixels(ctx context.Context, ss *Session, f int, pixels []float32) (sam.Embedding, error) {
	if err := s.gate.Enter(ctx); err != nil {
		return nil, err
	}
	emb, err := s.tracker.Encode(ctx, pixels)
	s.gate.Leave()
	if err != nil {
		return nil, err
	}
	s.cache.PutDisk(s.frameKey(ss, f), emb)
	return emb, nil
}

// embedding returns one frame's embedding, decoding the frame only when it
// is not cached.
func (s *Service) embedding(ctx context.Context, ss *Session, f int) (sam.Embedding, error) {
	if e, ok := s.cache.GetDisk(s.frameKey(ss, f)); ok {
		return e, nil
	}
	var emb sam.Embedding
	err := ss.src.Read(ctx, f, func(i int, rgb []byte) error {
		var err error
		emb, err = s.encodeRGB(ctx, ss, i, rgb)
		if err != nil {
			return err
		}
		return video.ErrStop
	})
	return emb, err
}

// scan calls fn with the embedding of frames from..to (inclusive) in
// increasing order, decoding the video sequentially only from the first
// frame that is not cached. Frames are decoded and resized to the model
// input in a separate goroutine, overlapping the model's work.
func (s *Service) scan(ctx context.Context, ss *Session, from, to int, fn func(f int, emb sam.Embedding) error) error {
	f := from
	for ; f <= to; f++ {
		e, ok := s.cache.GetDisk(s.frameKey(ss, f))
		if !ok {
			break
		}
		if err := fn(f, e); err != nil {
			return err
		}
	}
	if f > to {
		return nil
	}
	type prepared struct {
		f      int
		emb    sam.Embedding // cached
		pixels []float32     // else the resized frame to encode
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	frames := make(chan prepared, 2)
	readErr := make(chan error, 1)
	info := ss.src.Info()
	go func() {
		defer close(frames)
		readErr <- ss.src.Read(rctx, f, func(i int, rgb []byte) error {
			if i > to {
				return video.ErrStop
			}
			p := prepared{f: i}
			if e, ok := s.cache.GetDisk(s.frameKey(ss, i)); ok {
				p.emb = e
			} else {
				p.pixels = imaging.RGBToTensor(rgb, info.Width, info.Height, s.tracker.InputSize(), nil)
			}
			select {
			case frames <- p:
				return nil
			case <-rctx.Done():
				return rctx.Err()
			}
		})
	}()
	var err error
	for p := range frames {
		if err != nil {
			continue // drain after an error
		}
		emb := p.emb
		if emb == nil {
			emb, err = s.encodePixels(ctx, ss, p.f, p.pixels)
		}
		if err == nil {
			err = fn(p.f, emb)
		}
		if err != nil {
			cancel()
		}
	}
	if rerr := <-readErr; err == nil && !errors.Is(rerr, context.Canceled) {
		err = rerr
	}
	return err
}

// maskOf upsamples a decoder output to the frame size; an absent object
// gets an empty mask.
func maskOf(o *sam.FrameOutput, w, h int) *mask.Mask {
	m := &mask.Mask{W: w, H: h}
	if !o.Present() {
		m.Pix = make([]byte, w*h)
		return m
	}
	m.Pix = imaging.UpsampleThreshold(o.Logits, o.Size, o.Size, w, h, 0, nil)
	return m
}

// runsOf is maskOf as runs, made without the mask when only its stored
// form is needed.
func runsOf(o *sam.FrameOutput, w, h int) mask.Runs {
	if !o.Present() {
		return mask.Runs{W: w, H: h, Counts: []int{w * h}}
	}
	return mask.Runs{W: w, H: h, Counts: imaging.UpsampleRuns(o.Logits, o.Size, o.Size, w, h, nil)}
}

// stored makes the stored form of an object's result.
func stored(o *sam.FrameOutput, m mask.Runs) StoredObject {
	so := StoredObject{Mask: m.RLE(), Area: m.Area(), ObjectScore: float64(o.ObjectScore)}
	if o.Present() {
		so.Score = float64(o.IoU)
	}
	if x0, y0, x1, y1, ok := m.BBox(); ok {
		so.Box = [4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}
	}
	return so
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
