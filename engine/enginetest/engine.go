// Package enginetest starts a complete engine over the demo model in a
// temporary data directory, served on loopback, for tests.
package enginetest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/engine/server"
)

// Engine is a complete engine on the demo model, served on loopback.
type Engine struct {
	URL      string
	Client   *client.Client
	Instance *instance.Instance
	Server   *server.Server
	Config   config.Config
}

// Option adjusts the engine's configuration before it opens.
type Option func(*config.Config)

// WithToken requires a bearer token.
func WithToken(tok string) Option { return func(c *config.Config) { c.Token = secret.Secret(tok) } }

// WithDataDir uses dir instead of a fresh temporary directory.
func WithDataDir(dir string) Option { return func(c *config.Config) { c.DataDir = dir } }

// Start opens an engine and serves it until the test ends. It fails the
// test when ONNX Runtime or the demo model cannot be loaded.
func Start(t testing.TB, opts ...Option) *Engine {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Provider = "cpu"
	cfg.LogLevel = "warn"
	for _, o := range opts {
		o(&cfg)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	in, err := instance.Open(cfg, log, true)
	if err != nil {
		t.Fatal(err)
	}
	if in.LoadErr != nil {
		in.Close()
		t.Fatalf("engine cannot run inference: %v (run build/fetch-onnxruntime.sh)", in.LoadErr)
	}
	srv, err := server.New(server.Config{Token: cfg.Token, CORSOrigins: cfg.CORSOrigins, MaxBody: int64(cfg.MaxBodyMB) << 20, OverlayDir: cfg.Path("overlays"), AllowLocalPaths: cfg.AllowLocalPaths, AllowMediaURLs: cfg.Remote.AllowMediaURLs},
		server.Deps{Remote: in.Burst, DB: in.DB, Media: in.Media, Images: in.Images, Videos: in.Videos, Jobs: in.Jobs, Concepts: in.Concepts, Registry: in.Registry, Puller: &model.Puller{Endpoint: cfg.HFEndpoint, Token: cfg.HFToken, Retries: 3}, Runtime: in.RuntimeInfo(), Models: in.ModelStatuses}, log)
	if err != nil {
		in.Close()
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	c, err := client.New(hs.URL, cfg.Token, hs.Client())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		hs.Close()
		in.Close()
	})
	return &Engine{URL: hs.URL, Client: c, Instance: in, Server: srv, Config: cfg}
}

// Upload uploads a PNG scene and returns its media record.
func (e *Engine) Upload(t testing.TB, data []byte) *api.Media {
	t.Helper()
	m, err := e.Client.Upload(context.Background(), "scene.png", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// JobMasks reads every frame a job has committed through c: frame → object → RLE counts.
func JobMasks(t testing.TB, c *client.Client, id string) map[int]map[int]string {
	t.Helper()
	out := map[int]map[int]string{}
	err := c.Results(context.Background(), id, func(fr api.FrameResult) error {
		out[fr.Frame] = map[int]string{}
		for _, o := range fr.Objects {
			out[fr.Frame][o.ObjectID] = o.Mask.Counts
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Damage overwrites a file with junk of its own size and gives it back its
// modification time, as a disk fault would: checks of size and time see
// nothing, reading it fails.
func Damage(t testing.TB, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), int(st.Size())), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}
