// Package concept is promptable concept segmentation (PCS): text and
// exemplar boxes → every matching instance, on images (here) and through
// video (sessions in video.go).
package concept

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/segment"
)

// Limits and defaults.
const (
	DefaultThreshold = 0.5
	MaxTextBytes     = 1000
	MaxExemplars     = 32
	textCacheSize    = 256
)

// Service segments concepts with a sam3-concept bundle.
type Service struct {
	*segment.Embedder
	model    *sam.Concept
	manifest *model.Manifest
	gate     *segment.Gate

	textRuns atomic.Int64
	mu       sync.Mutex
	texts    map[string]*sam.Text // encoded prompts
	order    []string             // insertion order, for eviction
}

// New wires a loaded concept model to the embedding cache and gate.
func New(m *sam.Concept, man *model.Manifest, c *embcache.Cache, g *segment.Gate) *Service {
	return &Service{Embedder: segment.NewEmbedder(m, man.Name, c, g), model: m, manifest: man, gate: g, texts: map[string]*sam.Text{}}
}

// Manifest describes the model in use.
func (s *Service) Manifest() *model.Manifest { return s.manifest }

// Model is the loaded model.
func (s *Service) Model() *sam.Concept { return s.model }

// Prompt is a concept prompt: text and exemplar boxes.
type Prompt struct {
	Text      string
	Exemplars []api.Exemplar
	Threshold float64
}

// Instance is one found instance at full resolution.
type Instance struct {
	ID    int
	Score float64
	Box   [4]float64 // pixel xyxy
	Mask  *mask.Mask
}

// Detection is what a prompt finds on one image.
type Detection struct {
	// Instances score above the threshold, best first, with ids 1, 2, ...
	Instances []Instance
	// Presence is the probability that the concept is on the image.
	Presence float64
	// Truncated is true when the text was longer than the model reads.
	Truncated bool
	// Semantic is every pixel of the concept, instance or not, when the model has a
	// semantic head (nil otherwise).
	Semantic *mask.Mask
}

// Result is a Detection with its timing.
type Result struct {
	Detection
	Timing api.Timing
}

// Validate checks a prompt against a w×h image.
func Validate(p *Prompt, w, h int) error {
	bad := func(field, format string, a ...any) error {
		return &segment.InputError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	if len(p.Text) > MaxTextBytes {
		return bad("text", "the text is %d bytes; a concept prompt is a short noun phrase (at most %d bytes), e.g. \"yellow school bus\"", len(p.Text), MaxTextBytes)
	}
	if strings.TrimSpace(p.Text) == "" && len(p.Exemplars) == 0 {
		return bad("text", "give a text prompt (e.g. \"red car\") or at least one exemplar box")
	}
	if math.IsNaN(p.Threshold) || p.Threshold < 0 || p.Threshold > 1 {
		return bad("threshold", "threshold %g must be between 0 and 1", p.Threshold)
	}
	if len(p.Exemplars) > MaxExemplars {
		return bad("exemplars", "%d exemplars; at most %d", len(p.Exemplars), MaxExemplars)
	}
	for i, e := range p.Exemplars {
		f := fmt.Sprintf("exemplars[%d]", i)
		b := e.Box
		for _, v := range b {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad(f+".box", "box values must be finite numbers")
			}
		}
		if b[2] <= b[0] || b[3] <= b[1] {
			return bad(f+".box", "box [%g, %g, %g, %g] must be [x0, y0, x1, y1] with x1 > x0 and y1 > y0", b[0], b[1], b[2], b[3])
		}
		if b[0] < 0 || b[1] < 0 || b[2] > float64(w) || b[3] > float64(h) {
			return bad(f+".box", "box [%g, %g, %g, %g] is outside the %d×%d image", b[0], b[1], b[2], b[3], w, h)
		}
		if e.Label != 0 && e.Label != 1 {
			return bad(f+".label", "label %d: use 1 (shows the concept) or 0 (does not)", e.Label)
		}
	}
	return nil
}

// Segment finds every instance of the prompt on an image.
func (s *Service) Segment(ctx context.Context, src segment.Source, p *Prompt) (*Result, error) {
	if err := Validate(p, src.Width, src.Height); err != nil {
		return nil, err
	}
	start := time.Now()
	emb, cached, err := s.Embedding(ctx, src)
	if err != nil {
		return nil, err
	}
	res := &Result{Timing: api.Timing{Cached: cached}}
	if !cached {
		res.Timing.EncodeMS = ms(time.Since(start))
	}
	t0 := time.Now()
	d, err := s.Detect(ctx, emb, p, src.Width, src.Height)
	if err != nil {
		return nil, err
	}
	res.Detection = *d
	res.Timing.DecodeMS = ms(time.Since(t0))
	res.Timing.TotalMS = ms(time.Since(start))
	return res, nil
}

