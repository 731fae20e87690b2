package server

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/samwise-app/samwise/engine/export"
)

// sendExport answers an export of in in format: the annotation file, or,
// with pictures, the dataset zip (annotations and pictures), streamed as it
// is made. An error found before anything is written (bad format, nothing
// to export, a media file gone) is returned for the caller to answer; one
// while streaming aborts the response, so the client sees a broken
// download, never a complete-looking zip with pictures missing.
func (s *Server) sendExport(w http.ResponseWriter, r *http.Request, format string, in export.Input, pictures bool) error {
	if !pictures {
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
	ds, err := export.NewDataset(format, in)
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
