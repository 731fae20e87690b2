package track

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/sam"
)

// ErrBusy means a propagation job holds the session.
var ErrBusy = errors.New("a propagation job is running on this session: wait for it or cancel it (DELETE /v1/jobs/{job_id})")

// backwardChunk is how many frames are decoded forward at a time to track
// backward through them.
const backwardChunk = 8

// warmup is how many already-committed frames a resumed job re-tracks
// (without writing) to rebuild the objects' recent memory.
const warmup = 16

// span is a run of frames tracked in one direction, from → to inclusive.
type span struct {
	from, to int
	reverse  bool
}

func (sp span) len() int {
	if sp.reverse {
		return sp.from - sp.to + 1
	}
	return sp.to - sp.from + 1
}

// frame returns the i-th frame of the span.
func (sp span) frame(i int) int {
	if sp.reverse {
		return sp.from - i
	}
	return sp.from + i
}

// Propagate validates a request and starts a propagation job.
func (s *Service) Propagate(ctx context.Context, id string, req *api.PropagateRequest) (*api.Job, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	if rec.Ended {
		return nil, ErrEnded
	}
	spans, err := plan(rec, req)
	if err != nil {
		return nil, err
	}
	w := work(rec, req, spans)
	if err := checkUpload(req.ResultsUpload, w.Frames); err != nil {
		return nil, err
	}
	params, err := s.place(ctx, w)
	if err != nil {
		return nil, err
	}
	if req.ResultsUpload != nil {
		params.Upload = req.ResultsUpload
		r := *req
		r.ResultsUpload = nil // the URLs are not shown with the job
		req = &r
	}
	return s.jobs.Submit(JobKind, id, req, params)
}

