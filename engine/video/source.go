package video

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/samwise-app/samwise/engine/imaging"
)

// ErrStop, returned by a Read callback, ends the read without error.
var ErrStop = errors.New("stop reading")

// Source reads frames of one video.
type Source interface {
	Info() Info
	// Read calls fn for frames start, start+1, ... in order with the frame's
	// RGB bytes (w*h*3, only valid during the call) until the end, ErrStop,
	// an error or ctx.
	Read(ctx context.Context, start int, fn func(i int, rgb []byte) error) error
}

// Open opens a video file or frames folder (probing it).
func Open(ctx context.Context, path string) (Source, error) {
	info, err := Probe(ctx, path)
	if err != nil {
		return nil, err
	}
	if info.Folder {
		files, err := folderFrames(path)
		if err != nil {
			return nil, err
		}
		return &folderSource{info: info, files: files}, nil
	}
	return &ffmpegSource{path: path, info: info}, nil
}

// ReadFrame returns one frame as an image.
func ReadFrame(ctx context.Context, src Source, i int) (*image.NRGBA, error) {
	var out *image.NRGBA
	err := ReadFrames(ctx, src, []int{i}, func(_ int, img *image.NRGBA) error {
		out = img // ReadFrames made it for this call alone
		return nil
	})
	return out, err
}

type ffmpegSource struct {
	path string
	info Info

	once sync.Once
	pts  []float64
	err  error
}

func (s *ffmpegSource) Info() Info { return s.info }

// seekTime is the time to seek to for frame i: half-way between frames i-1
// and i, so rounding cannot drop or add a frame.
func (s *ffmpegSource) seekTime(ctx context.Context, i int) (float64, error) {
	if i == 0 {
		return 0, nil
	}
	s.once.Do(func() { s.pts, s.err = Timestamps(ctx, s.path) })
	if s.err != nil {
		return 0, s.err
	}
	if i >= len(s.pts) {
		return 0, fmt.Errorf("frame %d is beyond the %d frame timestamps", i, len(s.pts))
	}
	return (s.pts[i-1]+s.pts[i])/2 - s.pts[0], nil
}

func (s *ffmpegSource) Read(ctx context.Context, start int, fn func(int, []byte) error) error {
	if start < 0 || start >= s.info.Frames {
		return fmt.Errorf("frame %d is out of range: the video has frames 0 to %d", start, s.info.Frames-1)
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return ErrNoFFmpeg
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	if start > 0 {
		t, err := s.seekTime(ctx, start)
		if err != nil {
			return err
		}
		args = append(args, "-ss", strconv.FormatFloat(t, 'f', 6, 64))
	}
	args = append(args, "-i", s.path, "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(cctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &limited{b: &stderr, n: 4096}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	r := bufio.NewReaderSize(out, 1<<20)
	buf := make([]byte, s.info.Width*s.info.Height*3)
	i := start
	var ferr error
	for ; i < s.info.Frames; i++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			ferr = err
			break
		}
		if err := fn(i, buf); err != nil {
			if !errors.Is(err, ErrStop) {
				ferr = err
			}
			i = -1
			break
		}
	}
	cancel()
	werr := cmd.Wait()
	switch {
	case ferr != nil:
		return ferr
	case ctx.Err() != nil:
		return ctx.Err()
	case i >= 0 && i < s.info.Frames:
		msg := strings.TrimSpace(stderr.String())
		if werr != nil && msg == "" {
			msg = werr.Error()
		}
		return fmt.Errorf("the video ended at frame %d of %d (truncated or unreadable): %s", i, s.info.Frames, msg)
	}
	return nil
}

func probeFolder(dir string) (Info, error) {
	files, err := folderFrames(dir)
	if err != nil {
		return Info{}, err
	}
	if len(files) == 0 {
		return Info{}, fmt.Errorf("folder %s holds no JPEG or PNG frames", dir)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return Info{}, err
	}
	w, h, _, err := imaging.DecodeConfig(data)
	if err != nil {
		return Info{}, fmt.Errorf("%s: %w", files[0], err)
	}
	return Info{Width: w, Height: h, Frames: len(files), FPS: 0, Codec: "frames", Folder: true}, nil
}

type folderSource struct {
	info  Info
	files []string
}

func (s *folderSource) Info() Info { return s.info }

func (s *folderSource) Read(ctx context.Context, start int, fn func(int, []byte) error) error {
	if start < 0 || start >= len(s.files) {
		return fmt.Errorf("frame %d is out of range: the video has frames 0 to %d", start, len(s.files)-1)
	}
	buf := make([]byte, s.info.Width*s.info.Height*3)
	for i := start; i < len(s.files); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := os.ReadFile(s.files[i])
		if err != nil {
			return err
		}
		img, _, err := imaging.Decode(data)
		if err != nil {
			return fmt.Errorf("frame %d (%s): %w", i, s.files[i], err)
		}
		b := img.Bounds()
		if b.Dx() != s.info.Width || b.Dy() != s.info.Height {
			return fmt.Errorf("frame %d (%s) is %dx%d; frames must all be %dx%d", i, s.files[i], b.Dx(), b.Dy(), s.info.Width, s.info.Height)
		}
		toRGB(img, buf)
		if err := fn(i, buf); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// toRGB writes img's pixels as packed RGB.
func toRGB(img image.Image, dst []byte) {
	b := img.Bounds()
	if n, ok := img.(*image.NRGBA); ok {
		for y := 0; y < b.Dy(); y++ {
			row := n.Pix[y*n.Stride:]
			for x := 0; x < b.Dx(); x++ {
				o := (y*b.Dx() + x) * 3
				dst[o], dst[o+1], dst[o+2] = row[4*x], row[4*x+1], row[4*x+2]
			}
		}
		return
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			o := (y*b.Dx() + x) * 3
			dst[o], dst[o+1], dst[o+2] = byte(r>>8), byte(g>>8), byte(bl>>8)
		}
	}
}
