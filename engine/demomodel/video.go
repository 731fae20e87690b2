package demomodel

import (
	"bytes"

	"github.com/samwise-app/samwise/engine/npy"
	"github.com/samwise-app/samwise/engine/onnxgraph"
)

// Demo sam3-video sizes: the tracker's features plus level 2 with 8
// channels — colour, then the slots memory attention fills: a spatial prior
// (where the object was last seen), the remembered colour and its validity.
const (
	videoLevel2   = 8 // image_embed / fused_feat channels
	videoMemory   = 4 // maskmem_features channels: mask, colour × mask
	videoPointer  = 4 // obj_ptr: remembered colour, presence
	minPresence   = 12
	priorDilation = 9 // cells of the 72² grid the prior grows per frame
)

// DefaultVideo is the shipped demo video tracker. Its input is the mask
// size, so the "high-resolution" masks need no extra upsampling pass.
var DefaultVideo = TrackerSpec{Input: 288, Mask: 288, Channels: 3, Sigma: 0.2, Level2: videoLevel2}

// VideoEncoder is the demo video bundle's vision encoder.
func VideoEncoder(sp TrackerSpec) ([]byte, error) { return TrackerEncoder(sp) }

// ImageDecoder has the interface of sam3-onnx-cpp's image_decoder. With
// prompt points (labels 1/0, a box as corners labelled 2 and 3) it segments
// like the tracker decoder. With no points it reads fused_feat from memory
// attention: pixels of the remembered colour inside the spatial prior.
// obj_ptr carries the object's colour and presence for later frames.
func ImageDecoder(sp TrackerSpec) ([]byte, error) {
	g := onnxgraph.New("demo_image_decoder")
	F := onnxgraph.Float
	H, S := sp.Mask, sp.Input
	N := onnxgraph.Sym("points")
	coords := g.Input("point_coords", F, onnxgraph.D(1), N, onnxgraph.D(2))
	labels := g.Input("point_labels", onnxgraph.Int32, onnxgraph.D(1), N)
	embed := g.Input("image_embed", F, onnxgraph.D(1), onnxgraph.D(sp.level2()), onnxgraph.D(H/4), onnxgraph.D(H/4))
	hr0 := g.Input("high_res_feats_0", F, onnxgraph.D(1), onnxgraph.D(sp.Channels), onnxgraph.D(H), onnxgraph.D(H))
	hr1 := g.Input("high_res_feats_1", F, onnxgraph.D(1), onnxgraph.D(sp.Channels), onnxgraph.D(H/2), onnxgraph.D(H/2))

	// Prompted frames take the prompt path, the others the memory path.
	prompted := g.Greater(g.ShapeDim(coords, 1), g.Int(0)) // [1]
	outs := g.If(prompted, []int32{F, F, F, F},
		func(g *onnxgraph.Graph) []string { return promptPath(g, sp, coords, labels, embed, hr0, hr1) },
		func(g *onnxgraph.Graph) []string { return memoryPath(g, sp, embed, hr0) })
	masks := g.Reshape(outs[0], 1, 3, H, H)
	iou := g.Reshape(outs[1], 1, 3)
	obj := g.Reshape(outs[2], 1, 1)
	ptr := g.Concat(1, g.Reshape(outs[3], 1, 3), g.Cast(g.Greater(obj, g.Scalar(0)), F)) // [1,4]

	best := g.Op("ArgMax", []string{iou}, onnxgraph.A("axis", int64(1)), onnxgraph.A("keepdims", int64(0))) // [1]
	low := g.Op("Gather", []string{masks, best}, onnxgraph.A("axis", int64(1)))
	one := onnxgraph.D(1)
	g.Output(ptr, "obj_ptr", F, one, onnxgraph.D(videoPointer))
	g.Output(low, "pred_mask", F, one, one, onnxgraph.D(H), onnxgraph.D(H))
	g.Output(upsample(g, low, 1, S, H), "pred_mask_high_res", F, one, one, onnxgraph.D(S), onnxgraph.D(S))
	g.Output(obj, "object_score_logits", F, one, one)
	g.Output(iou, "iou_scores", F, one, onnxgraph.D(3))
	g.Output(masks, "pred_multimasks", F, one, onnxgraph.D(3), onnxgraph.D(H), onnxgraph.D(H))
	g.Output(upsample(g, masks, 3, S, H), "pred_multimasks_high_res", F, one, onnxgraph.D(3), onnxgraph.D(S), onnxgraph.D(S))
	return g.Model("Samwise demo image decoder (not SAM 3): prompt affinity, or remembered colour inside the spatial prior.")
}

