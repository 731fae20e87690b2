package server

import "net/http"

// videoHandlers serves the video routes of api.Endpoints.
func (s *Server) videoHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{}
}
