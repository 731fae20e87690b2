package track

import (
	"context"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/store"
)

// Placement decides where propagation jobs run and runs the remote ones (engine/burst
// implements it). A service without one runs every job here.
type Placement interface {
	// Place is asked when a propagation is requested. It returns where the job runs, or
	// refuses the request: *PlacementRequiredError under burst: ask, an InputError when a
	// remote run is asked for and no worker is configured.
	Place(ctx context.Context, w Work) (Decision, error)
	// Estimate describes w without deciding.
	Estimate(w Work) api.PlacementEstimate
	// RunRemote runs the job on the GPU worker, committing every frame through job.Commit
	// as it arrives. It returns how many frames it committed; an error means the rest must
	// run here.
	RunRemote(ctx context.Context, run *jobs.Run, job RemoteJob) (int, error)
	// Observe records the speed of a local run: frames × objects tracked in elapsed.
	Observe(frames, objects int, elapsed time.Duration)
}

// Work is a propagation to place: its size and request.
type Work struct {
	SessionID string
	Frames    int
	Objects   int
	Request   api.PropagateRequest
}

// Decision is where a job runs, and the estimate it was placed by.
type Decision struct {
	Placement string
	Estimate  api.PlacementEstimate
}

// PlacementRequiredError refuses a propagation that needs the caller to choose where it
// runs (burst: ask, over the threshold). The server answers 409 placement_required with the
// estimate.
type PlacementRequiredError struct {
	Estimate api.PlacementEstimate
}

func (e *PlacementRequiredError) Error() string {
	return fmt.Sprintf("this propagation is estimated at %s on this machine, over the burst threshold of %s: send it again with \"placement\": \"remote\" (GPU worker, about $%.2f) or \"local\"",
		seconds(e.Estimate.LocalS), seconds(e.Estimate.ThresholdS), e.Estimate.CostUSD)
}

func seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

// RemoteJob is what the worker needs to run a propagation: the video, the session's
// prompts, the request, and where the frames go.
type RemoteJob struct {
	SessionID string
	// Media is the session's video (its file, hash, and whether it is a registered local
	// path).
	Media *store.Media
	// Annotations replays the session's prompts: one request per object per prompted frame,
	// in frame order.
	Annotations []api.VideoAnnotationRequest
	// Request is the propagation, with Placement "local" (the worker never bursts).
	Request api.PropagateRequest
	// Total is the number of frames the job produces; Objects the prompted objects.
	Total, Objects int
	// Commit stores result number seq (0-based, in production order) in the local job and
	// session, after checking it is the frame the plan expects.
	Commit func(seq int, fr api.FrameResult) error
}

// propagateParams are a propagation job's stored parameters.
type propagateParams struct {
	Placement string                 `json:"placement,omitempty"`
	Estimate  *api.PlacementEstimate `json:"estimate,omitempty"`
	// Upload is where the results are copied as they are produced (a job sent to this
	// engine as a GPU worker).
	Upload *api.ResultsUpload `json:"results_upload,omitempty"`
}

// Estimate describes a propagation without starting it.
func (s *Service) Estimate(ctx context.Context, id string, req *api.PropagateRequest) (*api.PlacementEstimate, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	spans, err := plan(rec, req)
	if err != nil {
		return nil, err
	}
	if s.Placement == nil {
		return nil, fmt.Errorf("this engine has no placement policy")
	}
	e := s.Placement.Estimate(work(rec, req, spans))
	return &e, nil
}

func work(rec *Record, req *api.PropagateRequest, spans []span) Work {
	total := 0
	for _, sp := range spans {
		total += sp.len()
	}
	return Work{SessionID: rec.SessionID, Frames: total, Objects: len(rec.Prompts), Request: *req}
}

// place asks the placement policy where a new job runs.
func (s *Service) place(ctx context.Context, rec *Record, req *api.PropagateRequest, spans []span) (propagateParams, error) {
	if s.Placement == nil {
		if req.Placement == api.PlacementRemote {
			return propagateParams{}, &InputError{Field: "placement", Msg: "this engine has no GPU worker configured (see docs/remote.md)"}
		}
		return propagateParams{Placement: api.PlacementLocal}, nil
	}
	switch req.Placement {
	case "", api.PlacementLocal, api.PlacementRemote:
	default:
		return propagateParams{}, &InputError{Field: "placement", Msg: fmt.Sprintf("placement %q: use local, remote, or leave it out to let the burst policy decide", req.Placement)}
	}
	d, err := s.Placement.Place(ctx, work(rec, req, spans))
	if err != nil {
		return propagateParams{}, err
	}
	return propagateParams{Placement: d.Placement, Estimate: &d.Estimate}, nil
}

// remoteJob prepares a remote run of the session ss.
func (s *Service) remoteJob(ss *Session, run *jobs.Run, spans []span, total int) (RemoteJob, error) {
	m, err := s.media.Get(ss.rec.MediaID)
	if err != nil {
		return RemoteJob{}, err
	}
	req := *run.Request()
	req.Placement = api.PlacementLocal
	job := RemoteJob{SessionID: ss.rec.SessionID, Media: m, Request: req, Total: total, Objects: len(ss.rec.Prompts)}
	for _, obj := range sortedKeys(ss.rec.Prompts) {
		for _, f := range ss.rec.promptedFrames(obj) {
			p := ss.rec.Prompts[obj][f]
			job.Annotations = append(job.Annotations, api.VideoAnnotationRequest{Frame: f, ObjectID: obj, Points: p.Points, Labels: p.Labels, Box: p.Box})
		}
	}
	sort.SliceStable(job.Annotations, func(i, j int) bool { return job.Annotations[i].Frame < job.Annotations[j].Frame })
	job.Commit = func(seq int, fr api.FrameResult) error { return s.commitRemote(run, ss, spans, seq, fr) }
	return job, nil
}

func sortedKeys(m map[int]map[int]Prompt) []int {
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// commitRemote checks a frame the worker produced against the plan and stores it like a
// locally tracked one.
func (s *Service) commitRemote(run *jobs.Run, ss *Session, spans []span, seq int, fr api.FrameResult) error {
	want, ok := frameOf(spans, seq)
	if !ok || fr.Frame != want {
		return fmt.Errorf("the worker sent frame %d as result %d; the plan has frame %d there", fr.Frame, seq, want)
	}
	rec := ss.rec
	objs := map[int]StoredObject{}
	for _, o := range fr.Objects {
		if _, ok := rec.Prompts[o.ObjectID]; !ok {
			return fmt.Errorf("the worker sent object %d on frame %d, which the session does not have", o.ObjectID, fr.Frame)
		}
		if o.Mask == nil || o.Mask.Size[0] != rec.Height || o.Mask.Size[1] != rec.Width {
			return fmt.Errorf("the worker sent a mask of the wrong size for object %d on frame %d", o.ObjectID, fr.Frame)
		}
		objs[o.ObjectID] = StoredObject{Mask: *o.Mask, Score: o.Score, ObjectScore: o.ObjectScore, Area: o.Area, Box: o.Box}
	}
	local := (&StoredFrame{Objects: objs}).toAPI(fr.Frame)
	return run.Commit(seq, local, func(tx *bolt.Tx) error { return mergeFrame(tx, rec.SessionID, fr.Frame, objs) })
}

// frameOf returns the frame produced as result seq.
func frameOf(spans []span, seq int) (int, bool) {
	base := 0
	for _, sp := range spans {
		if seq < base+sp.len() {
			return sp.frame(seq - base), seq >= base
		}
		base += sp.len()
	}
	return 0, false
}
