// Package demomodel defines the demo model bundles: small ONNX graphs with
// exactly the interfaces of the public SAM 3 exports (tensor names, ranks and
// dtypes; smaller channel counts) whose arithmetic is an honest classical
// segmenter. They let the engine, the app and the tests run with no download.
// The graphs are written by assets/gen (go generate) and committed.
package demomodel

import (
	"github.com/samwise-app/samwise/engine/onnxgraph"
)

// TrackerSpec sizes the demo sam3-tracker graphs.
type TrackerSpec struct {
	Input    int64   // square model input, pixels (SAM 3: 1008)
	Mask     int64   // low-resolution mask and level-0 feature size (SAM 3: 288)
	Channels int64   // feature channels of levels 0 and 1 (SAM 3: 32, 64)
	Sigma    float32 // colour affinity width, in normalised [-1, 1] units
	// Level2 is the channel count of level 2 (SAM 3: 256); 0 means Channels.
	// The colour is in its first three channels, the rest are zero.
	Level2 int64
}

func (sp TrackerSpec) level2() int64 {
	if sp.Level2 > 0 {
		return sp.Level2
	}
	return sp.Channels
}

// DefaultTracker is the shipped demo: 576² input, 288² masks like SAM 3.
var DefaultTracker = TrackerSpec{Input: 576, Mask: 288, Channels: 3, Sigma: 0.2}

// Thresholds of the three candidate masks (loose, medium, tight): a pixel
// belongs to mask k when its affinity to the positive prompts exceeds τk and
// exceeds its affinity to the negative prompts.
var thresholds = [3]float32{0.25, 0.5, 0.75}

const logitScale = 20

// TrackerEncoder is the vision encoder: pixel_values [B,3,S,S] → the three
// image_embeddings levels, here colour averaged over 2×2, 4×4 and 8×8 blocks
// (level 0 at the mask resolution).
func TrackerEncoder(sp TrackerSpec) ([]byte, error) {
	g := onnxgraph.New("demo_vision_encoder")
	px := g.Input("pixel_values", onnxgraph.Float, onnxgraph.Sym("batch"), onnxgraph.D(3), onnxgraph.D(sp.Input), onnxgraph.D(sp.Input))
	var e0 string
	if k := sp.Input / sp.Mask; k == 1 && sp.Input == sp.Mask {
		e0 = px
	} else if sp.Input%sp.Mask == 0 {
		e0 = g.AvgPool(px, k, k, 0)
	} else {
		e0 = g.Resize(px, g.Concat(0, g.Slice(g.Shape(px), 0, 0, 2), g.Ints(sp.Mask, sp.Mask)))
	}
	e1 := g.AvgPool(e0, 2, 2, 0)
	e2 := g.AvgPool(e1, 2, 2, 0)
	if extra := sp.level2() - sp.Channels; extra > 0 {
		zeros := g.Mul(g.Slice(e2, 1, 0, 1), g.Scalar(0))
		parts := []string{e2}
		for i := int64(0); i < extra; i++ {
			parts = append(parts, zeros)
		}
		e2 = g.Concat(1, parts...)
	}
	b := onnxgraph.Sym("batch")
	g.Output(e0, "image_embeddings.0", onnxgraph.Float, b, onnxgraph.D(sp.Channels), onnxgraph.D(sp.Mask), onnxgraph.D(sp.Mask))
	g.Output(e1, "image_embeddings.1", onnxgraph.Float, b, onnxgraph.D(sp.Channels), onnxgraph.D(sp.Mask/2), onnxgraph.D(sp.Mask/2))
	g.Output(e2, "image_embeddings.2", onnxgraph.Float, b, onnxgraph.D(sp.level2()), onnxgraph.D(sp.Mask/4), onnxgraph.D(sp.Mask/4))
	return g.Model("Samwise demo vision encoder (not SAM 3): multi-scale colour features.")
}