// upsample resizes [1,c,h,h] masks to [1,c,s,s] (nothing to do when s = h).
func upsample(g *onnxgraph.Graph, m string, c, s, h int64) string {
	if s == h {
		return m
	}
	return g.Resize(m, g.Ints(1, c, s, s))
}

// promptPath segments from prompt points: box corners (labels 2 and 3)
// become the object's box, the rest are points. It returns the candidate
// masks, their scores, the presence logit and the prompt's colour.
func promptPath(g *onnxgraph.Graph, sp TrackerSpec, coords, labels, embed, hr0, hr1 string) []string {
	F := onnxgraph.Float
	lab := g.Cast(labels, onnxgraph.Int64) // [1,N]
	corner := func(l int64) (xy, n string) {
		w := g.Unsqueeze(g.Cast(g.Equal(lab, g.Int(l)), F), 2)                     // [1,N,1]
		n = g.ReduceSum(w, false, 1)                                               // [1,1]
		xy = g.Div(g.ReduceSum(g.Mul(coords, w), false, 1), g.Max(n, g.Scalar(1))) // [1,2]
		return xy, n
	}
	tl, nBox := corner(2)
	br, _ := corner(3)
	hasBox := g.Greater(nBox, g.Scalar(0)) // [1,1]
	full := g.Floats([]int64{1, 4}, -1e6, -1e6, 1e6, 1e6)
	objBox := g.Reshape(g.Where(hasBox, g.Concat(1, tl, br), full), 1, 1, 4)
	isCorner := g.Or(g.Equal(lab, g.Int(2)), g.Equal(lab, g.Int(3)))
	pointLab := g.Unsqueeze(g.Where(isCorner, g.Int(-1), lab), 0) // [1,1,N]
	aff := promptAffinity(g, sp, g.Unsqueeze(coords, 0), pointLab, objBox, g.Reshape(hasBox, 1, 1, 1), hr0, hr1, embed)
	masks, iou, obj := candidates(g, aff)
	return []string{masks, iou, obj, aff.meanColour}
}

// memoryPath segments from fused_feat: pixels of the remembered colour
// inside the spatial prior; present when enough of them are found.
func memoryPath(g *onnxgraph.Graph, sp TrackerSpec, embed, hr0 string) []string {
	F := onnxgraph.Float
	H := sp.Mask
	prior := g.Slice(embed, 1, 3, 4)                                                                     // [1,1,72,72]
	colour := g.ReduceMean(g.Slice(embed, 1, 4, 7), true, 2, 3)                                          // [1,3,1,1]
	valid := g.Greater(g.ReduceMean(g.Slice(embed, 1, 7, 8), false, 1, 2, 3), g.Scalar(0.5))             // [1]
	d2 := g.ReduceSum(g.Op("Pow", []string{g.Sub(g.Slice(hr0, 1, 0, 3), colour), g.Scalar(2)}), true, 1) // [1,1,H,H]
	a := g.Exp(g.Mul(d2, g.Scalar(-1/(2*sp.Sigma*sp.Sigma))))
	prior288 := g.Greater(g.Resize(prior, g.Ints(1, 1, H, H)), g.Scalar(0.5))
	allowed := g.And(prior288, g.Reshape(valid, 1, 1, 1, 1))
	hw := H * H
	aff := affinity{pos: g.Reshape(a, 1, 1, hw), contrast: g.Reshape(a, 1, 1, hw), inside: g.Reshape(allowed, 1, 1, hw)}
	masks, iou, _ := candidates(g, aff)
	found := g.ReduceSum(g.Cast(g.And(allowed, g.Greater(a, g.Scalar(thresholds[1]))), F), false, 1, 2, 3) // [1]
	obj := g.Op("Clip", []string{g.Sub(found, g.Scalar(minPresence)), g.Scalar(-10), g.Scalar(10)})
	return []string{masks, iou, obj, g.Reshape(colour, 1, 3)}
}

