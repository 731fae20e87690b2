package server

import "net/http"

// jobHandlers serves the job routes of api.Endpoints.
func (s *Server) jobHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{}
}
