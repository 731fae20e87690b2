package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/app"
	"github.com/samwise-app/samwise/app/supervisor"
)

func TestDroppedFilesGoToTheFrontend(t *testing.T) {
	native := &fakeNative{}
	newShell(native, downEngine{}, app.ShellOptions{})
	if native.drop == nil {
		t.Fatal("no file drop handler was registered at startup")
	}
	native.drop([]string{"/data/a.png", "/data/clip.mp4"})
	native.drop(nil)
	ev := native.Events()
	if len(ev) != 1 || ev[0].name != app.EventOpenPaths {
		t.Fatalf("events = %+v, want one %s", ev, app.EventOpenPaths)
	}
	got := ev[0].data.(app.OpenPaths)
	if strings.Join(got.Paths, ",") != "/data/a.png,/data/clip.mp4" || got.Source != "drop" {
		t.Errorf("payload = %+v", got)
	}
}

func TestEngineStatusReachesThePageOnceItStarted(t *testing.T) {
	native := &fakeNative{}
	engine := downEngine{status: supervisor.Status{State: supervisor.StateStarting}}
	d := app.NewDesktop(native, engine, nil, nil)
	s := app.NewShell(native, engine, d, app.ShellOptions{}, nil)

	s.EngineChanged(supervisor.Status{State: supervisor.StateStarting})
	if len(native.Events()) != 0 {
		t.Fatal("an event was sent before the window started")
	}
	s.Startup(context.Background())
	s.DomReady(context.Background())
	s.EngineChanged(supervisor.Status{State: supervisor.StateReady, PID: 42})
	ev := native.Events()
	if len(ev) != 2 || ev[0].name != app.EventEngine || ev[1].name != app.EventEngine {
		t.Fatalf("events = %+v", ev)
	}
	if st := ev[0].data.(supervisor.Status); st.State != supervisor.StateStarting {
		t.Errorf("DomReady sent %+v, want the current status", st)
	}
	if st := ev[1].data.(supervisor.Status); st.State != supervisor.StateReady || st.PID != 42 {
		t.Errorf("change sent %+v", st)
	}
}

func TestAStartupErrorIsShownWhenThePageLoaded(t *testing.T) {
	native := &fakeNative{}
	s := newShell(native, downEngine{}, app.ShellOptions{StartupErr: errors.New("the engine binary was not found")})
	s.DomReady(context.Background())
	m := native.Messages()
	if len(m) != 1 || m[0].Kind != app.MessageError || !strings.Contains(m[0].Text, "not found") {
		t.Errorf("messages = %+v", m)
	}
}

func TestQuitBeforeStartupQuitsOnStartup(t *testing.T) {
	native := &fakeNative{}
	d := app.NewDesktop(native, downEngine{}, nil, nil)
	s := app.NewShell(native, downEngine{}, d, app.ShellOptions{}, nil)
	s.Quit()
	if native.Quits() != 0 {
		t.Fatal("quit called the runtime before it started")
	}
	s.Startup(context.Background())
	if native.Quits() != 1 {
		t.Errorf("quits after startup = %d, want 1", native.Quits())
	}
	s.Quit()
	if native.Quits() != 2 {
		t.Errorf("quit after startup did not quit")
	}
}

func TestSelfTestLogsThePageReport(t *testing.T) {
	for _, tc := range []struct {
		name   string
		report map[string]any
		want   string
	}{
		{"passed", map[string]any{"bridge": true, "engine": "ready", "ready": 200, "media": 200}, `msg="selftest passed"`},
		{"no bridge", map[string]any{"bridge": false}, "bridge.js was not injected"},
		{"no token", map[string]any{"bridge": true, "engine": "ready", "ready": 200, "media": 401}, "the token was not added"},
		{"engine down", map[string]any{"bridge": true, "engine": "restarting"}, `not ready`},
		{"page error", map[string]any{"bridge": true, "error": "TypeError: x"}, "TypeError: x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			native := &fakeNative{}
			d := app.NewDesktop(native, downEngine{}, nil, nil)
			s := app.NewShell(native, downEngine{}, d, app.ShellOptions{SelfTest: true}, slog.New(slog.NewTextHandler(&logs, nil)))
			s.Startup(context.Background())
			s.DomReady(context.Background())
			s.DomReady(context.Background()) // a reload does not run it twice
			if len(native.js) != 1 || !strings.Contains(native.js[0], "samwise:selftest") {
				t.Fatalf("scripts run = %d", len(native.js))
			}
			native.handlers[app.EventSelfTest]([]any{tc.report})
			if !strings.Contains(logs.String(), tc.want) {
				t.Errorf("log lacks %q:\n%s", tc.want, logs.String())
			}
			if tc.name != "passed" && !strings.Contains(logs.String(), "selftest failed") {
				t.Errorf("log does not say the self-test failed:\n%s", logs.String())
			}
		})
	}
}

func TestNoSelfTestUnlessAsked(t *testing.T) {
	native := &fakeNative{}
	s := newShell(native, downEngine{}, app.ShellOptions{})
	s.DomReady(context.Background())
	if len(native.js) != 0 {
		t.Error("the self-test ran without --selftest")
	}
}
