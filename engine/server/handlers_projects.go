package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/project"
)

// projectHandlers serves the project routes of api.Endpoints: projects,
// their media, their annotation documents and exports.
func (s *Server) projectHandlers() map[string]http.HandlerFunc {
	h := &projectHandlers{s: s, store: project.New(s.deps.DB, s.deps.Media)}
	return map[string]http.HandlerFunc{
		"POST /v1/projects":                                    h.create,
		"GET /v1/projects":                                     h.list,
		"GET /v1/projects/{project_id}":                        h.get,
		"PUT /v1/projects/{project_id}":                        h.update,
		"POST /v1/projects/{project_id}/media":                 h.addMedia,
		"GET /v1/projects/{project_id}/media":                  h.media,
		"GET /v1/projects/{project_id}/stats":                  h.stats,
		"DELETE /v1/projects/{project_id}/media/{media_id}":    h.removeMedia,
		"GET /v1/projects/{project_id}/annotations/{media_id}": h.annotations,
		"PUT /v1/projects/{project_id}/annotations/{media_id}": h.putAnnotations,
		"GET /v1/projects/{project_id}/export":                 h.export,
		"POST /v1/projects/{project_id}/import":                h.importAnnotations,
		"POST /v1/projects/{project_id}/concept":               h.findConcept,
	}
}

type projectHandlers struct {
	s     *Server
	store *project.Store
}

// fail maps project and export errors to statuses, then falls back to the
// server's mapping (media errors, internal errors).
func (h *projectHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	var input *project.InputError
	var notIn *project.NotInProjectError
	var conflict *project.ConflictError
	var nothing *export.NothingError
	var format *importer.FormatError
	switch {
	case errors.As(err, &conflict):
		h.s.writeError(w, r, http.StatusConflict, api.CodeConflict, err.Error(), conflict.Current)
	case errors.Is(err, project.ErrBadID), errors.As(err, &input), errors.As(err, &nothing), errors.Is(err, export.ErrUnknownFormat), errors.As(err, &format):
		h.s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, err.Error(), nil)
	case errors.Is(err, project.ErrNotFound), errors.As(err, &notIn):
		h.s.writeError(w, r, http.StatusNotFound, api.CodeNotFound, err.Error(), nil)
	default:
		h.s.fail(w, r, err)
	}
}

// reply writes v, or the error.
func (h *projectHandlers) reply(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

func (h *projectHandlers) create(w http.ResponseWriter, r *http.Request) {
	var req api.ProjectRequest
	if h.s.decodeJSON(w, r, &req) {
		p, err := h.store.Create(req)
		h.reply(w, r, http.StatusCreated, p, err)
	}
}

func (h *projectHandlers) list(w http.ResponseWriter, r *http.Request) {
	all, err := h.store.List()
	h.reply(w, r, http.StatusOK, api.ProjectList{Projects: all}, err)
}

func (h *projectHandlers) get(w http.ResponseWriter, r *http.Request) {
	p, err := h.store.Get(r.PathValue("project_id"))
	h.reply(w, r, http.StatusOK, p, err)
}

func (h *projectHandlers) update(w http.ResponseWriter, r *http.Request) {
	var req api.ProjectUpdate
	if h.s.decodeJSON(w, r, &req) {
		p, err := h.store.Update(r.PathValue("project_id"), req)
		h.reply(w, r, http.StatusOK, p, err)
	}
}

func (h *projectHandlers) addMedia(w http.ResponseWriter, r *http.Request) {
	var req api.ProjectMediaRequest
	if h.s.decodeJSON(w, r, &req) {
		p, err := h.store.AddMedia(r.PathValue("project_id"), req.MediaIDs)
		h.reply(w, r, http.StatusOK, p, err)
	}
}

func (h *projectHandlers) media(w http.ResponseWriter, r *http.Request) {
	list, err := h.store.MediaStatus(r.PathValue("project_id"))
	h.reply(w, r, http.StatusOK, api.ProjectMediaList{Media: list}, err)
}

func (h *projectHandlers) stats(w http.ResponseWriter, r *http.Request) {
	st, err := h.store.Stats(r.PathValue("project_id"))
	h.reply(w, r, http.StatusOK, st, err)
}

func (h *projectHandlers) removeMedia(w http.ResponseWriter, r *http.Request) {
	p, err := h.store.RemoveMedia(r.PathValue("project_id"), r.PathValue("media_id"))
	h.reply(w, r, http.StatusOK, p, err)
}

func (h *projectHandlers) annotations(w http.ResponseWriter, r *http.Request) {
	doc, err := h.store.Annotations(r.PathValue("project_id"), r.PathValue("media_id"))
	h.reply(w, r, http.StatusOK, doc, err)
}

func (h *projectHandlers) putAnnotations(w http.ResponseWriter, r *http.Request) {
	var doc api.AnnotationDoc
	if h.s.decodeJSON(w, r, &doc) {
		saved, err := h.store.PutAnnotations(r.PathValue("project_id"), r.PathValue("media_id"), doc)
		h.reply(w, r, http.StatusOK, saved, err)
	}
}

func (h *projectHandlers) export(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = api.ExportCOCO
	}
	doneOnly, ok := h.s.boolParam(w, r, "done_only")
	if !ok {
		return
	}
	opts, ok := h.s.exportOptions(w, r, format)
	if !ok {
		return
	}
	p, docs, err := h.store.Snapshot(r.PathValue("project_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := export.Input{Project: *p}
	for i, mid := range p.MediaIDs {
		if doneOnly && !docs[i].Done {
			continue
		}
		m, err := h.s.deps.Media.Get(mid)
		if err != nil {
			h.fail(w, r, fmt.Errorf("media %s of the project: %w", mid, err))
			return
		}
		in.Items = append(in.Items, export.Item{Media: m.Media, Doc: docs[i]})
	}
	if doneOnly && len(in.Items) == 0 {
		h.s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "no media of the project is marked done: mark media done first, or export without done_only", nil)
		return
	}
	if err := h.s.sendExport(w, r, format, in, opts); err != nil {
		h.fail(w, r, err)
	}
}