// MemoryAttention has the interface of sam3-onnx-cpp's memory_attention.
// The demo's fused feature keeps the frame's colour and adds: the spatial
// prior — the most recent memory's mask grown by a few cells, or the whole
// frame when that mask is empty (the object left; search everywhere) — and
// the remembered colour: that of the most recent pointer that saw the object.
func MemoryAttention(sp TrackerSpec) ([]byte, error) {
	g := onnxgraph.New("demo_memory_attention")
	F := onnxgraph.Float
	L := sp.Mask / 4
	K, M := onnxgraph.Sym("pointers"), onnxgraph.Sym("memories")
	cur := g.Input("current_vision_feat", F, onnxgraph.D(1), onnxgraph.D(sp.level2()), onnxgraph.D(L), onnxgraph.D(L))
	g.Input("current_vision_pos_embed", F, onnxgraph.D(L*L), onnxgraph.D(1), onnxgraph.D(sp.level2()))
	ptrs := g.Input("memory_obj_ptrs", F, K, onnxgraph.D(videoPointer))
	tpos := g.Input("memory_obj_tpos", F, K)
	feats := g.Input("memory_mask_feats", F, M, onnxgraph.D(videoMemory), onnxgraph.D(L), onnxgraph.D(L))
	g.Input("memory_mask_pos", F, M, onnxgraph.D(videoMemory), onnxgraph.D(L), onnxgraph.D(L))
	tidx := g.Input("memory_mask_tpos_idx", onnxgraph.Int64, M)

	// The remembered colour is the most recent pointer that saw the object
	// (so a correction on a later frame wins over the first prompt).
	present := g.Slice(ptrs, 1, 3, 4)                                                                         // [K,1]
	key := g.Add(g.Reshape(tpos, -1, 1), g.Mul(g.Sub(g.Scalar(1), present), g.Scalar(1e6)))                   // [K,1]
	latest := g.Op("ArgMin", []string{key}, onnxgraph.A("axis", int64(0)), onnxgraph.A("keepdims", int64(0))) // [1]
	colour := g.Slice(g.Op("Gather", []string{ptrs, latest}, onnxgraph.A("axis", int64(0))), 1, 0, 3)         // [1,3]
	valid := g.Cast(g.Greater(g.ReduceSum(present, true, 0), g.Scalar(0)), F)                                 // [1,1]

	recent := g.Op("ArgMin", []string{tidx}, onnxgraph.A("axis", int64(0)), onnxgraph.A("keepdims", int64(1))) // [1]
	mask := g.Op("Gather", []string{g.Slice(feats, 1, 0, 1), recent}, onnxgraph.A("axis", int64(0)))           // [1,1,L,L]
	area := g.ReduceSum(mask, false, 1, 2, 3)                                                                  // [1]
	grown := g.MaxPool(g.Cast(g.Greater(mask, g.Scalar(0.25)), F), priorDilation)
	prior := g.Where(g.Reshape(g.Greater(area, g.Scalar(0.5)), 1, 1, 1, 1), grown, g.Add(g.Mul(mask, g.Scalar(0)), g.Scalar(1)))

	plane := g.Ints(1, 3, L, L)
	fused := g.Concat(1, g.Slice(cur, 1, 0, 3), prior,
		g.Op("Expand", []string{g.Reshape(colour, 1, 3, 1, 1), plane}),
		g.Op("Expand", []string{g.Reshape(valid, 1, 1, 1, 1), g.Ints(1, 1, L, L)}))
	g.Output(fused, "fused_feat", F, onnxgraph.D(1), onnxgraph.D(sp.level2()), onnxgraph.D(L), onnxgraph.D(L))
	return g.Model("Samwise demo memory attention (not SAM 3): spatial prior from the latest mask memory, colour from the object pointers.")
}

