package tunnel

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// DefaultMetricsAddr is where cloudflared's metrics server listens: loopback only, so the
// port is known and not exposed (remote.md §2.1).
const DefaultMetricsAddr = "127.0.0.1:20241"

// Config says how to run cloudflared.
type Config struct {
	// Binary is the cloudflared executable, a path or a name on PATH (default "cloudflared").
	Binary string
	// Token is the tunnel token of a remotely managed named tunnel (TUNNEL_TOKEN). Required.
	Token secret.Secret
	// MetricsAddr is the loopback host:port of cloudflared's metrics server
	// (default DefaultMetricsAddr).
	MetricsAddr string
	// Protocol is the edge transport: "http2" (default; needs only outbound TCP 7844),
	// "quic" or "auto".
	Protocol string
	// MinBackoff and MaxBackoff bound the wait before a restart (default 1 s and 30 s); the
	// wait doubles after every exit and starts over once a run lasted StableAfter.
	MinBackoff, MaxBackoff time.Duration
	// StableAfter is how long a run must last to reset the backoff (default 1 min).
	StableAfter time.Duration
	// ReadyPoll is how often /ready is probed while cloudflared runs (default 1 s).
	ReadyPoll time.Duration
	// StopGrace is how long cloudflared gets to exit after SIGTERM before it is killed
	// (default 5 s).
	StopGrace time.Duration
	// HTTP probes the metrics server (default: a client with a 2 s timeout).
	HTTP *http.Client
	// Log receives the supervisor's and cloudflared's log lines (default slog.Default()).
	Log *slog.Logger
}

func (c Config) withDefaults() Config {
	c.Binary = cmp.Or(c.Binary, "cloudflared")
	c.MetricsAddr = cmp.Or(c.MetricsAddr, DefaultMetricsAddr)
	c.Protocol = cmp.Or(c.Protocol, "http2")
	c.MinBackoff = cmp.Or(c.MinBackoff, time.Second)
	c.MaxBackoff = cmp.Or(c.MaxBackoff, 30*time.Second)
	c.StableAfter = cmp.Or(c.StableAfter, time.Minute)
	c.ReadyPoll = cmp.Or(c.ReadyPoll, time.Second)
	c.StopGrace = cmp.Or(c.StopGrace, 5*time.Second)
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 2 * time.Second}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c
}

// validate checks the settings and finds the binary.
func (c Config) validate() (string, error) {
	var errs []error
	if !c.Token.IsSet() {
		errs = append(errs, errors.New("tunnel: no tunnel token: set TUNNEL_TOKEN to the token of the worker's named tunnel (build/create-tunnel.sh prints it)"))
	}
	host, _, err := net.SplitHostPort(c.MetricsAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		errs = append(errs, fmt.Errorf("tunnel: metrics address %q must be a loopback host:port such as %s, so the metrics server is not exposed", c.MetricsAddr, DefaultMetricsAddr))
	}
	switch c.Protocol {
	case "http2", "quic", "auto":
	default:
		errs = append(errs, fmt.Errorf("tunnel: protocol %q: use http2, quic or auto", c.Protocol))
	}
	if c.MinBackoff > c.MaxBackoff {
		errs = append(errs, fmt.Errorf("tunnel: MinBackoff %s is above MaxBackoff %s", c.MinBackoff, c.MaxBackoff))
	}
	path, err := exec.LookPath(c.Binary)
	if err != nil {
		errs = append(errs, fmt.Errorf("tunnel: cloudflared not found (%v): install it (the worker image ships a pinned release) or set the cloudflared setting to its path", err))
	}
	return path, errors.Join(errs...)
}
