// Package logfile is a size-rotated log file: when the next write would take
// the file past its limit, engine.log becomes engine.log.1 (the previous .1
// becomes .2, and so on) and a fresh engine.log is started. Only the newest
// few rotated files are kept.
package logfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Defaults used when Open gets zero values.
const (
	DefaultMaxBytes = 10 << 20
	DefaultKeep     = 3
)

// Writer appends to a log file and rotates it by size. It is safe for
// concurrent use (the engine's stdout and stderr share one).
type Writer struct {
	path     string
	maxBytes int64
	keep     int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Open opens (appending) or creates path, making its folder. maxBytes <= 0
// means DefaultMaxBytes; keep < 0 means DefaultKeep (0 keeps no rotated
// files: the file is truncated instead).
func Open(path string, maxBytes int64, keep int) (*Writer, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if keep < 0 {
		keep = DefaultKeep
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("log folder: %w", err)
	}
	w := &Writer{path: path, maxBytes: maxBytes, keep: keep}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

// Path is the current log file.
func (w *Writer) Path() string { return w.path }

func (w *Writer) open() error {
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("log file: %w", err)
	}
	w.f, w.size = f, st.Size()
	return nil
}

// Write appends p, rotating first when p would take a non-empty file past
// the limit. A single write larger than the limit goes whole into a fresh
// file (lines are never split across files by the rotator).
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, os.ErrClosed
	}
	if w.size > 0 && w.size+int64(len(p)) > w.maxBytes {
		if err := w.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := w.f.Write(p)
	w.size += int64(n)
	return n, err
}

// rotate shifts path.(i) to path.(i+1), dropping the oldest, and reopens.
func (w *Writer) rotate() error {
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("log rotation: %w", err)
	}
	w.f = nil
	if w.keep == 0 {
		if err := os.Remove(w.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("log rotation: %w", err)
		}
		return w.open()
	}
	if err := os.Remove(w.rotated(w.keep)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("log rotation: %w", err)
	}
	for i := w.keep - 1; i >= 1; i-- {
		if err := os.Rename(w.rotated(i), w.rotated(i+1)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("log rotation: %w", err)
		}
	}
	if err := os.Rename(w.path, w.rotated(1)); err != nil {
		return fmt.Errorf("log rotation: %w", err)
	}
	return w.open()
}

func (w *Writer) rotated(i int) string { return fmt.Sprintf("%s.%d", w.path, i) }

// Close closes the file; later writes fail with os.ErrClosed.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
