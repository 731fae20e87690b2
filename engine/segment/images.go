// Package segment is the image segmentation service behind POST /v1/pvs/image
// and `engine segment`: decode → cached embedding → decoder for every object
// → candidate choice → upsampled, thresholded masks.
package segment

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/sam"
)

// Images segments objects on still images with a sam3-tracker bundle.
type Images struct {
	*Embedder
	tracker  *sam.Tracker
	manifest *model.Manifest
	gate     *Gate
	decodeUS atomic.Int64
	prefetch prefetcher
}

// NewImages wires a loaded tracker to a cache and an inference gate.
func NewImages(t *sam.Tracker, m *model.Manifest, c *embcache.Cache, g *Gate) *Images {
	return &Images{Embedder: NewEmbedder(t, m.Name, c, g), tracker: t, manifest: m, gate: g}
}

// Prefetch computes the embedding of open (if not nil: the image the user
// has open) as foreground work, then those of next, in order, as
// background work: the images the user is likely to open next; then, in
// the background too, the embeddings of open and next by the other
// embedders in also (the concept model's). It replaces the lists of the
// call before; nothing at all stops prefetching.
func (s *Images) Prefetch(open *Source, next []Source, also ...*Embedder) {
	s.prefetch.set(s.Embedder, open, next, also)
}

// StopPrefetch stops prefetching for good and waits until it has left the
// encoder (before the model is closed).
func (s *Images) StopPrefetch() { s.prefetch.close() }

// Manifest describes the model in use.
func (s *Images) Manifest() *model.Manifest { return s.manifest }

// Tracker is the loaded model.
func (s *Images) Tracker() *sam.Tracker { return s.tracker }

// Timings returns the latest measured encode and decode times in ms.
func (s *Images) Timings() (encodeMS, decodeMS float64) {
	return s.EncodeMS(), float64(s.decodeUS.Load()) / 1000
}

// Object is one segmented object at full resolution.
type Object struct {
	ID         int
	Pred       sam.Prediction
	Chosen     int
	Mask       mask.Runs
	Candidates []mask.Runs // all candidates, when multimask was asked for
}

// Result is a whole answer.
type Result struct {
	Objects []Object
	Timing  api.Timing
}

// Segment runs the decoder for every object of req on src.
func (s *Images) Segment(ctx context.Context, src Source, req *api.PVSImageRequest) (*Result, error) {
	if err := Validate(req, src.Width, src.Height); err != nil {
		return nil, err
	}
	FillLabels(req)
	start := time.Now()
	emb, cached, err := s.Embedding(ctx, src)
	if err != nil {
		return nil, err
	}
	encoded := time.Now()
	res := &Result{Timing: api.Timing{Cached: cached}}
	if !cached {
		res.Timing.EncodeMS = ms(encoded.Sub(start))
	}

	// Mask-only objects pass through; the rest go to the decoder.
	var prompts []sam.Prompt
	var decoded []int
	res.Objects = make([]Object, len(req.Objects))
	for i, o := range req.Objects {
		res.Objects[i].ID = o.ObjectID
		given, err := promptMask(o, src.Width, src.Height)
		if err != nil {
			return nil, err
		}
		p := sam.Prompt{Points: o.Points, Box: o.Box}
		for _, l := range o.Labels {
			p.Labels = append(p.Labels, int64(l))
		}
		if given != nil && p.Box == nil {
			// The tracker graphs take no mask input: a given mask becomes
			// the box prompt that bounds it.
			if x0, y0, x1, y1, ok := given.BBox(); ok {
				p.Box = &[4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}
			}
		}
		if given != nil && len(p.Points) == 0 {
			res.Objects[i].Mask = mask.RunsOf(given)
			res.Objects[i].Pred = sam.Prediction{IoU: []float32{1}, ObjectScore: 10}
			continue
		}
		prompts = append(prompts, p)
		decoded = append(decoded, i)
	}
	if len(prompts) > 0 {
		if err := s.gate.Enter(ctx); err != nil {
			return nil, err
		}
		t0 := time.Now()
		preds, err := s.tracker.Decode(ctx, emb, src.Width, src.Height, prompts)
		s.gate.Leave()
		if err != nil {
			return nil, err
		}
		res.Timing.DecodeMS = ms(time.Since(t0))
		s.decodeUS.Store(time.Since(t0).Microseconds())
		for j, i := range decoded {
			o := &res.Objects[i]
			o.Pred = preds[j]
			o.Chosen = o.Pred.Best()
			o.Mask = Upsample(&o.Pred, o.Chosen, src.Width, src.Height)
			if req.Multimask {
				for k := range o.Pred.Logits {
					if k == o.Chosen {
						o.Candidates = append(o.Candidates, o.Mask)
					} else {
						o.Candidates = append(o.Candidates, Upsample(&o.Pred, k, src.Width, src.Height))
					}
				}
			}
		}
	}
	res.Timing.TotalMS = ms(time.Since(start))
	return res, nil
}

// Upsample resizes candidate k's logits to w×h and thresholds them at 0.
func Upsample(p *sam.Prediction, k, w, h int) mask.Runs {
	return mask.Runs{W: w, H: h, Counts: imaging.UpsampleRuns(p.Logits[k], p.MaskW, p.MaskH, w, h, nil)}
}

func promptMask(o api.PVSObject, w, h int) (*mask.Mask, error) {
	if o.Mask == nil {
		return nil, nil
	}
	m, err := mask.Decode(*o.Mask)
	if err != nil {
		return nil, &InputError{Field: fmt.Sprintf("objects[object_id=%d].mask", o.ObjectID), Msg: err.Error()}
	}
	if m.W != w || m.H != h {
		return nil, &InputError{Field: fmt.Sprintf("objects[object_id=%d].mask", o.ObjectID),
			Msg: fmt.Sprintf("mask size is [%d, %d] but the image is [%d, %d] (size is [height, width])", m.H, m.W, h, w)}
	}
	return m, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// IsInputError reports whether err is the caller's fault (a 4xx).
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
