package worker

import (
	"errors"
	"time"
)

// State is the worker's lifecycle state.
type State string

// The states of the one state machine.
const (
	Off       State = "off"
	WarmingUp State = "warming_up"
	Ready     State = "ready"
	Draining  State = "draining"
	Failed    State = "failed"
)

// Errors of the lifecycle.
var (
	// ErrNoOffers: no Vast offer matched the filters (or every one was taken).
	ErrNoOffers = errors.New("worker: no GPU offer matches the filters: raise the price cap (burst_max_dph) or lower burst_min_gpu_ram_gb / burst_min_reliability")
	// ErrWarmupTimeout: the worker did not become ready in time; it was destroyed.
	ErrWarmupTimeout = errors.New("worker: the GPU worker did not become ready before the warm-up deadline; it was destroyed")
	// ErrClosed: the pool was closed (the engine is shutting down).
	ErrClosed = errors.New("worker: the worker pool is closed")
	// ErrLost: the worker stopped answering.
	ErrLost = errors.New("worker: the GPU worker stopped answering")
)

// Status is a snapshot of the worker's lifecycle for job status and the UI.
type Status struct {
	State State `json:"state"`
	// Instance names the rented machine, e.g. "vast:7012" ("" when none).
	Instance string `json:"instance,omitempty"`
	// GPU and DPH describe it: model and price in dollars per hour.
	GPU string  `json:"gpu,omitempty"`
	DPH float64 `json:"dph,omitempty"`
	// Since is when the state was entered.
	Since time.Time `json:"since"`
	// CreatedAt is when the current instance was created.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// InFlight counts leases in use.
	InFlight int `json:"in_flight"`
	// CostUSD is what the current instance has cost so far (DPH × time since creation).
	CostUSD float64 `json:"cost_usd"`
	// TotalCostUSD adds every instance this pool rented since it started.
	TotalCostUSD float64 `json:"total_cost_usd"`
	// LastError says why the last provisioning or worker failed.
	LastError string `json:"last_error,omitempty"`
}

// cost is dph dollars per hour over d.
func cost(dph float64, d time.Duration) float64 {
	if d < 0 {
		return 0
	}
	return dph * d.Hours()
}