// TrackerDecoder is the prompt encoder + mask decoder with the sam3-tracker
// interface. For each object p it takes reference colours at the positive and
// negative points (and, for an object with a box but no positive point, the
// mean colour of the box's central half), measures each pixel's colour
// affinity exp(-d²/2σ²) to them, and keeps pixels whose positive affinity
// beats both a threshold and the negative affinity, inside the box. The three
// masks use three thresholds; iou_scores is each mask's stability (area at
// logit > 2 over area at logit > -2); object_score_logits is positive when
// some pixel qualifies.
func TrackerDecoder(sp TrackerSpec) ([]byte, error) {
	g := onnxgraph.New("demo_prompt_encoder_mask_decoder")
	F, I := onnxgraph.Float, onnxgraph.Int64
	B, P, N, NB := onnxgraph.Sym("batch"), onnxgraph.Sym("objects"), onnxgraph.Sym("points"), onnxgraph.Sym("boxes")
	C, H := sp.Channels, sp.Mask
	pts := g.Input("input_points", F, B, P, N, onnxgraph.D(2))
	lab := g.Input("input_labels", I, B, P, N)
	box := g.Input("input_boxes", F, B, NB, onnxgraph.D(4))
	e0 := g.Input("image_embeddings.0", F, B, onnxgraph.D(C), onnxgraph.D(H), onnxgraph.D(H))
	e1 := g.Input("image_embeddings.1", F, B, onnxgraph.D(C), onnxgraph.D(H/2), onnxgraph.D(H/2))
	e2 := g.Input("image_embeddings.2", F, B, onnxgraph.D(sp.level2()), onnxgraph.D(H/4), onnxgraph.D(H/4))

	// Each object's box: boxes[p] when there is one, else the whole plane.
	nBatch, nObj, nBox := g.ShapeDim(lab, 0), g.ShapeDim(lab, 1), g.ShapeDim(box, 1)
	full := g.Op("Expand", []string{g.Floats([]int64{1, 1, 4}, -1e6, -1e6, 1e6, 1e6), g.Concat(0, nBatch, g.Ints(1, 4))})
	objIdx := g.Op("Range", []string{g.Int(0), g.Squeeze(nObj, 0), g.Int(1)})
	objBox := g.Op("Gather", []string{g.Concat(1, box, full), g.Min(objIdx, nBox)}, onnxgraph.A("axis", int64(1))) // [B,P,4]
	hasBox := g.Reshape(g.Less(objIdx, nBox), 1, -1, 1)                                                            // [1,P,1]

	aff := promptAffinity(g, sp, pts, lab, objBox, hasBox, e0, e1, e2)
	masks, iou, objScore := candidates(g, aff)
	predMasks := g.ReshapeTo(masks, g.Concat(0, nBatch, nObj, g.Ints(3, H, H)))

	g.Output(iou, "iou_scores", F, B, P, onnxgraph.D(3))
	g.Output(predMasks, "pred_masks", F, B, P, onnxgraph.D(3), onnxgraph.D(H), onnxgraph.D(H))
	g.Output(objScore, "object_score_logits", F, B, P, onnxgraph.D(1))
	return g.Model("Samwise demo prompt encoder + mask decoder (not SAM 3): colour affinity to prompts, restricted by boxes.")
}

// affinity holds, per object and mask pixel: the colour affinity to the
// positive prompts, its excess over the affinity to the negative prompts,
// and whether the pixel lies in the object's box.
type affinity struct {
	pos, contrast, inside string // [B,P,HW]; inside is bool
	meanColour            string // [B,P,3]: the prompt's reference colour
}

