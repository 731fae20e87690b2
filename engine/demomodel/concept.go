package demomodel

import (
	"github.com/samwise-app/samwise/engine/onnxgraph"
	"github.com/samwise-app/samwise/engine/tokenizer"
)

// ConceptSpec sizes the demo sam3-concept graphs.
type ConceptSpec struct {
	Input   int64 // square model input (SAM 3: 1008)
	Mask    int64 // fpn_feat_0 and mask size (SAM 3: 288)
	Queries int64 // instance queries (SAM 3: 200)
	Sigma   float32
	// Steps of label propagation for connected components (at Mask/4).
	Steps int
	// NoSemantic leaves out the semantic_seg output, as the public export does.
	NoSemantic bool
}

// DefaultConcept is the shipped demo concept model.
var DefaultConcept = ConceptSpec{Input: 288, Mask: 288, Queries: 32, Sigma: 0.3, Steps: 96}

// Channels of the demo's features and text features.
const (
	conceptChannels = 4 // fpn levels: R, G, B, saturation
	textChannels    = 8 // per token: R, G, B, has colour, square, circle, rectangle, triangle
	minArea         = 16
)

// conceptWord is what a demo vocabulary word means.
type conceptWord struct {
	colour [3]float32 // 0-255
	shape  int        // 0 none, 1 square, 2 circle, 3 rectangle, 4 triangle
}

// ConceptWords is the demo vocabulary: colour and shape words (and plurals).
var conceptWords = map[string]conceptWord{
	"red": {colour: [3]float32{220, 40, 40}}, "green": {colour: [3]float32{40, 170, 60}}, "blue": {colour: [3]float32{40, 70, 220}},
	"yellow": {colour: [3]float32{240, 220, 40}}, "orange": {colour: [3]float32{235, 150, 30}}, "purple": {colour: [3]float32{140, 50, 180}},
	"white": {colour: [3]float32{245, 245, 245}}, "black": {colour: [3]float32{15, 15, 15}},
	"square": {shape: 1}, "squares": {shape: 1}, "circle": {shape: 2}, "circles": {shape: 2}, "disc": {shape: 2}, "discs": {shape: 2},
	"round": {shape: 2}, "rectangle": {shape: 3}, "rectangles": {shape: 3}, "triangle": {shape: 4}, "triangles": {shape: 4},
}

// ConceptVocabulary lists the demo words, sorted, plus filler words that
// mean nothing ("a", "the", "shape", "visual", ...).
func ConceptVocabulary() []string {
	words := []string{"a", "an", "the", "all", "every", "shape", "shapes", "object", "objects", "thing", "things", "visual"}
	for w := range conceptWords {
		words = append(words, w)
	}
	return sortedUnique(words)
}

// ConceptTokenizer is the demo bundle's own tokenizer (tokenizer.json).
func ConceptTokenizer() (*tokenizer.Tokenizer, error) {
	return tokenizer.FromWords(ConceptVocabulary()...)
}

// ConceptVisionEncoder: images [B,3,S,S] → fpn_feat_0/1/2 (colour and
// saturation at three scales) and fpn_pos_2 (grid coordinates).
func ConceptVisionEncoder(sp ConceptSpec) ([]byte, error) {
	g := onnxgraph.New("demo_concept_vision_encoder")
	F := onnxgraph.Float
	B := onnxgraph.Sym("batch")
	H := sp.Mask
	img := g.Input("images", F, B, onnxgraph.D(3), onnxgraph.D(sp.Input), onnxgraph.D(sp.Input))
	rgb := img
	if sp.Input != H {
		rgb = g.Resize(img, g.Concat(0, g.Slice(g.Shape(img), 0, 0, 2), g.Ints(H, H)))
	}
	sat := g.Sub(g.ReduceMax(rgb, true, 1), g.Op("ReduceMin", []string{rgb}, onnxgraph.A("axes", []int64{1}), onnxgraph.A("keepdims", int64(1))))
	f0 := g.Concat(1, rgb, sat)
	f1 := g.AvgPool(f0, 2, 2, 0)
	f2 := g.AvgPool(f1, 2, 2, 0)
	gx, gy := pixelCentres(g, H/4, 1)
	zero := g.Mul(gx, g.Scalar(0))
	pos := g.Reshape(g.Concat(1, gx, gy, zero, zero), 1, conceptChannels, H/4, H/4)
	pos = g.Op("Expand", []string{pos, g.Concat(0, g.ShapeDim(img, 0), g.Ints(conceptChannels, H/4, H/4))})
	C := onnxgraph.D(conceptChannels)
	g.Output(f0, "fpn_feat_0", F, B, C, onnxgraph.D(H), onnxgraph.D(H))
	g.Output(f1, "fpn_feat_1", F, B, C, onnxgraph.D(H/2), onnxgraph.D(H/2))
	g.Output(f2, "fpn_feat_2", F, B, C, onnxgraph.D(H/4), onnxgraph.D(H/4))
	g.Output(pos, "fpn_pos_2", F, B, C, onnxgraph.D(H/4), onnxgraph.D(H/4))
	return g.Model("Samwise demo concept vision encoder (not SAM 3): colour and saturation at three scales.")
}

