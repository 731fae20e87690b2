// Package app is the desktop shell around the engine: the methods the
// frontend calls through Wails bindings (Desktop), the application menu,
// the AssetServer middleware that sends API paths to the engine proxy, and
// the window's life cycle (Shell). Every call into the Wails runtime goes
// through the Native interface, so all of it runs in tests without a window.
package app

import "context"

// Native is the part of the Wails runtime the app uses: dialogs, window
// title, events and quitting. WailsNative is the real one; tests use a fake.
// ctx is (derived from) the Wails runtime context given to OnStartup.
type Native interface {
	// OpenFiles lets the user choose files; nil when cancelled.
	OpenFiles(ctx context.Context, d FileDialog) ([]string, error)
	// OpenFile lets the user choose one file; "" when cancelled.
	OpenFile(ctx context.Context, d FileDialog) (string, error)
	// OpenDirectory lets the user choose a folder; "" when cancelled.
	OpenDirectory(ctx context.Context, d FileDialog) (string, error)
	// SaveFile asks where to save; "" when cancelled.
	SaveFile(ctx context.Context, d FileDialog) (string, error)
	// Message shows a modal message.
	Message(ctx context.Context, m Message) error
	SetTitle(ctx context.Context, title string)
	// Emit sends an event to the frontend (window.runtime.EventsOn).
	Emit(ctx context.Context, event string, data any)
	// On calls fn with the payload of each event the frontend emits.
	On(ctx context.Context, event string, fn func(data []any))
	// ExecJS runs JavaScript in the page.
	ExecJS(ctx context.Context, js string)
	// OnFileDrop calls fn with the paths of files dropped on the window.
	OnFileDrop(ctx context.Context, fn func(paths []string))
	// Quit closes the window and ends wails.Run.
	Quit(ctx context.Context)
}

// FileDialog configures a file or folder dialog.
type FileDialog struct {
	Title            string
	DefaultDirectory string
	DefaultFilename  string
	Filters          []FileFilter
}

// FileFilter is one entry of a dialog's file type list; Pattern is like
// "*.png;*.jpg".
type FileFilter struct {
	DisplayName string
	Pattern     string
}

// MessageKind is the icon of a message dialog.
type MessageKind string

// Message kinds.
const (
	MessageInfo    MessageKind = "info"
	MessageWarning MessageKind = "warning"
	MessageError   MessageKind = "error"
)

// Message is a modal message dialog.
type Message struct {
	Kind  MessageKind
	Title string
	Text  string
}
