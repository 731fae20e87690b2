package server

import (
	"context"
	"fmt"
	"image"
	"slices"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/project"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/video"
)

// boxJob is an import-boxes job's parameters: the boxes, in file order.
type boxJob struct {
	ProjectID string               `json:"project_id"`
	Boxes     []importer.BoxPrompt `json:"boxes"`
}

// boxPicture is the boxes of one picture: an image, or a frame of a video.
type boxPicture struct {
	mediaID string
	frame   int
	boxes   []importer.BoxPrompt
}

// pictures groups the boxes by picture: the media in order of first
// appearance, a video's frames in order, so that a media's pictures are
// next to each other.
func (b boxJob) pictures() []boxPicture {
	var out []boxPicture
	media := map[string]int{}
	type key struct {
		mediaID string
		frame   int
	}
	index := map[key]int{}
	for _, p := range b.Boxes {
		if _, ok := media[p.MediaID]; !ok {
			media[p.MediaID] = len(media)
		}
		k := key{p.MediaID, p.Frame}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, boxPicture{mediaID: p.MediaID, frame: p.Frame})
		}
		out[i].boxes = append(out[i].boxes, p)
	}
	slices.SortStableFunc(out, func(a, b boxPicture) int {
		if c := media[a.mediaID] - media[b.mediaID]; c != 0 {
			return c
		}
		return a.frame - b.frame
	})
	return out
}

// runImportBoxes makes a mask of every box with the image model (one
// encoder run per picture, the boxes as box prompts) and adds them to the
// project as new objects, one transaction per media: a video's boxes are
// merged once all its frames are done, so that a track's boxes become one
// object. Progress counts pictures; a resumed job starts again at the first
// picture of the media it was in, and a media done twice adds nothing twice
// (the import skips masks the media already has).
func (s *Server) runImportBoxes(ctx context.Context, run *jobs.Run) error {
	var p boxJob
	if err := run.Params(&p); err != nil {
		return err
	}
	if s.deps.Images == nil {
		return fmt.Errorf("no image model is loaded to segment the boxes; see /ready")
	}
	pics := p.pictures()
	if err := run.SetTotal(len(pics)); err != nil {
		return err
	}
	store := project.New(s.deps.DB, s.deps.Media)
	for start := 0; start < len(pics); {
		end := start + 1
		for end < len(pics) && pics[end].mediaID == pics[start].mediaID {
			end++
		}
		if end > run.Resume {
			if err := s.importMediaBoxes(ctx, run, store, p.ProjectID, pics[start:end], start); err != nil {
				return err
			}
		}
		start = end
	}
	return nil
}

// importMediaBoxes segments the boxes of pics, the pictures of one media
// (numbered from first in the job), and merges them; a video's frames are
// read in one pass where they are near each other.
func (s *Server) importMediaBoxes(ctx context.Context, run *jobs.Run, store *project.Store, projectID string, pics []boxPicture, first int) error {
	m, err := s.deps.Media.Get(pics[0].mediaID)
	if err != nil {
		return err
	}
	file := &importer.File{Format: "boxes"}
	add := func(k int, load func() (image.Image, error)) error {
		pic := pics[k]
		src := segment.Source{SHA256: m.SHA256, Frame: pic.frame, Width: m.Width, Height: m.Height, Load: load}
		objects, err := s.segmentBoxes(ctx, src, &m.Media, pic.boxes)
		if err != nil {
			return err
		}
		file.Pictures = append(file.Pictures, importer.Picture{MediaID: m.MediaID, Frame: pic.frame, Width: m.Width, Height: m.Height, Objects: objects})
		if k == len(pics)-1 {
			return nil // the last picture commits after the merge
		}
		return run.Commit(first+k, api.FrameResult{Frame: first + k, Objects: []api.ObjectResult{}}, nil)
	}
	if m.Kind == api.KindVideo {
		var src video.Source
		if src, err = video.Open(ctx, m.Path); err != nil {
			return err
		}
		frames := make([]int, len(pics))
		for k, p := range pics {
			frames[k] = p.frame
		}
		err = video.ReadFrames(ctx, src, frames, func(k int, img *image.NRGBA) error {
			return add(k, func() (image.Image, error) { return img, nil })
		})
	} else {
		err = add(0, func() (image.Image, error) { return s.deps.Media.Image(m) })
	}
	if err != nil {
		return err
	}
	var merged importer.Merged
	if err := store.Merge(projectID, false, nil, mergeFile(file, importer.Options{}, &merged)); err != nil {
		return err
	}
	last := first + len(pics) - 1
	return run.Commit(last, api.FrameResult{Frame: last, Objects: []api.ObjectResult{}}, nil)
}

// segmentBoxes segments the boxes of one picture (in requests of at most
// segment.MaxObjects) into objects; boxes whose mask is empty are left out.
func (s *Server) segmentBoxes(ctx context.Context, src segment.Source, m *api.Media, boxes []importer.BoxPrompt) ([]importer.Object, error) {
	var objects []importer.Object
	for start := 0; start < len(boxes); start += segment.MaxObjects {
		batch := boxes[start:min(start+segment.MaxObjects, len(boxes))]
		req := api.PVSImageRequest{MediaID: m.MediaID}
		for k, b := range batch {
			req.Objects = append(req.Objects, api.PVSObject{ObjectID: k + 1, Box: &b.Box})
		}
		res, err := s.deps.Images.Segment(ctx, src, &req)
		if err != nil {
			if m.Kind == api.KindVideo {
				return nil, fmt.Errorf("%s frame %d: %w", m.MediaID, src.Frame, err)
			}
			return nil, fmt.Errorf("%s: %w", m.MediaID, err)
		}
		for k, o := range res.Objects {
			if o.Mask.Area() > 0 {
				objects = append(objects, importer.Object{Label: batch[k].Label, Track: batch[k].Track, Mask: o.Mask.RLE(), What: fmt.Sprintf("box %d", start+k+1)})
			}
		}
	}
	return objects, nil
}
