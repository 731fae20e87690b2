// Package modeltest provides a loopback stand-in for the Hugging Face hub
// (tree API with pagination and LFS metadata, resolve with a redirect to a
// separate storage host and HTTP ranges) with fault injection and counters,
// for tests of model pulls.
package modeltest

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// File is one file of a fake repository. LFS files are listed with their
// sha256 and downloaded through a redirect to the storage host, like the
// real hub's large files; others are served by the hub itself.
type File struct {
	Path string
	Data []byte
	LFS  bool
}

// Fault injects failures into one file's listing or download. Offsets are
// absolute positions in the file, so a fault does not fire again on a request
// that resumes past it.
type Fault struct {
	// CutAfter > 0 closes the connection once the body has reached this
	// offset (the response promised more).
	CutAfter int64
	// StallAfter > 0 stops sending at this offset and waits until the client
	// goes away; the file's path is sent on Hub.Stalled.
	StallAfter int64
	// IgnoreRange answers range requests with 200 and the whole file.
	IgnoreRange bool
	// WrongSHA256 lists a wrong lfs.oid for an LFS file.
	WrongSHA256 bool
	// WrongOID lists a wrong git oid for a non-LFS file.
	WrongOID bool
}

// Request records one request for a file's content.
type Request struct {
	Server string // "hub" or "cdn"
	Path   string // file path in the repository
	Range  string // the Range header, if any
	Status int
	Bytes  int64 // body bytes written
	Auth   bool  // whether an Authorization header came with it
}

// Hub is a fake Hugging Face hub on loopback. Its storage ("CDN") is a second
// server reached by another host name, as with the real hub.
type Hub struct {
	// URL is the hub's endpoint (for Puller.Endpoint).
	URL string
	// Stalled receives the path of a file each time a StallAfter fault fires
	// (dropped when its buffer of 16 is full).
	Stalled chan string

	hub, cdn *httptest.Server
	cdnURL   string

	mu           sync.Mutex
	token        string
	pageSize     int
	repos        map[string]map[string][]stored // repo → revision → files
	faults       map[string]Fault
	requests     []Request
	treeRequests int
	treeAuth     int
}

// stored is a File with its hashes worked out once.
type stored struct {
	File
	sha256, gitOID, pointerOID string
	pointerSize                int64
}

// NewHub starts a hub that is closed when the test ends.
func NewHub(t testing.TB) *Hub {
	h := &Hub{Stalled: make(chan string, 16), pageSize: 3, repos: map[string]map[string][]stored{}, faults: map[string]Fault{}}
	h.hub = httptest.NewServer(http.HandlerFunc(h.serveHub))
	h.cdn = httptest.NewServer(http.HandlerFunc(h.serveCDN))
	h.URL = h.hub.URL
	// Another host name, so that clients treat it as a different site.
	h.cdnURL = strings.Replace(h.cdn.URL, "127.0.0.1", "localhost", 1)
	t.Cleanup(func() {
		h.hub.Close()
		h.cdn.Close()
	})
	return h
}

// AddRepo adds (or replaces) a repository's files at a revision.
func (h *Hub) AddRepo(repo, revision string, files ...File) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.repos[repo] == nil {
		h.repos[repo] = map[string][]stored{}
	}
	var st []stored
	for _, f := range files {
		s := stored{File: f, sha256: SHA256(f.Data), gitOID: GitBlobSHA1(f.Data)}
		ptr := lfsPointer(s.sha256, len(f.Data))
		s.pointerOID, s.pointerSize = GitBlobSHA1(ptr), int64(len(ptr))
		st = append(st, s)
	}
	h.repos[repo][revision] = st
}

// SetToken makes the hub answer 401 (X-Error-Code GatedRepo) to requests
// without "Authorization: Bearer <token>"; "" lets everyone in.
func (h *Hub) SetToken(token string) {
	h.mu.Lock()
	h.token = token
	h.mu.Unlock()
}

// SetPageSize sets how many tree entries each listing page holds.
func (h *Hub) SetPageSize(n int) {
	h.mu.Lock()
	h.pageSize = n
	h.mu.Unlock()
}

// SetFault sets (Fault{} clears) the fault of the file at path.
func (h *Hub) SetFault(path string, f Fault) {
	h.mu.Lock()
	h.faults[path] = f
	h.mu.Unlock()
}

