package server

import "net/http"

// projectHandlers serves the project routes of api.Endpoints.
func (s *Server) projectHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{}
}
