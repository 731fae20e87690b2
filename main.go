//go:build desktop || dev || production

// Command samwise is the desktop app: a Wails window showing the annotator
// (frontend/dist, embedded) with the engine running as a supervised child
// process behind it. Build it with build/app.sh (make app), which passes the
// Wails build tags; main_notags.go is what a build without them gets.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/samwise-app/samwise/app"
	"github.com/samwise-app/samwise/app/logfile"
	"github.com/samwise-app/samwise/app/proxy"
	"github.com/samwise-app/samwise/app/supervisor"
	"github.com/samwise-app/samwise/engine/config"
)

//go:embed all:frontend/dist
var assets embed.FS

// stopTimeout bounds the engine's shutdown after the window closed.
const stopTimeout = 15 * time.Second

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "samwise:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("samwise", flag.ContinueOnError)
	showVersion := flags.Bool("version", false, "print the version and build tags, then exit")
	enginePath := flags.String("engine", "", "the engine binary (default: $SAMWISE_ENGINE, beside this binary, or bin/engine of the source tree)")
	dataDir := flags.String("data-dir", "", "the data directory (default: $SAMWISE_DATA_DIR or "+config.DefaultDataDir()+")")
	logLevel := flags.String("log-level", os.Getenv("SAMWISE_LOG_LEVEL"), "debug, info, warn or error (env SAMWISE_LOG_LEVEL)")
	selfTest := flags.Bool("selftest", false, "once the page loaded, check the window.samwise bridge, a bound method and the /v1 proxy, and log \"selftest passed\" or \"selftest failed\"")
	if err := flags.Parse(args); err != nil {
		return err
	}
	info := app.ReadBuildInfo()
	if *showVersion {
		fmt.Printf("samwise %s (%s)\n", info.Version, info.Summary())
		return nil
	}

	dir := firstOf(*dataDir, os.Getenv("SAMWISE_DATA_DIR"), config.DefaultDataDir())
	appLog, err := logfile.Open(filepath.Join(dir, "logs", "app.log"), 0, -1)
	if err != nil {
		return err
	}
	defer appLog.Close()
	log := newLogger(io.MultiWriter(os.Stderr, appLog), *logLevel)
	log.Info("starting", "version", info.Version, "build", info.Summary(), "data_dir", dir)

	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()

	binary := *enginePath
	var engineErr error
	if binary == "" {
		exe, _ := os.Executable()
		wd, _ := os.Getwd()
		binary, engineErr = supervisor.Locator{Executable: exe, WorkDir: wd, Getenv: os.Getenv}.Find()
	}

	var shell *app.Shell
	sup := supervisor.New(supervisor.Config{
		Binary:  binary,
		DataDir: dir,
		Logger:  log,
		// Notify runs on the supervisor's goroutine, started below after
		// shell is set.
		Notify: func(st supervisor.Status) { shell.EngineChanged(st) },
	})
	desktop := app.NewDesktop(app.WailsNative{}, sup, nil, log)
	shell = app.NewShell(app.WailsNative{}, sup, desktop, app.ShellOptions{Info: info, StartupErr: engineErr, SelfTest: *selfTest}, log)
	if engineErr != nil {
		// The window still opens and says so (Shell.DomReady).
		log.Error("the engine cannot run", "err", engineErr)
	} else if err := sup.Start(ctx); err != nil {
		return err
	}
	windowClosed := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			log.Info("signal received; closing the window")
			shell.Quit()
		case <-windowClosed:
		}
	}()

	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return err
	}
	runErr := wails.Run(&options.App{
		Title:     "Samwise",
		Width:     1440,
		Height:    900,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:     dist,
			Middleware: app.Middleware(proxy.New(sup, nil, log)),
		},
		Menu:             shell.Menu(),
		OnStartup:        shell.Startup,
		OnDomReady:       shell.DomReady,
		Bind:             []any{desktop},
		BackgroundColour: &options.RGBA{R: 24, G: 26, B: 31, A: 255},
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true},
		Linux:            &linux.Options{ProgramName: "samwise", WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand},
	})
	close(windowClosed)
	log.Info("window closed; stopping the engine")
	stopCtx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if err := sup.Close(stopCtx); err != nil {
		log.Error("stopping the engine", "err", err)
	}
	log.Info("exited")
	return runErr
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(firstOf(level, "info")))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
