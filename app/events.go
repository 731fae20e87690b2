package app

// Events the app sends to the frontend (window.samwise.on*, or
// window.runtime.EventsOn with these names). docs/desktop.md lists their
// payloads.
const (
	// EventOpenPaths carries OpenPaths: files the user chose from the menu or
	// dropped on the window, for the frontend to add to its project.
	EventOpenPaths = "samwise:open-paths"
	// EventEngine carries the supervisor.Status on every change.
	EventEngine = "samwise:engine"
	// EventUndo and EventRedo come from the Edit menu and its shortcuts.
	EventUndo = "samwise:undo"
	EventRedo = "samwise:redo"
	// EventExport asks the frontend to export its project (File > Export…):
	// it picks the format and calls SaveExport.
	EventExport = "samwise:export"
	// EventImport asks the frontend to import annotations (File > Import
	// Annotations…): it shows its file picker and the import's dry run.
	EventImport = "samwise:import"
)

// OpenPaths is the payload of EventOpenPaths.
type OpenPaths struct {
	Paths []string `json:"paths"`
	// Source is "menu" or "drop".
	Source string `json:"source"`
}