// Requests returns the content requests made for the file at path, in order.
func (h *Hub) Requests(path string) []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Request
	for _, r := range h.requests {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// AllRequests returns every content request, in order.
func (h *Hub) AllRequests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.requests...)
}

// BytesServed is the body bytes sent for the file at path so far.
func (h *Hub) BytesServed(path string) int64 {
	var n int64
	for _, r := range h.Requests(path) {
		n += r.Bytes
	}
	return n
}

// TreeRequests returns how many listing pages were requested, and how many
// of those carried an Authorization header.
func (h *Hub) TreeRequests() (pages, withAuth int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.treeRequests, h.treeAuth
}

// ResetCounters forgets recorded requests.
func (h *Hub) ResetCounters() {
	h.mu.Lock()
	h.requests, h.treeRequests, h.treeAuth = nil, 0, 0
	h.mu.Unlock()
}

func (h *Hub) record(r Request) {
	h.mu.Lock()
	h.requests = append(h.requests, r)
	h.mu.Unlock()
}

// segments splits an escaped URL path into unescaped segments.
func segments(u *url.URL) []string {
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, p := range parts {
		if s, err := url.PathUnescape(p); err == nil {
			parts[i] = s
		}
	}
	return parts
}

func hubError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Error-Code", code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func (h *Hub) serveHub(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	token := h.token
	h.mu.Unlock()
	seg := segments(r.URL)
	if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
		hubError(w, http.StatusUnauthorized, "GatedRepo", "Access to this model is restricted. You must have access to it and be authenticated to access it.")
		return
	}
	switch {
	case len(seg) >= 6 && seg[0] == "api" && seg[1] == "models" && seg[4] == "tree":
		h.serveTree(w, r, seg[2]+"/"+seg[3], seg[5])
	case len(seg) >= 5 && seg[2] == "resolve":
		h.serveResolve(w, r, seg[0]+"/"+seg[1], seg[3], strings.Join(seg[4:], "/"))
	default:
		hubError(w, http.StatusNotFound, "", "Not Found")
	}
}

// lookup finds a repository revision's files, answering 404 itself.
func (h *Hub) lookup(w http.ResponseWriter, repo, revision string) ([]stored, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	revs, ok := h.repos[repo]
	if !ok {
		hubError(w, http.StatusNotFound, "RepoNotFound", "Repository not found")
		return nil, false
	}
	files, ok := revs[revision]
	if !ok {
		hubError(w, http.StatusNotFound, "RevisionNotFound", "Invalid rev id: "+revision)
		return nil, false
	}
	return files, true
}

type treeEntry struct {
	Type string   `json:"type"`
	OID  string   `json:"oid"`
	Size int64    `json:"size"`
	Path string   `json:"path"`
	LFS  *lfsInfo `json:"lfs,omitempty"`
}

type lfsInfo struct {
	OID         string `json:"oid"`
	Size        int64  `json:"size"`
	PointerSize int64  `json:"pointerSize"`
}

// GitBlobSHA1 is the git object id of content: SHA-1 of "blob <n>\x00" + content.
func GitBlobSHA1(data []byte) string {
	s := sha1.New()
	fmt.Fprintf(s, "blob %d\x00", len(data))
	s.Write(data)
	return hex.EncodeToString(s.Sum(nil))
}

