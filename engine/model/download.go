package model

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/samwise-app/samwise/internal/wait"
)

// remoteFile is one file to download from a hub repository.
type remoteFile struct {
	Repo, Revision, Path string
	Size                 int64
	SHA256               string // the LFS oid; "" for a file stored in git
	GitOID               string // the git blob SHA-1, checked when SHA256 is ""
}

func remoteFrom(repo, revision string, e TreeEntry) remoteFile {
	f := remoteFile{Repo: repo, Revision: revision, Path: e.Path, Size: e.Size, GitOID: e.OID}
	if e.LFS != nil {
		f.SHA256 = strings.ToLower(e.LFS.OID)
		f.Size = e.LFS.Size
	}
	return f
}

var errStalled = errors.New("no data received for too long")

// fetch makes sure stage/<path> holds the file, verified, and returns its
// sha256. It resumes from stage/<path>.part, left by an interrupted run.
func (p *Puller) fetch(ctx context.Context, stage string, f remoteFile) (string, error) {
	final := filepath.Join(stage, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", err
	}
	if fi, err := os.Stat(final); err == nil {
		// Finished by an earlier run; the listing may have changed since.
		if fi.Mode().IsRegular() && fi.Size() == f.Size {
			h := newFileHasher(f)
			if err := hashInto(ctx, final, h); err != nil {
				return "", err
			}
			if sum, err := h.check(f); err == nil {
				p.progress(f.Path, f.Size, f.Size)
				return sum, nil
			}
		}
		if err := os.Remove(final); err != nil {
			return "", err
		}
	}
	part := final + ".part"
	for attempt := 0; ; attempt++ {
		sum, err := p.download(ctx, f, part)
		if err == nil {
			if err := os.Rename(part, final); err != nil {
				return "", err
			}
			return sum, nil
		}
		if ctx.Err() != nil || attempt >= p.Retries || !retryable(err) {
			return "", err
		}
		delay := min(time.Duration(1<<attempt)*500*time.Millisecond, 30*time.Second)
		if err := wait.Sleep(ctx, delay); err != nil {
			return "", fmt.Errorf("%s: %w", f.Path, err)
		}
	}
}

func retryable(err error) bool {
	var hm *HashMismatchError
	var he *HubError
	switch {
	case errors.As(err, &hm), errors.Is(err, errTooLong):
		return false
	case errors.As(err, &he):
		return he.retryable()
	}
	return true
}

var errTooLong = errors.New("the server sent more bytes than the hub lists")

// download brings part up to the full file, resuming from its current
// length, and checks the whole content. A part that fails the check is
// deleted; any other failure keeps it for the next attempt.
func (p *Puller) download(ctx context.Context, f remoteFile, part string) (string, error) {
	fh, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return "", err
	}
	have := fi.Size()
	if have > f.Size {
		have = 0
		if err := fh.Truncate(0); err != nil {
			return "", err
		}
	}
	// A 200 to a range request, a 416 on a bad part or an odd 206 restart
	// the file; three rounds are plenty.
	for round := 0; round < 3; round++ {
		sum, again, err := p.round(ctx, fh, f, &have)
		if err != nil {
			if errors.Is(err, errTooLong) || errors.As(err, new(*HashMismatchError)) {
				fh.Close()
				os.Remove(part)
			}
			return "", err
		}
		if !again {
			return sum, nil
		}
		have = 0
		if err := fh.Truncate(0); err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("%s: the server keeps answering range requests inconsistently; try again later", f.Path)
}

