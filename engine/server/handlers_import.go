package server

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
)

// importAnnotations reads an annotation file (the raw body, at most MaxBody
// bytes) and adds its objects to the project in one transaction.
func (h *projectHandlers) importAnnotations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dryRun := false
	if v := q.Get("dry_run"); v != "" {
		var err error
		if dryRun, err = strconv.ParseBool(v); err != nil {
			h.s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("dry_run=%q: use true or false", v), nil)
			return
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.s.cfg.MaxBody))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := importer.Parse(data, q.Get("format"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var res api.ImportResult
	err = h.store.Merge(r.PathValue("project_id"), dryRun, func(labels *[]api.Label, media []api.Media, docs []*api.AnnotationDoc) ([]int, error) {
		targets := make([]importer.Target, len(media))
		for i := range media {
			targets[i] = importer.Target{Media: media[i], Doc: docs[i]}
		}
		var changed []int
		res, changed = importer.Merge(f, labels, targets)
		return changed, nil
	})
	res.DryRun = dryRun
	h.reply(w, r, http.StatusOK, res, err)
}
