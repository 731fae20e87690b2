package server

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/model"
)

// handleModelImport starts a job that installs a bundle from a folder on
// this machine. Reading any folder the engine can read is what the desktop
// app's engine is for (allow_local_paths), never a served one's.
func (s *Server) handleModelImport(w http.ResponseWriter, r *http.Request) {
	var req api.ModelImportRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	bad := func(msg string) { s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, msg, nil) }
	switch {
	case s.deps.Registry == nil:
		s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "this engine cannot install models", nil)
		return
	case !s.cfg.AllowLocalPaths:
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "importing a model folder by path is only allowed for the desktop app (setting allow_local_paths); on the engine's machine run: engine models import DIR", nil)
		return
	case req.Path == "":
		bad("path is empty: give the folder holding the model's .onnx files")
		return
	case !filepath.IsAbs(req.Path):
		bad(fmt.Sprintf("path %q is not absolute: give the folder's full path", req.Path))
		return
	case req.Name != "" && !model.ValidName(req.Name):
		bad(fmt.Sprintf("name %q: use lower-case letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)", req.Name))
		return
	}
	fi, err := os.Stat(req.Path)
	switch {
	case err != nil:
		bad(fmt.Sprintf("there is no folder at %s: %v", req.Path, err))
		return
	case !fi.IsDir():
		bad(fmt.Sprintf("%s is a file: give the folder holding the model's .onnx files", req.Path))
		return
	}
	j, err := s.deps.Jobs.Submit(jobModelImport, "", nil, req)
	s.accepted(w, r, j, err)
}

// runModelImport copies and checks a bundle folder into the registry;
// progress counts the bytes copied against the folder's size.
func (s *Server) runModelImport(ctx context.Context, run *jobs.Run) error {
	var req api.ModelImportRequest
	if err := run.Params(&req); err != nil {
		return err
	}
	var total, done int64
	err := filepath.WalkDir(req.Path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", req.Path, err)
	}
	run.Report(0, int(total))
	ctx = model.WithProgress(ctx, func(n int64) {
		done += n
		run.Report(int(min(done, total)), int(total))
	})
	if _, err := s.deps.Registry.Import(ctx, req.Path, model.ImportOptions{Name: req.Name, Replace: req.Replace}); err != nil {
		return err
	}
	return run.Report(int(total), int(total))
}
