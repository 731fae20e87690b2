//go:build !cgo

package ort

import "context"

// Runtime is unavailable without cgo.
type Runtime struct{}

type sessionImpl struct{}

// Open always fails: the binary was built without cgo.
func Open(Options) (*Runtime, error) { return nil, ErrNoCgo }

// Info is empty without cgo.
func (r *Runtime) Info() Info { return Info{} }

// Load always fails without cgo.
func (r *Runtime) Load(string, SessionOptions) (*Session, error) { return nil, ErrNoCgo }

// Run always fails without cgo.
func (s *Session) Run(context.Context, map[string]*Tensor) (map[string]*Tensor, error) {
	return nil, ErrNoCgo
}

// Close does nothing without cgo.
func (s *Session) Close() error { return nil }
