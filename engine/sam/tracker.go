package sam

import (
	"context"
	"fmt"
	"math"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
)

// Tensor names of the sam3-tracker interface.
const (
	namePixelValues = "pixel_values"
	nameIOU         = "iou_scores"
	nameMasks       = "pred_masks"
	nameObjScore    = "object_score_logits"
	namePoints      = "input_points"
	nameLabels      = "input_labels"
	nameBoxes       = "input_boxes"
)

// EmbeddingNames are the encoder outputs the decoder takes back.
var EmbeddingNames = []string{"image_embeddings.0", "image_embeddings.1", "image_embeddings.2"}

// Tracker runs a sam3-tracker bundle: points and boxes on one image.
type Tracker struct {
	Name      string
	enc, dec  *ort.Session
	inputSize int
}

// OpenTracker loads a sam3-tracker bundle's two graphs and checks their
// interface.
func OpenTracker(rt *ort.Runtime, b *model.Bundle, so ort.SessionOptions) (*Tracker, error) {
	encPath, err := b.Path(model.RoleVisionEncoder)
	if err != nil {
		return nil, err
	}
	decPath, err := b.Path(model.RoleMaskDecoder)
	if err != nil {
		return nil, err
	}
	enc, err := rt.Load(encPath, so)
	if err != nil {
		return nil, err
	}
	dec, err := rt.Load(decPath, so)
	if err != nil {
		enc.Close()
		return nil, err
	}
	t := &Tracker{Name: b.Manifest.Name, enc: enc, dec: dec}
	if err := t.check(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *Tracker) check() error {
	in, ok := t.enc.Input(namePixelValues)
	if !ok || len(in.Shape) != 4 || in.Shape[2] <= 0 || in.Shape[2] != in.Shape[3] {
		return &InterfaceError{Graph: t.enc.Path(), Problems: []string{fmt.Sprintf("input %q must be float32 [B,3,S,S] with a fixed square size S (found %v)", namePixelValues, in)}}
	}
	t.inputSize = int(in.Shape[2])
	problems := checkIO("input", t.enc.Inputs(), []want{{namePixelValues, ort.Float32, []int64{anyDim, 3, anyDim, anyDim}}})
	var embWants []want
	for _, n := range EmbeddingNames {
		o, ok := t.enc.Output(n)
		dims := []int64{anyDim, anyDim, anyDim, anyDim}
		if ok && len(o.Shape) == 4 {
			dims = append([]int64{anyDim}, o.Shape[1:]...)
		}
		embWants = append(embWants, want{n, ort.Float32, dims})
	}
	problems = append(problems, checkIO("output", t.enc.Outputs(), embWants)...)
	if len(problems) > 0 {
		return &InterfaceError{Graph: t.enc.Path(), Problems: problems}
	}
	decWants := append([]want{
		{namePoints, ort.Float32, []int64{anyDim, anyDim, anyDim, 2}},
		{nameLabels, ort.Int64, []int64{anyDim, anyDim, anyDim}},
		{nameBoxes, ort.Float32, []int64{anyDim, anyDim, 4}},
	}, embWants...)
	problems = checkIO("input", t.dec.Inputs(), decWants)
	problems = append(problems, checkIO("output", t.dec.Outputs(), []want{
		{nameIOU, ort.Float32, []int64{anyDim, anyDim, anyDim}},
		{nameMasks, ort.Float32, []int64{anyDim, anyDim, anyDim, anyDim, anyDim}},
		{nameObjScore, ort.Float32, []int64{anyDim, anyDim, 1}},
	})...)
	if len(problems) > 0 {
		return &InterfaceError{Graph: t.dec.Path(), Problems: problems}
	}
	return nil
}

// InputSize is the square model input, read from the encoder graph.
func (t *Tracker) InputSize() int { return t.inputSize }

// Provider is the execution provider of the encoder.
func (t *Tracker) Provider() ort.Provider { return t.enc.Provider() }

// Close releases both graphs.
func (t *Tracker) Close() error {
	t.enc.Close()
	return t.dec.Close()
}

// Embedding is an image's encoder output.
type Embedding map[string]*ort.Tensor

// Bytes is the embedding's size, for cache budgets.
func (e Embedding) Bytes() int64 {
	var n int64
	for _, t := range e {
		n += t.Bytes()
	}
	return n
}

// Encode runs the vision encoder on a CHW float32 image already resized and
// normalised to InputSize (see imaging.ToTensor).
func (t *Tracker) Encode(ctx context.Context, pixels []float32) (Embedding, error) {
	s := int64(t.inputSize)
	out, err := t.enc.Run(ctx, map[string]*ort.Tensor{namePixelValues: ort.NewF32(pixels, 1, 3, s, s)})
	if err != nil {
		return nil, err
	}
	emb := Embedding{}
	for _, n := range EmbeddingNames {
		emb[n] = out[n]
	}
	return emb, nil
}

// Prompt is one object's prompt in original image pixels.
type Prompt struct {
	Points [][2]float64
	Labels []int64 // 1 positive, 0 negative
	Box    *[4]float64
}

// Prediction is the decoder's answer for one object.
type Prediction struct {
	// IoU holds the predicted IoU of each candidate mask.
	IoU []float32
	// Logits holds each candidate's low-resolution mask logits (row-major
	// MaskH × MaskW), in the model's square input frame.
	Logits       [][]float32
	MaskW, MaskH int
	ObjectScore  float32
}

// Best returns the index of the candidate with the highest predicted IoU.
func (p *Prediction) Best() int {
	best := 0
	for i, v := range p.IoU {
		if v > p.IoU[best] {
			best = i
		}
	}
	return best
}

// Score is predicted IoU × sigmoid(object score) of candidate k.
func (p *Prediction) Score(k int) float64 {
	return float64(p.IoU[k]) / (1 + math.Exp(-float64(p.ObjectScore)))
}

// Decode runs the prompt encoder + mask decoder for every prompt of an image
// of size w×h. Prompts with the same number of points and box presence are
// batched into one run.
func (t *Tracker) Decode(ctx context.Context, emb Embedding, w, h int, prompts []Prompt) ([]Prediction, error) {
	preds := make([]Prediction, len(prompts))
	groups := map[[2]int][]int{}
	var order [][2]int
	for i, p := range prompts {
		if len(p.Points) == 0 && p.Box == nil {
			return nil, fmt.Errorf("object %d has neither points nor a box", i)
		}
		k := [2]int{len(p.Points), 0}
		if p.Box != nil {
			k[1] = 1
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	sx, sy := float64(t.inputSize)/float64(w), float64(t.inputSize)/float64(h)
	for _, k := range order {
		idx := groups[k]
		P, N := int64(len(idx)), int64(k[0])
		pts := make([]float32, 0, P*N*2)
		labels := make([]int64, 0, P*N)
		boxes := make([]float32, 0, P*4*int64(k[1]))
		for _, i := range idx {
			p := prompts[i]
			for j, pt := range p.Points {
				pts = append(pts, float32(pt[0]*sx), float32(pt[1]*sy))
				labels = append(labels, p.Labels[j])
			}
			if p.Box != nil {
				b := p.Box
				boxes = append(boxes, float32(b[0]*sx), float32(b[1]*sy), float32(b[2]*sx), float32(b[3]*sy))
			}
		}
		in := map[string]*ort.Tensor{
			namePoints: ort.NewF32(pts, 1, P, N, 2),
			nameLabels: ort.NewI64(labels, 1, P, N),
			nameBoxes:  ort.NewF32(boxes, 1, P*int64(k[1]), 4),
		}
		for n, v := range emb {
			in[n] = v
		}
		out, err := t.dec.Run(ctx, in)
		if err != nil {
			return nil, err
		}
		m, iou, obj := out[nameMasks], out[nameIOU], out[nameObjScore]
		if len(m.Shape) != 5 || m.Shape[1] != P {
			return nil, fmt.Errorf("decoder returned %s of shape %v for %d objects", nameMasks, m.Shape, P)
		}
		K, mh, mw := int(m.Shape[2]), int(m.Shape[3]), int(m.Shape[4])
		plane := mh * mw
		for j, i := range idx {
			pr := Prediction{MaskW: mw, MaskH: mh, ObjectScore: obj.F32[j]}
			pr.IoU = append([]float32(nil), iou.F32[j*K:(j+1)*K]...)
			for c := 0; c < K; c++ {
				off := (j*K + c) * plane
				pr.Logits = append(pr.Logits, m.F32[off:off+plane])
			}
			preds[i] = pr
		}
	}
	return preds, nil
}
