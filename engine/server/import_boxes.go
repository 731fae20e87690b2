package server

import (
	"context"
	"fmt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/project"
	"github.com/samwise-app/samwise/engine/segment"
)

// boxJob is an import-boxes job's parameters: the boxes, in file order.
type boxJob struct {
	ProjectID string               `json:"project_id"`
	Boxes     []importer.BoxPrompt `json:"boxes"`
}

// images groups the boxes by image, in order of first appearance.
func (b boxJob) images() [][]importer.BoxPrompt {
	var out [][]importer.BoxPrompt
	index := map[string]int{}
	for _, p := range b.Boxes {
		i, ok := index[p.MediaID]
		if !ok {
			i = len(out)
			index[p.MediaID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], p)
	}
	return out
}

// runImportBoxes makes a mask of every box with the image model (one
// encoder run per image, the boxes as box prompts) and adds them to the
// project as new objects, one transaction per image. Progress counts
// images; a resumed job continues with the next image, and an image done
// twice adds nothing twice (the import skips masks the media already has).
func (s *Server) runImportBoxes(ctx context.Context, run *jobs.Run) error {
	var p boxJob
	if err := run.Params(&p); err != nil {
		return err
	}
	if s.deps.Images == nil {
		return fmt.Errorf("no image model is loaded to segment the boxes; see /ready")
	}
	images := p.images()
	if err := run.SetTotal(len(images)); err != nil {
		return err
	}
	store := project.New(s.deps.DB, s.deps.Media)
	for i := min(run.Resume, len(images)); i < len(images); i++ {
		pic, err := s.segmentBoxes(ctx, images[i])
		if err != nil {
			return err
		}
		var merged importer.Merged
		file := &importer.File{Format: "boxes", Pictures: []importer.Picture{pic}}
		if err := store.Merge(p.ProjectID, false, nil, mergeFile(file, importer.Options{}, &merged)); err != nil {
			return err
		}
		if err := run.Commit(i, api.FrameResult{Frame: i, Objects: []api.ObjectResult{}}, nil); err != nil {
			return err
		}
	}
	return nil
}

// segmentBoxes segments the boxes of one image (in requests of at most
// segment.MaxObjects) into a picture of objects; boxes whose mask is empty
// are left out.
func (s *Server) segmentBoxes(ctx context.Context, boxes []importer.BoxPrompt) (importer.Picture, error) {
	m, err := s.deps.Media.Get(boxes[0].MediaID)
	if err != nil {
		return importer.Picture{}, err
	}
	pic := importer.Picture{MediaID: m.MediaID, Width: m.Width, Height: m.Height}
	src := imageSource(s.deps.Media, m.SHA256, m.Width, m.Height, m.MediaID)
	for start := 0; start < len(boxes); start += segment.MaxObjects {
		batch := boxes[start:min(start+segment.MaxObjects, len(boxes))]
		req := api.PVSImageRequest{MediaID: m.MediaID}
		for k, b := range batch {
			req.Objects = append(req.Objects, api.PVSObject{ObjectID: k + 1, Box: &b.Box})
		}
		res, err := s.deps.Images.Segment(ctx, src, &req)
		if err != nil {
			return pic, fmt.Errorf("%s: %w", m.MediaID, err)
		}
		for k, o := range res.Objects {
			if o.Mask.Area() > 0 {
				pic.Objects = append(pic.Objects, importer.Object{Label: batch[k].Label, Mask: mask.Encode(o.Mask), What: fmt.Sprintf("box %d", start+k+1)})
			}
		}
	}
	return pic, nil
}
