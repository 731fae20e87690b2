package sam

import (
	"context"
	"fmt"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/tokenizer"
)

// Tensor names of the sam3-concept interface (the usls "v2" export).
const (
	cImages        = "images"
	cFeat0         = "fpn_feat_0"
	cFeat1         = "fpn_feat_1"
	cFeat2         = "fpn_feat_2"
	cPos2          = "fpn_pos_2"
	cInputIDs      = "input_ids"
	cAttention     = "attention_mask"
	cTextFeatures  = "text_features"
	cTextMask      = "text_mask"
	cBoxes         = "input_boxes"
	cBoxLabels     = "input_boxes_labels"
	cPredMasks     = "pred_masks"
	cPredBoxes     = "pred_boxes"
	cPredLogits    = "pred_logits"
	cPresence      = "presence_logits"
	cSemantic      = "semantic_seg" // optional: SAM 3's semantic head, [B,1,H,W] logits
	ignoreBoxLabel = -10
)

// ConceptEmbeddingNames are the vision encoder outputs the decoder takes.
var ConceptEmbeddingNames = []string{cFeat0, cFeat1, cFeat2, cPos2}

// Concept runs a sam3-concept bundle: text and exemplar boxes → every
// matching instance.
type Concept struct {
	Name          string
	venc, tenc    *ort.Session
	dec           *ort.Session
	tok           *tokenizer.Tokenizer
	inputSize     int
	contextLength int
	semantic      bool // the decoder has a semantic_seg output
}

// OpenConcept loads a sam3-concept bundle (three graphs and its
// tokenizer.json) and checks the interface.
func OpenConcept(rt *ort.Runtime, b *model.Bundle, so ort.SessionOptions) (*Concept, error) {
	c := &Concept{Name: b.Manifest.Name}
	var err error
	load := func(role string) *ort.Session {
		if err != nil {
			return nil
		}
		var p string
		if p, err = b.Path(role); err != nil {
			return nil
		}
		var s *ort.Session
		s, err = rt.Load(p, so)
		return s
	}
	c.venc, c.tenc, c.dec = load(model.RoleVisionEncoder), load(model.RoleTextEncoder), load(model.RoleConceptDecoder)
	if err == nil {
		var p string
		if p, err = b.ExtraPath(model.ExtraTokenizer); err == nil {
			c.tok, err = tokenizer.Load(p)
		}
	}
	if err == nil {
		err = c.check()
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("loading %s: %w", b.Manifest.Name, err)
	}
	return c, nil
}

func (c *Concept) check() error {
	in, ok := c.venc.Input(cImages)
	if !ok || len(in.Shape) != 4 || in.Shape[2] <= 0 || in.Shape[2] != in.Shape[3] {
		return &InterfaceError{Graph: c.venc.Path(), Problems: []string{fmt.Sprintf("input %q must be float32 [B,3,S,S] with a fixed S", cImages)}}
	}
	c.inputSize = int(in.Shape[2])
	any4 := []int64{anyDim, anyDim, anyDim, anyDim}
	feats := []want{{cFeat0, ort.Float32, any4}, {cFeat1, ort.Float32, any4}, {cFeat2, ort.Float32, any4}, {cPos2, ort.Float32, any4}}
	checks := []struct {
		s         *ort.Session
		ins, outs []want
	}{
		{c.venc, []want{{cImages, ort.Float32, any4}}, feats},
		{c.tenc, []want{{cInputIDs, ort.Int64, []int64{anyDim, anyDim}}, {cAttention, ort.Int64, []int64{anyDim, anyDim}}},
			[]want{{cTextFeatures, ort.Float32, []int64{anyDim, anyDim, anyDim}}, {cTextMask, ort.Bool, []int64{anyDim, anyDim}}}},
		{c.dec, append(append([]want{}, feats...), want{cTextFeatures, ort.Float32, []int64{anyDim, anyDim, anyDim}}, want{cTextMask, ort.Bool, []int64{anyDim, anyDim}},
			want{cBoxes, ort.Float32, []int64{anyDim, anyDim, 4}}, want{cBoxLabels, ort.Int64, []int64{anyDim, anyDim}}),
			[]want{{cPredMasks, ort.Float32, any4}, {cPredBoxes, ort.Float32, []int64{anyDim, anyDim, 4}}, {cPredLogits, ort.Float32, []int64{anyDim, anyDim}}, {cPresence, ort.Float32, []int64{anyDim, anyDim}}}},
	}
	for _, ch := range checks {
		if problems := append(checkIO("input", ch.s.Inputs(), ch.ins), checkIO("output", ch.s.Outputs(), ch.outs)...); len(problems) > 0 {
			return &InterfaceError{Graph: ch.s.Path(), Problems: problems}
		}
	}
	if o, ok := c.dec.Output(cSemantic); ok {
		if o.Type != ort.Float32 || len(o.Shape) != 4 || o.Shape[1] != 1 {
			return &InterfaceError{Graph: c.dec.Path(), Problems: []string{fmt.Sprintf("optional output %q must be float32 [B,1,H,W] logits", cSemantic)}}
		}
		c.semantic = true
	}
	c.contextLength = 32
	if io, _ := c.tenc.Input(cInputIDs); io.Shape[1] > 0 {
		c.contextLength = int(io.Shape[1])
	}
	return nil
}

