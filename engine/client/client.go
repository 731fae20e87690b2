// Package client is the Go client of the engine's HTTP API: the desktop app,
// tests and the local engine (driving a remote worker) use it. Non-2xx
// answers become *Error values carrying the API's error envelope.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/secret"
)

// Client talks to one engine.
type Client struct {
	base  *url.URL
	token secret.Secret
	http  *http.Client
}

// New makes a client for the engine at base (e.g. http://127.0.0.1:8321).
// hc may be nil (http.DefaultClient).
func New(base string, token secret.Secret, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("engine URL %q: want http(s)://host:port", base)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: u, token: token, http: hc}, nil
}

// Error is a non-2xx answer.
type Error struct {
	Status int
	Body   api.Error
}

func (e *Error) Error() string {
	return fmt.Sprintf("engine: %d %s: %s", e.Status, e.Body.Code, e.Body.Message)
}

// IsStatus reports whether err is an *Error with the given HTTP status.
func IsStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == status
}

// Do sends a request with an optional JSON body and decodes a JSON answer
// into out (when not nil).
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := c.newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req, out)
}

func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, body)
	if err != nil {
		return nil, err
	}
	if c.token.IsSet() {
		req.Header.Set("Authorization", "Bearer "+c.token.Reveal())
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

func (c *Client) send(req *http.Request, out any) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	if out == nil {
		io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("engine: decoding %s %s answer: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

func decodeError(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var env api.ErrorResponse
	if err := json.Unmarshal(data, &env); err != nil || env.Error.Code == "" {
		return &Error{Status: resp.StatusCode, Body: api.Error{Code: http.StatusText(resp.StatusCode), Message: strings.TrimSpace(string(data))}}
	}
	return &Error{Status: resp.StatusCode, Body: env.Error}
}

// Health calls GET /health.
func (c *Client) Health(ctx context.Context) (*api.Health, error) {
	var out api.Health
	return &out, c.Do(ctx, "GET", "/health", nil, &out)
}

// Ready calls GET /ready. A 503 (not ready) still returns the body.
func (c *Client) Ready(ctx context.Context) (*api.Ready, error) {
	req, err := c.newRequest(ctx, "GET", "/ready", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out api.Ready
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("engine: /ready answered %d: %w", resp.StatusCode, err)
	}
	return &out, nil
}

// Upload calls POST /v1/media with the file's bytes.
func (c *Client) Upload(ctx context.Context, name string, r io.Reader) (*api.Media, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", filepath.Base(name))
		if err == nil {
			_, err = io.Copy(part, r)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := c.newRequest(ctx, "POST", "/v1/media", pr)
	if err != nil {
		pr.Close()
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out api.Media
	return &out, c.send(req, &out)
}

// RegisterPath calls POST /v1/media with a local path (desktop engines).
func (c *Client) RegisterPath(ctx context.Context, path string) (*api.Media, error) {
	var out api.Media
	return &out, c.Do(ctx, "POST", "/v1/media", api.MediaRequest{Path: path}, &out)
}

// Media calls GET /v1/media/{id}.
func (c *Client) Media(ctx context.Context, id string) (*api.Media, error) {
	var out api.Media
	return &out, c.Do(ctx, "GET", "/v1/media/"+url.PathEscape(id), nil, &out)
}

// SegmentImage calls POST /v1/pvs/image.
func (c *Client) SegmentImage(ctx context.Context, req *api.PVSImageRequest) (*api.PVSImageResponse, error) {
	var out api.PVSImageResponse
	return &out, c.Do(ctx, "POST", "/v1/pvs/image", req, &out)
}
