package supervisor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/samwise-app/samwise/engine/api"
)

// probeTimeout bounds one /ready request.
const probeTimeout = 5 * time.Second

// awaitAddress waits for the listening line on the child's stdout.
func (s *Supervisor) awaitAddress(ctx context.Context, c *child, found <-chan *url.URL, deadline time.Time) (*url.URL, error) {
	select {
	case u := <-found:
		return u, nil
	case <-c.exited:
		return nil, fmt.Errorf("the engine exited before listening (see %s): %w", s.cfg.LogFile, orExit(c.err))
	case <-s.cfg.Clock.After(deadline.Sub(s.cfg.Clock.Now())):
		return nil, fmt.Errorf("the engine printed no listening address within %s (see %s)", s.cfg.ReadyTimeout, s.cfg.LogFile)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// awaitReady polls GET /ready until it answers 200, the child exits, or the
// deadline passes.
func (s *Supervisor) awaitReady(ctx context.Context, c *child, base *url.URL, deadline time.Time) error {
	for {
		ok, why := s.probe(ctx, base)
		if ok {
			return nil
		}
		wait := deadline.Sub(s.cfg.Clock.Now())
		if wait <= 0 {
			return fmt.Errorf("the engine was not ready within %s: %s", s.cfg.ReadyTimeout, why)
		}
		select {
		case <-c.exited:
			return fmt.Errorf("the engine exited before it was ready (see %s): %w", s.cfg.LogFile, orExit(c.err))
		case <-s.cfg.Clock.After(min(wait, s.cfg.PollInterval)):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// probe asks /ready once; when not ready it says why (the engine's own
// reason when its answer has one).
func (s *Supervisor) probe(ctx context.Context, base *url.URL) (bool, string) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("/ready").String(), nil)
	if err != nil {
		return false, err.Error()
	}
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return false, err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return true, ""
	}
	why := "GET /ready answered " + resp.Status
	var r api.Ready
	if json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&r) == nil && r.Runtime.Error != "" {
		why += ": " + r.Runtime.Error
	}
	return false, why
}

func orExit(err error) error {
	if err == nil {
		return fmt.Errorf("exit status 0")
	}
	return err
}