// SHA256 is the hex sha256 of data.
func SHA256(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func lfsPointer(sha256 string, size int) []byte {
	return fmt.Appendf(nil, "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n", sha256, size)
}

func (h *Hub) serveTree(w http.ResponseWriter, r *http.Request, repo, revision string) {
	h.mu.Lock()
	h.treeRequests++
	if r.Header.Get("Authorization") != "" {
		h.treeAuth++
	}
	pageSize := h.pageSize
	h.mu.Unlock()
	files, ok := h.lookup(w, repo, revision)
	if !ok {
		return
	}
	var entries []treeEntry
	dirs := map[string]bool{}
	for _, f := range files {
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			if !dirs[d] {
				dirs[d] = true
				entries = append(entries, treeEntry{Type: "directory", OID: GitBlobSHA1([]byte(d)), Path: d})
			}
		}
		h.mu.Lock()
		fault := h.faults[f.Path]
		h.mu.Unlock()
		e := treeEntry{Type: "file", Size: int64(len(f.Data)), Path: f.Path}
		if f.LFS {
			e.OID = f.pointerOID
			e.LFS = &lfsInfo{OID: f.sha256, Size: int64(len(f.Data)), PointerSize: f.pointerSize}
			if fault.WrongSHA256 {
				e.LFS.OID = SHA256([]byte("not " + f.sha256))
			}
		} else {
			e.OID = f.gitOID
			if fault.WrongOID {
				e.OID = GitBlobSHA1([]byte("not " + f.gitOID))
			}
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	start = max(0, min(start, len(entries)))
	if pageSize <= 0 {
		pageSize = len(entries) + 1
	}
	end := min(start+pageSize, len(entries))
	if end < len(entries) {
		next := fmt.Sprintf("%s/api/models/%s/tree/%s?recursive=true&cursor=%d", h.URL, repo, url.PathEscape(revision), end)
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next))
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(entries[start:end])
}

func (h *Hub) find(files []stored, p string) (stored, bool) {
	for _, f := range files {
		if f.Path == p {
			return f, true
		}
	}
	return stored{}, false
}

func (h *Hub) serveResolve(w http.ResponseWriter, r *http.Request, repo, revision, p string) {
	files, ok := h.lookup(w, repo, revision)
	if !ok {
		return
	}
	f, ok := h.find(files, p)
	if !ok {
		hubError(w, http.StatusNotFound, "EntryNotFound", p+" does not exist on "+revision)
		return
	}
	if f.LFS {
		q := url.Values{"repo": {repo}, "rev": {revision}, "path": {p}, "X-Amz-Signature": {"fake"}}
		http.Redirect(w, r, h.cdnURL+"/blobs/"+f.sha256+"?"+q.Encode(), http.StatusFound)
		h.record(Request{Server: "hub", Path: p, Range: r.Header.Get("Range"), Status: http.StatusFound, Auth: r.Header.Get("Authorization") != ""})
		return
	}
	h.serveContent(w, r, "hub", f)
}

func (h *Hub) serveCDN(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	files, ok := h.lookup(w, q.Get("repo"), q.Get("rev"))
	if !ok {
		return
	}
	f, ok := h.find(files, q.Get("path"))
	if !ok || !strings.HasSuffix(r.URL.Path, "/"+f.sha256) {
		http.Error(w, "no such blob", http.StatusNotFound)
		return
	}
	h.serveContent(w, r, "cdn", f)
}

// serveContent answers with the file or the requested range of it, applying
// the file's faults.
func (h *Hub) serveContent(w http.ResponseWriter, r *http.Request, server string, f stored) {
	h.mu.Lock()
	fault := h.faults[f.Path]
	h.mu.Unlock()
	size := int64(len(f.Data))
	rec := Request{Server: server, Path: f.Path, Range: r.Header.Get("Range"), Auth: r.Header.Get("Authorization") != ""}
	start, status := int64(0), http.StatusOK
	if rng := rec.Range; rng != "" && !fault.IgnoreRange {
		s, ok := parseRange(rng)
		if !ok || s >= size {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			rec.Status = http.StatusRequestedRangeNotSatisfiable
			h.record(rec)
			return
		}
		start, status = s, http.StatusPartialContent
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", s, size-1, size))
	}
	rec.Status = status
	w.Header().Set("Accept-Ranges", "bytes")
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(size-start, 10))
	w.WriteHeader(status)
	end := size
	cut, stall := false, false
	if fault.CutAfter > start && fault.CutAfter < size {
		end, cut = fault.CutAfter, true
	} else if fault.StallAfter > start && fault.StallAfter < size {
		end, stall = fault.StallAfter, true
	}
	n, _ := w.Write(f.Data[start:end])
	rec.Bytes = int64(n)
	h.record(rec)
	if cut || stall {
		w.(http.Flusher).Flush()
	}
	if stall {
		select {
		case h.Stalled <- f.Path:
		default: // nobody is listening
		}
		<-r.Context().Done()
		return
	}
	if cut {
		panic(http.ErrAbortHandler)
	}
}

// parseRange reads "bytes=N-" (or "bytes=N-M", served to the end).
func parseRange(h string) (int64, bool) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return 0, false
	}
	a, _, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(a, 10, 64)
	return n, err == nil && n >= 0
}
