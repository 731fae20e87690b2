// Package instance opens a complete engine from its configuration: the ONNX
// Runtime, the model registry (with the embedded demo bundles installed), the
// database, the media library, the embedding cache and the loaded models.
// The engine's commands and the tests share it.
package instance

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"strings"

	"github.com/samwise-app/samwise/assets"
	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/store"
)

// Instance is an opened engine.
type Instance struct {
	Config   config.Config
	Log      *slog.Logger
	Runtime  *ort.Runtime // nil when ONNX Runtime could not be loaded
	Registry *model.Registry
	DB       *store.DB // nil unless opened with the database
	Media    *media.Library
	Cache    *embcache.Cache
	Gate     segment.Gate
	Images   *segment.Images // nil when no image model could be loaded
	// LoadErr says why inference is unavailable (Runtime or Images nil).
	LoadErr error
}

// NewLogger makes the process logger from the settings.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// Open opens everything a command needs. With withDB false the database is
// not opened (so a CLI command can run beside a serving engine). A missing
// runtime or model is not an error: LoadErr says why, so a server can still
// answer /ready.
func Open(cfg config.Config, log *slog.Logger, withDB bool) (*Instance, error) {
	in := &Instance{Config: cfg, Log: log, Gate: segment.NewGate(cfg.Jobs)}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", cfg.DataDir, err)
	}
	reg, err := model.OpenRegistry(cfg.Path("models"))
	if err != nil {
		return nil, err
	}
	in.Registry = reg
	if err := InstallDemos(reg); err != nil {
		return nil, fmt.Errorf("installing the demo models: %w", err)
	}
	if withDB {
		db, err := store.Open(cfg.Path("samwise.db"))
		if err != nil {
			return nil, err
		}
		in.DB = db
		in.Media = media.New(cfg.Path("media"), db)
	}
	in.Cache = embcache.New(cfg.Path("cache", "embeddings"), int64(cfg.CacheMemMB)<<20, int64(cfg.CacheDiskMB)<<20, log)
	prov, _ := ort.ParseProvider(cfg.Provider)
	rt, err := ort.Open(ort.Options{Library: cfg.ORTLibrary, Provider: prov, Threads: cfg.Threads, CacheDir: cfg.Path("cache", "ort"), Logger: log})
	if err != nil {
		in.LoadErr = err
		return in, nil
	}
	in.Runtime = rt
	b, err := PickImageModel(reg, cfg.Model)
	if err != nil {
		in.LoadErr = err
		return in, nil
	}
	t, err := sam.OpenTracker(rt, b, ort.SessionOptions{})
	if err != nil {
		in.LoadErr = fmt.Errorf("loading model %s: %w", b.Manifest.Name, err)
		return in, nil
	}
	in.Images = segment.NewImages(t, b.Manifest, in.Cache, in.Gate)
	log.Info("image model loaded", "model", b.Manifest.Name, "label", b.Manifest.Label, "provider", t.Provider(), "input_size", t.InputSize())
	return in, nil
}

// RequireImages returns the image service or why it is unavailable.
func (in *Instance) RequireImages() (*segment.Images, error) {
	if in.Images != nil {
		return in.Images, nil
	}
	if in.LoadErr != nil {
		return nil, in.LoadErr
	}
	return nil, errors.New("no image model loaded")
}

// Close releases models and the database.
func (in *Instance) Close() {
	if in.Images != nil {
		in.Images.Tracker().Close()
	}
	if in.DB != nil {
		in.DB.Close()
	}
}

// RuntimeInfo is what /ready reports about ONNX Runtime.
func (in *Instance) RuntimeInfo() ort.Info {
	if in.Runtime == nil {
		return ort.Info{}
	}
	return in.Runtime.Info()
}

// ModelStatuses lists installed bundles for /ready.
func (in *Instance) ModelStatuses() []api.ModelStatus {
	bs, err := in.Registry.List()
	if err != nil {
		return nil
	}
	var out []api.ModelStatus
	for _, b := range bs {
		if b.Manifest == nil {
			continue
		}
		m := b.Manifest
		out = append(out, api.ModelStatus{Name: m.Name, Task: m.Task, Family: m.Family, Label: m.Label, Demo: m.Demo, InputSize: m.InputSize})
	}
	return out
}

// InstallDemos installs the embedded demo bundles (idempotent).
func InstallDemos(reg *model.Registry) error {
	ents, err := fs.ReadDir(assets.Models, "models")
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.IsDir() {
			if _, err := reg.InstallFS(assets.Models, path.Join("models", e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// PickImageModel returns the named bundle, or the best installed
// sam3-tracker (a real one before the demo).
func PickImageModel(reg *model.Registry, name string) (*model.Bundle, error) {
	if name != "" {
		b, err := reg.Get(name)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w (see engine models list)", name, err)
		}
		if b.Manifest.Family != model.FamilyTracker {
			return nil, fmt.Errorf("model %q is a %s bundle; images need a %s bundle", name, b.Manifest.Family, model.FamilyTracker)
		}
		return b, nil
	}
	bs, err := reg.List()
	if err != nil {
		return nil, err
	}
	var best *model.Bundle
	for _, b := range bs {
		if b.Manifest == nil || b.Manifest.Family != model.FamilyTracker {
			continue
		}
		if best == nil || (best.Manifest.Demo && !b.Manifest.Demo) || (!b.Manifest.Demo && strings.HasPrefix(b.Manifest.Name, "sam3-tracker") && b.Manifest.Name < best.Manifest.Name) {
			best = b
		}
	}
	if best == nil {
		return nil, errors.New("no sam3-tracker model is installed (the demo should be): run engine models list")
	}
	return best, nil
}