// ConceptTextEncoder: input_ids, attention_mask [B,32] → text_features
// [B,32,8] (each demo word's colour and shape meaning, by table lookup) and
// text_mask.
func ConceptTextEncoder(tok *tokenizer.Tokenizer) ([]byte, error) {
	g := onnxgraph.New("demo_concept_text_encoder")
	B, L := onnxgraph.Sym("batch"), onnxgraph.D(32)
	ids := g.Input("input_ids", onnxgraph.Int64, B, L)
	mask := g.Input("attention_mask", onnxgraph.Int64, B, L)
	v := int64(tok.VocabSize())
	table := make([]float32, v*textChannels)
	for word, m := range conceptWords {
		enc := tok.Encode(word)
		if len(enc) != 1 {
			continue
		}
		row := table[int64(enc[0])*textChannels:]
		if m.shape == 0 {
			for c := 0; c < 3; c++ {
				row[c] = m.colour[c]/127.5 - 1
			}
			row[3] = 1
		} else {
			row[3+m.shape] = 1
		}
	}
	t := g.Floats([]int64{v, textChannels}, table...)
	clamped := g.Op("Clip", []string{ids, g.Int(0), g.Int(v - 1)})
	feats := g.Op("Gather", []string{t, clamped}, onnxgraph.A("axis", int64(0))) // [B,32,8]
	on := g.Greater(mask, g.Int(0))
	feats = g.Mul(feats, g.Unsqueeze(g.Cast(on, onnxgraph.Float), 2))
	g.Output(feats, "text_features", onnxgraph.Float, B, L, onnxgraph.D(textChannels))
	g.Output(on, "text_mask", onnxgraph.Bool, B, L)
	return g.Model("Samwise demo concept text encoder (not SAM 3): colour and shape words by table lookup.")
}