// MemoryEncoder has the interface of sam3-onnx-cpp's memory_encoder: the
// memory of a frame is its mask at the 72² grid (zero when the object is
// absent) and the colour under it; the position encoding is the grid's
// coordinates.
func MemoryEncoder(sp TrackerSpec) ([]byte, error) {
	g := onnxgraph.New("demo_memory_encoder")
	F := onnxgraph.Float
	L, S := sp.Mask/4, sp.Input
	one := onnxgraph.D(1)
	high := g.Input("pred_mask_high_res", F, one, one, onnxgraph.D(S), onnxgraph.D(S))
	cur := g.Input("current_vision_feat", F, one, onnxgraph.D(sp.level2()), onnxgraph.D(L), onnxgraph.D(L))
	score := g.Input("object_score_logits", F, one, one)
	g.Input("is_mask_from_points", F, one)

	m := g.Cast(g.Greater(high, g.Scalar(0)), F)
	var m72 string
	if S == L {
		m72 = m
	} else if S%L == 0 {
		m72 = g.AvgPool(m, S/L, S/L, 0)
	} else {
		m72 = g.Resize(m, g.Ints(1, 1, L, L))
	}
	m72 = g.Mul(m72, g.Reshape(g.Cast(g.Greater(score, g.Scalar(0)), F), 1, 1, 1, 1))
	features := g.Concat(1, m72, g.Mul(g.Slice(cur, 1, 0, 3), m72))

	gx, gy := pixelCentres(g, L, 1)
	zero := g.Mul(gx, g.Scalar(0))
	pos := g.Reshape(g.Concat(1, gx, gy, zero, zero), 1, videoMemory, L, L)
	g.Output(features, "maskmem_features", F, one, onnxgraph.D(videoMemory), onnxgraph.D(L), onnxgraph.D(L))
	g.Output(pos, "maskmem_pos_enc", F, one, onnxgraph.D(videoMemory), onnxgraph.D(L), onnxgraph.D(L))
	return g.Model("Samwise demo memory encoder (not SAM 3): the mask at the memory grid and the colour under it.")
}

// VideoConstants is the demo's video_constants.npz, with the keys of
// sam3-onnx-cpp's constants file.
func VideoConstants(sp TrackerSpec) ([]byte, error) {
	L := int(sp.Mask / 4)
	c := int(sp.level2())
	scalar := func(dtype string, v float64) *npy.Array {
		return &npy.Array{DType: dtype, Shape: []int{}, Data: []float64{v}}
	}
	arrays := map[string]*npy.Array{
		"no_mem_embed_bchw":               {DType: "<f4", Shape: []int{1, c, 1, 1}, Data: make([]float64, c)},
		"current_vision_pos_embed":        {DType: "<f4", Shape: []int{L * L, 1, c}, Data: make([]float64, L*L*c)},
		"num_maskmem":                     scalar("<i8", 7),
		"max_obj_ptrs":                    scalar("<i8", 16),
		"max_cond_frames_in_attn":         scalar("<i8", 4),
		"keep_first_cond_frame":           scalar("<i8", 1),
		"memory_temporal_stride_for_eval": scalar("<i8", 1),
		"use_memory_selection":            scalar("<i8", 0),
		"mf_threshold":                    scalar("<f4", 0.01),
	}
	var b bytes.Buffer
	err := npy.WriteNPZ(&b, arrays)
	return b.Bytes(), err
}
