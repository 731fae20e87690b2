package server

import "net/http"

// pcsHandlers serves the pcs routes of api.Endpoints.
func (s *Server) pcsHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{}
}
