package model

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// DefaultEndpoint is the public Hugging Face hub.
const DefaultEndpoint = "https://huggingface.co"

var (
	// ErrGated is returned (wrapped) when the hub refuses access (401/403):
	// the repository is gated or private and needs a token with access.
	ErrGated = errors.New("repository is gated or private")
	// ErrRepoNotFound is returned (wrapped) when the hub answers 404 for a
	// repository, revision or file.
	ErrRepoNotFound = errors.New("repository or revision not found")
)

// Puller downloads model bundles from a Hugging Face hub. The zero value
// pulls from huggingface.co anonymously with http.DefaultClient.
type Puller struct {
	// Endpoint is the hub's base URL (default DefaultEndpoint).
	Endpoint string
	// Token, when set, is sent as "Authorization: Bearer <token>" to the hub
	// (not to the storage it redirects downloads to).
	Token secret.Secret
	// HTTP is the client to use (default http.DefaultClient). It must follow
	// redirects, as the default does.
	HTTP *http.Client
	// Progress, when not nil, is called as each file downloads with the bytes
	// of it present so far (resumed bytes included) and its size.
	Progress func(file string, done, total int64)
	// Planned, when not nil, is called once the files to fetch are known,
	// with their number and total size (resumed bytes included).
	Planned func(files int, bytes int64)
	// Retries is how many more times a file download is attempted after a
	// network error or a 5xx answer, resuming where it stopped (default 0:
	// the error is returned and the next Pull resumes).
	Retries int
	// StallTimeout aborts a download that receives nothing for this long,
	// and a listing page that takes longer (default one minute).
	StallTimeout time.Duration
}

// TreeEntry is one entry of the hub's tree listing.
type TreeEntry struct {
	Type string `json:"type"` // "file" or "directory"
	// OID is the git object id: for a file stored in git, the SHA-1 of
	// "blob <size>\x00" followed by its content.
	OID  string   `json:"oid"`
	Size int64    `json:"size"`
	Path string   `json:"path"`
	LFS  *LFSInfo `json:"lfs,omitempty"`
}

// LFSInfo describes a file stored with git LFS; OID is its content's sha256.
type LFSInfo struct {
	OID         string `json:"oid"`
	Size        int64  `json:"size"`
	PointerSize int64  `json:"pointerSize"`
}

const maxTreePages = 10000

// Tree lists every file of repo at revision (GET
// /api/models/{repo}/tree/{revision}?recursive=true, following the Link
// rel="next" pages). Directory entries are left out.
func (p *Puller) Tree(ctx context.Context, repo, revision string) ([]TreeEntry, error) {
	if err := checkRepo(repo); err != nil {
		return nil, err
	}
	next := p.endpoint() + "/api/models/" + repo + "/tree/" + url.PathEscape(revision) + "?recursive=true"
	var out []TreeEntry
	seen := map[string]bool{}
	for page := 0; next != ""; page++ {
		if page >= maxTreePages || seen[next] {
			return nil, fmt.Errorf("hub: listing %s@%s does not end (page %d): is %s a Hugging Face hub?", repo, revision, page, p.endpoint())
		}
		seen[next] = true
		entries, link, err := p.treePage(ctx, repo, revision, next)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.Type == "file" {
				out = append(out, e)
			}
		}
		next = link
	}
	return out, nil
}

// treePage fetches one listing page and returns its entries and the next
// page's URL ("" on the last).
func (p *Puller) treePage(ctx context.Context, repo, revision, u string) ([]TreeEntry, string, error) {
	ctx, cancel := context.WithTimeout(ctx, p.stallTimeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", fmt.Errorf("hub: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.do(req)
	if err != nil {
		return nil, "", fmt.Errorf("hub: list %s@%s: %w", repo, revision, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", p.statusError(resp, repo, revision, "")
	}
	var entries []TreeEntry
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&entries); err != nil {
		return nil, "", fmt.Errorf("hub: list %s@%s: unexpected answer from %s (is the endpoint a Hugging Face hub?): %w", repo, revision, u, err)
	}
	next, err := nextLink(resp)
	if err != nil {
		return nil, "", fmt.Errorf("hub: list %s@%s: %w", repo, revision, err)
	}
	return entries, next, nil
}

// nextLink returns the absolute URL of the Link header's rel="next" target,
// or "".
func nextLink(resp *http.Response) (string, error) {
	for _, h := range resp.Header.Values("Link") {
		for _, part := range strings.Split(h, ",") {
			target, params, ok := strings.Cut(part, ";")
			if !ok {
				continue
			}
			target = strings.TrimSpace(target)
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			isNext := false
			for _, prm := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(prm), "=")
				if strings.EqualFold(k, "rel") && strings.Trim(v, `"`) == "next" {
					isNext = true
				}
			}
			if !isNext {
				continue
			}
			u, err := resp.Request.URL.Parse(target[1 : len(target)-1])
			if err != nil {
				return "", fmt.Errorf("bad Link header %q: %w", h, err)
			}
			return u.String(), nil
		}
	}
	return "", nil
}

