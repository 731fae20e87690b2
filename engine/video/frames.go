package video

import (
	"context"
	"fmt"
	"image"
)

// seekGap is how far apart two wanted frames must be for ReadFrames to seek
// to the second instead of decoding the frames between them: a seek starts
// a new decoder (a process for ffmpeg), which costs about as much as
// decoding a few dozen small frames.
const seekGap = 32

// ReadFrames calls fn with each of the frames, in ascending order (k is
// the frame's index in frames), decoding nearby frames in one pass and
// seeking across gaps. The image is only valid during the call.
func ReadFrames(ctx context.Context, src Source, frames []int, fn func(k int, img *image.NRGBA) error) error {
	info := src.Info()
	for k := range frames {
		if frames[k] < 0 || frames[k] >= info.Frames {
			return fmt.Errorf("frame %d is out of range: the video has frames 0 to %d", frames[k], info.Frames-1)
		}
		if k > 0 && frames[k] <= frames[k-1] {
			return fmt.Errorf("frames must be in ascending order: %d after %d", frames[k], frames[k-1])
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, info.Width, info.Height))
	for k := 0; k < len(frames); {
		first := k
		err := src.Read(ctx, frames[k], func(i int, rgb []byte) error {
			if i < frames[k] {
				return nil
			}
			for p, q := 0, 0; p < len(rgb); p, q = p+3, q+4 {
				img.Pix[q], img.Pix[q+1], img.Pix[q+2], img.Pix[q+3] = rgb[p], rgb[p+1], rgb[p+2], 255
			}
			if err := fn(k, img); err != nil {
				return err
			}
			k++
			if k == len(frames) || frames[k]-i > seekGap {
				return ErrStop
			}
			return nil
		})
		if err != nil {
			return err
		}
		if k == first {
			return fmt.Errorf("frame %d could not be decoded (the video may be truncated)", frames[k])
		}
	}
	return nil
}
