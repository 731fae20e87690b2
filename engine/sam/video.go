package sam

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/npy"
	"github.com/samwise-app/samwise/engine/ort"
)

// Tensor names of the sam3-video graphs (sam3-onnx-cpp).
const (
	vPointCoords = "point_coords"
	vPointLabels = "point_labels"
	vImageEmbed  = "image_embed"
	vHighRes0    = "high_res_feats_0"
	vHighRes1    = "high_res_feats_1"
	vObjPtr      = "obj_ptr"
	vMaskHigh    = "pred_mask_high_res"
	vObjScore    = "object_score_logits"
	vIoU         = "iou_scores"
	vCurFeat     = "current_vision_feat"
	vCurPos      = "current_vision_pos_embed"
	vPtrs        = "memory_obj_ptrs"
	vPtrTpos     = "memory_obj_tpos"
	vMemFeats    = "memory_mask_feats"
	vMemPos      = "memory_mask_pos"
	vMemTidx     = "memory_mask_tpos_idx"
	vFused       = "fused_feat"
	vMaskmem     = "maskmem_features"
	vMaskmemPos  = "maskmem_pos_enc"
	vFromPoints  = "is_mask_from_points"
)

// VideoConstants are the sam3-video constants file's values.
type VideoConstants struct {
	NoMemEmbed    *ort.Tensor // [1,C,1,1], added to level 2 on prompted frames
	PosEmbed      *ort.Tensor // [L*L,1,C]
	NumMaskmem    int         // 1 conditioning slot + recent frames
	MaxObjPtrs    int
	MaxCondFrames int // conditioning frames in attention (≤ 0: all)
	KeepFirstCond bool
}

// VideoTracker runs a sam3-video bundle: the vision encoder, then per object
// and frame either the prompted decoder (conditioning frames) or memory
// attention + decoder, and the memory encoder.
type VideoTracker struct {
	Name                     string
	enc, dec, attn, memEnc   *ort.Session
	inputSize                int
	consts                   VideoConstants
	staticPtrs, staticMemory int // fixed K and M of memory attention (0: dynamic)
}

// OpenVideoTracker loads a sam3-video bundle and checks its interface.
func OpenVideoTracker(rt *ort.Runtime, b *model.Bundle, so ort.SessionOptions) (*VideoTracker, error) {
	t := &VideoTracker{Name: b.Manifest.Name}
	var err error
	load := func(role string, outputs ...string) *ort.Session {
		if err != nil {
			return nil
		}
		var p string
		if p, err = b.Path(role); err != nil {
			return nil
		}
		o := so
		o.Outputs = outputs
		var s *ort.Session
		s, err = rt.Load(p, o)
		return s
	}
	t.enc = load(model.RoleVisionEncoder)
	t.dec = load(model.RoleImageDecoder, vObjPtr, vMaskHigh, vObjScore, vIoU) // not the multimask outputs
	t.attn = load(model.RoleMemoryAttn)
	t.memEnc = load(model.RoleMemoryEncoder)
	if err == nil {
		err = t.check()
	}
	if err == nil {
		var p string
		if p, err = b.ExtraPath(model.ExtraVideoConstants); err == nil {
			t.consts, err = readVideoConstants(p)
		}
	}
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("loading %s: %w", b.Manifest.Name, err)
	}
	return t, nil
}

