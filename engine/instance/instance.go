// Package instance opens a complete engine from its configuration: the ONNX
// Runtime, the model registry (with the embedded demo bundles installed), the
// database, the media library, the embedding cache and the loaded models.
// The engine's commands and the tests share it.
package instance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"time"

	"github.com/samwise-app/samwise/assets"
	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/burst"
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/store"
	"github.com/samwise-app/samwise/engine/track"
	"github.com/samwise-app/samwise/engine/video"
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
	Gate     *segment.Gate
	Images   *segment.Images  // nil when no image model could be loaded
	Jobs     *jobs.Manager    // nil without the database
	Videos   *track.Service   // nil when no video model could be loaded
	Burst    *burst.Service   // places video jobs and runs heavy ones remotely; nil without the database
	Concepts *concept.Service // nil when no concept model could be loaded
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

// backgroundQuiet is how long inference must have been idle before
// background work (precomputing embeddings) starts or starts again.
const backgroundQuiet = time.Second

// Open opens everything a command needs. With withDB false the database is
// not opened (so a CLI command can run beside a serving engine). A missing
// runtime or model is not an error: LoadErr says why, so a server can still
// answer /ready.
func Open(cfg config.Config, log *slog.Logger, withDB bool) (*Instance, error) {
	in := &Instance{Config: cfg, Log: log, Gate: segment.NewGate(cfg.Jobs, backgroundQuiet)}
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
		in.Media.ProbeVideo = probeVideo
		in.Jobs = jobs.New(db, cfg.Jobs, log)
		if err := in.Jobs.Open(); err != nil {
			db.Close()
			return nil, err
		}
		if in.Burst, err = burst.Open(cfg, log); err != nil {
			db.Close()
			return nil, fmt.Errorf("remote burst: %w", err)
		}
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
	in.openConcept(rt)
	if withDB {
		in.openVideo(rt)
	}
	return in, nil
}

// openConcept loads the concept model; without one, concept prompts answer
// 503 and the rest keeps working.
func (in *Instance) openConcept(rt *ort.Runtime) {
	b, err := PickModel(in.Registry, in.Config.ConceptModel, model.FamilyConcept)
	if err != nil {
		in.Log.Warn("no concept model", "err", err)
		return
	}
	c, err := sam.OpenConcept(rt, b, ort.SessionOptions{})
	if err != nil {
		in.Log.Error("cannot load the concept model", "model", b.Manifest.Name, "err", err)
		return
	}
	in.Concepts = concept.New(c, b.Manifest, in.Cache, in.Gate)
	in.Log.Info("concept model loaded", "model", b.Manifest.Name, "label", b.Manifest.Label, "input_size", c.InputSize())
}

// openVideo loads the video model; without one, video sessions answer 503
// and images keep working.
func (in *Instance) openVideo(rt *ort.Runtime) {
	b, err := PickModel(in.Registry, in.Config.VideoModel, model.FamilyVideo)
	if err != nil {
		in.Log.Warn("no video model", "err", err)
		return
	}
	vt, err := sam.OpenVideoTracker(rt, b, ort.SessionOptions{})
	if err != nil {
		in.Log.Error("cannot load the video model", "model", b.Manifest.Name, "err", err)
		return
	}
	in.Videos = track.New(vt, b.Manifest, in.Cache, in.Gate, in.DB, in.Media, in.Jobs,
		track.Options{TTL: in.Config.SessionTTL, MemoryBudget: int64(in.Config.SessionMemMB) << 20}, in.Log)
	if in.Concepts != nil {
		in.Videos.SetConcepts(in.Concepts)
	}
	if in.Burst != nil {
		in.Videos.Placement = in.Burst
	}
	in.Log.Info("video model loaded", "model", b.Manifest.Name, "label", b.Manifest.Label, "input_size", vt.InputSize())
}

// probeVideo tells the media library what a video file or frames folder is.
func probeVideo(ctx context.Context, path string) (media.Info, error) {
	v, err := video.Probe(ctx, path)
	if err != nil {
		return media.Info{}, err
	}
	format := v.Codec
	if v.Folder {
		format = api.FormatFrames
	}
	return media.Info{Kind: api.KindVideo, Format: format, Width: v.Width, Height: v.Height, Frames: v.Frames, FPS: v.FPS}, nil
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
	if in.Jobs != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		in.Jobs.Close(ctx)
		cancel()
	}
	if in.Images != nil {
		in.Images.StopPrefetch()
	}
	if in.Cache != nil {
		in.Cache.Wait() // embeddings the jobs and the prefetcher left queued for the disk
	}
	if in.Burst != nil {
		// Never leave a worker running: destroy it (bounded; Vast calls are retried).
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if err := in.Burst.Close(ctx); err != nil {
			in.Log.Error("the GPU worker could not be destroyed", "err", err)
		}
		cancel()
	}
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

// PickImageModel returns the image model to use.
func PickImageModel(reg *model.Registry, name string) (*model.Bundle, error) {
	return PickModel(reg, name, model.FamilyTracker)
}

// PickModel returns the named bundle (which must be of the family), or the
// best installed bundle of the family: a real one (sam3-*) before the demo.
func PickModel(reg *model.Registry, name, family string) (*model.Bundle, error) {
	if name != "" {
		b, err := reg.Get(name)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w (see engine models list)", name, err)
		}
		if b.Manifest.Family != family {
			return nil, fmt.Errorf("model %q is a %s bundle; a %s bundle is needed here", name, b.Manifest.Family, family)
		}
		return b, nil
	}
	bs, err := reg.List()
	if err != nil {
		return nil, err
	}
	var best *model.Bundle
	for _, b := range bs {
		if b.Manifest == nil || b.Manifest.Family != family {
			continue
		}
		if best == nil || (best.Manifest.Demo && !b.Manifest.Demo) {
			best = b
		}
	}
	if best == nil {
		return nil, fmt.Errorf("no %s model is installed: run engine models list", family)
	}
	return best, nil
}
