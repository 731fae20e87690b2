package server

import (
	"context"
	"net/http"

	"github.com/samwise-app/samwise/engine/api"
)

// Remote is what the remote burst routes need from engine/burst.
type Remote interface {
	// Status describes the burst policy and the GPU worker.
	Status() api.RemoteWorker
	// StopWorker drains and destroys the GPU worker now.
	StopWorker(ctx context.Context) (api.RemoteWorker, error)
}

// remoteHandlers serves the remote burst routes.
func (s *Server) remoteHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /v1/pvs/video/{session_id}/estimate": s.withVideos(s.handleEstimate),
		"GET /v1/remote":           s.withRemote(s.handleRemoteGet),
		"DELETE /v1/remote/worker": s.withRemote(s.handleRemoteStop),
	}
}

// withRemote answers 503 when the engine has no burst service.
func (s *Server) withRemote(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Remote == nil {
			s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "remote burst is not available in this engine", nil)
			return
		}
		h(w, r)
	}
}

func (s *Server) handleEstimate(w http.ResponseWriter, r *http.Request) {
	var req api.PropagateRequest
	if r.ContentLength != 0 && !s.decodeJSON(w, r, &req) {
		return
	}
	e, err := s.deps.Videos.Estimate(r.Context(), r.PathValue("session_id"), &req)
	s.respond(w, r, http.StatusOK, e, err)
}

func (s *Server) handleRemoteGet(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.deps.Remote.Status())
}

func (s *Server) handleRemoteStop(w http.ResponseWriter, r *http.Request) {
	st, err := s.deps.Remote.StopWorker(r.Context())
	s.respond(w, r, http.StatusOK, st, err)
}
