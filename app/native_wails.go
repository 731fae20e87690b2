package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WailsNative is Native over the Wails runtime. Its methods need the Wails
// runtime context (or one derived from it); outside a running app the
// runtime calls log.Fatal, which is why the rest of the package only sees
// the interface.
type WailsNative struct{}

var _ Native = WailsNative{}

func wailsOpen(d FileDialog) runtime.OpenDialogOptions {
	o := runtime.OpenDialogOptions{Title: d.Title, DefaultDirectory: d.DefaultDirectory, DefaultFilename: d.DefaultFilename}
	for _, f := range d.Filters {
		o.Filters = append(o.Filters, runtime.FileFilter{DisplayName: f.DisplayName, Pattern: f.Pattern})
	}
	return o
}

// OpenFiles is runtime.OpenMultipleFilesDialog.
func (WailsNative) OpenFiles(ctx context.Context, d FileDialog) ([]string, error) {
	return runtime.OpenMultipleFilesDialog(ctx, wailsOpen(d))
}

// OpenFile is runtime.OpenFileDialog.
func (WailsNative) OpenFile(ctx context.Context, d FileDialog) (string, error) {
	return runtime.OpenFileDialog(ctx, wailsOpen(d))
}

// OpenDirectory is runtime.OpenDirectoryDialog.
func (WailsNative) OpenDirectory(ctx context.Context, d FileDialog) (string, error) {
	return runtime.OpenDirectoryDialog(ctx, wailsOpen(d))
}

// SaveFile is runtime.SaveFileDialog.
func (WailsNative) SaveFile(ctx context.Context, d FileDialog) (string, error) {
	o := runtime.SaveDialogOptions{Title: d.Title, DefaultDirectory: d.DefaultDirectory, DefaultFilename: d.DefaultFilename, CanCreateDirectories: true}
	for _, f := range d.Filters {
		o.Filters = append(o.Filters, runtime.FileFilter{DisplayName: f.DisplayName, Pattern: f.Pattern})
	}
	return runtime.SaveFileDialog(ctx, o)
}

// Message is runtime.MessageDialog.
func (WailsNative) Message(ctx context.Context, m Message) error {
	kind := runtime.InfoDialog
	switch m.Kind {
	case MessageWarning:
		kind = runtime.WarningDialog
	case MessageError:
		kind = runtime.ErrorDialog
	}
	_, err := runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: kind, Title: m.Title, Message: m.Text})
	return err
}

// SetTitle is runtime.WindowSetTitle.
func (WailsNative) SetTitle(ctx context.Context, title string) { runtime.WindowSetTitle(ctx, title) }

// Emit is runtime.EventsEmit with one payload.
func (WailsNative) Emit(ctx context.Context, event string, data any) {
	runtime.EventsEmit(ctx, event, data)
}

// On is runtime.EventsOn.
func (WailsNative) On(ctx context.Context, event string, fn func(data []any)) {
	runtime.EventsOn(ctx, event, func(data ...any) { fn(data) })
}

// ExecJS is runtime.WindowExecJS.
func (WailsNative) ExecJS(ctx context.Context, js string) { runtime.WindowExecJS(ctx, js) }

// OnFileDrop is runtime.OnFileDrop.
func (WailsNative) OnFileDrop(ctx context.Context, fn func(paths []string)) {
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) { fn(paths) })
}

// Quit is runtime.Quit.
func (WailsNative) Quit(ctx context.Context) { runtime.Quit(ctx) }
