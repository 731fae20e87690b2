package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/model"
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
	scfg := server.Config{
		Token: cfg.Token, CORSOrigins: cfg.CORSOrigins, MaxBody: int64(cfg.MaxBodyMB) << 20,
		AllowLocalPaths: cfg.AllowLocalPaths, OverlayDir: cfg.Path("overlays"),
	}
	if cfg.UI {
		dir, err := findUI(cfg.UIDir)
		if err != nil {
			return err
		}
		scfg.UI = os.DirFS(dir)
		log.Info("serving the annotator UI", "dir", dir)
	}
	ctx, err = m.startRemote(ctx, cfg, in, log, &scfg)
	if err != nil {
		return err
	}
	srv, err := server.New(scfg, server.Deps{Remote: remoteDeps(in),
		DB: in.DB, Media: in.Media, Images: in.Images, Videos: in.Videos, Jobs: in.Jobs, Concepts: in.Concepts, Registry: in.Registry, Puller: &model.Puller{Endpoint: cfg.HFEndpoint, Token: cfg.HFToken, Retries: 3}, Runtime: in.RuntimeInfo(), RuntimeErr: in.LoadErr, Models: in.ModelStatuses,
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
	if in.Videos != nil {
		go in.Videos.Run(ctx)
	}
	return srv.Serve(ctx, ln, 10*time.Second)
}

// findUI locates the built frontend: the explicit folder, else ui/ beside
// the binary, else frontend/dist found walking up from the binary and the
// working directory.
func findUI(explicit string) (string, error) {
	ok := func(d string) bool {
		_, err := os.Stat(filepath.Join(d, "index.html"))
		return err == nil
	}
	if explicit != "" {
		if ok(explicit) {
			return explicit, nil
		}
		return "", fmt.Errorf("--ui-dir %s has no index.html: build the frontend (make ui)", explicit)
	}
	var starts []string
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		if ok(filepath.Join(dir, "ui")) {
			return filepath.Join(dir, "ui"), nil
		}
		starts = append(starts, dir)
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, s := range starts {
		for d, i := s, 0; i < 6; i, d = i+1, filepath.Dir(d) {
			if c := filepath.Join(d, "frontend", "dist"); ok(c) {
				return c, nil
			}
		}
	}
	return "", errors.New("the annotator UI is not built: run make ui (or set --ui-dir to a folder with index.html)")
}
