//go:build integration

package server

import (
	"bytes"
	"errors"
	"image/jpeg"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/synth"
)

// The frames of a dataset come in order, each the frame asked for, and a
// writer that fails (the client went away) stops the decoding at once.
func TestPictureFramesInOrderAndStopOnError(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	in, err := instance.Open(cfg, slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	sc := synth.StandardVideo(40)
	path := filepath.Join(t.TempDir(), "clip.mp4")
	if err := sc.Encode(t.Context(), path, 30); err != nil {
		t.Fatal(err)
	}
	rec, err := in.Media.Register(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	pics := libraryPictures{in.Media}
	frames := []int{1, 2, 3, 30, 39}
	var got []int
	err = pics.Frames(t.Context(), rec.Media, frames, func(k int, data []byte) error {
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return err
		}
		want, _ := sc.Frame(frames[k])
		// The red ball's centre has the ball's colour on its frame only.
		x0, y0, x1, y1, _ := sc.Truth("red", frames[k]).BBox()
		if r, g, _, _ := img.At((x0+x1)/2, (y0+y1)/2).RGBA(); r>>8 < 150 || g>>8 > 100 || img.Bounds() != want.Bounds() {
			t.Errorf("frame %d: the ball's centre is %d,%d,…; want red", frames[k], r>>8, g>>8)
		}
		got = append(got, k)
		return nil
	})
	if err != nil || len(got) != len(frames) || got[0] != 0 || got[4] != 4 {
		t.Fatalf("frames %v, %v; want 0..4 in order", got, err)
	}

	gone := errors.New("connection reset")
	calls := 0
	err = pics.Frames(t.Context(), rec.Media, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, func(k int, _ []byte) error {
		calls++
		if k == 2 {
			return gone
		}
		return nil
	})
	if !errors.Is(err, gone) || calls != 3 {
		t.Errorf("a failing writer: %v after %d calls; want its error after 3", err, calls)
	}
}