// Semantic reports whether the decoder gives a semantic segmentation (SAM 3's semantic
// head; the public usls export leaves it out).
func (c *Concept) Semantic() bool { return c.semantic }

// InputSize is the square model input.
func (c *Concept) InputSize() int { return c.inputSize }

// Provider is the vision encoder's execution provider.
func (c *Concept) Provider() ort.Provider { return c.venc.Provider() }

// Close releases the graphs.
func (c *Concept) Close() error {
	for _, s := range []*ort.Session{c.venc, c.tenc, c.dec} {
		if s != nil {
			s.Close()
		}
	}
	return nil
}

// Encode runs the vision encoder on a CHW float32 image at InputSize.
func (c *Concept) Encode(ctx context.Context, pixels []float32) (Embedding, error) {
	s := int64(c.inputSize)
	out, err := c.venc.Run(ctx, map[string]*ort.Tensor{cImages: ort.NewF32(pixels, 1, 3, s, s)})
	if err != nil {
		return nil, err
	}
	emb := Embedding{}
	for _, n := range ConceptEmbeddingNames {
		emb[n] = out[n]
	}
	return emb, nil
}

// Text is an encoded prompt.
type Text struct {
	Features, Mask *ort.Tensor
	// Truncated is true when the text was longer than the context.
	Truncated bool
}

// EncodeText tokenizes and encodes a prompt. With only exemplars, pass
// "visual" (the reference processor's convention).
func (c *Concept) EncodeText(ctx context.Context, text string) (*Text, error) {
	enc := c.tok.EncodePadded(text, c.contextLength)
	n := int64(len(enc.IDs))
	out, err := c.tenc.Run(ctx, map[string]*ort.Tensor{cInputIDs: ort.NewI64(enc.IDs, 1, n), cAttention: ort.NewI64(enc.AttentionMask, 1, n)})
	if err != nil {
		return nil, err
	}
	return &Text{Features: out[cTextFeatures], Mask: out[cTextMask], Truncated: enc.Truncated}, nil
}

// Exemplar is an example box in original image pixels.
type Exemplar struct {
	Box      [4]float64 // x0, y0, x1, y1
	Positive bool
}

// Detections are the decoder's instance queries.
type Detections struct {
	Logits       []float32    // per query
	Boxes        [][4]float32 // xyxy, normalised to [0, 1]
	Masks        [][]float32  // per query, MaskH × MaskW logits
	MaskW, MaskH int
	Presence     float32 // presence logit of the concept on the image
	// Semantic is the semantic segmentation logits, SemH × SemW (nil when the decoder
	// has no semantic_seg output).
	Semantic   []float32
	SemW, SemH int
}

// Detect runs the decoder for an image of w×h pixels.
func (c *Concept) Detect(ctx context.Context, img Embedding, text *Text, exemplars []Exemplar, w, h int) (*Detections, error) {
	var boxes []float32
	var labels []int64
	for _, e := range exemplars {
		b := e.Box
		boxes = append(boxes, float32((b[0]+b[2])/2/float64(w)), float32((b[1]+b[3])/2/float64(h)),
			float32((b[2]-b[0])/float64(w)), float32((b[3]-b[1])/float64(h)))
		l := int64(0)
		if e.Positive {
			l = 1
		}
		labels = append(labels, l)
	}
	if len(exemplars) == 0 { // a dummy, ignored box (the export expects one)
		boxes, labels = []float32{0, 0, 0, 0}, []int64{ignoreBoxLabel}
	}
	nb := int64(len(labels))
	in := map[string]*ort.Tensor{cTextFeatures: text.Features, cTextMask: text.Mask,
		cBoxes: ort.NewF32(boxes, 1, nb, 4), cBoxLabels: ort.NewI64(labels, 1, nb)}
	for _, n := range ConceptEmbeddingNames {
		in[n] = img[n]
	}
	out, err := c.dec.Run(ctx, in)
	if err != nil {
		return nil, err
	}
	masks, logits, pboxes := out[cPredMasks], out[cPredLogits], out[cPredBoxes]
	if len(masks.Shape) != 4 || len(logits.F32) < int(masks.Shape[1]) {
		return nil, fmt.Errorf("decoder returned %s %v and %s %v", cPredMasks, masks.Shape, cPredLogits, logits.Shape)
	}
	q, mh, mw := int(masks.Shape[1]), int(masks.Shape[2]), int(masks.Shape[3])
	d := &Detections{Logits: logits.F32[:q], MaskW: mw, MaskH: mh, Presence: out[cPresence].F32[0]}
	for i := 0; i < q; i++ {
		d.Masks = append(d.Masks, masks.F32[i*mh*mw:(i+1)*mh*mw])
		b := pboxes.F32[4*i:]
		d.Boxes = append(d.Boxes, [4]float32{b[0], b[1], b[2], b[3]})
	}
	if sem := out[cSemantic]; c.semantic && sem != nil && len(sem.Shape) == 4 {
		d.SemH, d.SemW = int(sem.Shape[2]), int(sem.Shape[3])
		d.Semantic = sem.F32[:d.SemH*d.SemW]
	}
	return d, nil
}
