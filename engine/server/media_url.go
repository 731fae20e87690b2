package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/store"
)

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// errDigest ends a download whose bytes do not have the SHA-256 the request named.
var errDigest = errors.New("the downloaded bytes do not have the expected sha256")

// checkMediaURL accepts https URLs, and http ones only to a loopback host (a local test
// server), without credentials in the URL.
func checkMediaURL(raw string) (*url.URL, error) {
	bad := func(msg string) error { return &segment.InputError{Field: "url", Msg: msg} }
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, bad("not an absolute URL: give an https URL such as a presigned R2 GET")
	}
	if u.User != nil {
		return nil, bad("credentials in the URL are not accepted: use a presigned URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, bad("plain http is accepted only for loopback hosts: use https")
		}
	default:
		return nil, bad(fmt.Sprintf("scheme %q: use https", u.Scheme))
	}
	return u, nil
}

// fetchMedia downloads a media file by URL into the library (GPU workers read media from
// presigned R2 URLs): the same size limit as uploads, redirects checked like the URL, and,
// when the request names one, the SHA-256 verified before anything is recorded.
func (s *Server) fetchMedia(ctx context.Context, req *api.MediaRequest) (*store.Media, error) {
	u, err := checkMediaURL(req.URL)
	if err != nil {
		return nil, err
	}
	want := strings.ToLower(req.SHA256)
	if want != "" && !sha256RE.MatchString(want) {
		return nil, &segment.InputError{Field: "sha256", Msg: "give the 64 hex characters of the file's SHA-256"}
	}
	client := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		_, err := checkMediaURL(r.URL.String())
		return err
	}}
	hreq, err := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, &segment.InputError{Field: "url", Msg: fmt.Sprintf("fetching %s failed: %v", redactQuery(u), err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &segment.InputError{Field: "url", Msg: fmt.Sprintf("fetching %s answered %d (an expired presigned URL answers 403)", redactQuery(u), resp.StatusCode)}
	}
	body := io.Reader(resp.Body)
	if want != "" {
		body = &digestReader{r: resp.Body, h: sha256.New(), want: want}
	}
	m, err := s.deps.Media.Upload(ctx, path.Base(u.Path), body, s.cfg.MaxBody)
	if errors.Is(err, errDigest) {
		return nil, &segment.InputError{Field: "sha256", Msg: errDigest.Error()}
	}
	return m, err
}

// redactQuery drops the query (a presigned URL's signature) from a URL shown in messages.
func redactQuery(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	return c.String()
}

// digestReader hashes what it reads and fails at the end when the digest is not want.
type digestReader struct {
	r    io.Reader
	h    hash.Hash
	want string
}

func (d *digestReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(d.h.Sum(nil)) != d.want {
		return n, errDigest
	}
	return n, err
}
