package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/engine/server"
	"github.com/samwise-app/samwise/remote/tunnel"
	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/worker"
)

// startRemote starts what `engine serve` runs for the remote burst: the burst service's
// worker timers on a local engine; on a GPU worker, cloudflared under supervision
// (--tunnel) and the dead-man switch (when Vast set CONTAINER_ID and CONTAINER_API_KEY and
// idle_timeout_s is set). It returns the context to serve under: the dead-man switch ends
// it once it destroyed the instance.
func (m *Main) startRemote(ctx context.Context, cfg config.Config, in *instance.Instance, log *slog.Logger, scfg *server.Config) (context.Context, error) {
	r := cfg.Remote
	scfg.AllowMediaURLs = r.AllowMediaURLs
	if in.Burst != nil {
		go in.Burst.Run(ctx)
	}
	if r.Tunnel {
		token := secret.Secret(m.Getenv("TUNNEL_TOKEN"))
		os.Unsetenv("TUNNEL_TOKEN") // only cloudflared needs it; keep it out of other children
		sup, err := tunnel.New(tunnel.Config{Binary: r.Cloudflared, Token: token, MetricsAddr: r.TunnelMetrics, Log: log})
		if err != nil {
			return ctx, err
		}
		go sup.Run(ctx)
		log.Info("supervising cloudflared", "metrics", r.TunnelMetrics)
	}
	if r.IdleTimeoutS <= 0 {
		return ctx, nil
	}
	id, key, ok, err := worker.DeadmanEnv(m.Getenv)
	if err != nil || !ok {
		if !ok && err == nil {
			log.Info("no CONTAINER_ID/CONTAINER_API_KEY: the dead-man switch is off (not on Vast)")
		}
		return ctx, err
	}
	os.Unsetenv("CONTAINER_API_KEY")
	d, err := worker.NewDeadman(worker.DeadmanConfig{Instance: id, IdleTimeout: time.Duration(r.IdleTimeoutS) * time.Second, Log: log,
		Vast: vast.New(key, vast.WithBaseURL(r.VastURL), vast.WithLogger(log))})
	if err != nil {
		return ctx, err
	}
	scfg.Wrap = d.Wrap
	ctx, stop := context.WithCancel(ctx)
	go func() {
		if d.Run(ctx) == nil {
			log.Warn("the instance was destroyed by its dead-man switch; stopping")
			stop()
		}
	}()
	return ctx, nil
}

// remoteDeps is the burst service for the server, or nil (an interface holding a nil
// pointer would not read as nil).
func remoteDeps(in *instance.Instance) server.Remote {
	if in.Burst == nil {
		return nil
	}
	return in.Burst
}
