package api

import "time"

// Burst policies: where heavy video jobs run (setting burst).
const (
	// BurstOff runs every job on this machine.
	BurstOff = "off"
	// BurstAsk answers a job over the threshold with 409 placement_required and its
	// estimate; the caller repeats the request with "placement" set.
	BurstAsk = "ask"
	// BurstAuto sends jobs over the threshold to the GPU worker.
	BurstAuto = "auto"
)

// CodePlacementRequired is the error code of a propagation refused under burst: ask
// because it is over the threshold and names no placement. Its details are a
// PlacementEstimate.
const CodePlacementRequired = "placement_required"

// PlacementEstimate answers POST /v1/pvs/video/{session_id}/estimate, is the details of a
// 409 placement_required answer, and is Job.Estimate: how long a propagation would take on
// this machine, where the policy runs it, and what the GPU worker would cost.
type PlacementEstimate struct {
	// Frames and Objects are the work: frames to track × prompted objects.
	Frames  int `json:"frames"`
	Objects int `json:"objects"`
	// LocalS estimates the run time on this machine: SecondsPerFrameObject × frames ×
	// objects.
	LocalS float64 `json:"local_s"`
	// SecondsPerFrameObject is this engine's measured speed; Measured is false while it is
	// still the default (no propagation has run here yet).
	SecondsPerFrameObject float64 `json:"seconds_per_frame_object"`
	Measured              bool    `json:"measured"`
	// Policy is the burst setting (off, ask, auto) and ThresholdS its threshold: jobs
	// estimated above it go to the GPU worker.
	Policy     string  `json:"policy"`
	ThresholdS float64 `json:"threshold_s"`
	// Placement is where the job runs or would run: local or remote.
	Placement string `json:"placement"`
	// NeedsConfirmation is true under burst: ask when the job is over the threshold:
	// send the propagation again with "placement": "remote" or "local".
	NeedsConfirmation bool `json:"needs_confirmation,omitempty"`
	// RemoteAvailable is false when no GPU worker is configured.
	RemoteAvailable bool `json:"remote_available"`
	// WorkerState is the GPU worker's state now (off, warming_up, ready, draining,
	// failed).
	WorkerState string `json:"worker_state,omitempty"`
	// WarmupS is the expected wait for a worker (0 when one is ready); RemoteS the expected
	// run time there, warm-up included (the local estimate until a remote run has measured
	// the worker's speed, an upper bound).
	WarmupS float64 `json:"warmup_s,omitempty"`
	RemoteS float64 `json:"remote_s,omitempty"`
	// DPH is the worker's price in dollars per hour (the price cap while none runs) and
	// CostUSD the expected cost, DPH × RemoteS.
	DPH     float64 `json:"dph,omitempty"`
	CostUSD float64 `json:"cost_usd,omitempty"`
}

// Remote stages of a job (RemoteStatus.Stage).
const (
	StageProvisioning = "provisioning"
	StageUploading    = "uploading"
	StagePreparing    = "preparing"
	StageTracking     = "tracking"
	StageDone         = "done"
	StageFellBack     = "fell_back"
)

// RemoteWorker answers GET /v1/remote and DELETE /v1/remote/worker: the burst settings
// and the GPU worker's state and cost.
type RemoteWorker struct {
	// Policy and ThresholdS are the burst settings.
	Policy     string  `json:"policy"`
	ThresholdS float64 `json:"threshold_s"`
	// Via is how workers are rented: "vast" (this engine calls Vast) or "gateway" (the
	// Cloudflare control plane does); "" when no worker is configured.
	Via string `json:"via"`
	// State is the worker's lifecycle state: off, warming_up, ready, draining, failed.
	State string `json:"state"`
	// Instance names the machine ("vast:<id>"); GPU and DPH describe it.
	Instance string  `json:"instance,omitempty"`
	GPU      string  `json:"gpu,omitempty"`
	DPH      float64 `json:"dph,omitempty"`
	// Since is when the state was entered.
	Since *time.Time `json:"since,omitempty"`
	// InFlight counts jobs using the worker.
	InFlight int `json:"in_flight"`
	// CostUSD is what the current worker has cost; TotalCostUSD adds every worker rented
	// since the engine started.
	CostUSD      float64 `json:"cost_usd"`
	TotalCostUSD float64 `json:"total_cost_usd"`
	// LastError says why the last worker failed.
	LastError string `json:"last_error,omitempty"`
	// SecondsPerFrameObject is the local speed estimates use; Measured is false while it is
	// the default.
	SecondsPerFrameObject float64 `json:"seconds_per_frame_object"`
	Measured              bool    `json:"measured"`
}
