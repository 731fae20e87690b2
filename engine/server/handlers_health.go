package server

import (
	"net/http"
	"slices"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/model"
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
		res.Demo = img.Manifest().Demo
		res.Runtime.Provider = string(img.Tracker().Provider())
		enc, dec := img.Timings()
		res.Models = markActive(res.Models, img.Manifest(), api.ModelStatus{Provider: string(img.Tracker().Provider()),
			InputSize: img.Tracker().InputSize(), EncodeMS: enc, DecodeMS: dec})
	}
	if v := s.deps.Videos; v != nil {
		res.Models = markActive(res.Models, v.Manifest(), api.ModelStatus{Provider: string(v.Tracker().Provider()), InputSize: v.Tracker().InputSize()})
	}
	if c := s.deps.Concepts; c != nil {
		res.Models = markActive(res.Models, c.Manifest(), api.ModelStatus{Provider: string(c.Model().Provider()), InputSize: c.Model().InputSize()})
	}
	status := http.StatusOK
	if !res.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, res)
}

// markActive marks the model m as loaded and in use for its task, with the runtime facts
// in live, adding it to the list when it is not installed there (an embedded demo, say).
func markActive(models []api.ModelStatus, m *model.Manifest, live api.ModelStatus) []api.ModelStatus {
	i := slices.IndexFunc(models, func(ms api.ModelStatus) bool { return ms.Name == m.Name })
	if i < 0 {
		models = append(models, api.ModelStatus{Name: m.Name, Task: m.Task, Family: m.Family, Label: m.Label, Demo: m.Demo})
		i = len(models) - 1
	}
	ms := &models[i]
	ms.Loaded, ms.Active = true, true
	ms.Provider, ms.InputSize, ms.EncodeMS, ms.DecodeMS = live.Provider, live.InputSize, live.EncodeMS, live.DecodeMS
	return models
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.handler.ServeHTTP(w, r)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.openapi)
}
