package client

import (
	"context"
	"net/url"

	"github.com/samwise-app/samwise/engine/api"
)

// CreateConceptSession calls POST /v1/pcs/video/sessions.
func (c *Client) CreateConceptSession(ctx context.Context, mediaID string) (*api.PCSVideoSession, error) {
	var out api.PCSVideoSession
	return &out, c.Do(ctx, "POST", "/v1/pcs/video/sessions", api.VideoSessionRequest{MediaID: mediaID}, &out)
}

// SetConceptPrompt calls POST /v1/pcs/video/{session_id}/prompts.
func (c *Client) SetConceptPrompt(ctx context.Context, sessionID string, p *api.PCSVideoPrompt) (*api.FrameResult, error) {
	var out api.FrameResult
	return &out, c.Do(ctx, "POST", "/v1/pcs/video/"+url.PathEscape(sessionID)+"/prompts", p, &out)
}

// RunConcept calls POST /v1/pcs/video/{session_id}/run.
func (c *Client) RunConcept(ctx context.Context, sessionID string, req *api.PCSRunRequest) (*api.JobAccepted, error) {
	var out api.JobAccepted
	return &out, c.Do(ctx, "POST", "/v1/pcs/video/"+url.PathEscape(sessionID)+"/run", req, &out)
}

// EndConceptSession calls DELETE /v1/pcs/video/{session_id}.
func (c *Client) EndConceptSession(ctx context.Context, sessionID string) error {
	return c.Do(ctx, "DELETE", "/v1/pcs/video/"+url.PathEscape(sessionID), nil, nil)
}