// plan turns a request into spans.
func plan(rec *Record, req *api.PropagateRequest) ([]span, error) {
	bad := func(field, format string, a ...any) error {
		return &InputError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	switch req.Direction {
	case "", api.Forward, api.Backward, api.Both:
	default:
		return nil, bad("direction", "direction %q: use forward, backward or both", req.Direction)
	}
	var prompted []int
	for obj := range rec.Prompts {
		prompted = append(prompted, rec.promptedFrames(obj)...)
	}
	if len(prompted) == 0 {
		return nil, bad("", "the session has no prompts yet: annotate an object on a frame first (POST .../annotations)")
	}
	sort.Ints(prompted)
	if req.MaxFrames < 0 {
		return nil, bad("max_frames", "max_frames %d must be 0 (to the end) or positive", req.MaxFrames)
	}
	last := rec.Frames - 1
	if req.StartFrame != nil && (*req.StartFrame < 0 || *req.StartFrame > last) {
		return nil, bad("start_frame", "start_frame %d is out of range: the video has frames 0 to %d", *req.StartFrame, last)
	}
	start := func(def int) int {
		if req.StartFrame != nil {
			return *req.StartFrame
		}
		return def
	}
	limit := func(from, to, dir int) int {
		if req.MaxFrames > 0 && (to-from)*dir+1 > req.MaxFrames {
			return from + dir*(req.MaxFrames-1)
		}
		return to
	}
	fwd := func() span { f := start(prompted[0]); return span{from: f, to: limit(f, last, 1)} }
	bwd := func() span {
		f := start(prompted[len(prompted)-1])
		return span{from: f, to: limit(f, 0, -1), reverse: true}
	}
	switch req.Direction {
	case api.Backward:
		return []span{bwd()}, nil
	case api.Both:
		f, b := fwd(), bwd()
		if req.StartFrame != nil { // the start frame is tracked once, going forward
			if b.from == 0 {
				return []span{f}, nil
			}
			b.from--
			b.to = limit(b.from, 0, -1)
		}
		return []span{f, b}, nil
	}
	return []span{fwd()}, nil // forward, the default
}

// runPropagate is the job runner.
func (s *Service) runPropagate(ctx context.Context, run *jobs.Run) (err error) {
	var p propagateParams
	if err := run.Params(&p); err != nil {
		return fmt.Errorf("job parameters: %w", err)
	}
	ss, unlock, err := s.lockSession(ctx, run.SessionID())
	if err != nil {
		return err
	}
	defer unlock()
	spans, err := plan(ss.rec, run.Request())
	if err != nil {
		return err
	}
	total := 0
	for _, sp := range spans {
		total += sp.len()
	}
	if err := run.SetTotal(total); err != nil {
		return err
	}
	defer s.mirrorResults(ctx, run, p.Upload, total)(&err)
	remote := func() (RemoteJob, error) { return s.remoteJob(ss, run, spans, total) }
	if err := s.runRemote(ctx, run, p.Placement, p.Estimate, remote); err != nil || run.Resume >= total {
		return err
	}
	start, first := time.Now(), run.Resume
	for obj := range ss.rec.Prompts {
		if err := s.rebuild(ctx, ss, obj); err != nil {
			return err
		}
	}
	base := 0
	for _, sp := range spans {
		skip := min(max(run.Resume-base, 0), sp.len())
		if skip < sp.len() {
			if err := s.track(ctx, run, ss, sp, base, skip); err != nil {
				return err
			}
		}
		base += sp.len()
	}
	if s.Placement != nil && total > first {
		s.Placement.Observe(total-first, len(ss.rec.Prompts), time.Since(start))
	}
	return nil
}

// track runs one span: frames before index skip were committed by an
// earlier run and are only re-tracked (up to warmup of them) to rebuild
// memory.
func (s *Service) track(ctx context.Context, run *jobs.Run, ss *Session, sp span, base, skip int) error {
	for _, st := range ss.objects {
		st.ResetRecent()
	}
	first := max(0, skip-warmup)
	step := func(i int, emb sam.Embedding) error {
		f := sp.frame(i)
		objs, err := s.step(ctx, ss, emb, f, sp.reverse)
		if err != nil {
			return fmt.Errorf("frame %d: %w", f, err)
		}
		if i < skip {
			return nil
		}
		fr := (&StoredFrame{Objects: objs}).toAPI(f)
		return run.Commit(base+i, fr, func(tx *bolt.Tx) error { return mergeFrame(tx, ss.rec.SessionID, f, objs) })
	}
	if !sp.reverse {
		return s.scan(ctx, ss, sp.frame(first), sp.to, func(f int, emb sam.Embedding) error { return step(f-sp.from, emb) })
	}
	// Backward: decode a chunk forward, then track through it backward.
	for top := sp.frame(first); top >= sp.to; top -= backwardChunk {
		lo := max(sp.to, top-backwardChunk+1)
		embs := make([]sam.Embedding, top-lo+1)
		err := s.scan(ctx, ss, lo, top, func(f int, emb sam.Embedding) error {
			embs[f-lo] = emb
			return nil
		})
		if err != nil {
			return err
		}
		for f := top; f >= lo; f-- {
			if err := step(sp.from-f, embs[f-lo]); err != nil {
				return err
			}
			embs[f-lo] = nil
		}
	}
	return nil
}

// step tracks every eligible object on one frame: an object is tracked from
// its first prompted frame on, in the direction of travel; prompted frames
// are decoded from their prompt.
func (s *Service) step(ctx context.Context, ss *Session, emb sam.Embedding, f int, reverse bool) (map[int]StoredObject, error) {
	rec := ss.rec
	ids := make([]int, 0, len(rec.Prompts))
	for id := range rec.Prompts {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	if err := s.gate.Enter(ctx); err != nil {
		return nil, err
	}
	defer s.gate.Leave()
	out := map[int]StoredObject{}
	for _, id := range ids {
		frames := rec.promptedFrames(id)
		if (!reverse && frames[0] > f) || (reverse && frames[len(frames)-1] < f) {
			continue
		}
		st := ss.objects[id]
		var o *sam.FrameOutput
		var err error
		if p, ok := rec.Prompts[id][f]; ok {
			o, err = s.tracker.Prompt(ctx, emb, rec.Width, rec.Height, toSAM(p), st, f)
		} else {
			o, err = s.tracker.Track(ctx, emb, st, f, reverse)
		}
		if err != nil {
			return nil, err
		}
		out[id] = stored(o, runsOf(o, rec.Width, rec.Height))
	}
	return out, nil
}
