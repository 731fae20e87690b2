package server

import (
	"context"
	"fmt"
	"image"
	"net/http"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/segment"
)

// Job kinds of the model routes.
const (
	jobPull        = "model_pull"
	jobModelImport = "model_import"
	jobPrecompute  = "precompute"
)

// modelHandlers serves model management and precompute.
func (s *Server) modelHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /v1/models":         s.handleModels,
		"POST /v1/models/pull":   s.withJobs(s.handlePull),
		"POST /v1/models/import": s.withJobs(s.handleModelImport),
		"POST /v1/precompute":    s.withJobs(s.handlePrecompute),
	}
}

func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	out := api.ModelList{Installed: []api.ModelStatus{}, Catalog: []api.CatalogModel{}}
	if s.deps.Models != nil {
		out.Installed = append(out.Installed, s.deps.Models()...)
	}
	// The active bundles, and the families whose active bundle is a demo: a
	// real bundle of such a family, pulled or imported, takes over at the
	// next start.
	active, demo := map[string]bool{}, map[string]bool{}
	use := func(m *model.Manifest) {
		active[m.Name] = true
		if m.Demo {
			demo[m.Family] = true
		}
	}
	if s.deps.Images != nil {
		use(s.deps.Images.Manifest())
	}
	if s.deps.Videos != nil {
		use(s.deps.Videos.Manifest())
	}
	if s.deps.Concepts != nil {
		use(s.deps.Concepts.Manifest())
	}
	for i := range out.Installed {
		m := &out.Installed[i]
		m.Loaded, m.Active = active[m.Name], active[m.Name]
		if demo[m.Family] && !m.Demo {
			out.RestartNeeded = true
		}
	}
	for _, e := range model.Catalog() {
		out.Catalog = append(out.Catalog, api.CatalogModel{Name: e.Name, Description: e.Description, Family: e.Family, Task: e.Task, Precisions: e.Precisions, Default: e.DefaultPrecision})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request) {
	var req api.PullRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	if s.deps.Registry == nil || s.deps.Puller == nil {
		s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "this engine cannot pull models", nil)
		return
	}
	if _, _, ok := model.ParseName(req.Name); !ok {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("unknown model %q: GET /v1/models lists the ones that can be pulled", req.Name), nil)
		return
	}
	j, err := s.deps.Jobs.Submit(jobPull, "", nil, req)
	s.accepted(w, r, j, err)
}

// runPull downloads a bundle, reporting bytes.
func (s *Server) runPull(ctx context.Context, run *jobs.Run) error {
	var req api.PullRequest
	if err := run.Params(&req); err != nil {
		return err
	}
	p := *s.deps.Puller
	var total, finished int64
	current := map[string]int64{}
	p.Planned = func(files int, bytes int64) { total = bytes; run.Report(0, int(total)) }
	p.Progress = func(file string, done, size int64) {
		if done >= size {
			finished += size
			delete(current, file)
		} else {
			current[file] = done
		}
		sum := finished
		for _, d := range current {
			sum += d
		}
		run.Report(int(sum), int(total))
	}
	_, err := p.Pull(ctx, s.deps.Registry, model.PullSpec{Name: req.Name, Precision: req.Precision})
	if err == nil {
		run.Report(int(total), int(total))
	}
	return err
}

func (s *Server) handlePrecompute(w http.ResponseWriter, r *http.Request) {
	var req api.PrecomputeRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	if len(req.MediaIDs) == 0 {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media_ids is empty: list the images to precompute", nil)
		return
	}
	if _, ok := s.images(w, r); !ok {
		return
	}
	if _, ok := s.imageSources(w, r, req.MediaIDs, "precompute takes images (video frames are encoded as they are tracked)"); !ok {
		return
	}
	j, err := s.deps.Jobs.Submit(jobPrecompute, "", nil, req)
	s.accepted(w, r, j, err)
}

// runPrecompute encodes every image with the image model (and the concept
// model, when there is one) into the embedding cache.
func (s *Server) runPrecompute(ctx context.Context, run *jobs.Run) error {
	var req api.PrecomputeRequest
	if err := run.Params(&req); err != nil {
		return err
	}
	if err := run.SetTotal(len(req.MediaIDs)); err != nil {
		return err
	}
	embedders := []*segment.Embedder{s.deps.Images.Embedder}
	if s.deps.Concepts != nil {
		embedders = append(embedders, s.deps.Concepts.Embedder)
	}
	for i, id := range req.MediaIDs[min(run.Resume, len(req.MediaIDs)):] {
		i += run.Resume
		m, err := s.deps.Media.Get(id)
		if err != nil {
			return err
		}
		src := imageSource(s.deps.Media, m.SHA256, m.Width, m.Height, id)
		for _, e := range embedders {
			if err := e.Precompute(ctx, src); err != nil {
				return fmt.Errorf("%s: %w", id, err)
			}
		}
		if err := run.Commit(i, api.FrameResult{Frame: i, Objects: []api.ObjectResult{}}, nil); err != nil {
			return err
		}
	}
	return nil
}

// imageSources gives the embedding sources of the images ids, or writes
// the error (an unknown id; a video, with why not) and returns false.
func (s *Server) imageSources(w http.ResponseWriter, r *http.Request, ids []string, whyImages string) ([]segment.Source, bool) {
	srcs := make([]segment.Source, 0, len(ids))
	for _, id := range ids {
		m, err := s.deps.Media.Get(id)
		if err != nil {
			s.fail(w, r, err)
			return nil, false
		}
		if m.Kind != api.KindImage {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media "+id+" is a video: "+whyImages, nil)
			return nil, false
		}
		srcs = append(srcs, imageSource(s.deps.Media, m.SHA256, m.Width, m.Height, id))
	}
	return srcs, true
}

// imageSource is an embedding source that loads a media record's image.
func imageSource(lib *media.Library, sha string, w, h int, id string) segment.Source {
	return segment.Source{SHA256: sha, Width: w, Height: h, Load: func() (image.Image, error) {
		m, err := lib.Get(id)
		if err != nil {
			return nil, err
		}
		return lib.Image(m)
	}}
}
