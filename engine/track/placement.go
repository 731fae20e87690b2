package track

import (
	"context"
	"fmt"
	"time"

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

// Work is a job to place: its size, and the placement the caller asked for ("", local or
// remote).
type Work struct {
	SessionID string
	Frames    int
	Objects   int
	Placement string
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

// RemoteJob is what the worker needs to run a job: the video, the session's prompts, the
// request, and where the frames go.
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
	// Concept and Run make it a concept run instead (pcs_run): the session's concept and
	// the run request, with Placement "local".
	Concept *api.PCSVideoPrompt
	Run     *api.PCSRunRequest
	// Total is the number of frames the job produces; Objects the prompted objects.
	Total, Objects int
	// Models names the bundle this engine uses for each task the job needs (model.Task*):
	// the worker must use the same ones.
	Models map[string]string
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
	return Work{SessionID: rec.SessionID, Frames: total, Objects: len(rec.Prompts), Placement: req.Placement}
}

// place asks the placement policy where a new job runs.
func (s *Service) place(ctx context.Context, w Work) (propagateParams, error) {
	if s.Placement == nil {
		if w.Placement == api.PlacementRemote {
			return propagateParams{}, &InputError{Field: "placement", Msg: "this engine has no GPU worker configured (see docs/remote.md)"}
		}
		return propagateParams{Placement: api.PlacementLocal}, nil
	}
	switch w.Placement {
	case "", api.PlacementLocal, api.PlacementRemote:
	default:
		return propagateParams{}, &InputError{Field: "placement", Msg: fmt.Sprintf("placement %q: use local, remote, or leave it out to let the burst policy decide", w.Placement)}
	}
	d, err := s.Placement.Place(ctx, w)
	if err != nil {
		return propagateParams{}, err
	}
	return propagateParams{Placement: d.Placement, Estimate: &d.Estimate}, nil
}
