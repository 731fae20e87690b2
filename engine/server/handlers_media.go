package server

import (
	"errors"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
)

// handleMediaCreate takes a multipart upload (field "file") or, when local
// paths are allowed, {"path": "/abs/file"}.
func (s *Server) mediaHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /v1/media":                     s.handleMediaCreate,
		"GET /v1/media":                      s.handleMediaList,
		"GET /v1/media/{media_id}":           s.handleMediaGet,
		"GET /v1/media/{media_id}/file":      s.handleMediaFile,
		"GET /v1/media/{media_id}/thumbnail": s.handleMediaThumbnail,
	}
}

func (s *Server) handleMediaCreate(w http.ResponseWriter, r *http.Request) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var m *store.Media
	var err error
	switch ct {
	case "multipart/form-data":
		if params["boundary"] == "" {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "multipart body without a boundary", nil)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody+1<<20)
		mr, err2 := r.MultipartReader()
		if err2 != nil {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "unreadable multipart body: "+err2.Error(), nil)
			return
		}
		for {
			part, perr := mr.NextPart()
			if perr != nil {
				var maxBytes *http.MaxBytesError
				if errors.As(perr, &maxBytes) {
					s.fail(w, r, perr)
					return
				}
				s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, `no "file" field in the multipart body: send the file as the form field "file"`, nil)
				return
			}
			if part.FormName() != "file" {
				part.Close()
				continue
			}
			m, err = s.deps.Media.Upload(r.Context(), part.FileName(), part, s.cfg.MaxBody)
			part.Close()
			break
		}
	case "application/json", "":
		const notAllowed = `upload the file as multipart/form-data (field "file"); registering local paths is only allowed for the desktop app (setting allow_local_paths)`
		if !s.cfg.AllowLocalPaths && !s.cfg.AllowMediaURLs {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, notAllowed, nil)
			return
		}
		var req api.MediaRequest
		if !s.decodeJSON(w, r, &req) {
			return
		}
		if req.URL != "" {
			m, err = s.fetchMedia(r.Context(), &req)
			break
		}
		if !s.cfg.AllowLocalPaths {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, notAllowed, nil)
			return
		}
		if strings.TrimSpace(req.Path) == "" {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, `"path" is empty: give an absolute file path`, nil)
			return
		}
		m, err = s.deps.Media.Register(r.Context(), req.Path)
	default:
		s.writeError(w, r, http.StatusUnsupportedMediaType, api.CodeUnsupportedMedia,
			"send multipart/form-data with the field \"file\" (or JSON {\"path\"} from the desktop app)", nil)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m.Media)
}

func (s *Server) handleMediaList(w http.ResponseWriter, r *http.Request) {
	all, err := s.deps.DB.ListMedia()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.MediaList{Media: []api.Media{}}
	for _, m := range all {
		out.Media = append(out.Media, m.Media)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMediaGet(w http.ResponseWriter, r *http.Request) {
	m, err := s.deps.Media.Get(r.PathValue("media_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m.Media)
}

func (s *Server) handleMediaFile(w http.ResponseWriter, r *http.Request) {
	m, err := s.deps.Media.Get(r.PathValue("media_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := os.Open(m.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	if ct := mime.TypeByExtension("." + m.Format); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", m.CreatedAt, f)
}
