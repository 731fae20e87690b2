package app_test

import (
	"context"
	"sync"
	"time"

	"github.com/samwise-app/samwise/app"
	"github.com/samwise-app/samwise/app/supervisor"
)

// event is one Emit.
type event struct {
	name string
	data any
}

// fakeNative answers dialogs with what the test set and records every call.
type fakeNative struct {
	mu sync.Mutex
	// answers
	files []string
	file  string
	dir   string
	save  string
	err   error
	// records
	dialogs  []dialogCall
	events   []event
	messages []app.Message
	titles   []string
	js       []string
	quits    int
	drop     func([]string)
	handlers map[string]func([]any)
}

type dialogCall struct {
	kind string // files, file, directory, save
	app.FileDialog
}

func (f *fakeNative) dialog(kind string, d app.FileDialog) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dialogs = append(f.dialogs, dialogCall{kind, d})
}

func (f *fakeNative) OpenFiles(_ context.Context, d app.FileDialog) ([]string, error) {
	f.dialog("files", d)
	return f.files, f.err
}

func (f *fakeNative) OpenFile(_ context.Context, d app.FileDialog) (string, error) {
	f.dialog("file", d)
	return f.file, f.err
}

func (f *fakeNative) OpenDirectory(_ context.Context, d app.FileDialog) (string, error) {
	f.dialog("directory", d)
	return f.dir, f.err
}

func (f *fakeNative) SaveFile(_ context.Context, d app.FileDialog) (string, error) {
	f.dialog("save", d)
	return f.save, f.err
}

func (f *fakeNative) Message(_ context.Context, m app.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.messages = append(f.messages, m)
	return nil
}

func (f *fakeNative) SetTitle(_ context.Context, title string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.titles = append(f.titles, title)
}

func (f *fakeNative) Emit(_ context.Context, name string, data any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, event{name, data})
}

func (f *fakeNative) On(_ context.Context, name string, fn func([]any)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.handlers == nil {
		f.handlers = map[string]func([]any){}
	}
	f.handlers[name] = fn
}

func (f *fakeNative) ExecJS(_ context.Context, js string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.js = append(f.js, js)
}

func (f *fakeNative) OnFileDrop(_ context.Context, fn func([]string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drop = fn
}

func (f *fakeNative) Quit(context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.quits++
}

func (f *fakeNative) Events() []event {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]event(nil), f.events...)
}

func (f *fakeNative) Dialogs() []dialogCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]dialogCall(nil), f.dialogs...)
}

func (f *fakeNative) Messages() []app.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]app.Message(nil), f.messages...)
}

func (f *fakeNative) Quits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.quits
}

// downEngine is an engine that never becomes ready.
type downEngine struct{ status supervisor.Status }

func (e downEngine) Endpoint() (supervisor.Endpoint, error) {
	return supervisor.Endpoint{}, &supervisor.UnavailableError{State: supervisor.StateRestarting, Reason: "the engine exited: exit status 1", RetryAfter: 2 * time.Second}
}

func (e downEngine) Status() supervisor.Status { return e.status }

func (e downEngine) Restart() {}

// newShell makes a started shell over native and engine.
func newShell(native *fakeNative, engine app.Engine, opts app.ShellOptions) *app.Shell {
	d := app.NewDesktop(native, engine, nil, nil)
	s := app.NewShell(native, engine, d, opts, nil)
	s.Startup(context.Background())
	return s
}
