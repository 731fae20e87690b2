package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/server"
)

// runServe runs the HTTP API until ctx is cancelled (SIGINT/SIGTERM).
func (m *Main) runServe(ctx context.Context, args []string) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	if err := cfg.Load(fs, args, m.Getenv); err != nil {
		return err
	}
	log := instance.NewLogger(cfg, os.Stderr)
	in, err := instance.Open(cfg, log, true)
	if err != nil {
		return err
	}
	defer in.Close()
	if in.LoadErr != nil {
		log.Error("inference unavailable; serving anyway so /ready can say why", "err", in.LoadErr)
	}
	srv, err := server.New(server.Config{
		Token: cfg.Token, CORSOrigins: cfg.CORSOrigins, MaxBody: int64(cfg.MaxBodyMB) << 20,
		AllowLocalPaths: cfg.AllowLocalPaths, OverlayDir: cfg.Path("overlays"),
	}, server.Deps{
		DB: in.DB, Media: in.Media, Images: in.Images, Runtime: in.RuntimeInfo(), RuntimeErr: in.LoadErr, Models: in.ModelStatuses,
	}, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	url := "http://" + ln.Addr().String()
	label := "no model"
	if in.Images != nil {
		label = in.Images.Manifest().Name + " (" + in.Images.Manifest().Label + ")"
	}
	fmt.Fprintf(m.Stdout, "engine listening on %s  model: %s  data: %s\n", url, label, cfg.DataDir)
	log.Info("listening", "url", url, "data_dir", cfg.DataDir)
	return srv.Serve(ctx, ln, 10*time.Second)
}
