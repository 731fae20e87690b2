package tunnel

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// readyAnswer is cloudflared's /ready body: {"status":200,"readyConnections":N,"connectorId":"<uuid>"},
// with status 503 and the same shape while no edge connection is up (remote.md §2.3).
type readyAnswer struct {
	Status           int    `json:"status"`
	ReadyConnections int    `json:"readyConnections"`
	ConnectorID      string `json:"connectorId"`
}

// probe asks cloudflared's metrics server whether the tunnel has an edge connection.
func (s *Supervisor) probe(ctx context.Context) (ready bool, conns int, err error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+s.cfg.MetricsAddr+"/ready", nil)
	if err != nil {
		return false, 0, err
	}
	resp, err := s.cfg.HTTP.Do(req)
	if err != nil {
		return false, 0, err
	}
	defer resp.Body.Close()
	var ans readyAnswer
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&ans); err != nil {
		return false, 0, fmt.Errorf("metrics /ready answered %d with an unreadable body: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return false, ans.ReadyConnections, fmt.Errorf("metrics /ready answered %d with %d edge connections", resp.StatusCode, ans.ReadyConnections)
	}
	return ans.ReadyConnections > 0, ans.ReadyConnections, nil
}