// round makes one request for the rest of the file and appends the answer.
// again asks the caller to restart the file from byte 0.
func (p *Puller) round(ctx context.Context, fh *os.File, f remoteFile, have *int64) (sum string, again bool, err error) {
	h := newFileHasher(f)
	if *have > 0 {
		if _, err := fh.Seek(0, io.SeekStart); err != nil {
			return "", false, err
		}
		if _, err := io.CopyBuffer(h, io.LimitReader(ctxReader{ctx, fh}, *have), make([]byte, copyBufSize)); err != nil {
			return "", false, fmt.Errorf("%s: re-reading the partial download: %w", f.Path, err)
		}
	}
	dctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := p.stallTimeout()
	timer := time.AfterFunc(stall, func() { cancel(errStalled) })
	defer timer.Stop()
	resp, err := p.get(dctx, f, *have)
	if err != nil {
		return "", false, p.transferError(ctx, dctx, f, *have, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
		if start, ok := contentRangeStart(resp.Header.Get("Content-Range")); !ok || start != *have {
			return "", true, nil
		}
	case http.StatusOK:
		if *have > 0 { // the server ignored the range: start over
			*have = 0
			if err := fh.Truncate(0); err != nil {
				return "", false, err
			}
			h = newFileHasher(f)
		}
	case http.StatusRequestedRangeNotSatisfiable:
		if *have == f.Size { // complete already: check it
			if sum, err := h.check(f); err == nil {
				p.progress(f.Path, *have, f.Size)
				return sum, false, fh.Sync()
			}
		}
		return "", true, nil
	default:
		return "", false, p.statusError(resp, f.Repo, f.Revision, f.Path)
	}
	if err := p.receive(ctx, dctx, func() { timer.Reset(stall) }, resp.Body, fh, h, f, have); err != nil {
		return "", false, err
	}
	if err := fh.Sync(); err != nil {
		return "", false, err
	}
	sum, err = h.check(f)
	return sum, false, err
}

// get requests the file from offset have on.
func (p *Puller) get(ctx context.Context, f remoteFile, have int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.fileURL(f.Repo, f.Revision, f.Path), nil)
	if err != nil {
		return nil, err
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	// Compressed transfer would defeat ranges and byte counts.
	req.Header.Set("Accept-Encoding", "identity")
	return p.do(req)
}

// receive appends body to fh and h, reporting progress, until the file is
// complete; alive is called whenever data arrives. *have tracks the bytes in
// fh.
func (p *Puller) receive(ctx, dctx context.Context, alive func(), body io.Reader, fh *os.File, h io.Writer, f remoteFile, have *int64) error {
	if _, err := fh.Seek(*have, io.SeekStart); err != nil {
		return err
	}
	p.progress(f.Path, *have, f.Size)
	buf := make([]byte, 256<<10)
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			alive()
			if int64(n) > f.Size-*have {
				return fmt.Errorf("%s: %w (%d)", f.Path, errTooLong, f.Size)
			}
			if _, err := fh.Write(buf[:n]); err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
			h.Write(buf[:n])
			*have += int64(n)
			p.progress(f.Path, *have, f.Size)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return p.transferError(ctx, dctx, f, *have, rerr)
		}
	}
	if *have < f.Size {
		return fmt.Errorf("%s: the connection closed after %d of %d bytes: %w", f.Path, *have, f.Size, io.ErrUnexpectedEOF)
	}
	return nil
}

// transferError explains a failed request or read: cancelled, stalled or a
// network error.
func (p *Puller) transferError(ctx, dctx context.Context, f remoteFile, have int64, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%s: stopped after %d of %d bytes: %w", f.Path, have, f.Size, ctx.Err())
	case errors.Is(context.Cause(dctx), errStalled):
		return fmt.Errorf("%s: stopped after %d of %d bytes: %w", f.Path, have, f.Size, errStalled)
	}
	return fmt.Errorf("%s: stopped after %d of %d bytes: %w", f.Path, have, f.Size, err)
}

func (p *Puller) stallTimeout() time.Duration {
	if p.StallTimeout <= 0 {
		return time.Minute
	}
	return p.StallTimeout
}

func (p *Puller) progress(file string, done, total int64) {
	if p.Progress != nil {
		p.Progress(file, done, total)
	}
}

// contentRangeStart parses the first byte position of "bytes a-b/n".
func contentRangeStart(h string) (int64, bool) {
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return 0, false
	}
	a, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	return n, err == nil
}

// fileHasher computes a file's sha256 and, for files stored in git, its git
// blob SHA-1 (the SHA-1 of "blob <size>\x00" + content).
type fileHasher struct {
	sha256 hash.Hash
	git    hash.Hash
}

func newFileHasher(f remoteFile) *fileHasher {
	h := &fileHasher{sha256: sha256.New()}
	if f.SHA256 == "" {
		h.git = sha1.New()
		fmt.Fprintf(h.git, "blob %d\x00", f.Size)
	}
	return h
}

func (h *fileHasher) Write(b []byte) (int, error) {
	h.sha256.Write(b)
	if h.git != nil {
		h.git.Write(b)
	}
	return len(b), nil
}

// check compares the sums with what the hub lists and returns the sha256.
func (h *fileHasher) check(f remoteFile) (string, error) {
	sum := hex.EncodeToString(h.sha256.Sum(nil))
	if f.SHA256 != "" {
		if sum != f.SHA256 {
			return "", &HashMismatchError{Path: f.Path, Algorithm: "sha256", Got: sum, Want: f.SHA256}
		}
		return sum, nil
	}
	if got := hex.EncodeToString(h.git.Sum(nil)); got != strings.ToLower(f.GitOID) {
		return "", &HashMismatchError{Path: f.Path, Algorithm: "git blob sha1", Got: got, Want: f.GitOID}
	}
	return sum, nil
}

// hashInto feeds the file at p to w.
func hashInto(ctx context.Context, p string, w io.Writer) error {
	fh, err := os.Open(p)
	if err != nil {
		return err
	}
	defer fh.Close()
	_, err = io.CopyBuffer(w, ctxReader{ctx, fh}, make([]byte, copyBufSize))
	return err
}
