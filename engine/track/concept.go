package track

import (
	"context"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/video"
)

// ConceptJobKind is the kind of concept runs (detect + track).
const ConceptJobKind = "pcs_run"

// Defaults of a concept run.
const (
	defaultLostFrames = 30
	defaultMatchIoU   = 0.5
)

// SetConcepts enables concept sessions (PCS on video) with a detector.
func (s *Service) SetConcepts(c *concept.Service) {
	s.concepts = c
	s.jobs.Handle(ConceptJobKind, s.runConcept)
}

// Concepts reports whether concept sessions are available.
func (s *Service) Concepts() bool { return s.concepts != nil }

// CreateConcept opens a concept session on a video.
func (s *Service) CreateConcept(ctx context.Context, mediaID string) (*api.PCSVideoSession, error) {
	v, err := s.Create(ctx, mediaID)
	if err != nil {
		return nil, err
	}
	rec, err := s.record(v.SessionID)
	if err != nil {
		return nil, err
	}
	rec.Kind = kindConcept
	if err := s.putRecord(rec); err != nil {
		return nil, err
	}
	return s.conceptView(rec), nil
}

// GetConcept returns a concept session.
func (s *Service) GetConcept(id string) (*api.PCSVideoSession, error) {
	rec, err := s.conceptRecord(id)
	if err != nil {
		return nil, err
	}
	return s.conceptView(rec), nil
}

// EndConcept ends a concept session (results stay readable).
func (s *Service) EndConcept(id string) (*api.PCSVideoSession, error) {
	if _, err := s.conceptRecord(id); err != nil {
		return nil, err
	}
	if _, err := s.End(id); err != nil {
		return nil, err
	}
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	return s.conceptView(rec), nil
}

func (s *Service) conceptRecord(id string) (*Record, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	if rec.Kind != kindConcept {
		return nil, fmt.Errorf("%w (%s is a point/box session: use /v1/pvs/video)", ErrNotFound, id)
	}
	return rec, nil
}

func (s *Service) conceptView(rec *Record) *api.PCSVideoSession {
	v := &api.PCSVideoSession{VideoSession: rec.view(), Prompt: rec.Concept}
	if s.concepts != nil {
		v.ConceptModel = s.concepts.Manifest().Name
	}
	return v
}

