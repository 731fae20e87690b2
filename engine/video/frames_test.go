package video_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/video"
)

// frameFolder writes n 4×2 PNG frames whose red value is the frame index.
func frameFolder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		img := image.NewNRGBA(image.Rect(0, 0, 4, 2))
		for p := range 8 {
			img.SetNRGBA(p%4, p/4, color.NRGBA{R: uint8(i), G: uint8(p), B: 7, A: 255})
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%04d.png", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return dir
}

// countingSource counts the reads (the seeks) of a source.
type countingSource struct {
	video.Source
	starts []int
}

func (c *countingSource) Read(ctx context.Context, start int, fn func(int, []byte) error) error {
	c.starts = append(c.starts, start)
	return c.Source.Read(ctx, start, fn)
}

// ReadFrames hands over exactly the frames asked for, with their pixels,
// decoding nearby ones in one pass and seeking across long gaps.
func TestReadFrames(t *testing.T) {
	src, err := video.Open(context.Background(), frameFolder(t, 100))
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingSource{Source: src}
	want := []int{0, 1, 5, 30, 70, 71, 99}
	var got []int
	err = video.ReadFrames(context.Background(), cs, want, func(k int, img *image.NRGBA) error {
		if c := img.NRGBAAt(2, 1); int(c.R) != want[k] || c.G != 6 || c.B != 7 || c.A != 255 {
			t.Errorf("frame %d: pixel (2,1) is %v", want[k], c)
		}
		got = append(got, want[k])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("frames %v, want %v", got, want)
	}
	if !slices.Equal(cs.starts, []int{0, 70}) {
		t.Errorf("reads started at %v, want [0 70]: one pass to frame 30, a seek across the 40-frame gap", cs.starts)
	}
	img, err := video.ReadFrame(context.Background(), src, 42)
	if err != nil || img.NRGBAAt(0, 0).R != 42 {
		t.Errorf("ReadFrame(42): %v, %v", err, img.NRGBAAt(0, 0))
	}
}

func TestReadFramesRefuses(t *testing.T) {
	src, err := video.Open(context.Background(), frameFolder(t, 10))
	if err != nil {
		t.Fatal(err)
	}
	stop := fmt.Errorf("stop here")
	for _, tc := range []struct {
		frames []int
		want   string
	}{
		{[]int{3, 10}, "frame 10 is out of range: the video has frames 0 to 9"},
		{[]int{-1}, "frame -1 is out of range"},
		{[]int{4, 2}, "ascending order: 2 after 4"},
		{[]int{2, 2}, "ascending order"},
		{[]int{1, 2}, "stop here"},
	} {
		calls := 0
		err := video.ReadFrames(context.Background(), src, tc.frames, func(int, *image.NRGBA) error { calls++; return stop })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.frames, err, tc.want)
		}
		if tc.want != "stop here" && calls != 0 {
			t.Errorf("%v: %d calls before the error", tc.frames, calls)
		}
	}
}
