// Package video reads videos for the tracker: ffprobe for metadata and
// frame timestamps, an ffmpeg subprocess for frames (rawvideo rgb24,
// -fps_mode passthrough so indices are real decoded frames), and folders of
// JPEG/PNG frames. Frames are streamed, never all held in memory.
package video

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Info describes a video.
type Info struct {
	Width, Height int
	Frames        int
	FPS           float64
	Codec         string
	// Folder is true for a folder of image frames.
	Folder bool
}

// ErrNoFFmpeg means ffmpeg or ffprobe is not installed.
var ErrNoFFmpeg = errors.New("ffmpeg is not installed (apt-get install ffmpeg, or run make setup-run)")

// Probe inspects a video file or a folder of frames.
func Probe(ctx context.Context, path string) (Info, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return probeFolder(path)
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		return Info{}, ErrNoFFmpeg
	}
	out, err := run(ctx, "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
		"-show_entries", "stream=width,height,r_frame_rate,avg_frame_rate,nb_read_packets,codec_name:stream_side_data=rotation",
		"-of", "json", path)
	if err != nil {
		return Info{}, err
	}
	var doc struct {
		Streams []struct {
			Width        int    `json:"width"`
			Height       int    `json:"height"`
			AvgFrameRate string `json:"avg_frame_rate"`
			RFrameRate   string `json:"r_frame_rate"`
			Packets      string `json:"nb_read_packets"`
			Codec        string `json:"codec_name"`
			SideData     []struct {
				Rotation float64 `json:"rotation"`
			} `json:"side_data_list"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return Info{}, fmt.Errorf("ffprobe output: %w", err)
	}
	if len(doc.Streams) == 0 {
		return Info{}, errors.New("no video stream")
	}
	s := doc.Streams[0]
	n, _ := strconv.Atoi(s.Packets)
	if s.Width <= 0 || s.Height <= 0 || n <= 0 {
		return Info{}, fmt.Errorf("video stream has size %dx%d and %d frames", s.Width, s.Height, n)
	}
	info := Info{Width: s.Width, Height: s.Height, Frames: n, Codec: s.Codec, FPS: rate(s.AvgFrameRate)}
	if info.FPS == 0 {
		info.FPS = rate(s.RFrameRate)
	}
	for _, sd := range s.SideData {
		if r := int(sd.Rotation) % 180; r == 90 || r == -90 {
			// ffmpeg auto-rotates on decode: frames come out transposed.
			info.Width, info.Height = info.Height, info.Width
		}
	}
	return info, nil
}

// Timestamps returns the presentation time of every frame in order (from
// packet timestamps, without decoding).
func Timestamps(ctx context.Context, path string) ([]float64, error) {
	out, err := run(ctx, "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", path)
	if err != nil {
		return nil, err
	}
	var ts []float64
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), ","))
		if line == "" || line == "N/A" {
			continue
		}
		v, err := strconv.ParseFloat(line, 64)
		if err != nil {
			return nil, fmt.Errorf("ffprobe timestamp %q: %w", line, err)
		}
		ts = append(ts, v)
	}
	sort.Float64s(ts)
	return ts, nil
}

func rate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	n, err1 := strconv.ParseFloat(num, 64)
	if !ok {
		return n
	}
	d, err2 := strconv.ParseFloat(den, 64)
	if err1 != nil || err2 != nil || d == 0 {
		return 0
	}
	return n / d
}

// run runs a tool and returns stdout, or an error with its stderr.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &limited{b: &stderr, n: 4096}
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%s: %s", name, msg)
	}
	return out, nil
}

// limited keeps the first n bytes written to it.
type limited struct {
	b *bytes.Buffer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		l.b.Write(p[:room])
	}
	return len(p), nil
}

// frameExts are the image files a frames folder may hold.
var frameExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true}

// folderFrames lists a folder's frame files in name order.
func folderFrames(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && frameExts[strings.ToLower(filepath.Ext(e.Name()))] {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}
