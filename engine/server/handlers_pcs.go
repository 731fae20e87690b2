package server

import (
	"image"
	"net/http"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/segment"
)

// pcsHandlers serves the concept prompt routes.
func (s *Server) pcsHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /v1/pcs/image":                      s.withConcepts(s.handlePCSImage),
		"POST /v1/pcs/video/sessions":             s.withConceptVideo(s.handlePCSSessionCreate),
		"GET /v1/pcs/video/{session_id}":          s.withConceptVideo(s.handlePCSSessionGet),
		"DELETE /v1/pcs/video/{session_id}":       s.withConceptVideo(s.handlePCSSessionEnd),
		"POST /v1/pcs/video/{session_id}/prompts": s.withConceptVideo(s.handlePCSPrompt),
		"POST /v1/pcs/video/{session_id}/run":     s.withConceptVideo(s.handlePCSRun),
	}
}

// withConceptVideo answers 503 unless both a concept and a video model are
// loaded.
func (s *Server) withConceptVideo(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Videos == nil || !s.deps.Videos.Concepts() {
			s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "concept tracking needs a concept and a video model; see /ready", nil)
			return
		}
		h(w, r)
	}
}

func (s *Server) handlePCSSessionCreate(w http.ResponseWriter, r *http.Request) {
	var req api.VideoSessionRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	if req.MediaID == "" {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media_id is missing: upload the video with POST /v1/media and pass its media_id", nil)
		return
	}
	v, err := s.deps.Videos.CreateConcept(r.Context(), req.MediaID)
	s.respond(w, r, http.StatusCreated, v, err)
}

func (s *Server) handlePCSSessionGet(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Videos.GetConcept(r.PathValue("session_id"))
	s.respond(w, r, http.StatusOK, v, err)
}

func (s *Server) handlePCSSessionEnd(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Videos.EndConcept(r.PathValue("session_id"))
	s.respond(w, r, http.StatusOK, v, err)
}

func (s *Server) handlePCSPrompt(w http.ResponseWriter, r *http.Request) {
	var req api.PCSVideoPrompt
	if !s.decodeJSON(w, r, &req) {
		return
	}
	fr, err := s.deps.Videos.SetConceptPrompt(r.Context(), r.PathValue("session_id"), &req)
	s.respond(w, r, http.StatusOK, fr, err)
}

func (s *Server) handlePCSRun(w http.ResponseWriter, r *http.Request) {
	var req api.PCSRunRequest
	if r.ContentLength != 0 && !s.decodeJSON(w, r, &req) {
		return
	}
	job, err := s.deps.Videos.RunConcept(r.Context(), r.PathValue("session_id"), &req)
	s.accepted(w, r, job, err)
}

func (s *Server) withConcepts(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Concepts == nil {
			s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "no concept model is loaded; see /ready", nil)
			return
		}
		h(w, r)
	}
}

func (s *Server) handlePCSImage(w http.ResponseWriter, r *http.Request) {
	var req api.PCSImageRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	if req.MediaID == "" {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media_id is missing: upload the image with POST /v1/media and pass its media_id", nil)
		return
	}
	for _, o := range req.Outputs {
		if o != api.OutputRLE && o != api.OutputPolygon {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "unknown output "+o+": use rle or polygon", nil)
			return
		}
	}
	m, err := s.deps.Media.Get(req.MediaID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if m.Kind != api.KindImage {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media "+m.MediaID+" is a video: use the concept video sessions", nil)
		return
	}
	p := &concept.Prompt{Text: req.Text, Exemplars: req.Exemplars, Threshold: concept.DefaultThreshold}
	if req.Threshold != nil {
		p.Threshold = *req.Threshold
	}
	src := segment.Source{SHA256: m.SHA256, Width: m.Width, Height: m.Height, Load: func() (image.Image, error) { return s.deps.Media.Image(m) }}
	c := s.deps.Concepts
	res, err := c.Segment(r.Context(), src, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	man := c.Manifest()
	out := api.PCSImageResponse{Model: man.Name, ModelLabel: man.Label, Width: m.Width, Height: m.Height,
		Objects: concept.Render(res.Instances, req.Outputs), Presence: res.Presence, Truncated: res.Truncated, Timing: res.Timing,
		SemanticSeg: concept.RenderSemantic(res.Semantic, req.Outputs), PromptToObjIDs: map[string][]int{}}
	key := strings.TrimSpace(req.Text)
	if key == "" {
		key = "exemplars"
	}
	ids := []int{}
	for _, in := range res.Instances {
		ids = append(ids, in.ID)
	}
	out.PromptToObjIDs[key] = ids
	writeJSON(w, http.StatusOK, out)
}