// fileURL is the download URL of a file.
func (p *Puller) fileURL(repo, revision, file string) string {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return p.endpoint() + "/" + repo + "/resolve/" + url.PathEscape(revision) + "/" + strings.Join(segs, "/")
}

func (p *Puller) endpoint() string {
	if p.Endpoint == "" {
		return DefaultEndpoint
	}
	return strings.TrimRight(p.Endpoint, "/")
}

func (p *Puller) client() *http.Client {
	if p.HTTP != nil {
		return p.HTTP
	}
	return http.DefaultClient
}

// do sends req with the token (to the hub's own host only: http.Client drops
// Authorization when a redirect leaves for another host).
func (p *Puller) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "samwise-engine")
	if p.Token.IsSet() {
		req.Header.Set("Authorization", "Bearer "+p.Token.Reveal())
	}
	return p.client().Do(req)
}

// statusError turns a failed hub answer into an error that says what to do.
func (p *Puller) statusError(resp *http.Response, repo, revision, file string) error {
	what := repo + "@" + revision
	if file != "" {
		what += ": " + file
	}
	code := resp.Header.Get("X-Error-Code")
	msg := hubMessage(resp)
	switch {
	case code == "RepoNotFound" || code == "RevisionNotFound" || code == "EntryNotFound" || resp.StatusCode == http.StatusNotFound:
		hint := "check the repository name and --revision"
		if !p.Token.IsSet() {
			hint += "; a private repository also needs HF_TOKEN"
		}
		return &HubError{Status: resp.StatusCode, Code: code, Message: msg, err: ErrRepoNotFound,
			text: fmt.Sprintf("%s on %s: %s (%s)", ErrRepoNotFound, p.endpoint(), what, hint)}
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		hint := "accept its terms on the model page, then set HF_TOKEN (or --hf-token) to an access token of that account"
		if p.Token.IsSet() {
			hint = "the token was refused or lacks access: accept the repository's terms on the model page with the token's account, or check HF_TOKEN"
		}
		return &HubError{Status: resp.StatusCode, Code: code, Message: msg, err: ErrGated,
			text: fmt.Sprintf("%s is gated or private (HTTP %d): %s", what, resp.StatusCode, hint)}
	}
	return &HubError{Status: resp.StatusCode, Code: code, Message: msg,
		text: fmt.Sprintf("hub %s: %s: HTTP %d %s", p.endpoint(), what, resp.StatusCode, msg)}
}

// HubError is a failed answer from the hub.
type HubError struct {
	Status  int    // HTTP status
	Code    string // the hub's X-Error-Code header, if any
	Message string // the hub's message, if any
	err     error
	text    string
}

// Error says what failed and what to do about it.
func (e *HubError) Error() string { return e.text }

// Unwrap returns ErrGated, ErrRepoNotFound or nil.
func (e *HubError) Unwrap() error { return e.err }

// retryable reports whether trying again may help.
func (e *HubError) retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// hubMessage extracts {"error": "..."} or a short text body.
func hubMessage(resp *http.Response) string {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var j struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &j) == nil && j.Error != "" {
		return j.Error
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 || strings.ContainsAny(s, "<\x00") {
		return http.StatusText(resp.StatusCode)
	}
	return s
}

// checkRepo accepts "owner/name" repository ids.
func checkRepo(repo string) error {
	owner, name, ok := strings.Cut(repo, "/")
	valid := func(s string) bool {
		if s == "" || s == "." || s == ".." {
			return false
		}
		for _, c := range s {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return false
			}
		}
		return true
	}
	if !ok || !valid(owner) || !valid(name) {
		return fmt.Errorf("hub: repository %q must look like owner/name", repo)
	}
	return nil
}
