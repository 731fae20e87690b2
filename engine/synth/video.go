package synth

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"os/exec"
	"strconv"

	"github.com/samwise-app/samwise/engine/mask"
)

// Mover is a flat-coloured shape moving along a path.
type Mover struct {
	Name  string
	Color color.NRGBA
	// R is the disc radius, or half the side of a square.
	R      float64
	Square bool
	// Pos gives the centre at frame t.
	Pos func(t int) (x, y float64)
}

func (m *Mover) covers(px, py, cx, cy float64) bool {
	if m.Square {
		return math.Abs(px-cx) <= m.R && math.Abs(py-cy) <= m.R
	}
	return (px-cx)*(px-cx)+(py-cy)*(py-cy) <= m.R*m.R
}

// MovingScene is a video of movers over a gradient background; later movers
// pass in front of earlier ones.
type MovingScene struct {
	W, H, Frames int
	Movers       []Mover
	Noise        float64
	Seed         uint64
}

// Frame paints frame t and returns each mover's visible-pixel mask.
func (s *MovingScene) Frame(t int) (*image.NRGBA, map[string]*mask.Mask) {
	p := NewPainter(s.W, s.H, s.Seed+uint64(t)*7919, s.Noise)
	for i := range s.Movers {
		mv := &s.Movers[i]
		cx, cy := mv.Pos(t)
		p.Fill(mv.Name, mv.Color, func(x, y float64) bool { return mv.covers(x, y, cx, cy) })
	}
	sc := p.Scene()
	truth := map[string]*mask.Mask{}
	for _, sh := range sc.Shapes {
		truth[sh.Name] = sh.Mask
	}
	return sc.Image, truth
}

// Truth returns the visible-pixel mask of one mover on frame t.
func (s *MovingScene) Truth(name string, t int) *mask.Mask {
	_, truth := s.Frame(t)
	return truth[name]
}

// Encode writes the video with ffmpeg (H.264, near-lossless) to path.
func (s *MovingScene) Encode(ctx context.Context, path string, fps int) error {
	cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", fmt.Sprintf("%dx%d", s.W, s.H), "-r", strconv.Itoa(fps), "-i", "pipe:0",
		"-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-pix_fmt", "yuv444p", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("ffmpeg: %w", err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	rgb := make([]byte, s.W*s.H*3)
	for t := 0; t < s.Frames; t++ {
		img, _ := s.Frame(t)
		for i, j := 0, 0; i < len(rgb); i, j = i+3, j+4 {
			rgb[i], rgb[i+1], rgb[i+2] = img.Pix[j], img.Pix[j+1], img.Pix[j+2]
		}
		if _, err := w.Write(rgb); err != nil {
			break
		}
	}
	w.Flush()
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("ffmpeg: %v: %s", err, stderr.String())
	}
	return nil
}

// StandardVideo is the tracking test video (320×240): "red" (a disc) moves
// right, leaves the frame and re-enters from the left every 110 frames;
// "blue" (a square) and "green" (a disc, in front) go back and forth in
// opposite directions and cross.
func StandardVideo(frames int) *MovingScene {
	return &MovingScene{W: 320, H: 240, Frames: frames, Noise: 2, Seed: 11, Movers: []Mover{
		{Name: "red", Color: Red, R: 20, Pos: func(t int) (float64, float64) {
			return math.Mod(100+4*float64(t), 440) - 40, 60
		}},
		{Name: "blue", Color: Blue, R: 18, Square: true, Pos: func(t int) (float64, float64) {
			return 40 + triangle(3*float64(t), 240), 160
		}},
		{Name: "green", Color: Green, R: 18, Pos: func(t int) (float64, float64) {
			return 280 - triangle(3*float64(t), 240), 172
		}},
	}}
}

// triangle goes 0 → span → 0 as x grows.
func triangle(x, span float64) float64 {
	m := math.Mod(x, 2*span)
	if m > span {
		return 2*span - m
	}
	return m
}

// ConceptVideo is the concept tracking test video (320×240): "red disc"
// drifts right and stays in view; "red square" enters from the right edge
// around frame 60 and moves left; "blue square" moves back and forth.
func ConceptVideo(frames int) *MovingScene {
	return &MovingScene{W: 320, H: 240, Frames: frames, Noise: 2, Seed: 23, Movers: []Mover{
		{Name: "blue square", Color: Blue, R: 16, Square: true, Pos: func(t int) (float64, float64) {
			return 60 + triangle(2*float64(t), 200), 120
		}},
		{Name: "red disc", Color: Red, R: 18, Pos: func(t int) (float64, float64) {
			return 40 + float64(t), 55
		}},
		{Name: "red square", Color: Red, R: 16, Square: true, Pos: func(t int) (float64, float64) {
			return 340 - 2*max(0, float64(t)-50), 190
		}},
	}}
}