func (t *VideoTracker) check() error {
	in, ok := t.enc.Input(namePixelValues)
	if !ok || len(in.Shape) != 4 || in.Shape[2] <= 0 || in.Shape[2] != in.Shape[3] {
		return &InterfaceError{Graph: t.enc.Path(), Problems: []string{fmt.Sprintf("input %q must be float32 [B,3,S,S] with a fixed S", namePixelValues)}}
	}
	t.inputSize = int(in.Shape[2])
	any4 := []int64{anyDim, anyDim, anyDim, anyDim}
	checks := []struct {
		s         *ort.Session
		ins, outs []want
	}{
		{t.enc, []want{{namePixelValues, ort.Float32, any4}}, []want{{EmbeddingNames[0], ort.Float32, any4}, {EmbeddingNames[1], ort.Float32, any4}, {EmbeddingNames[2], ort.Float32, any4}}},
		{t.dec, []want{{vPointCoords, ort.Float32, []int64{1, anyDim, 2}}, {vPointLabels, ort.Int32, []int64{1, anyDim}}, {vImageEmbed, ort.Float32, any4}, {vHighRes0, ort.Float32, any4}, {vHighRes1, ort.Float32, any4}},
			[]want{{vObjPtr, ort.Float32, nil}, {vMaskHigh, ort.Float32, any4}, {vObjScore, ort.Float32, nil}, {vIoU, ort.Float32, nil}}},
		{t.attn, []want{{vCurFeat, ort.Float32, any4}, {vCurPos, ort.Float32, []int64{anyDim, anyDim, anyDim}}, {vPtrs, ort.Float32, []int64{anyDim, anyDim}}, {vPtrTpos, ort.Float32, []int64{anyDim}},
			{vMemFeats, ort.Float32, any4}, {vMemPos, ort.Float32, any4}, {vMemTidx, ort.Int64, []int64{anyDim}}}, []want{{vFused, ort.Float32, any4}}},
		{t.memEnc, []want{{vMaskHigh, ort.Float32, any4}, {vCurFeat, ort.Float32, any4}, {vObjScore, ort.Float32, nil}, {vFromPoints, ort.Float32, nil}},
			[]want{{vMaskmem, ort.Float32, any4}, {vMaskmemPos, ort.Float32, any4}}},
	}
	for _, c := range checks {
		problems := append(checkIO("input", c.s.Inputs(), c.ins), checkIO("output", c.s.Outputs(), c.outs)...)
		if len(problems) > 0 {
			return &InterfaceError{Graph: c.s.Path(), Problems: problems}
		}
	}
	if io, _ := t.attn.Input(vPtrs); io.Shape[0] > 0 {
		t.staticPtrs = int(io.Shape[0])
	}
	if io, _ := t.attn.Input(vMemFeats); io.Shape[0] > 0 {
		t.staticMemory = int(io.Shape[0])
	}
	return nil
}

func readVideoConstants(path string) (VideoConstants, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return VideoConstants{}, err
	}
	arrays, err := npy.ReadNPZ(data)
	if err != nil {
		return VideoConstants{}, err
	}
	var c VideoConstants
	get := func(name string) (*npy.Array, error) {
		a := arrays[name]
		if a == nil {
			return nil, fmt.Errorf("video constants: %q is missing", name)
		}
		return a, nil
	}
	tensor := func(name string) (*ort.Tensor, error) {
		a, err := get(name)
		if err != nil {
			return nil, err
		}
		shape := make([]int64, len(a.Shape))
		for i, d := range a.Shape {
			shape[i] = int64(d)
		}
		return ort.NewF32(a.Float32(), shape...), nil
	}
	intOr := func(name string, def int) int {
		if a := arrays[name]; a != nil {
			if v, err := a.Scalar(); err == nil {
				return int(v)
			}
		}
		return def
	}
	if c.NoMemEmbed, err = tensor("no_mem_embed_bchw"); err != nil {
		return c, err
	}
	if c.PosEmbed, err = tensor("current_vision_pos_embed"); err != nil {
		return c, err
	}
	c.NumMaskmem = intOr("num_maskmem", 7)
	c.MaxObjPtrs = intOr("max_obj_ptrs", 16)
	c.MaxCondFrames = intOr("max_cond_frames_in_attn", -1)
	c.KeepFirstCond = intOr("keep_first_cond_frame", 1) != 0
	if c.NumMaskmem < 1 || c.MaxObjPtrs < 1 {
		return c, fmt.Errorf("video constants: num_maskmem %d and max_obj_ptrs %d must be positive", c.NumMaskmem, c.MaxObjPtrs)
	}
	return c, nil
}

// InputSize is the square model input.
func (t *VideoTracker) InputSize() int { return t.inputSize }

// Provider is the encoder's execution provider.
func (t *VideoTracker) Provider() ort.Provider { return t.enc.Provider() }