// Detect runs the text encoder (cached per prompt) and the decoder on an
// embedding, and keeps the instances scoring above the threshold.
func (s *Service) Detect(ctx context.Context, emb sam.Embedding, p *Prompt, w, h int) (*Detection, error) {
	text := strings.TrimSpace(p.Text)
	if text == "" {
		text = "visual" // exemplars only: the reference processor's text
	}
	if err := s.gate.Enter(ctx); err != nil {
		return nil, err
	}
	defer s.gate.Leave()
	tf, err := s.text(ctx, text)
	if err != nil {
		return nil, err
	}
	var ex []sam.Exemplar
	for _, e := range p.Exemplars {
		ex = append(ex, sam.Exemplar{Box: e.Box, Positive: e.Label == 1})
	}
	d, err := s.model.Detect(ctx, emb, tf, ex, w, h)
	if err != nil {
		return nil, err
	}
	presence := sigmoid(float64(d.Presence))
	out := &Detection{Presence: presence, Truncated: tf.Truncated}
	if d.Semantic != nil {
		out.Semantic = &mask.Mask{W: w, H: h, Pix: imaging.UpsampleThreshold(d.Semantic, d.SemW, d.SemH, w, h, 0, nil)}
	}
	type cand struct {
		q     int
		score float64
	}
	var keep []cand
	for q, l := range d.Logits {
		if sc := sigmoid(float64(l)) * presence; sc > p.Threshold {
			keep = append(keep, cand{q, sc})
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].score > keep[j].score })
	for _, c := range keep {
		m := &mask.Mask{W: w, H: h, Pix: imaging.UpsampleThreshold(d.Masks[c.q], d.MaskW, d.MaskH, w, h, 0, nil)}
		if m.Area() == 0 {
			continue
		}
		b := d.Boxes[c.q]
		out.Instances = append(out.Instances, Instance{ID: len(out.Instances) + 1, Score: c.score, Mask: m,
			Box: [4]float64{float64(b[0]) * float64(w), float64(b[1]) * float64(h), float64(b[2]) * float64(w), float64(b[3]) * float64(h)}})
	}
	return out, nil
}

// text encodes a prompt, from the cache when it was seen before.
func (s *Service) text(ctx context.Context, text string) (*sam.Text, error) {
	s.mu.Lock()
	t, ok := s.texts[text]
	s.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := s.model.EncodeText(ctx, text)
	if err != nil {
		return nil, err
	}
	s.textRuns.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.texts[text]; !ok {
		s.texts[text] = t
		s.order = append(s.order, text)
		if len(s.order) > textCacheSize {
			delete(s.texts, s.order[0])
			s.order = s.order[1:]
		}
	}
	return t, nil
}

// TextEncodes counts text encoder runs (prompts are encoded once).
func (s *Service) TextEncodes() int64 { return s.textRuns.Load() }

// Render turns instances into API objects with the requested outputs.
func Render(ins []Instance, outputs []string) []api.ObjectResult {
	if len(outputs) == 0 {
		outputs = []string{api.OutputRLE}
	}
	out := make([]api.ObjectResult, 0, len(ins))
	for _, in := range ins {
		r := api.ObjectResult{ObjectID: in.ID, Score: in.Score, IoU: in.Score, ObjectScore: in.Score, Area: in.Mask.Area(), Box: in.Box}
		for _, o := range outputs {
			switch o {
			case api.OutputRLE:
				rle := mask.Encode(in.Mask)
				r.Mask = &rle
			case api.OutputPolygon:
				r.Polygons = mask.Polygons(in.Mask, segment.PolygonTolerance)
			}
		}
		out = append(out, r)
	}
	return out
}

// RenderSemantic turns a semantic mask into its API form with the requested outputs
// (nil for none).
func RenderSemantic(m *mask.Mask, outputs []string) *api.SemanticMask {
	if m == nil {
		return nil
	}
	r := Render([]Instance{{Mask: m}}, outputs)[0]
	return &api.SemanticMask{Area: r.Area, Mask: r.Mask, Polygons: r.Polygons}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// EncodeFrame runs the vision encoder on a video frame's RGB bytes (w×h),
// without caching: a concept run reads each frame once.
func (s *Service) EncodeFrame(ctx context.Context, rgb []byte, w, h int) (sam.Embedding, error) {
	pixels := imaging.RGBToTensor(rgb, w, h, s.model.InputSize(), nil)
	if err := s.gate.Enter(ctx); err != nil {
		return nil, err
	}
	defer s.gate.Leave()
	return s.model.Encode(ctx, pixels)
}
