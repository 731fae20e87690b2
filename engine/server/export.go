package server

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
)

// exportOptions are an export's query values besides the format.
type exportOptions struct {
	pictures  bool     // ?pictures=true: a dataset zip with the pictures
	val       float64  // ?val=0.2: that share of the media held out for validation
	tolerance *float64 // ?tolerance=2: polygons' detail, in pixels
}

// exportOptions reads ?pictures=, ?val= and ?tolerance= for format,
// answering 400 (and false) when they are wrong.
func (s *Server) exportOptions(w http.ResponseWriter, r *http.Request, format string) (exportOptions, bool) {
	var o exportOptions
	var ok bool
	if o.pictures, ok = s.boolParam(w, r, "pictures"); !ok {
		return o, false
	}
	q := r.URL.Query()
	var msg string
	if v := q.Get("tolerance"); v != "" {
		t, err := strconv.ParseFloat(v, 64)
		switch {
		case err != nil || !(t >= 0 && t <= export.MaxTolerance):
			msg = fmt.Sprintf("tolerance %q: give how far polygons may stray from the mask, 0 (exact) to %g pixels", v, export.MaxTolerance)
		case !export.Polygons(format):
			msg = format + " has no polygons to simplify: tolerance goes with " + orList(export.Formats(export.Polygons))
		}
		o.tolerance = &t
	}
	if v := q.Get("val"); v != "" && msg == "" {
		var err error
		o.val, err = strconv.ParseFloat(v, 64)
		switch {
		case err != nil || !(o.val > 0 && o.val < 1):
			msg = "val " + strconv.Quote(v) + ": give the share of media held out for validation, between 0 and 1 (0.2 holds out a fifth)"
		case !o.pictures:
			msg = "val splits a dataset: add pictures=true"
		case !export.Splits(format):
			msg = format + " datasets are not split into train and val: use " + orList(export.Formats(export.Splits))
		}
	}
	if msg != "" {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, msg, nil)
		return o, false
	}
	return o, true
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// sendExport answers an export of in in format: the annotation file, or,
// with pictures, the dataset zip (annotations and pictures; split into
// train and val with opts.val), streamed as it is made. An error found
// before anything is written (bad format, nothing to export, a media file
// gone) is returned for the caller to answer; one while streaming aborts
// the response, so the client sees a broken download, never a
// complete-looking zip with pictures missing.
func (s *Server) sendExport(w http.ResponseWriter, r *http.Request, format string, in export.Input, opts exportOptions) error {
	in.Tolerance = opts.tolerance
	if !opts.pictures {
		f, err := export.Export(format, in)
		if err != nil {
			return err
		}
		attachment(w, f.ContentType, f.Name)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
		w.WriteHeader(http.StatusOK)
		w.Write(f.Data)
		return nil
	}
	ds, err := export.NewDataset(format, in, opts.val)
	if err != nil {
		return err
	}
	pics := libraryPictures{s.deps.Media}
	if err := pics.check(ds.Media()); err != nil {
		return err
	}
	attachment(w, "application/zip", ds.Name)
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush() // the client knows at once the export has started
	if err := ds.WriteTo(r.Context(), w, pics); err != nil {
		s.log.Error("export with pictures stopped", "request_id", requestID(r.Context()), "format", format, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}