// ConceptDecoder finds every instance of the concept: pixels of the
// prompt's colour (from its colour words, else from the positive exemplar
// boxes, else any saturated pixel), split into connected components, kept
// when their shape matches the shape words and the positive exemplars and
// they contain no negative exemplar. Up to Queries instances; batch 1. It also
// gives semantic_seg, the union of the instances.
func ConceptDecoder(sp ConceptSpec) ([]byte, error) {
	g := onnxgraph.New("demo_concept_decoder")
	F, I := onnxgraph.Float, onnxgraph.Int64
	B, NB := onnxgraph.Sym("batch"), onnxgraph.Sym("boxes")
	H, Q := sp.Mask, sp.Queries
	C := onnxgraph.D(conceptChannels)
	f0 := g.Input("fpn_feat_0", F, B, C, onnxgraph.D(H), onnxgraph.D(H))
	g.Input("fpn_feat_1", F, B, C, onnxgraph.D(H/2), onnxgraph.D(H/2))
	f2 := g.Input("fpn_feat_2", F, B, C, onnxgraph.D(H/4), onnxgraph.D(H/4))
	g.Input("fpn_pos_2", F, B, C, onnxgraph.D(H/4), onnxgraph.D(H/4))
	text := g.Input("text_features", F, B, onnxgraph.D(32), onnxgraph.D(textChannels))
	tmask := g.Input("text_mask", onnxgraph.Bool, B, onnxgraph.D(32))
	boxes := g.Input("input_boxes", F, B, NB, onnxgraph.D(4))
	blabels := g.Input("input_boxes_labels", I, B, NB)

	// The query from the text: mean colour of colour words, any shape word.
	tf := g.Mul(g.Reshape(text, 32, textChannels), g.Reshape(g.Cast(tmask, F), 32, 1)) // [32,8]
	nColT := g.ReduceSum(g.Slice(tf, 1, 3, 4), false, 0, 1)                            // scalar-ish [ ]
	colourT := g.Div(g.ReduceSum(g.Slice(tf, 1, 0, 3), false, 0), g.Max(nColT, g.Scalar(1e-6)))
	shapeT := g.ReduceMax(g.Concat(0, g.Slice(tf, 1, 4, 8), g.Floats([]int64{1, 4}, 0, 0, 0, 0)), false, 0) // [4]

	// Exemplars: pixel-space centres (at the 288 grid) and the mean colour of
	// the positive boxes' central halves (at the 72 grid).
	bx := g.Reshape(boxes, -1, 4) // [nb,4] cx, cy, w, h normalised
	lab := g.Reshape(blabels, -1) // [nb]
	pos := g.Cast(g.Equal(lab, g.Int(1)), F)
	neg := g.Cast(g.Equal(lab, g.Int(0)), F)
	L := H / 4
	gx, gy := pixelCentres(g, L, 1) // [1,1,L*L] in 0..1
	cx, cy := g.Slice(bx, 1, 0, 1), g.Slice(bx, 1, 1, 2)
	bw, bh := g.Slice(bx, 1, 2, 3), g.Slice(bx, 1, 3, 4) // [nb,1]
	q := g.Scalar(0.25)
	inCentre := g.Cast(g.And(
		g.Not(g.Greater(g.Abs(g.Sub(g.Reshape(gx, 1, -1), cx)), g.Mul(bw, q))),
		g.Not(g.Greater(g.Abs(g.Sub(g.Reshape(gy, 1, -1), cy)), g.Mul(bh, q)))), F) // [nb,L*L]
	wPos := g.Mul(inCentre, g.Reshape(pos, -1, 1))
	f2c := g.Transpose(g.Reshape(g.Slice(f2, 1, 0, 3), 3, L*L), 1, 0) // [L*L,3]
	sumPos := g.ReduceSum(g.MatMul(wPos, f2c), false, 0)              // [3]
	nPos := g.ReduceSum(wPos, false, 0, 1)
	colourE := g.Div(sumPos, g.Max(nPos, g.Scalar(1e-6)))
	hasColourT := g.Greater(nColT, g.Scalar(0))
	hasColourE := g.Greater(nPos, g.Scalar(0))
	colour := g.Where(hasColourT, colourT, colourE)
	hasColour := g.Or(hasColourT, hasColourE)

	// Candidate pixels at the mask grid.
	rgb := g.Reshape(g.Slice(f0, 1, 0, 3), 3, H, H)
	d2 := g.ReduceSum(g.Op("Pow", []string{g.Sub(rgb, g.Reshape(colour, 3, 1, 1)), g.Scalar(2)}), false, 0) // [H,H]
	byColour := g.Greater(g.Exp(g.Mul(d2, g.Scalar(-1/(2*sp.Sigma*sp.Sigma)))), g.Scalar(0.5))
	saturated := g.Greater(g.Reshape(g.Slice(f0, 1, 3, 4), H, H), g.Scalar(0.3))
	cand := whereBool(g, hasColour, byColour, saturated) // [H,H] bool
	candF := g.Reshape(g.Cast(cand, F), 1, 1, H, H)

	// Connected components at H/4 by max-label propagation.
	k := H / L
	m72 := g.Greater(g.Op("MaxPool", []string{candF}, onnxgraph.A("kernel_shape", []int64{k, k}), onnxgraph.A("strides", []int64{k, k})), g.Scalar(0.5))
	m72f := g.Cast(m72, F)
	idx := g.Reshape(g.Add(g.Cast(g.Op("Range", []string{g.Int(0), g.Int(L * L), g.Int(1)}), F), g.Scalar(1)), 1, 1, L, L)
	labels := g.Mul(idx, m72f)
	for i := 0; i < sp.Steps; i++ {
		labels = g.Mul(g.MaxPool(labels, 3), m72f)
	}
	// One root per component: the cell holding the component's label.
	root := g.And(g.Equal(labels, idx), m72)
	rank := g.Add(g.Mul(g.Cast(root, F), g.Scalar(1e6)), g.Reshape(idx, 1, 1, L, L)) // roots first
	vals, inds := topK(g, g.Reshape(rank, -1), Q)
	qValid := g.Greater(vals, g.Scalar(1e6-1))    // [Q]
	qLabel := g.Add(g.Cast(inds, F), g.Scalar(1)) // [Q]

	// Instance masks at the mask grid.
	up := g.Op("Resize", []string{labels, "", "", g.Ints(1, 1, H, H)}, onnxgraph.A("mode", "nearest"))
	inst := g.And(g.Equal(g.Reshape(up, 1, H, H), g.Reshape(qLabel, Q, 1, 1)), g.Reshape(cand, 1, H, H))
	inst = g.And(inst, g.Reshape(qValid, Q, 1, 1)) // [Q,H,H]
	instF := g.Cast(inst, F)

	// Per-instance area, box, fill ratio and aspect.
	area := g.ReduceSum(instF, false, 1, 2) // [Q]
	col := g.Reshape(g.Cast(g.Op("Range", []string{g.Int(0), g.Int(H), g.Int(1)}), F), 1, 1, H)
	row := g.Reshape(col, 1, H, 1)
	hs := g.Scalar(float32(H))
	xMax := g.Sub(g.ReduceMax(g.Mul(instF, g.Add(col, g.Scalar(1))), false, 1, 2), g.Scalar(1))
	xMin := g.Sub(hs, g.ReduceMax(g.Mul(instF, g.Sub(hs, col)), false, 1, 2))
	yMax := g.Sub(g.ReduceMax(g.Mul(instF, g.Add(row, g.Scalar(1))), false, 1, 2), g.Scalar(1))
	yMin := g.Sub(hs, g.ReduceMax(g.Mul(instF, g.Sub(hs, row)), false, 1, 2))
	w := g.Max(g.Add(g.Sub(xMax, xMin), g.Scalar(1)), g.Scalar(1))
	h := g.Max(g.Add(g.Sub(yMax, yMin), g.Scalar(1)), g.Scalar(1))
	fill := g.Div(area, g.Mul(w, h))
	aspect := g.Div(w, h) // in the model's stretched frame

	// Shape words, by fill ratio (area over box area), which the model
	// input's stretching does not change: box-like shapes (square,
	// rectangle), round ones (circle, ellipse) and triangles. The demo cannot
	// tell a square from a rectangle: aspect ratios are stretched.
	between := func(v string, lo, hi float32) string {
		return g.Cast(g.And(g.Greater(v, g.Scalar(lo)), g.Less(v, g.Scalar(hi))), F)
	}
	boxLike := g.Reshape(between(fill, 0.88, 1.01), Q, 1)
	shapes := g.Concat(1, boxLike,
		g.Reshape(between(fill, 0.65, 0.88), Q, 1),
		boxLike,
		g.Reshape(between(fill, 0.3, 0.65), Q, 1)) // [Q,4]
	anyShape := g.Greater(g.ReduceSum(shapeT, false, 0), g.Scalar(0))
	shapeOK := whereBool(g, anyShape, g.Greater(g.MatMul(shapes, g.Reshape(shapeT, 4, 1)), g.Scalar(0)), g.Reshape(g.Greater(area, g.Scalar(-1)), Q, 1)) // [Q,1]

	// Which instance holds each exemplar's centre.
	pcx := g.Cast(g.Op("Clip", []string{g.Op("Floor", []string{g.Mul(cx, hs)}), g.Scalar(0), g.Scalar(float32(H - 1))}), I)
	pcy := g.Cast(g.Op("Clip", []string{g.Op("Floor", []string{g.Mul(cy, hs)}), g.Scalar(0), g.Scalar(float32(H - 1))}), I)
	flat := g.Reshape(g.Add(g.Mul(pcy, g.Int(H)), pcx), -1)                                           // [nb]
	member := g.Op("Gather", []string{g.Reshape(instF, Q, H*H), flat}, onnxgraph.A("axis", int64(1))) // [Q,nb]
	// Positive exemplars: look-alikes have a similar fill ratio and aspect.
	posHit := g.MatMul(member, g.Reshape(pos, -1, 1)) // [Q,1]
	nEx := g.ReduceSum(posHit, false, 0, 1)
	fillE := g.Div(g.ReduceSum(g.Mul(g.Reshape(fill, Q, 1), posHit), false, 0, 1), g.Max(nEx, g.Scalar(1e-6)))
	logAsp := g.Op("Log", []string{g.Max(aspect, g.Scalar(1e-3))})
	aspE := g.Div(g.ReduceSum(g.Mul(g.Reshape(logAsp, Q, 1), posHit), false, 0, 1), g.Max(nEx, g.Scalar(1e-6)))
	alike := g.And(g.Less(g.Abs(g.Sub(fill, fillE)), g.Scalar(0.08)), g.Less(g.Abs(g.Sub(logAsp, aspE)), g.Scalar(0.3)))
	exemplarOK := whereBool(g, g.Greater(nEx, g.Scalar(0)), alike, g.Greater(area, g.Scalar(-1))) // [Q]
	// Negative exemplars remove the instance they fall on.
	negHit := g.Greater(g.Reshape(g.MatMul(member, g.Reshape(neg, -1, 1)), -1), g.Scalar(0))

	keep := g.And(g.And(qValid, g.Greater(area, g.Scalar(minArea))), g.And(g.Reshape(shapeOK, -1), g.And(exemplarOK, g.Not(negHit))))
	logits := g.Where(keep, g.Scalar(6), g.Scalar(-6))
	presence := g.Where(g.Greater(g.ReduceSum(g.Cast(keep, F), true, 0), g.Scalar(0)), g.Scalar(6), g.Scalar(-6))
	masks := g.Where(inst, g.Scalar(10), g.Scalar(-10))
	boxOut := g.Div(g.Concat(1, g.Reshape(xMin, Q, 1), g.Reshape(yMin, Q, 1), g.Reshape(g.Add(xMax, g.Scalar(1)), Q, 1), g.Reshape(g.Add(yMax, g.Scalar(1)), Q, 1)), hs)
	boxOut = g.Op("Clip", []string{boxOut, g.Scalar(0), g.Scalar(1)})

	// The semantic head (SAM 3 has one; the public export leaves it out): every pixel of
	// a kept instance.
	kept := g.Cast(g.And(inst, g.Reshape(keep, Q, 1, 1)), F)
	semantic := g.Where(g.Greater(g.ReduceMax(kept, true, 0), g.Scalar(0.5)), g.Scalar(10), g.Scalar(-10))

	g.Output(g.Reshape(masks, 1, Q, H, H), "pred_masks", F, B, onnxgraph.D(Q), onnxgraph.D(H), onnxgraph.D(H))
	if !sp.NoSemantic {
		g.Output(g.Reshape(semantic, 1, 1, H, H), "semantic_seg", F, B, onnxgraph.D(1), onnxgraph.D(H), onnxgraph.D(H))
	}
	g.Output(g.Reshape(boxOut, 1, Q, 4), "pred_boxes", F, B, onnxgraph.D(Q), onnxgraph.D(4))
	g.Output(g.Reshape(logits, 1, Q), "pred_logits", F, B, onnxgraph.D(Q))
	g.Output(g.Reshape(presence, 1, 1), "presence_logits", F, B, onnxgraph.D(1))
	return g.Model("Samwise demo concept decoder (not SAM 3): colour regions split into components, filtered by shape words and exemplars.")
}

// whereBool is Where for bool values (ONNX Runtime's Where lacks bool).
func whereBool(g *onnxgraph.Graph, cond, a, b string) string {
	return g.Or(g.And(cond, a), g.And(g.Not(cond), b))
}

// topK returns the k largest values of a 1-D tensor and their indices.
func topK(g *onnxgraph.Graph, x string, k int64) (vals, inds string) {
	out := g.OpN("TopK", []string{x, g.Ints(k)}, 2, onnxgraph.A("axis", int64(-1)), onnxgraph.A("largest", int64(1)), onnxgraph.A("sorted", int64(1)))
	return out[0], out[1]
}

func sortedUnique(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
