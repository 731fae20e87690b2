package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"

	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
)

// Engine is what the app needs of the supervised engine
// (*supervisor.Supervisor).
type Engine interface {
	Endpoint() (supervisor.Endpoint, error)
	Status() supervisor.Status
	Restart()
}

// Desktop holds the methods bound to the frontend (window.go.app.Desktop.*,
// wrapped as window.samwise by bridge.js). Each returns (T, error): an
// error rejects the frontend's promise with its message.
//
// Wails calls bound methods without a context, so Desktop keeps the runtime
// context it gets at startup and derives each call's context from it; the
// work itself is done by unexported methods that take ctx.
type Desktop struct {
	native Native
	engine Engine
	http   *http.Client
	log    *slog.Logger

	mu  sync.Mutex
	ctx context.Context // the Wails runtime context, once started
}

// NewDesktop makes the bound object. hc may be nil.
func NewDesktop(native Native, engine Engine, hc *http.Client, log *slog.Logger) *Desktop {
	if hc == nil {
		hc = &http.Client{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Desktop{native: native, engine: engine, http: hc, log: log.With("subsystem", "desktop")}
}

// ErrNotStarted is returned by bound methods called before the window
// started (only tests can do that).
var ErrNotStarted = errors.New("the desktop window has not started yet")

func (d *Desktop) setContext(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ctx = ctx
}

// context returns the runtime context.
func (d *Desktop) context() (context.Context, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx == nil {
		return nil, ErrNotStarted
	}
	return d.ctx, nil
}

// client returns an engine client for the engine running now.
func (d *Desktop) client() (*client.Client, error) {
	ep, err := d.engine.Endpoint()
	if err != nil {
		return nil, err
	}
	return client.New(ep.URL.String(), ep.Token, d.http)
}

// DialogOptions is the argument of OpenDialog.
type DialogOptions struct {
	// Multiple allows choosing several files.
	Multiple bool `json:"multiple"`
	// Kinds filters the files: "image", "video" (none: both).
	Kinds []string `json:"kinds"`
	// Folder chooses a folder instead; its media files are returned.
	Folder bool   `json:"folder"`
	Title  string `json:"title"`
}

// OpenResult is what the Open* methods return: the media the engine
// registered, and the files it refused with its reason.
type OpenResult struct {
	Media  []api.Media   `json:"media"`
	Failed []OpenFailure `json:"failed"`
}

// OpenFailure is a file the engine did not register.
type OpenFailure struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// OpenDialog shows a native file (or folder) dialog and returns the chosen
// absolute paths, without registering them; [] when cancelled.
func (d *Desktop) OpenDialog(opts DialogOptions) ([]string, error) {
	ctx, err := d.context()
	if err != nil {
		return nil, err
	}
	return d.choose(ctx, opts)
}

// ChooseFolder shows a native folder dialog and returns the chosen folder's
// absolute path ("" when cancelled), for folders that are not media (a
// model bundle to import).
func (d *Desktop) ChooseFolder(title string) (string, error) {
	ctx, err := d.context()
	if err != nil {
		return "", err
	}
	if title == "" {
		title = "Choose a folder"
	}
	dir, err := d.native.OpenDirectory(ctx, FileDialog{Title: title})
	if err != nil || dir == "" {
		return "", err
	}
	return filepath.Abs(dir)
}

func (d *Desktop) choose(ctx context.Context, opts DialogOptions) ([]string, error) {
	kinds, err := normalizeKinds(opts.Kinds)
	if err != nil {
		return nil, err
	}
	dlg := FileDialog{Title: opts.Title, Filters: filters(kinds)}
	var paths []string
	switch {
	case opts.Folder:
		if dlg.Title == "" {
			dlg.Title = "Open a folder of images and videos"
		}
		dlg.Filters = nil
		dir, err := d.native.OpenDirectory(ctx, dlg)
		if err != nil || dir == "" {
			return []string{}, err
		}
		paths, err = mediaInFolder(dir, kinds)
		if err != nil {
			return nil, err
		}
	case opts.Multiple:
		if dlg.Title == "" {
			dlg.Title = "Open " + kindTitle(kinds)
		}
		paths, err = d.native.OpenFiles(ctx, dlg)
		if err != nil {
			return nil, err
		}
	default:
		if dlg.Title == "" {
			dlg.Title = "Open " + kindTitle(kinds)
		}
		p, err := d.native.OpenFile(ctx, dlg)
		if err != nil {
			return nil, err
		}
		if p != "" {
			paths = []string{p}
		}
	}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		out = append(out, abs)
	}
	return out, nil
}

func kindTitle(kinds []string) string {
	if len(kinds) == 1 && kinds[0] == kindVideo {
		return "a video"
	}
	if len(kinds) == 1 {
		return "images"
	}
	return "images or videos"
}

// OpenImages lets the user choose images and registers them with the
// engine.
func (d *Desktop) OpenImages() (OpenResult, error) {
	return d.openAndRegister(DialogOptions{Multiple: true, Kinds: []string{kindImage}})
}

// OpenFolder lets the user choose a folder and registers the images and
// videos directly inside it.
func (d *Desktop) OpenFolder() (OpenResult, error) {
	return d.openAndRegister(DialogOptions{Folder: true})
}

// OpenVideo lets the user choose one video and registers it.
func (d *Desktop) OpenVideo() (OpenResult, error) {
	return d.openAndRegister(DialogOptions{Kinds: []string{kindVideo}})
}

// RegisterPaths registers files (folders: the media inside them) with the
// engine, e.g. the paths of EventOpenPaths.
func (d *Desktop) RegisterPaths(paths []string) (OpenResult, error) {
	ctx, err := d.context()
	if err != nil {
		return OpenResult{}, err
	}
	paths, err = expandFolders(paths, []string{kindImage, kindVideo})
	if err != nil {
		return OpenResult{}, err
	}
	return d.register(ctx, paths)
}

func (d *Desktop) openAndRegister(opts DialogOptions) (OpenResult, error) {
	ctx, err := d.context()
	if err != nil {
		return OpenResult{}, err
	}
	paths, err := d.choose(ctx, opts)
	if err != nil {
		return OpenResult{}, err
	}
	return d.register(ctx, paths)
}

// register sends each path to POST /v1/media {"path"}. Files the engine
// refuses are listed in Failed with its message; the call fails only when
// the engine cannot be reached.
func (d *Desktop) register(ctx context.Context, paths []string) (OpenResult, error) {
	res := OpenResult{Media: []api.Media{}, Failed: []OpenFailure{}}
	if len(paths) == 0 {
		return res, nil
	}
	c, err := d.client()
	if err != nil {
		return res, err
	}
	for _, p := range paths {
		m, err := c.RegisterPath(ctx, p)
		var apiErr *client.Error
		switch {
		case err == nil:
			res.Media = append(res.Media, *m)
		case errors.As(err, &apiErr): // the engine answered: this file
			res.Failed = append(res.Failed, OpenFailure{Path: p, Error: apiErr.Body.Message})
		default:
			return res, fmt.Errorf("registering %s: %w", p, err)
		}
	}
	d.log.Info("media opened", "registered", len(res.Media), "refused", len(res.Failed))
	return res, nil
}

// EngineStatus returns the supervisor's status of the engine.
func (d *Desktop) EngineStatus() (supervisor.Status, error) {
	return d.engine.Status(), nil
}

// RestartEngine restarts the engine child (so it loads a model pulled while
// it ran); the status events follow the restart.
func (d *Desktop) RestartEngine() error {
	d.engine.Restart()
	return nil
}

// SetTitle sets the window title.
func (d *Desktop) SetTitle(title string) error {
	ctx, err := d.context()
	if err != nil {
		return err
	}
	d.native.SetTitle(ctx, title)
	return nil
}
