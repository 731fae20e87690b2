package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"path"

	"github.com/samwise-app/samwise/engine/api"
)

// Pictures reads the pictures a dataset includes.
type Pictures interface {
	// Image returns the file of image m as the dataset stores it: upright,
	// in its own format (the extension of its name in the dataset).
	Image(ctx context.Context, m api.Media) ([]byte, error)
	// Frames calls fn with each of the frames of video m (ascending) as a
	// JPEG; k is the frame's index in frames.
	Frames(ctx context.Context, m api.Media, frames []int, fn func(k int, jpeg []byte) error) error
}

// Dataset is an export with its pictures, as one zip laid out the way the
// format's tools read it (COCO: annotations/instances.json and images/;
// YOLO: data.yaml, labels/ and images/ under the same stems; LabelMe: each
// JSON beside its picture; mask PNGs: images/ beside labels/; VOC:
// JPEGImages/ beside Annotations/ and the Segmentation PNGs; MOTS:
// images/<video>/; YouTube-VIS: instances.json and JPEGImages/<video>/).
// Video frames are the ones the annotations name, as JPEGs.
type Dataset struct {
	// Name is the zip's file name.
	Name    string
	files   *archive
	sources []source
}

// source is where the pictures of one media go in a dataset: one name for
// an image; one per frame for a video.
type source struct {
	media  api.Media
	frames []int // a video's frames
	names  []string
}

// NewDataset makes the annotation files of in in format and plans the
// pictures. With val > 0 (a share, below 1) the dataset is split: that share
// of the media is held out for validation (see splitItems), for the
// formats that Splits: each part has its own annotation files and
// pictures folder (images/train/, images/val/), except in VOC, which keeps
// one folder and splits by its ImageSets lists. Everything that can fail on
// the annotations fails here, before anything is written.
func NewDataset(format string, in Input, val float64) (*Dataset, error) {
	spec, err := specOf(format)
	if err != nil {
		return nil, err
	}
	parts := []part{{in: in}}
	if val != 0 {
		if spec.split == nil {
			return nil, fmt.Errorf("%s datasets cannot be split into train and val", format)
		}
		if parts, err = splitItems(in, val); err != nil {
			return nil, err
		}
	}
	d := &Dataset{Name: fileBase(in.Project.Name) + "-" + spec.suffix + "-dataset.zip", files: newArchive()}
	for _, p := range parts {
		files, err := spec.files(p.in)
		if err != nil {
			return nil, err
		}
		for _, e := range files.entries {
			if p.name != "" {
				if e.name = spec.split(e.name, p.name); e.name == "" {
					continue
				}
			}
			d.files.add(e.name, e.data)
		}
		d.plan(spec, p.in, p.name)
	}
	if len(parts) > 1 && spec.index != nil {
		d.files.entries = append(d.files.entries, spec.index(in).entries...)
	}
	return d, nil
}

// plan adds the pictures of in, those of part (when the dataset is split).
func (d *Dataset) plan(spec spec, in Input, part string) {
	names := fileNames(in)
	for i, it := range in.Items {
		if spec.videosOnly && it.Media.Kind != api.KindVideo {
			continue
		}
		frames := exportedFrames(it)
		if len(frames) == 0 {
			continue
		}
		s := source{media: it.Media}
		if it.Media.Kind == api.KindVideo {
			s.frames = frames
		}
		for _, fi := range frames {
			fileName, stem := frameNames(it.Media, names[i], fi)
			if spec.flat {
				fileName = stem + path.Ext(fileName)
			}
			name := spec.pictures + fileName
			if part != "" {
				name = spec.split(name, part)
			}
			s.names = append(s.names, name)
		}
		d.sources = append(d.sources, s)
	}
}

// Media lists the media whose pictures the dataset reads, in order.
func (d *Dataset) Media() []api.Media {
	out := make([]api.Media, len(d.sources))
	for i, s := range d.sources {
		out[i] = s.media
	}
	return out
}

// WriteTo writes the dataset zip to w: the annotation files, compressed,
// then each picture as pics gives it, stored (pictures do not compress).
// Pictures are read one at a time, so the zip can be far larger than
// memory. On an error the zip is left unfinished: a reader sees a broken
// file, never a complete-looking one with pictures missing.
func (d *Dataset) WriteTo(ctx context.Context, w io.Writer, pics Pictures) error {
	zw := zip.NewWriter(w)
	if err := d.files.write(zw); err != nil {
		return err
	}
	for _, s := range d.sources {
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.frames == nil {
			data, err := pics.Image(ctx, s.media)
			if err != nil {
				return fmt.Errorf("the picture of %s (%s): %w", s.media.Name, s.media.MediaID, err)
			}
			if err := addZip(zw, s.names[0], data, zip.Store); err != nil {
				return err
			}
			continue
		}
		err := pics.Frames(ctx, s.media, s.frames, func(k int, jpeg []byte) error {
			return addZip(zw, s.names[k], jpeg, zip.Store)
		})
		if err != nil {
			return fmt.Errorf("the frames of %s (%s): %w", s.media.Name, s.media.MediaID, err)
		}
	}
	return zw.Close()
}
