package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/internal/atomicfile"
)

// ExportOptions choose what an export holds.
type ExportOptions struct {
	// DoneOnly leaves out the media not marked done.
	DoneOnly bool `json:"done_only"`
	// Pictures makes a dataset zip: the annotations with the pictures
	// (images as they are, the annotated video frames as JPEGs).
	Pictures bool `json:"pictures"`
	// Val, with Pictures, holds out that share of the media (0 < Val < 1)
	// for validation (COCO and YOLO).
	Val float64 `json:"val,omitempty"`
	// Tolerance, for the polygon formats, is how far polygons may stray
	// from the masks, in pixels (0: exact); nil is the engine's default.
	Tolerance *float64 `json:"tolerance,omitempty"`
}

// SaveExport exports a project: it asks the engine for the export in
// format (GET /v1/projects/{project_id}/export?format=, with the options'
// query values), lets the user choose where to save it (the engine's file
// name is the default) and writes it there as it arrives. It returns the
// saved path, or "" when the user cancelled.
func (d *Desktop) SaveExport(format, projectID string, opts ExportOptions) (string, error) {
	ctx, err := d.context()
	if err != nil {
		return "", err
	}
	return d.saveExport(ctx, format, projectID, opts)
}

func (d *Desktop) saveExport(ctx context.Context, format, projectID string, opts ExportOptions) (string, error) {
	if !slices.Contains(api.ExportFormats, format) {
		return "", fmt.Errorf("unknown export format %q: use one of %s", format, strings.Join(api.ExportFormats, ", "))
	}
	if projectID == "" {
		return "", fmt.Errorf("no project to export")
	}
	// Ask the engine first: an error (no such project, nothing annotated)
	// shows before any dialog, and its file name is the dialog's default.
	q := url.Values{"format": {format}}
	if opts.DoneOnly {
		q.Set("done_only", "true")
	}
	if opts.Pictures {
		q.Set("pictures", "true")
	}
	if opts.Val != 0 {
		q.Set("val", strconv.FormatFloat(opts.Val, 'g', -1, 64))
	}
	if opts.Tolerance != nil {
		q.Set("tolerance", strconv.FormatFloat(*opts.Tolerance, 'g', -1, 64))
	}
	resp, err := d.get(ctx, "/v1/projects/"+url.PathEscape(projectID)+"/export?"+q.Encode())
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	name := attachmentName(resp.Header.Get("Content-Disposition"), projectID+"-"+format)
	dlg := FileDialog{Title: "Export annotations (" + format + ")", DefaultFilename: name}
	if ext := filepath.Ext(name); ext != "" {
		dlg.Filters = []FileFilter{{DisplayName: strings.ToUpper(ext[1:]) + " files", Pattern: "*" + ext}}
	}
	dest, err := d.native.SaveFile(ctx, dlg)
	if err != nil || dest == "" {
		return "", err
	}
	if err := atomicfile.WriteFrom(dest, resp.Body); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return "", fmt.Errorf("the export stopped before its end, so nothing was saved (the engine's log says why): %w", err)
		}
		return "", fmt.Errorf("saving the export: %w", err)
	}
	d.log.Info("export saved", "project", projectID, "format", format, "pictures", opts.Pictures, "path", dest)
	return dest, nil
}

// get sends an authorized GET to the engine; a non-2xx answer becomes a
// *client.Error carrying the engine's error envelope.
func (d *Desktop) get(ctx context.Context, path string) (*http.Response, error) {
	ep, err := d.engine.Endpoint()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URL.String()+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+ep.Token.Reveal())
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var env api.ErrorResponse
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&env) != nil || env.Error.Code == "" {
		env.Error = api.Error{Code: http.StatusText(resp.StatusCode), Message: resp.Status}
	}
	return nil, &client.Error{Status: resp.StatusCode, Body: env.Error}
}

// attachmentName is the file name of a Content-Disposition header, reduced
// to a base name; fallback when there is none.
func attachmentName(header, fallback string) string {
	if _, params, err := mime.ParseMediaType(header); err == nil {
		if n := filepath.Base(filepath.Clean("/" + params["filename"])); n != "/" && n != "." {
			return n
		}
	}
	return fallback
}
