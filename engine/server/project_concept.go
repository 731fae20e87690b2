package server

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net/http"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/project"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/store"
)

// jobProjectConcept looks for a concept on a project's images.
const jobProjectConcept = "project-concept"

// conceptOverlap is the IoU with an object of its label above which an
// instance counts as found before (perhaps refined since) and is not added.
const conceptOverlap = 0.5

// conceptJob is a project-concept job's parameters.
type conceptJob struct {
	ProjectID string   `json:"project_id"`
	Text      string   `json:"text"`
	Threshold float64  `json:"threshold"`
	Label     string   `json:"label"`
	MediaIDs  []string `json:"media_ids"`
	Semantic  bool     `json:"semantic,omitempty"`
}

// findConcept starts a job that looks for a concept on the project's images
// (or the images of media_ids).
func (h *projectHandlers) findConcept(w http.ResponseWriter, r *http.Request) {
	if h.s.deps.Concepts == nil || h.s.deps.Jobs == nil {
		h.s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "no concept model is loaded; see /ready", nil)
		return
	}
	var req api.ProjectConceptRequest
	if !h.s.decodeJSON(w, r, &req) {
		return
	}
	bad := func(msg string) { h.s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, msg, nil) }
	job := conceptJob{Text: strings.TrimSpace(req.Text), Threshold: concept.DefaultThreshold, Semantic: req.Semantic}
	if req.Threshold != nil {
		job.Threshold = *req.Threshold
	}
	if job.Text == "" {
		bad("text is missing: the concept to find, a short noun phrase such as \"car\" or \"yellow school bus\"")
		return
	}
	if err := concept.Validate(&concept.Prompt{Text: job.Text, Threshold: job.Threshold}, 1, 1); err != nil {
		h.s.fail(w, r, err)
		return
	}
	p, err := h.store.Get(r.PathValue("project_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	job.ProjectID = p.ProjectID
	job.Label = strings.TrimSpace(req.Label)
	if job.Label == "" {
		job.Label = job.Text
		for _, l := range p.Labels {
			if strings.EqualFold(l.Name, job.Text) {
				job.Label = l.Name
			}
		}
	}
	if len(job.Label) > project.MaxLabelLen {
		bad(fmt.Sprintf("label is %d bytes; a label is at most %d", len(job.Label), project.MaxLabelLen))
		return
	}
	if job.MediaIDs, err = h.conceptImages(p, req.MediaIDs); err != nil {
		bad(err.Error())
		return
	}
	j, err := h.s.deps.Jobs.Submit(jobProjectConcept, "", nil, job)
	h.s.accepted(w, r, j, err)
}

// conceptImages returns the images a concept job looks at: ids, which must
// be images of the project, or all of the project's images.
func (h *projectHandlers) conceptImages(p *api.Project, ids []string) ([]string, error) {
	in := map[string]bool{}
	for _, id := range p.MediaIDs {
		in[id] = true
	}
	all := len(ids) == 0
	if all {
		ids = p.MediaIDs
	}
	var out []string
	for _, id := range ids {
		if !in[id] {
			return nil, fmt.Errorf("media %s is not in project %s: add it first (POST /v1/projects/{project_id}/media)", id, p.ProjectID)
		}
		m, err := h.s.deps.Media.Get(id)
		if err != nil {
			return nil, fmt.Errorf("media %s: %w", id, err)
		}
		switch {
		case m.Kind == api.KindImage:
			out = append(out, id)
		case !all:
			return nil, fmt.Errorf("media %s is a video: follow a concept through it with the concept video sessions (POST /v1/pcs/video/sessions)", id)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("project %s has no images to look at: add images first", p.ProjectID)
	}
	return out, nil
}

// runProjectConcept looks for the concept on each image in turn and merges
// what it finds into the project, one transaction per image. Progress counts
// images; a resumed job starts at the first image not recorded done, and
// an image looked at twice adds nothing twice (the instances overlap the
// objects added the first time).
func (s *Server) runProjectConcept(ctx context.Context, run *jobs.Run) error {
	var p conceptJob
	if err := run.Params(&p); err != nil {
		return err
	}
	if s.deps.Concepts == nil {
		return errors.New("no concept model is loaded to look for the concept; see /ready")
	}
	if err := run.SetTotal(len(p.MediaIDs)); err != nil {
		return err
	}
	store := project.New(s.deps.DB, s.deps.Media)
	prompt := &concept.Prompt{Text: p.Text, Threshold: p.Threshold}
	for k := run.Resume; k < len(p.MediaIDs); k++ {
		fr := api.FrameResult{Frame: k, MediaID: p.MediaIDs[k], Objects: []api.ObjectResult{}}
		m, err := s.deps.Media.Get(fr.MediaID)
		switch {
		case errors.Is(err, media.ErrNotFound): // deleted since the job started
		case err != nil:
			return err
		default:
			if fr.Objects, err = s.conceptOnImage(ctx, store, &p, prompt, m); err != nil {
				return err
			}
		}
		if err := run.Commit(k, fr, nil); err != nil {
			return err
		}
	}
	return nil
}

// conceptOnImage finds the concept on one image, adds the instances to the
// project and returns the objects added.
func (s *Server) conceptOnImage(ctx context.Context, store *project.Store, p *conceptJob, prompt *concept.Prompt, m *store.Media) ([]api.ObjectResult, error) {
	src := segment.Source{SHA256: m.SHA256, Width: m.Width, Height: m.Height, Load: func() (image.Image, error) { return s.deps.Media.Image(m) }}
	res, err := s.deps.Concepts.Segment(ctx, src, prompt)
	if err != nil {
		return nil, fmt.Errorf("media %s: %w", m.MediaID, err)
	}
	pic := importer.Picture{MediaID: m.MediaID, Width: m.Width, Height: m.Height}
	found := map[string]api.ObjectResult{} // by the importer's name for it
	instances := res.Instances
	if p.Semantic && res.Semantic != nil && len(instances) > 0 {
		// One object of every pixel of the concept, scored as its best instance.
		instances = []concept.Instance{{ID: 1, Score: instances[0].Score, Mask: res.Semantic}}
	}
	for _, in := range instances {
		x0, y0, x1, y1, _ := in.Mask.BBox()
		what := fmt.Sprintf("instance %d", in.ID)
		found[what] = api.ObjectResult{Score: in.Score, Box: [4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}, Area: in.Mask.Area()}
		pic.Objects = append(pic.Objects, importer.Object{Label: p.Label, Mask: mask.Encode(in.Mask), What: what})
	}
	added := []api.ObjectResult{}
	if len(pic.Objects) == 0 {
		return added, nil
	}
	file := &importer.File{Format: "concept", Pictures: []importer.Picture{pic}}
	var merged importer.Merged
	if err := store.Merge(p.ProjectID, false, nil, mergeFile(file, importer.Options{Overlap: conceptOverlap}, &merged)); err != nil {
		return nil, err
	}
	for _, a := range merged.Added {
		r := found[a.What]
		r.ObjectID = a.ObjectID
		added = append(added, r)
	}
	return added, nil
}
