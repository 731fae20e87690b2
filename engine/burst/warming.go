package burst

import (
	"fmt"
	"io"
	"net/http"
)

// warmingGuard turns the gateway's 202 {"state": "warming_up", "retry_after": s} — its
// answer to any /v1 call while it provisions a worker, always with a Retry-After header —
// into an error, so a job call never takes it for the worker engine's own answer (the
// engine's 202s, job acceptances, carry no Retry-After).
type warmingGuard struct{ base http.RoundTripper }

func (g warmingGuard) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusAccepted || resp.Header.Get("Retry-After") == "" {
		return resp, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return nil, fmt.Errorf("the GPU worker is not ready: the gateway is warming one up (retry after %s s)", resp.Header.Get("Retry-After"))
}

// guarded returns hc with its transport wrapped in a warmingGuard.
func guarded(hc *http.Client) *http.Client {
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = warmingGuard{base: base}
	return &c
}
