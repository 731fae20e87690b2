package ort

import (
	"errors"
	"log/slog"
)

// ErrNoCgo is returned by every entry point of a binary built without cgo.
var ErrNoCgo = errors.New("built without ONNX Runtime support (cgo disabled): rebuild with CGO_ENABLED=1")

// Options configure the runtime.
type Options struct {
	// Library is an explicit path to the shared library (optional).
	Library string
	// Provider is the default execution provider for sessions.
	Provider Provider
	// Threads is the intra-op thread count per session (0: ONNX Runtime's default).
	Threads int
	// CacheDir holds compiled provider artifacts (CoreML model cache).
	CacheDir string
	Logger   *slog.Logger
}

// Info describes the loaded runtime, for /ready and the UI.
type Info struct {
	Library       string   `json:"library"`
	LibrarySource string   `json:"library_source"`
	Version       string   `json:"version"`
	Provider      Provider `json:"provider"`
	Available     []string `json:"available_providers,omitempty"`
}

// SessionOptions tune one graph.
type SessionOptions struct {
	// Provider overrides the runtime's default ("" keeps it).
	Provider Provider
	// DisableOptimization turns ONNX Runtime graph optimisation off (some
	// tracker graphs are sensitive to it).
	DisableOptimization bool
	// Outputs, when set, limits the session to these outputs: ONNX Runtime
	// then skips the nodes only other outputs need.
	Outputs []string
}

// Session is one loaded graph.
type Session struct {
	path     string
	inputs   []IO
	outputs  []IO
	provider Provider
	note     string
	impl     sessionImpl
}

// Path is the graph's file.
func (s *Session) Path() string { return s.path }

// Inputs describes the graph inputs in order.
func (s *Session) Inputs() []IO { return s.inputs }

// Outputs describes the graph outputs in order.
func (s *Session) Outputs() []IO { return s.outputs }

// Provider is the execution provider the session actually runs on.
func (s *Session) Provider() Provider { return s.provider }

// ProviderNote explains a fallback (empty when the requested provider was used).
func (s *Session) ProviderNote() string { return s.note }

// Input returns the named input's description.
func (s *Session) Input(name string) (IO, bool) { return find(s.inputs, name) }

// Output returns the named output's description.
func (s *Session) Output(name string) (IO, bool) { return find(s.outputs, name) }

func find(ios []IO, name string) (IO, bool) {
	for _, io := range ios {
		if io.Name == name {
			return io, true
		}
	}
	return IO{}, false
}
