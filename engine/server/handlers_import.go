package server

import (
	"io"
	"net/http"
	"os"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/project"
)

// jobImportBoxes makes masks of an import's boxes with the image model.
const jobImportBoxes = "import-boxes"

// importAnnotations reads an annotation file (the raw body, at most MaxBody
// bytes) and adds its objects to the project in one transaction; with
// segment_boxes its boxes (on images and video frames) go to a job that
// segments them.
func (h *projectHandlers) importAnnotations(w http.ResponseWriter, r *http.Request) {
	dryRun, ok := h.s.boolParam(w, r, "dry_run")
	if !ok {
		return
	}
	segmentBoxes, ok := h.s.boolParam(w, r, "segment_boxes")
	if !ok {
		return
	}
	if segmentBoxes && (h.s.deps.Images == nil || h.s.deps.Jobs == nil) {
		h.s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "segment_boxes needs the image model and jobs, which this engine does not have; see /ready", nil)
		return
	}
	f, err := parseImport(http.MaxBytesReader(w, r.Body, h.s.cfg.MaxBody), r.URL.Query().Get("format"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	projectID := r.PathValue("project_id")
	var merged importer.Merged
	err = h.store.Merge(projectID, dryRun, func(media []api.Media) { importer.Prepare(f, media) }, mergeFile(f, importer.Options{SegmentBoxes: segmentBoxes}, &merged))
	res := merged.Result
	res.DryRun = dryRun
	if err == nil && !dryRun && len(merged.Boxes) > 0 {
		var job *api.Job
		if job, err = h.s.deps.Jobs.Submit(jobImportBoxes, "", nil, boxJob{ProjectID: projectID, Boxes: merged.Boxes}); err == nil {
			res.JobID = job.JobID
		}
	}
	h.reply(w, r, http.StatusOK, res, err)
}

// parseImport parses an import file from body. The body goes to a
// temporary file first, so a dataset zip is read entry by entry: its
// pictures never fill memory.
func parseImport(body io.Reader, format string) (*importer.File, error) {
	tmp, err := os.CreateTemp("", "samwise-import-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, body)
	if err != nil {
		return nil, err
	}
	return importer.ParseReader(tmp, n, format)
}

// mergeFile is the transaction step that merges f into a project's
// documents, leaving what it did in out.
func mergeFile(f *importer.File, opts importer.Options, out *importer.Merged) project.MergeFunc {
	return func(labels *[]api.Label, media []api.Media, docs []*api.AnnotationDoc) ([]int, error) {
		targets := make([]importer.Target, len(media))
		for i := range media {
			targets[i] = importer.Target{Media: media[i], Doc: docs[i]}
		}
		*out = importer.Merge(f, labels, targets, opts)
		return out.Changed, nil
	}
}
