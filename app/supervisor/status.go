package supervisor

import (
	"fmt"
	"net/url"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// State is where the engine child is in its life cycle.
type State string

// States of the engine child.
const (
	// StateStarting: the child was started and is not ready yet.
	StateStarting State = "starting"
	// StateReady: /ready answered 200; requests are forwarded.
	StateReady State = "ready"
	// StateRestarting: the child exited or failed to become ready; it is
	// started again after a backoff.
	StateRestarting State = "restarting"
	// StateStopping: the app is closing and the child is being stopped.
	StateStopping State = "stopping"
	// StateStopped: no child runs (before Start or after Close).
	StateStopped State = "stopped"
)

// Status is a snapshot of the supervisor, for the UI and the logs.
type Status struct {
	State State `json:"state"`
	// PID of the current child (0 when none runs).
	PID int `json:"pid,omitempty"`
	// Restarts counts the starts after the first.
	Restarts int `json:"restarts"`
	// LastError says why the previous child stopped or failed to start.
	LastError string `json:"last_error,omitempty"`
	// NextStart is when the next child starts (StateRestarting only).
	NextStart *time.Time `json:"next_start,omitempty"`
	// LogFile is where the child's output goes.
	LogFile string `json:"log_file"`

	url *url.URL // the engine's address, while ready
}

// Endpoint is how to reach the ready engine: its loopback base URL and the
// per-launch token it requires.
type Endpoint struct {
	URL   *url.URL
	Token secret.Secret
}

// UnavailableError is returned by Endpoint while the engine is not ready.
type UnavailableError struct {
	State State
	// Reason is the last failure, if any.
	Reason string
	// RetryAfter is a hint for clients: when trying again makes sense.
	RetryAfter time.Duration
}

func (e *UnavailableError) Error() string {
	var msg string
	switch e.State {
	case StateStarting:
		msg = "the engine is starting"
	case StateRestarting:
		msg = "the engine is restarting"
	case StateStopping, StateStopped:
		msg = "the engine is stopped"
	default:
		msg = "the engine is not ready"
	}
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	if e.RetryAfter > 0 && e.State != StateStopping && e.State != StateStopped {
		msg += fmt.Sprintf("; try again in %s", e.RetryAfter.Round(time.Second))
	}
	return msg
}
