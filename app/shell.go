package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/samwise-app/samwise/app/supervisor"
)

// Shell is the window's life cycle around Desktop: the Wails OnStartup /
// OnDomReady hooks, the menu, engine status events and quitting.
type Shell struct {
	// Desktop is the object to bind (options.App.Bind).
	Desktop *Desktop

	native Native
	engine Engine
	opts   ShellOptions
	log    *slog.Logger

	mu            sync.Mutex
	started       bool
	quitRequested bool
	selfTestOnce  sync.Once
}

// ShellOptions are the shell's settings.
type ShellOptions struct {
	Info BuildInfo
	// StartupErr, when set, is shown to the user once the page loaded (the
	// engine binary was not found, say).
	StartupErr error
	// SelfTest runs the page self-check once it loaded (samwise --selftest).
	SelfTest bool
}

// NewShell makes the shell.
func NewShell(native Native, engine Engine, desktop *Desktop, opts ShellOptions, log *slog.Logger) *Shell {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Shell{Desktop: desktop, native: native, engine: engine, opts: opts, log: log.With("subsystem", "shell")}
}

// Startup is options.App.OnStartup: ctx is the Wails runtime context.
func (s *Shell) Startup(ctx context.Context) {
	s.Desktop.setContext(ctx)
	s.native.OnFileDrop(ctx, func(paths []string) { s.dropped(ctx, paths) })
	s.mu.Lock()
	s.started = true
	quit := s.quitRequested
	s.mu.Unlock()
	s.log.Info("window started", "version", s.opts.Info.Version)
	if quit {
		s.native.Quit(ctx)
	}
}

// DomReady is options.App.OnDomReady: the page loaded. It sends the
// engine's current status, shows a startup error if there was one and
// starts the self-check when asked.
func (s *Shell) DomReady(ctx context.Context) {
	s.native.Emit(ctx, EventEngine, s.engine.Status())
	if s.opts.SelfTest {
		s.selfTestOnce.Do(func() { s.selfTest(ctx) })
	}
	if s.opts.StartupErr != nil {
		s.native.Message(ctx, Message{Kind: MessageError, Title: "Samwise cannot start its engine", Text: s.opts.StartupErr.Error()})
	}
}

// EngineChanged forwards a supervisor status change to the frontend (it is
// the supervisor's Notify).
func (s *Shell) EngineChanged(st supervisor.Status) {
	ctx, err := s.Desktop.context()
	if err != nil {
		return // no window yet: DomReady sends the status
	}
	s.native.Emit(ctx, EventEngine, st)
}

// dropped forwards dropped files to the frontend, which registers them like
// the paths of its own dialog.
func (s *Shell) dropped(ctx context.Context, paths []string) {
	if len(paths) == 0 {
		return
	}
	s.log.Info("files dropped", "count", len(paths))
	s.native.Emit(ctx, EventOpenPaths, OpenPaths{Paths: paths, Source: "drop"})
}

// Quit closes the window (SIGINT/SIGTERM, File > Quit). Before the window
// started it quits as soon as it does.
func (s *Shell) Quit() {
	s.mu.Lock()
	started := s.started
	s.quitRequested = true
	s.mu.Unlock()
	if !started {
		return
	}
	if ctx, err := s.Desktop.context(); err == nil {
		s.native.Quit(ctx)
	}
}

// report shows an error of a menu action (nobody else would see it).
func (s *Shell) report(ctx context.Context, what string, err error) {
	s.log.Error(what+" failed", "err", err)
	s.native.Message(ctx, Message{Kind: MessageError, Title: what, Text: err.Error()})
}

// about is the text of Help > About.
func (s *Shell) about() string {
	st := s.engine.Status()
	text := fmt.Sprintf("Samwise %s\n%s\n\nEngine: %s", s.opts.Info.Version, s.opts.Info.Summary(), st.State)
	if st.PID != 0 {
		text += fmt.Sprintf(" (pid %d)", st.PID)
	}
	if st.Restarts > 0 {
		text += fmt.Sprintf(", restarted %d times", st.Restarts)
	}
	if st.LastError != "" {
		text += "\nLast engine error: " + st.LastError
	}
	return text + "\nEngine log: " + st.LogFile
}
