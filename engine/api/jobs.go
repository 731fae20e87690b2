package api

import "time"

// Job states.
const (
	JobQueued      = "queued"
	JobRunning     = "running"
	JobSucceeded   = "succeeded"
	JobFailed      = "failed"
	JobCancelled   = "cancelled"
	JobInterrupted = "interrupted" // the engine stopped while it ran; resumable
)

// Placements.
const (
	PlacementLocal  = "local"
	PlacementRemote = "remote"
)

// JobAccepted answers a request that started a job (202).
type JobAccepted struct {
	JobID     string `json:"job_id"`
	StatusURL string `json:"status_url"`
}

// Progress of a job.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
	// FPS is frames per second over the job so far.
	FPS float64 `json:"fps"`
	// ETASeconds estimates the time left (0 when unknown or done).
	ETASeconds float64 `json:"eta_seconds"`
}

// Job answers GET /v1/jobs/{job_id}.
type Job struct {
	JobID     string   `json:"job_id"`
	Kind      string   `json:"kind"`
	State     string   `json:"state"`
	Progress  Progress `json:"progress"`
	Placement string   `json:"placement"`
	Error     string   `json:"error,omitempty"`
	SessionID string   `json:"session_id,omitempty"`
	// Request is the request that started the job.
	Request    *PropagateRequest `json:"request,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	StartedAt  *time.Time        `json:"started_at,omitempty"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
	ResultsURL string            `json:"results_url"`
	// Remote describes the GPU worker of a remote job.
	Remote *RemoteStatus `json:"remote,omitempty"`
	// Estimate is the run-time estimate the job was placed by.
	Estimate *PlacementEstimate `json:"estimate,omitempty"`
}

// RemoteStatus is where a remote job runs and what it costs.
type RemoteStatus struct {
	WorkerState string  `json:"worker_state"`
	Instance    string  `json:"instance,omitempty"`
	ElapsedS    float64 `json:"elapsed_s"`
	CostUSD     float64 `json:"cost_usd"`
	// Stage is how far the remote run got: provisioning, uploading, preparing,
	// tracking, done, or fell_back (the rest ran locally).
	Stage string `json:"stage,omitempty"`
	// GPU and DPH describe the worker: GPU model and price in dollars per hour.
	GPU string  `json:"gpu,omitempty"`
	DPH float64 `json:"dph,omitempty"`
	// FramesRemote counts the frames the worker produced.
	FramesRemote int `json:"frames_remote"`
	// Fallback says why the job (or its rest) ran locally.
	Fallback string `json:"fallback,omitempty"`
	// WorkersLost counts the workers that stopped answering during the job;
	// each was destroyed and another rented, which went on from the frames
	// already in. Lost says why the latest one was given up.
	WorkersLost int    `json:"workers_lost,omitempty"`
	Lost        string `json:"lost,omitempty"`
}

// JobList answers GET /v1/jobs.
type JobList struct {
	Jobs []Job `json:"jobs"`
}

// JobResults answers GET /v1/jobs/{job_id}/results?after=&limit=: the
// frames the job produced, in the order they were produced. With
// Accept: application/x-ndjson the answer is a stream of FrameResult lines
// that follows the job until it ends.
type JobResults struct {
	Frames []FrameResult `json:"frames"`
	// Next is the "after" cursor of the next page; null when the job has
	// ended and every frame was returned.
	Next *int `json:"next"`
}
