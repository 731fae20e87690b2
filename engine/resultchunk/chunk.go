// Package resultchunk is how a job's per-frame results travel through object storage:
// chunks of consecutive results as NDJSON (one api.FrameResult per line), written by the
// engine that produces them (a GPU worker, through presigned PUT URLs) and read back by
// the engine that owns the job.
package resultchunk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/samwise-app/samwise/engine/api"
)

// MaxLine bounds one encoded frame (every object's RLE mask of a large frame).
const MaxLine = 64 << 20

// Count is how many chunks of size results total needs.
func Count(total, size int) int {
	if total <= 0 || size <= 0 {
		return 0
	}
	return (total + size - 1) / size
}

// Span is the results of chunk i: [first, first+n).
func Span(i, total, size int) (first, n int) {
	first = i * size
	return first, max(0, min(size, total-first))
}

// Encode writes frames as NDJSON.
func Encode(frames []api.FrameResult) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // one line per value
	for i := range frames {
		if err := enc.Encode(&frames[i]); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// Decode reads a chunk that must hold exactly n results.
func Decode(data []byte, n int) ([]api.FrameResult, error) {
	if n < 0 {
		return nil, fmt.Errorf("a chunk of %d results", n)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	out := make([]api.FrameResult, 0, min(n, 1024))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if len(out) == n {
			return nil, fmt.Errorf("the chunk holds more than the %d results it should", n)
		}
		var fr api.FrameResult
		if err := json.Unmarshal(line, &fr); err != nil {
			return nil, fmt.Errorf("result %d of the chunk: %w", len(out)+1, err)
		}
		out = append(out, fr)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the chunk: %w", err)
	}
	if len(out) != n {
		return nil, fmt.Errorf("the chunk holds %d results, want %d", len(out), n)
	}
	return out, nil
}

// Validate checks an upload request for a job of total results.
func Validate(u *api.ResultsUpload, total int) error {
	switch {
	case u.ChunkFrames < 1 || u.ChunkFrames > 10000:
		return fmt.Errorf("results_upload.chunk_frames %d must be between 1 and 10000", u.ChunkFrames)
	case len(u.URLs) != Count(total, u.ChunkFrames):
		return fmt.Errorf("results_upload has %d urls; the job produces %d results, %d chunks of %d", len(u.URLs), total, Count(total, u.ChunkFrames), u.ChunkFrames)
	}
	for i, raw := range u.URLs {
		if err := checkURL(raw); err != nil {
			return fmt.Errorf("results_upload.urls[%d]: %w", i, err)
		}
	}
	return nil
}

var errURL = errors.New("not an http(s) URL with a host")