// Close releases the graphs.
func (t *VideoTracker) Close() error {
	for _, s := range []*ort.Session{t.enc, t.dec, t.attn, t.memEnc} {
		if s != nil {
			s.Close()
		}
	}
	return nil
}

// Encode runs the vision encoder on a CHW float32 frame at InputSize.
func (t *VideoTracker) Encode(ctx context.Context, pixels []float32) (Embedding, error) {
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

// Memory is what one frame leaves in an object's memory bank.
type Memory struct {
	Frame    int
	Features *ort.Tensor // maskmem_features [1,C,L,L]; nil once too old
	PosEnc   *ort.Tensor
	Ptr      []float32 // obj_ptr
	Score    float32
}

// ObjectState is one object's memory: its conditioning (prompted) frames
// and a bounded window of recent tracked frames.
type ObjectState struct {
	Cond   map[int]*Memory
	Recent map[int]*Memory
}

// NewObjectState starts an empty memory.
func NewObjectState() *ObjectState {
	return &ObjectState{Cond: map[int]*Memory{}, Recent: map[int]*Memory{}}
}

// ResetRecent forgets tracked frames (a new propagation starts from the
// conditioning frames only).
func (s *ObjectState) ResetRecent() { s.Recent = map[int]*Memory{} }

// Bytes estimates the state's memory use.
func (s *ObjectState) Bytes() int64 {
	var n int64
	for _, set := range []map[int]*Memory{s.Cond, s.Recent} {
		for _, m := range set {
			if m.Features != nil {
				n += m.Features.Bytes() + m.PosEnc.Bytes()
			}
			n += int64(4 * len(m.Ptr))
		}
	}
	return n
}

// FrameOutput is the decoder's answer for one object on one frame.
type FrameOutput struct {
	// Logits is the high-resolution mask (Size × Size, model frame).
	Logits      []float32
	Size        int
	ObjectScore float32
	IoU         float32
	Ptr         []float32
}

// Present reports whether the object is on the frame.
func (o *FrameOutput) Present() bool { return o.ObjectScore > 0 }

// Prompt decodes a prompted (conditioning) frame for one object and stores
// its memory. Coordinates are original pixels of a w×h frame.
func (t *VideoTracker) Prompt(ctx context.Context, emb Embedding, w, h int, p Prompt, st *ObjectState, frame int) (*FrameOutput, error) {
	sx, sy := float64(t.inputSize)/float64(w), float64(t.inputSize)/float64(h)
	var coords []float32
	var labels []int32
	for i, pt := range p.Points {
		coords = append(coords, float32(pt[0]*sx), float32(pt[1]*sy))
		labels = append(labels, int32(p.Labels[i]))
	}
	if b := p.Box; b != nil {
		coords = append(coords, float32(b[0]*sx), float32(b[1]*sy), float32(b[2]*sx), float32(b[3]*sy))
		labels = append(labels, 2, 3)
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("a prompt needs points or a box")
	}
	embed, err := addBroadcast(emb[EmbeddingNames[2]], t.consts.NoMemEmbed)
	if err != nil {
		return nil, err
	}
	out, err := t.decode(ctx, emb, embed, coords, labels)
	if err != nil {
		return nil, err
	}
	mem, err := t.encodeMemory(ctx, emb, out, frame, true)
	if err != nil {
		return nil, err
	}
	st.Cond[frame] = mem
	delete(st.Recent, frame)
	return out, nil
}

// Track decodes a frame without prompts from the object's memory and adds
// the frame to it. reverse is true when tracking backward in time.
func (t *VideoTracker) Track(ctx context.Context, emb Embedding, st *ObjectState, frame int, reverse bool) (*FrameOutput, error) {
	if len(st.Cond) == 0 {
		return nil, fmt.Errorf("the object has no prompted frame to track from")
	}
	in := t.memoryInputs(emb, st, frame, reverse)
	res, err := t.attn.Run(ctx, in)
	if err != nil {
		return nil, err
	}
	out, err := t.decode(ctx, emb, res[vFused], nil, nil)
	if err != nil {
		return nil, err
	}
	mem, err := t.encodeMemory(ctx, emb, out, frame, false)
	if err != nil {
		return nil, err
	}
	st.Recent[frame] = mem
	t.trim(st, frame, reverse)
	return out, nil
}

func (t *VideoTracker) decode(ctx context.Context, emb Embedding, embed *ort.Tensor, coords []float32, labels []int32) (*FrameOutput, error) {
	n := int64(len(labels))
	res, err := t.dec.Run(ctx, map[string]*ort.Tensor{
		vPointCoords: ort.NewF32(coords, 1, n, 2),
		vPointLabels: ort.NewI32(labels, 1, n),
		vImageEmbed:  embed,
		vHighRes0:    emb[EmbeddingNames[0]],
		vHighRes1:    emb[EmbeddingNames[1]],
	})
	if err != nil {
		return nil, err
	}
	high := res[vMaskHigh]
	size := int(high.Shape[len(high.Shape)-1])
	if len(high.F32) < size*size {
		return nil, fmt.Errorf("decoder returned %s of shape %v", vMaskHigh, high.Shape)
	}
	o := &FrameOutput{Logits: high.F32[:size*size], Size: size, Ptr: res[vObjPtr].F32}
	if s := res[vObjScore].F32; len(s) > 0 {
		o.ObjectScore = s[0]
	}
	for _, v := range res[vIoU].F32 {
		o.IoU = max(o.IoU, v)
	}
	return o, nil
}

func (t *VideoTracker) encodeMemory(ctx context.Context, emb Embedding, o *FrameOutput, frame int, fromPoints bool) (*Memory, error) {
	flag := float32(0)
	if fromPoints {
		flag = 1
	}
	s := int64(o.Size)
	res, err := t.memEnc.Run(ctx, map[string]*ort.Tensor{
		vMaskHigh:   ort.NewF32(o.Logits, 1, 1, s, s),
		vCurFeat:    emb[EmbeddingNames[2]],
		vObjScore:   ort.NewF32([]float32{o.ObjectScore}, 1, 1),
		vFromPoints: ort.NewF32([]float32{flag}, 1),
	})
	if err != nil {
		return nil, err
	}
	return &Memory{Frame: frame, Features: res[vMaskmem], PosEnc: res[vMaskmemPos], Ptr: o.Ptr, Score: o.ObjectScore}, nil
}

// memoryInputs selects and packs the memory bank for frame (see
// reference/models.md §4.5): conditioning frames nearest the frame with
// temporal index NumMaskmem-1, the NumMaskmem-1 previous tracked frames with
// indices 0 (previous) upwards, and object pointers from conditioning frames
// not after the frame plus up to MaxObjPtrs-1 previous tracked frames.
func (t *VideoTracker) memoryInputs(emb Embedding, st *ObjectState, frame int, reverse bool) map[string]*ort.Tensor {
	dir := 1
	if reverse {
		dir = -1
	}
	cond := make([]int, 0, len(st.Cond))
	for f := range st.Cond {
		cond = append(cond, f)
	}
	sort.Ints(cond)
	selected := cond
	if max := t.consts.MaxCondFrames; max > 0 && len(cond) > max {
		byDist := append([]int(nil), cond...)
		sort.SliceStable(byDist, func(i, j int) bool { return abs(byDist[i]-frame) < abs(byDist[j]-frame) })
		selected = byDist[:max]
		if t.consts.KeepFirstCond && !contains(selected, cond[0]) {
			selected[max-1] = cond[0]
		}
		sort.Ints(selected)
	}

	var mems []*Memory
	var tidx []int64
	for _, f := range selected {
		mems = append(mems, st.Cond[f])
		tidx = append(tidx, int64(t.consts.NumMaskmem-1))
	}
	for rel := 1; rel < t.consts.NumMaskmem; rel++ {
		if m := st.Recent[frame-dir*rel]; m != nil && m.Features != nil {
			mems = append(mems, m)
			tidx = append(tidx, int64(rel-1))
		}
	}
	var ptrs [][]float32
	var tpos []float32
	for _, f := range selected {
		if (f-frame)*dir <= 0 {
			ptrs = append(ptrs, st.Cond[f].Ptr)
			tpos = append(tpos, float32(abs(frame-f)))
		}
	}
	for d := 1; d < t.consts.MaxObjPtrs && len(ptrs) < t.consts.MaxObjPtrs; d++ {
		if m := st.Recent[frame-dir*d]; m != nil {
			ptrs = append(ptrs, m.Ptr)
			tpos = append(tpos, float32(d))
		}
	}
	if len(ptrs) == 0 { // only future conditioning frames: use them
		for _, f := range selected {
			ptrs = append(ptrs, st.Cond[f].Ptr)
			tpos = append(tpos, float32(abs(frame-f)))
		}
	}

	// Pack, truncating or zero-padding to the graph's static sizes.
	if t.staticMemory > 0 && len(mems) > t.staticMemory {
		mems, tidx = mems[:t.staticMemory], tidx[:t.staticMemory]
	}
	if t.staticPtrs > 0 && len(ptrs) > t.staticPtrs {
		ptrs, tpos = ptrs[:t.staticPtrs], tpos[:t.staticPtrs]
	}
	fshape := mems[0].Features.Shape
	plane := int(ort.Elements(fshape))
	nm := len(mems)
	if t.staticMemory > nm {
		nm = t.staticMemory
	}
	feats := make([]float32, nm*plane)
	pos := make([]float32, nm*plane)
	idx := make([]int64, nm)
	for i, m := range mems {
		copy(feats[i*plane:], m.Features.F32)
		copy(pos[i*plane:], m.PosEnc.F32)
		idx[i] = tidx[i]
	}
	dim := len(ptrs[0])
	np := len(ptrs)
	if t.staticPtrs > np {
		np = t.staticPtrs
	}
	pflat := make([]float32, np*dim)
	pt := make([]float32, np)
	for i, p := range ptrs {
		copy(pflat[i*dim:], p)
		pt[i] = tpos[i]
	}
	mshape := append([]int64{int64(nm)}, fshape[1:]...)
	return map[string]*ort.Tensor{
		vCurFeat:  emb[EmbeddingNames[2]],
		vCurPos:   t.consts.PosEmbed,
		vPtrs:     ort.NewF32(pflat, int64(np), int64(dim)),
		vPtrTpos:  ort.NewF32(pt, int64(np)),
		vMemFeats: ort.NewF32(feats, mshape...),
		vMemPos:   ort.NewF32(pos, mshape...),
		vMemTidx:  ort.NewI64(idx, int64(nm)),
	}
}

// trim bounds the recent window: mask memories for NumMaskmem-1 frames,
// pointers for MaxObjPtrs-1 frames, behind the current frame.
func (t *VideoTracker) trim(st *ObjectState, frame int, reverse bool) {
	dir := 1
	if reverse {
		dir = -1
	}
	for f, m := range st.Recent {
		back := (frame - f) * dir
		switch {
		case back < 0 || back >= t.consts.MaxObjPtrs:
			delete(st.Recent, f)
		case back >= t.consts.NumMaskmem-1:
			m.Features, m.PosEnc = nil, nil
		}
	}
}

// addBroadcast returns a + b with b [1,C,1,1] broadcast over a [1,C,H,W].
func addBroadcast(a, b *ort.Tensor) (*ort.Tensor, error) {
	if len(a.Shape) != 4 || len(b.Shape) != 4 || a.Shape[1] != b.Shape[1] {
		return nil, fmt.Errorf("no-memory embedding of shape %v does not match features %v", b.Shape, a.Shape)
	}
	c, hw := int(a.Shape[1]), int(a.Shape[2]*a.Shape[3])
	out := make([]float32, len(a.F32))
	for ch := 0; ch < c; ch++ {
		v := b.F32[ch]
		src, dst := a.F32[ch*hw:(ch+1)*hw], out[ch*hw:(ch+1)*hw]
		for i, x := range src {
			dst[i] = x + v
		}
	}
	return ort.NewF32(out, a.Shape...), nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