// promptAffinity is the classical segmenter shared by the demo decoders.
// pts [B,P,N,2] and lab [B,P,N] (1 positive, 0 negative, -1 padding) are in
// model-input pixels; objBox [B,P,4] is each object's box (or the whole
// plane) and hasBox says which objects really have one. Only the first three
// channels of each feature level (the colour) are used.
func promptAffinity(g *onnxgraph.Graph, sp TrackerSpec, pts, lab, objBox, hasBox, e0, e1, e2 string) affinity {
	F := onnxgraph.Float
	H := sp.Mask
	e0, e1, e2 = g.Slice(e0, 1, 0, 3), g.Slice(e1, 1, 0, 3), g.Slice(e2, 1, 0, 3)
	x0, y0 := g.Slice(objBox, 2, 0, 1), g.Slice(objBox, 2, 1, 2)
	x1, y1 := g.Slice(objBox, 2, 2, 3), g.Slice(objBox, 2, 3, 4) // [B,P,1] each
	half := g.Scalar(0.5)
	cx, cy := g.Mul(g.Add(x0, x1), half), g.Mul(g.Add(y0, y1), half)

	// Extend every object's points with its box centre, labelled positive only
	// when the object has a box and no positive point (else padding, -1).
	nBatch, nObj := g.ShapeDim(lab, 0), g.ShapeDim(lab, 1)
	padLab := g.Op("Expand", []string{g.Ints(-1), g.Concat(0, nBatch, nObj, g.Ints(1))})
	isPos := g.Cast(g.Equal(g.Concat(2, lab, padLab), g.Int(1)), F)
	nPos := g.ReduceSum(isPos, true, 2) // [B,P,1]
	centreLab := g.Where(g.And(hasBox, g.Equal(nPos, g.Scalar(0))), g.Int(1), g.Int(-1))
	labExt := g.Concat(2, lab, centreLab)                           // [B,P,N+1]
	ptsExt := g.Concat(2, pts, g.Unsqueeze(g.Concat(2, cx, cy), 2)) // [B,P,N+1,2]

	// Reference colours: bilinear samples of level 1 at the points ...
	grid := g.Sub(g.Mul(ptsExt, g.Scalar(float32(2.0/float64(sp.Input)))), g.Scalar(1))
	samp := g.Op("GridSample", []string{e1, grid}, onnxgraph.A("mode", "bilinear"),
		onnxgraph.A("padding_mode", "border"), onnxgraph.A("align_corners", int64(0)))
	samp = g.Transpose(samp, 0, 2, 3, 1) // [B,P,N+1,3]
	// ... and for the box centre, the mean of level 2 over the box's central half.
	gx2, gy2 := pixelCentres(g, H/4, sp.Input)
	w, h := g.Sub(x1, x0), g.Sub(y1, y0)
	q := g.Scalar(0.25)
	inCentre := g.And(
		g.Not(g.Greater(g.Abs(g.Sub(gx2, cx)), g.Mul(w, q))),
		g.Not(g.Greater(g.Abs(g.Sub(gy2, cy)), g.Mul(h, q))))
	wReg := g.Cast(inCentre, F)                                                 // [B,P,H2*W2]
	e2t := g.Transpose(g.Reshape(e2, 0, 3, (H/4)*(H/4)), 0, 2, 1)               // [B,H2*W2,3]
	regSum := g.MatMul(wReg, e2t)                                               // [B,P,3]
	regCnt := g.ReduceSum(wReg, true, 2)                                        // [B,P,1]
	centreSample := g.Squeeze(g.SliceTail(samp, 2, -1), 2)                      // [B,P,3]
	centreRef := g.Div(g.Add(regSum, centreSample), g.Add(regCnt, g.Scalar(1))) // [B,P,3]
	refs := g.Concat(2, g.Slice(samp, 2, 0, -1), g.Unsqueeze(centreRef, 2))     // [B,P,N+1,3]

	// Squared colour distance of every pixel to every reference, by matmul.
	hw := H * H
	e0f := g.Reshape(e0, 0, 3, hw) // [B,3,HW]
	r := g.Reshape(refs, 0, -1, 3) // [B,P(N+1),3]
	dot := g.MatMul(r, e0f)        // [B,P(N+1),HW]
	ee := g.ReduceSum(g.Mul(e0f, e0f), true, 1)
	rr := g.ReduceSum(g.Mul(r, r), true, 2)
	d2 := g.Max(g.Add(g.Sub(rr, g.Mul(dot, g.Scalar(2))), ee), g.Scalar(0))
	aff := g.Exp(g.Mul(d2, g.Scalar(-1/(2*sp.Sigma*sp.Sigma))))
	aff = g.ReshapeTo(aff, g.Concat(0, g.Shape(labExt), g.Ints(hw))) // [B,P,N+1,HW]
	weight := func(label int64) string {
		return g.Unsqueeze(g.Cast(g.Equal(labExt, g.Int(label)), F), 3)
	}
	aPos := g.ReduceMax(g.Mul(aff, weight(1)), false, 2) // [B,P,HW]
	aNeg := g.ReduceMax(g.Mul(aff, weight(0)), false, 2)

	// Box restriction at the mask's pixel centres.
	gx, gy := pixelCentres(g, H, sp.Input)
	inside := g.And(
		g.And(g.Not(g.Less(gx, x0)), g.Not(g.Greater(gx, x1))),
		g.And(g.Not(g.Less(gy, y0)), g.Not(g.Greater(gy, y1)))) // [B,P,HW]

	// The prompt's reference colour: the mean over positive references.
	wPos := g.Squeeze(weight(1), 3) // [B,P,N+1]
	meanRef := g.Div(g.MatMul(g.Unsqueeze(wPos, 2), refs), g.Max(g.Unsqueeze(g.ReduceSum(wPos, true, 2), 3), g.Scalar(1)))
	return affinity{pos: aPos, contrast: g.Sub(aPos, aNeg), inside: inside, meanColour: g.Squeeze(meanRef, 2)}
}

