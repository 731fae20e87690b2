package client

import (
	"context"
	"net/url"

	"github.com/samwise-app/samwise/engine/api"
)

// CreateSession calls POST /v1/pvs/video/sessions.
func (c *Client) CreateSession(ctx context.Context, mediaID string) (*api.VideoSession, error) {
	var out api.VideoSession
	return &out, c.Do(ctx, "POST", "/v1/pvs/video/sessions", api.VideoSessionRequest{MediaID: mediaID}, &out)
}

// EndSession calls DELETE /v1/pvs/video/{session_id}.
func (c *Client) EndSession(ctx context.Context, sessionID string) error {
	return c.Do(ctx, "DELETE", "/v1/pvs/video/"+url.PathEscape(sessionID), nil, nil)
}

// Annotate calls POST /v1/pvs/video/{session_id}/annotations.
func (c *Client) Annotate(ctx context.Context, sessionID string, req *api.VideoAnnotationRequest) (*api.FrameResult, error) {
	var out api.FrameResult
	return &out, c.Do(ctx, "POST", "/v1/pvs/video/"+url.PathEscape(sessionID)+"/annotations", req, &out)
}

// Propagate calls POST /v1/pvs/video/{session_id}/propagate.
func (c *Client) Propagate(ctx context.Context, sessionID string, req *api.PropagateRequest) (*api.JobAccepted, error) {
	var out api.JobAccepted
	return &out, c.Do(ctx, "POST", "/v1/pvs/video/"+url.PathEscape(sessionID)+"/propagate", req, &out)
}

// FetchMedia calls POST /v1/media with {"url", "sha256"}: the engine downloads the file
// (GPU workers with allow_media_urls).
func (c *Client) FetchMedia(ctx context.Context, rawURL, sha256 string) (*api.Media, error) {
	var out api.Media
	return &out, c.Do(ctx, "POST", "/v1/media", api.MediaRequest{URL: rawURL, SHA256: sha256}, &out)
}
