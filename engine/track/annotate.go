package track

import (
	"context"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/sam"
)

// Annotate adds (or replaces, or clears) one object's prompts on one frame
// and returns that frame's masks at once.
func (s *Service) Annotate(ctx context.Context, id string, req *api.VideoAnnotationRequest) (*api.FrameResult, error) {
	ss, unlock, err := s.lockSession(ctx, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec := ss.rec
	if err := validateAnnotation(req, rec); err != nil {
		return nil, err
	}
	if req.Clear {
		return s.clear(ss, req)
	}
	p := Prompt{Points: req.Points, Labels: req.Labels, Box: req.Box}
	if len(p.Labels) == 0 {
		for range p.Points {
			p.Labels = append(p.Labels, 1)
		}
	}
	if req.Mask != nil && p.Box == nil {
		m, err := mask.Decode(*req.Mask)
		if err != nil || m.W != rec.Width || m.H != rec.Height {
			return nil, &InputError{Field: "mask", Msg: fmt.Sprintf("give a COCO RLE mask of size [%d, %d] (error: %v)", rec.Height, rec.Width, err)}
		}
		x0, y0, x1, y1, ok := m.BBox()
		if !ok {
			return nil, &InputError{Field: "mask", Msg: "the mask is empty"}
		}
		p.Box = &[4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}
	}
	emb, err := s.embedding(ctx, ss, req.Frame)
	if err != nil {
		return nil, err
	}
	if err := s.rebuild(ctx, ss, req.ObjectID); err != nil {
		return nil, err
	}
	st := ss.objects[req.ObjectID]
	if st == nil {
		st = sam.NewObjectState()
		ss.objects[req.ObjectID] = st
	}
	if err := s.gate.Enter(ctx); err != nil {
		return nil, err
	}
	out, err := s.tracker.Prompt(ctx, emb, rec.Width, rec.Height, toSAM(p), st, req.Frame)
	s.gate.Leave()
	if err != nil {
		return nil, err
	}
	obj := stored(out, runsOf(out, rec.Width, rec.Height))
	if rec.Prompts[req.ObjectID] == nil {
		rec.Prompts[req.ObjectID] = map[int]Prompt{}
	}
	rec.Prompts[req.ObjectID][req.Frame] = p
	var fr api.FrameResult
	err = s.db.Bolt().Update(func(tx *bolt.Tx) error {
		if err := mergeFrame(tx, rec.SessionID, req.Frame, map[int]StoredObject{req.ObjectID: obj}); err != nil {
			return err
		}
		sf, err := readFrame(tx, rec.SessionID, req.Frame)
		if err != nil {
			return err
		}
		fr = sf.toAPI(req.Frame)
		return putRecordTx(tx, rec)
	})
	if err != nil {
		delete(rec.Prompts[req.ObjectID], req.Frame)
		return nil, err
	}
	return &fr, nil
}

// clear removes an object's prompts on a frame; an object left without
// prompts leaves the session with its results.
func (s *Service) clear(ss *Session, req *api.VideoAnnotationRequest) (*api.FrameResult, error) {
	rec := ss.rec
	frames, ok := rec.Prompts[req.ObjectID]
	if !ok {
		return nil, fmt.Errorf("%w: %d (the session has objects %v)", ErrNoObject, req.ObjectID, rec.view().Objects)
	}
	if _, ok := frames[req.Frame]; !ok {
		return nil, &InputError{Field: "frame", Msg: fmt.Sprintf("object %d has no prompt on frame %d (it has prompts on %v)", req.ObjectID, req.Frame, rec.promptedFrames(req.ObjectID))}
	}
	delete(frames, req.Frame)
	if st := ss.objects[req.ObjectID]; st != nil {
		delete(st.Cond, req.Frame)
	}
	gone := len(frames) == 0
	if gone {
		delete(rec.Prompts, req.ObjectID)
		delete(ss.objects, req.ObjectID)
	}
	var fr api.FrameResult
	err := s.db.Bolt().Update(func(tx *bolt.Tx) error {
		if gone {
			if err := removeObject(tx, rec.SessionID, req.ObjectID); err != nil {
				return err
			}
		}
		sf, err := readFrame(tx, rec.SessionID, req.Frame)
		if err != nil {
			return err
		}
		fr = sf.toAPI(req.Frame)
		return putRecordTx(tx, rec)
	})
	return &fr, err
}

// rebuild recreates an object's conditioning memory from its stored prompts
// after the session was evicted or the engine restarted.
func (s *Service) rebuild(ctx context.Context, ss *Session, obj int) error {
	if _, ok := ss.objects[obj]; ok {
		return nil
	}
	prompts := ss.rec.Prompts[obj]
	if len(prompts) == 0 {
		return nil
	}
	st := sam.NewObjectState()
	for _, f := range ss.rec.promptedFrames(obj) {
		emb, err := s.embedding(ctx, ss, f)
		if err != nil {
			return err
		}
		if err := s.gate.Enter(ctx); err != nil {
			return err
		}
		_, err = s.tracker.Prompt(ctx, emb, ss.rec.Width, ss.rec.Height, toSAM(prompts[f]), st, f)
		s.gate.Leave()
		if err != nil {
			return err
		}
	}
	ss.objects[obj] = st
	return nil
}

func toSAM(p Prompt) sam.Prompt {
	sp := sam.Prompt{Points: p.Points, Box: p.Box}
	for _, l := range p.Labels {
		sp.Labels = append(sp.Labels, int64(l))
	}
	return sp
}

func validateAnnotation(req *api.VideoAnnotationRequest, rec *Record) error {
	bad := func(field, format string, a ...any) error {
		return &InputError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	if req.Frame < 0 || req.Frame >= rec.Frames {
		return bad("frame", "frame %d is out of range: the video has frames 0 to %d", req.Frame, rec.Frames-1)
	}
	if req.Clear {
		return nil
	}
	if len(req.Points) == 0 && req.Box == nil && req.Mask == nil {
		return bad("", "give points, a box or a mask for object %d (or clear: true to remove its prompts on this frame)", req.ObjectID)
	}
	if len(req.Points) > 64 {
		return bad("points", "%d points; at most 64", len(req.Points))
	}
	if len(req.Labels) != 0 && len(req.Labels) != len(req.Points) {
		return bad("labels", "%d labels for %d points: one label per point (1 positive, 0 negative)", len(req.Labels), len(req.Points))
	}
	for i, l := range req.Labels {
		if l != 0 && l != 1 {
			return bad(fmt.Sprintf("labels[%d]", i), "label %d: use 1 (positive) or 0 (negative)", l)
		}
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for i, p := range req.Points {
		if !finite(p[0]) || !finite(p[1]) || p[0] < 0 || p[1] < 0 || p[0] > float64(rec.Width) || p[1] > float64(rec.Height) {
			return bad(fmt.Sprintf("points[%d]", i), "point (%g, %g) is outside the %d×%d video", p[0], p[1], rec.Width, rec.Height)
		}
	}
	if b := req.Box; b != nil {
		if !finite(b[0]) || !finite(b[1]) || !finite(b[2]) || !finite(b[3]) || b[2] <= b[0] || b[3] <= b[1] {
			return bad("box", "box must be [x0, y0, x1, y1] with x1 > x0 and y1 > y0")
		}
	}
	return nil
}