// candidates turns affinities into the three candidate masks (logits,
// [B,P,3,HW]) at the three thresholds, their stability scores [B,P,3] and
// the presence logit [B,P,1].
func candidates(g *onnxgraph.Graph, a affinity) (masks, iou, objScore string) {
	F := onnxgraph.Float
	scale, floor := g.Scalar(logitScale), g.Scalar(-logitScale)
	var ms, stab []string
	for _, tau := range thresholds {
		m := g.Where(a.inside, g.Mul(g.Min(a.contrast, g.Sub(a.pos, g.Scalar(tau))), scale), floor)
		ms = append(ms, g.Unsqueeze(m, 2))
		core := g.ReduceSum(g.Cast(g.Greater(m, g.Scalar(2)), F), true, 2)
		hull := g.ReduceSum(g.Cast(g.Greater(m, g.Scalar(-2)), F), true, 2)
		stab = append(stab, g.Div(core, g.Max(hull, g.Scalar(1))))
	}
	margin := g.Where(a.inside, g.Min(a.contrast, g.Sub(a.pos, g.Scalar(thresholds[1]))), g.Scalar(-1))
	return g.Concat(2, ms...), g.Concat(2, stab...), g.Mul(g.ReduceMax(margin, true, 2), g.Scalar(10))
}

// pixelCentres computes gx, gy [1,1,n*n]: the centres of an n×n grid's
// pixels in model-input coordinates (0..input), row-major.
func pixelCentres(g *onnxgraph.Graph, n, input int64) (gx, gy string) {
	step := float32(input) / float32(n)
	c := g.Mul(g.Add(g.Cast(g.Op("Range", []string{g.Int(0), g.Int(n), g.Int(1)}), onnxgraph.Float), g.Scalar(0.5)), g.Scalar(step))
	sq := g.Ints(n, n)
	gx = g.Reshape(g.Op("Expand", []string{g.Reshape(c, 1, n), sq}), 1, 1, n*n)
	gy = g.Reshape(g.Op("Expand", []string{g.Reshape(c, n, 1), sq}), 1, 1, n*n)
	return gx, gy
}
