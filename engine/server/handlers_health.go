package server

import (
	"net/http"

	"github.com/samwise-app/samwise/engine/api"
)

func (s *Server) baseHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /health":       s.handleHealth,
		"GET /ready":        s.handleReady,
		"GET /metrics":      s.handleMetrics,
		"GET /openapi.json": s.handleOpenAPI,
	}
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, api.Health{Status: "ok"})
}

// handleReady reports models, provider and library; 503 until an image
// model is loaded.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	rt := s.deps.Runtime
	res := api.Ready{Version: Version, Ready: s.ready.Load(),
		Runtime: api.RuntimeStatus{Library: rt.Library, LibrarySource: rt.LibrarySource, Version: rt.Version, Provider: string(rt.Provider)}}
	if s.deps.RuntimeErr != nil {
		res.Runtime.Error = s.deps.RuntimeErr.Error()
	}
	if s.deps.Models != nil {
		res.Models = s.deps.Models()
	}
	if img := s.deps.Images; img != nil {
		m := img.Manifest()
		res.Demo = m.Demo
		res.Runtime.Provider = string(img.Tracker().Provider())
		found := false
		for i := range res.Models {
			if res.Models[i].Name == m.Name {
				s.fillActive(&res.Models[i])
				found = true
			}
		}
		if !found {
			ms := api.ModelStatus{Name: m.Name, Task: m.Task, Family: m.Family, Label: m.Label, Demo: m.Demo}
			s.fillActive(&ms)
			res.Models = append(res.Models, ms)
		}
	}
	status := http.StatusOK
	if !res.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, res)
}

func (s *Server) fillActive(ms *api.ModelStatus) {
	img := s.deps.Images
	ms.Loaded, ms.Active = true, true
	ms.Provider = string(img.Tracker().Provider())
	ms.InputSize = img.Tracker().InputSize()
	ms.EncodeMS, ms.DecodeMS = img.Timings()
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.handler.ServeHTTP(w, r)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.openapi)
}