// SetConceptPrompt sets a concept session's prompt and answers the
// detections on the prompt's frame (ids 1, 2, ... in score order; a run
// assigns the lasting ids).
func (s *Service) SetConceptPrompt(ctx context.Context, id string, p *api.PCSVideoPrompt) (*api.FrameResult, error) {
	rec, err := s.conceptRecord(id)
	if err != nil {
		return nil, err
	}
	if rec.Ended {
		return nil, ErrEnded
	}
	if p.Frame < 0 || p.Frame >= rec.Frames {
		return nil, &InputError{Field: "frame", Msg: fmt.Sprintf("frame %d is out of range: the video has frames 0 to %d", p.Frame, rec.Frames-1)}
	}
	cp := conceptPrompt(p)
	if err := concept.Validate(cp, rec.Width, rec.Height); err != nil {
		return nil, err
	}
	ss, unlock, err := s.lockSession(ctx, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var found *concept.Detection
	err = ss.src.Read(ctx, p.Frame, func(_ int, rgb []byte) error {
		emb, err := s.concepts.EncodeFrame(ctx, rgb, rec.Width, rec.Height)
		if err != nil {
			return err
		}
		found, err = s.concepts.Detect(ctx, emb, cp, rec.Width, rec.Height)
		if err != nil {
			return err
		}
		return video.ErrStop
	})
	if err != nil {
		return nil, err
	}
	stored := *p
	rec.Concept = &stored
	ss.rec.Concept = &stored
	if err := s.putRecord(rec); err != nil {
		return nil, err
	}
	fr := api.FrameResult{Frame: p.Frame, Objects: concept.Render(found.Instances, nil)}
	return &fr, nil
}

// RunConcept validates a run request and starts the job.
func (s *Service) RunConcept(ctx context.Context, id string, req *api.PCSRunRequest) (*api.Job, error) {
	rec, err := s.conceptRecord(id)
	if err != nil {
		return nil, err
	}
	if rec.Ended {
		return nil, ErrEnded
	}
	if rec.Concept == nil {
		return nil, &InputError{Msg: "the session has no concept yet: POST .../prompts with text or exemplar boxes first"}
	}
	bad := func(field, format string, a ...any) error {
		return &InputError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	switch {
	case req.StartFrame < 0 || req.StartFrame >= rec.Frames:
		return nil, bad("start_frame", "start_frame %d is out of range: the video has frames 0 to %d", req.StartFrame, rec.Frames-1)
	case req.MaxFrames < 0:
		return nil, bad("max_frames", "max_frames must be 0 (to the end) or positive")
	case req.LostFrames < 0:
		return nil, bad("lost_frames", "lost_frames must be 0 (the default, %d) or positive", defaultLostFrames)
	case req.MatchIoU < 0 || req.MatchIoU >= 1:
		return nil, bad("match_iou", "match_iou must be in [0, 1) (0: the default, %g)", defaultMatchIoU)
	}
	total := conceptLast(rec, req) - req.StartFrame + 1
	if err := checkUpload(req.ResultsUpload, total); err != nil {
		return nil, err
	}
	// A concept run counts as one object per frame (the detector's pass) for placement.
	d, err := s.place(ctx, Work{SessionID: id, Frames: total, Objects: 1, Placement: req.Placement})
	if err != nil {
		return nil, err
	}
	p := conceptParams{PCSRunRequest: *req, Estimate: d.Estimate}
	p.Placement = d.Placement
	return s.jobs.Submit(ConceptJobKind, id, nil, p)
}

// conceptParams are a concept run's stored parameters: the request, with Placement
// where the policy put it.
type conceptParams struct {
	api.PCSRunRequest
	Estimate *api.PlacementEstimate `json:"estimate,omitempty"`
}

// conceptLast is the last frame a run covers.
func conceptLast(rec *Record, req *api.PCSRunRequest) int {
	last := rec.Frames - 1
	if req.MaxFrames > 0 {
		last = min(last, req.StartFrame+req.MaxFrames-1)
	}
	return last
}

// track is one instance followed by a concept run.
type conceptTrack struct {
	id       int
	state    *sam.ObjectState
	lastSeen int
}

// runConcept detects the concept on every frame, tracks each instance with
// the video tracker, continues a track when a detection overlaps its mask
// (IoU above match_iou), starts a new id for an unmatched detection, and
// ends a track neither detected nor tracked for lost_frames frames.
func (s *Service) runConcept(ctx context.Context, run *jobs.Run) (err error) {
	var p conceptParams
	if err := run.Params(&p); err != nil {
		return err
	}
	req := p.PCSRunRequest
	if req.LostFrames == 0 {
		req.LostFrames = defaultLostFrames
	}
	if req.MatchIoU == 0 {
		req.MatchIoU = defaultMatchIoU
	}
	ss, unlock, err := s.lockSession(ctx, run.SessionID())
	if err != nil {
		return err
	}
	defer unlock()
	rec := ss.rec
	last := conceptLast(rec, &req)
	total := last - req.StartFrame + 1
	if err := run.SetTotal(total); err != nil {
		return err
	}
	defer s.mirrorResults(ctx, run, req.ResultsUpload, total)(&err)
	remote := func() (RemoteJob, error) { return s.conceptRemoteJob(ss, run, req, total) }
	if err := s.runRemote(ctx, run, req.Placement, p.Estimate, remote); err != nil || run.Resume >= total {
		return err
	}
	// A resumed run restarts its tracks at the first frame not yet written;
	// ids continue after the largest one written so far.
	from := req.StartFrame + run.Resume
	nextID := 1 + s.maxObjectID(rec.SessionID)
	prompt := conceptPrompt(rec.Concept)
	var tracks []*conceptTrack
	w, h := rec.Width, rec.Height
	return ss.src.Read(ctx, from, func(f int, rgb []byte) error {
		if f > last {
			return video.ErrStop
		}
		embT, err := s.encodeRGB(ctx, ss, f, rgb)
		if err != nil {
			return err
		}
		embC, err := s.concepts.EncodeFrame(ctx, rgb, w, h)
		if err != nil {
			return err
		}
		found, err := s.concepts.Detect(ctx, embC, prompt, w, h)
		if err != nil {
			return err
		}
		dets := found.Instances
		// Follow every live track onto this frame.
		masks := make([]*mask.Mask, len(tracks))
		outs := make([]*sam.FrameOutput, len(tracks))
		if err := s.gate.Enter(ctx); err != nil {
			return err
		}
		for i, t := range tracks {
			o, err := s.tracker.Track(ctx, embT, t.state, f, false)
			if err != nil {
				s.gate.Leave()
				return err
			}
			outs[i], masks[i] = o, maskOf(o, w, h)
		}
		s.gate.Leave()
		// Match detections to tracks, best IoU first.
		type pair struct {
			d, t int
			iou  float64
		}
		var pairs []pair
		for d := range dets {
			for t := range tracks {
				if iou := mask.IoU(dets[d].Mask, masks[t]); iou > req.MatchIoU && masks[t].Area() > 0 {
					pairs = append(pairs, pair{d, t, iou})
				}
			}
		}
		sort.Slice(pairs, func(i, j int) bool { return pairs[i].iou > pairs[j].iou })
		usedD, usedT := map[int]bool{}, map[int]bool{}
		for _, p := range pairs {
			if !usedD[p.d] && !usedT[p.t] {
				usedD[p.d], usedT[p.t] = true, true
				tracks[p.t].lastSeen = f
			}
		}
		objs := map[int]StoredObject{}
		var alive []*conceptTrack
		for i, t := range tracks {
			if outs[i].Present() {
				t.lastSeen = max(t.lastSeen, f)
				objs[t.id] = stored(outs[i], mask.RunsOf(masks[i]))
			}
			if f-t.lastSeen < req.LostFrames {
				alive = append(alive, t)
			}
		}
		// Unmatched detections start new tracks, prompted with their box.
		for d, det := range dets {
			if usedD[d] {
				continue
			}
			t := &conceptTrack{id: nextID, state: sam.NewObjectState(), lastSeen: f}
			nextID++
			if err := s.gate.Enter(ctx); err != nil {
				return err
			}
			box := det.Box
			o, err := s.tracker.Prompt(ctx, embT, w, h, sam.Prompt{Box: &box}, t.state, f)
			s.gate.Leave()
			if err != nil {
				return err
			}
			objs[t.id] = stored(o, runsOf(o, w, h))
			alive = append(alive, t)
		}
		tracks = alive
		fr := (&StoredFrame{Objects: objs}).toAPI(f)
		return run.Commit(f-req.StartFrame, fr, func(tx *bolt.Tx) error { return mergeFrame(tx, rec.SessionID, f, objs) })
	})
}

// maxObjectID is the largest object id stored for a session.
func (s *Service) maxObjectID(session string) int {
	n := 0
	s.AllFrames(session, func(fr api.FrameResult) error {
		for _, o := range fr.Objects {
			n = max(n, o.ObjectID)
		}
		return nil
	})
	return n
}

func conceptPrompt(p *api.PCSVideoPrompt) *concept.Prompt {
	cp := &concept.Prompt{Text: p.Text, Exemplars: p.Exemplars, Threshold: concept.DefaultThreshold}
	if p.Threshold != nil {
		cp.Threshold = *p.Threshold
	}
	return cp
}
