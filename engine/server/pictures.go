package server

import (
	"bytes"
	"context"
	"image"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/video"
)

// pictureQuality is the JPEG quality of the pictures a dataset export has
// to encode (video frames, rotated photos): high enough that training on
// them is training on the video.
const pictureQuality = 95

// libraryPictures reads dataset pictures from the media library
// (export.Pictures).
type libraryPictures struct{ lib *media.Library }

// Image returns the image's own file, unless it is a JPEG whose EXIF
// orientation turns it: then the upright pixels, re-encoded, since masks
// are upright and not every training tool applies EXIF. (A turned WebP
// is copied as it is: Go has no WebP encoder.)
func (p libraryPictures) Image(_ context.Context, m api.Media) ([]byte, error) {
	rec, err := p.lib.Get(m.MediaID)
	if err != nil {
		return nil, err
	}
	data, err := p.lib.ReadAll(rec)
	if err != nil {
		return nil, err
	}
	if m.Format != "jpeg" || imaging.Orientation(data) == 1 {
		return data, nil
	}
	img, _, err := imaging.Decode(data)
	if err != nil {
		return nil, err
	}
	return encodeJPEG(img)
}

// Frames decodes the frames of a video (nearby frames in one pass) and
// encodes each as a JPEG while the next is decoded: a goroutine encodes
// copies of the frames in order and hands them to fn.
func (p libraryPictures) Frames(ctx context.Context, m api.Media, frames []int, fn func(k int, jpeg []byte) error) error {
	rec, err := p.lib.Get(m.MediaID)
	if err != nil {
		return err
	}
	src, err := video.Open(ctx, rec.Path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type decoded struct {
		k   int
		img *image.NRGBA
	}
	todo := make(chan decoded, 1)
	free := make(chan *image.NRGBA, 2) // two frames in flight: one decoding, one encoding
	free <- nil
	free <- nil
	encoded := make(chan struct{})
	go func() {
		defer close(encoded)
		for d := range todo {
			if ctx.Err() == nil {
				data, err := encodeJPEG(d.img)
				if err == nil {
					err = fn(d.k, data)
				}
				if err != nil {
					cancel(err) // stops the decoding
				}
			}
			free <- d.img
		}
	}()
	err = video.ReadFrames(ctx, src, frames, func(k int, img *image.NRGBA) error {
		c := <-free
		if c == nil {
			c = image.NewNRGBA(img.Rect)
		}
		copy(c.Pix, img.Pix)
		todo <- decoded{k, c}
		return nil
	})
	close(todo)
	<-encoded
	if cause := context.Cause(ctx); cause != nil { // fn failed, or the caller gave up
		return cause
	}
	return err
}

// check says why the files of the media cannot be read now, before a
// dataset starts streaming (nil when they can).
func (p libraryPictures) check(ms []api.Media) error {
	for _, m := range ms {
		rec, err := p.lib.Get(m.MediaID)
		if err == nil {
			err = p.lib.Check(rec)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func encodeJPEG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := imaging.EncodeJPEG(&buf, img, pictureQuality)
	return buf.Bytes(), err
}
