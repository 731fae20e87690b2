// Package server is the engine's HTTP API (/v1/...): routing, the error
// envelope, auth, CORS, limits, request ids and logs around the handlers,
// which are split by resource (handlers_*.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/apigen"
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/store"
	"github.com/samwise-app/samwise/engine/track"
)

// Version is the engine version reported by /ready and /openapi.json.
var Version = "0.1.0-dev"

// Config holds what the server needs from the engine configuration.
type Config struct {
	Token       secret.Secret
	CORSOrigins []string
	// MaxBody bounds uploads; MaxJSON bounds JSON bodies.
	MaxBody, MaxJSON int64
	// AllowLocalPaths accepts {"path": ...} in POST /v1/media.
	AllowLocalPaths bool
	// OverlayDir stores PNG overlays.
	OverlayDir string
	// UI, when set, is served at / (the built frontend).
	UI fs.FS
	// AllowMediaURLs accepts {"url": ...} in POST /v1/media (GPU workers).
	AllowMediaURLs bool
	// Wrap, when set, wraps the whole handler (the worker's dead-man switch watches
	// client activity through it).
	Wrap func(http.Handler) http.Handler
}

// Deps are the services behind the handlers. Images may be nil until a
// model is loaded (then /ready says why).
type Deps struct {
	DB     *store.DB
	Media  *media.Library
	Images *segment.Images
	// Concepts, Videos and Jobs may be nil (no such model, no database).
	Concepts *concept.Service
	Videos   *track.Service
	Jobs     *jobs.Manager
	Runtime  ort.Info
	// RuntimeErr explains why inference is unavailable.
	RuntimeErr error
	// Models lists installed bundles for /ready.
	Models func() []api.ModelStatus
	// Remote is the burst service (engine/burst); nil answers 503 on /v1/remote.
	Remote Remote
	// Registry and Puller serve /v1/models (may be nil).
	Registry *model.Registry
	Puller   *model.Puller
}

// Server serves the API.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	metrics *metrics
	openapi []byte
	handler http.Handler
	ready   atomic.Bool
}

// New builds the server and its routes.
func New(cfg Config, deps Deps, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxJSON == 0 {
		cfg.MaxJSON = 64 << 20
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 512 << 20
	}
	doc, err := apigen.OpenAPI(Version, api.Endpoints)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, deps: deps, log: log.With("subsystem", "http"), metrics: newMetrics(), openapi: doc}
	mux, err := s.routes()
	if err != nil {
		return nil, err
	}
	s.handler = s.middleware(mux)
	if cfg.Wrap != nil {
		s.handler = cfg.Wrap(s.handler)
	}
	s.ready.Store(deps.Images != nil)
	if deps.Jobs != nil {
		deps.Jobs.Handle(jobPull, s.runPull)
		deps.Jobs.Handle(jobModelImport, s.runModelImport)
		deps.Jobs.Handle(jobPrecompute, s.runPrecompute)
		deps.Jobs.Handle(jobImportBoxes, s.runImportBoxes)
		deps.Jobs.Handle(jobProjectConcept, s.runProjectConcept)
	}
	return s, nil
}

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves on ln until ctx is cancelled, then shuts down gracefully:
// stops accepting, lets requests finish for up to grace, then closes.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = hs.Close()
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// routes registers one handler per api.Endpoint and fails if any endpoint
// has no handler.
func (s *Server) routes() (*http.ServeMux, error) {
	handlers := map[string]http.HandlerFunc{}
	for _, set := range []map[string]http.HandlerFunc{
		s.baseHandlers(), s.mediaHandlers(), s.pvsHandlers(), s.maskHandlers(), s.projectHandlers(), s.videoHandlers(), s.jobHandlers(), s.pcsHandlers(), s.modelHandlers(), s.remoteHandlers(),
	} {
		for pattern, h := range set {
			handlers[pattern] = h
		}
	}
	mux := http.NewServeMux()
	for _, e := range api.Endpoints {
		pattern := e.Method + " " + e.Path
		h, ok := handlers[pattern]
		if !ok {
			return nil, fmt.Errorf("server: no handler for %s", pattern)
		}
		delete(handlers, pattern)
		mux.Handle(pattern, s.instrument(e, h))
	}
	for p := range handlers {
		return nil, fmt.Errorf("server: handler %s is not in api.Endpoints", p)
	}
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, http.StatusNotFound, api.CodeNotFound, fmt.Sprintf("no route %s %s; see /openapi.json", r.Method, r.URL.Path), nil)
	})
	if s.cfg.UI != nil {
		mux.Handle("/", uiHandler(s.cfg.UI))
	}
	return mux, nil
}
