package jobs

import "github.com/samwise-app/samwise/engine/api"

// SetPlacement records where the job runs and, for a remote run, the worker's state and
// cost; GET /v1/jobs/{job_id} shows them at once. Call it from the runner's goroutine.
func (r *Run) SetPlacement(placement string, remote *api.RemoteStatus) error {
	r.rec.Placement = placement
	if remote != nil {
		cp := *remote
		r.rec.Remote = &cp
	}
	return r.m.put(r.rec)
}

// SetEstimate records the run-time estimate the job was placed by.
func (r *Run) SetEstimate(e *api.PlacementEstimate) error {
	if e != nil {
		cp := *e
		r.rec.Estimate = &cp
	}
	return r.m.put(r.rec)
}
