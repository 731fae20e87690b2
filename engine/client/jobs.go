package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
)

// Job calls GET /v1/jobs/{job_id}.
func (c *Client) Job(ctx context.Context, id string) (*api.Job, error) {
	var out api.Job
	return &out, c.Do(ctx, "GET", "/v1/jobs/"+url.PathEscape(id), nil, &out)
}

// CancelJob calls DELETE /v1/jobs/{job_id}.
func (c *Client) CancelJob(ctx context.Context, id string) (*api.Job, error) {
	var out api.Job
	return &out, c.Do(ctx, "DELETE", "/v1/jobs/"+url.PathEscape(id), nil, &out)
}

// StreamResults follows GET /v1/jobs/{job_id}/results as NDJSON from the frame after
// cursor "after" (-1: the start), calling fn for every frame in production order, until the
// job ends and every frame was sent (nil), fn fails, or the connection breaks (the error;
// call again with the cursor of the last frame received to continue).
func (c *Client) StreamResults(ctx context.Context, id string, after int, fn func(api.FrameResult) error) error {
	req, err := c.newRequest(ctx, "GET", "/v1/jobs/"+url.PathEscape(id)+"/results?after="+strconv.Itoa(after), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/x-ndjson")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "application/x-ndjson") {
		return fmt.Errorf("engine: results of job %s: the answer is %d %s, not a results stream", id, resp.StatusCode, ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue // keep-alive
		}
		var fr api.FrameResult
		if err := json.Unmarshal(line, &fr); err != nil {
			return fmt.Errorf("engine: results stream of job %s: bad line: %w", id, err)
		}
		if err := fn(fr); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Results calls GET /v1/jobs/{job_id}/results for every page, calling fn for
// each frame the job has committed so far, in production order.
func (c *Client) Results(ctx context.Context, id string, fn func(api.FrameResult) error) error {
	after := -1
	for {
		var page api.JobResults
		path := fmt.Sprintf("/v1/jobs/%s/results?limit=1000&after=%d", url.PathEscape(id), after)
		if err := c.Do(ctx, "GET", path, nil, &page); err != nil {
			return err
		}
		for _, fr := range page.Frames {
			if err := fn(fr); err != nil {
				return err
			}
		}
		if page.Next == nil || len(page.Frames) == 0 {
			return nil
		}
		after = *page.Next
	}
}
