package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/video"
)

// videoHandlers serves the video tracking routes.
func (s *Server) videoHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /v1/pvs/video/sessions":                   s.withVideos(s.handleSessionCreate),
		"GET /v1/pvs/video/sessions":                    s.withVideos(s.handleSessionList),
		"GET /v1/pvs/video/{session_id}":                s.withVideos(s.handleSessionGet),
		"DELETE /v1/pvs/video/{session_id}":             s.withVideos(s.handleSessionEnd),
		"POST /v1/pvs/video/{session_id}/annotations":   s.withVideos(s.handleAnnotate),
		"POST /v1/pvs/video/{session_id}/propagate":     s.withVideos(s.handlePropagate),
		"GET /v1/pvs/video/{session_id}/frames/{frame}": s.withVideos(s.handleSessionFrame),
		"GET /v1/pvs/video/{session_id}/results":        s.withVideos(s.handleSessionResults),
		"GET /v1/pvs/video/{session_id}/export":         s.withVideos(s.handleSessionExport),
		"GET /v1/media/{media_id}/frames/{frame}":       s.handleMediaFrame,
	}
}

// withVideos answers 503 when no video model is loaded.
func (s *Server) withVideos(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Videos == nil {
			s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "no video model is loaded; see /ready", nil)
			return
		}
		h(w, r)
	}
}

func (s *Server) handleSessionCreate(w http.ResponseWriter, r *http.Request) {
	var req api.VideoSessionRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	if req.MediaID == "" {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media_id is missing: upload the video with POST /v1/media and pass its media_id", nil)
		return
	}
	v, err := s.deps.Videos.Create(r.Context(), req.MediaID)
	s.respond(w, r, http.StatusCreated, v, err)
}

func (s *Server) handleSessionList(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Videos.List(r.URL.Query().Get("media_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []api.VideoSession{}
	}
	writeJSON(w, http.StatusOK, api.VideoSessionList{Sessions: list})
}

func (s *Server) handleSessionGet(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Videos.Get(r.PathValue("session_id"))
	s.respond(w, r, http.StatusOK, v, err)
}

func (s *Server) handleSessionEnd(w http.ResponseWriter, r *http.Request) {
	v, err := s.deps.Videos.End(r.PathValue("session_id"))
	s.respond(w, r, http.StatusOK, v, err)
}

func (s *Server) handleAnnotate(w http.ResponseWriter, r *http.Request) {
	var req api.VideoAnnotationRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	fr, err := s.deps.Videos.Annotate(r.Context(), r.PathValue("session_id"), &req)
	s.respond(w, r, http.StatusOK, fr, err)
}

func (s *Server) handlePropagate(w http.ResponseWriter, r *http.Request) {
	var req api.PropagateRequest
	if r.ContentLength != 0 && !s.decodeJSON(w, r, &req) {
		return
	}
	job, err := s.deps.Videos.Propagate(r.Context(), r.PathValue("session_id"), &req)
	s.accepted(w, r, job, err)
}

func (s *Server) handleSessionFrame(w http.ResponseWriter, r *http.Request) {
	f, ok := s.intParam(w, r, r.PathValue("frame"), "frame")
	if !ok {
		return
	}
	fr, err := s.deps.Videos.Frame(r.PathValue("session_id"), f)
	s.respond(w, r, http.StatusOK, fr, err)
}

func (s *Server) handleSessionResults(w http.ResponseWriter, r *http.Request) {
	after, limit, ok := s.page(w, r)
	if !ok {
		return
	}
	res, err := s.deps.Videos.Results(r.PathValue("session_id"), after, limit)
	s.respond(w, r, http.StatusOK, res, err)
}

// handleSessionExport writes the session's masks through the export
// package, as one video of a one-media project.
func (s *Server) handleSessionExport(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = api.ExportCOCO
	}
	if format != api.ExportCOCO && format != api.ExportMOTS && format != api.ExportYTVIS {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "format "+strconv.Quote(format)+": use coco, mots or ytvis", nil)
		return
	}
	opts, ok := s.exportOptions(w, r, format)
	if !ok {
		return
	}
	id := r.PathValue("session_id")
	sess, err := s.deps.Videos.Get(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.deps.Media.Get(sess.MediaID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := s.deps.Videos.Doc(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now().UTC()
	in := export.Input{Project: api.Project{ProjectID: id, Name: id, Labels: []api.Label{{Name: "object", Color: "#e6194b"}}, MediaIDs: []string{m.MediaID}, CreatedAt: now, UpdatedAt: now},
		Items: []export.Item{{Media: m.Media, Doc: doc}}}
	if err := s.sendExport(w, r, format, in, opts); err != nil {
		var nothing *export.NothingError
		if errors.As(err, &nothing) {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, err.Error(), nil)
			return
		}
		s.fail(w, r, err)
	}
}

// handleMediaFrame serves one frame of a video as a JPEG.
func (s *Server) handleMediaFrame(w http.ResponseWriter, r *http.Request) {
	m, err := s.deps.Media.Get(r.PathValue("media_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, ok := s.intParam(w, r, r.PathValue("frame"), "frame")
	if !ok {
		return
	}
	if m.Kind != api.KindVideo {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media "+m.MediaID+" is an image: GET /v1/media/{media_id}/file", nil)
		return
	}
	if f < 0 || f >= m.Frames {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "frame "+strconv.Itoa(f)+" is out of range: the video has frames 0 to "+strconv.Itoa(m.Frames-1), nil)
		return
	}
	src, err := video.Open(r.Context(), m.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	img, err := video.ReadFrame(r.Context(), src, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := imaging.EncodeJPEG(&b, img, 90); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Write(b.Bytes())
}

// boolParam parses the query value name (false when absent); ok is false
// when it is not a boolean and the 400 was written.
func (s *Server) boolParam(w http.ResponseWriter, r *http.Request, name string) (v, ok bool) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return false, true
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("%s=%q: use true or false", name, raw), nil)
		return false, false
	}
	return v, true
}

// intParam parses an integer path or query value.
func (s *Server) intParam(w http.ResponseWriter, r *http.Request, v, name string) (int, bool) {
	n, err := strconv.Atoi(v)
	if err != nil {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, name+" "+strconv.Quote(v)+" is not an integer", nil)
		return 0, false
	}
	return n, true
}

// page reads ?after= (default -1) and ?limit= (default 100, at most 1000).
func (s *Server) page(w http.ResponseWriter, r *http.Request) (after, limit int, ok bool) {
	after, limit = -1, 100
	q := r.URL.Query()
	if v := q.Get("after"); v != "" {
		if after, ok = s.intParam(w, r, v, "after"); !ok {
			return 0, 0, false
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, ok = s.intParam(w, r, v, "limit"); !ok {
			return 0, 0, false
		}
		if limit < 1 || limit > 1000 {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "limit must be between 1 and 1000", nil)
			return 0, 0, false
		}
	}
	return after, limit, true
}
