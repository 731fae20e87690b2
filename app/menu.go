package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
)

// Menu is the application menu. File > Open… shows the native dialog and
// hands the chosen paths to the frontend (EventOpenPaths), which registers
// them and adds them to its project; Edit, Import and Export are forwarded
// as events because the frontend owns the annotation history and the
// project.
func (s *Shell) Menu() *menu.Menu {
	m := menu.NewMenu()
	if isMacOS {
		m.Append(menu.AppMenu())
	}
	file := m.AddSubmenu("File")
	file.AddText("Open Images…", keys.CmdOrCtrl("o"), s.action("Open images", func(ctx context.Context) error {
		return s.openFromMenu(ctx, DialogOptions{Multiple: true, Kinds: []string{kindImage}})
	}))
	file.AddText("Open Folder…", keys.Combo("o", keys.CmdOrCtrlKey, keys.ShiftKey), s.action("Open folder", func(ctx context.Context) error {
		return s.openFromMenu(ctx, DialogOptions{Folder: true})
	}))
	file.AddText("Open Video…", keys.Combo("o", keys.CmdOrCtrlKey, keys.OptionOrAltKey), s.action("Open video", func(ctx context.Context) error {
		return s.openFromMenu(ctx, DialogOptions{Kinds: []string{kindVideo}})
	}))
	file.AddSeparator()
	file.AddText("Import Annotations…", keys.CmdOrCtrl("i"), s.action("Import", func(ctx context.Context) error {
		s.native.Emit(ctx, EventImport, nil)
		return nil
	}))
	file.AddText("Export…", keys.CmdOrCtrl("e"), s.action("Export", func(ctx context.Context) error {
		s.native.Emit(ctx, EventExport, nil)
		return nil
	}))
	file.AddSeparator()
	file.AddText("Quit", keys.CmdOrCtrl("q"), s.action("Quit", func(ctx context.Context) error {
		s.native.Quit(ctx)
		return nil
	}))

	edit := m.AddSubmenu("Edit")
	edit.AddText("Undo", keys.CmdOrCtrl("z"), s.action("Undo", func(ctx context.Context) error {
		s.native.Emit(ctx, EventUndo, nil)
		return nil
	}))
	edit.AddText("Redo", keys.Combo("z", keys.CmdOrCtrlKey, keys.ShiftKey), s.action("Redo", func(ctx context.Context) error {
		s.native.Emit(ctx, EventRedo, nil)
		return nil
	}))

	help := m.AddSubmenu("Help")
	help.AddText("About Samwise", nil, s.action("About", func(ctx context.Context) error {
		return s.native.Message(ctx, Message{Kind: MessageInfo, Title: "About Samwise", Text: s.about()})
	}))
	return m
}

// action makes a menu callback: it runs fn with the runtime context and
// shows its error in a dialog.
func (s *Shell) action(what string, fn func(ctx context.Context) error) menu.Callback {
	return func(*menu.CallbackData) {
		ctx, err := s.Desktop.context()
		if err != nil {
			return
		}
		if err := fn(ctx); err != nil {
			s.report(ctx, what, err)
		}
	}
}

// openFromMenu shows the dialog and sends the chosen paths to the frontend.
func (s *Shell) openFromMenu(ctx context.Context, opts DialogOptions) error {
	paths, err := s.Desktop.choose(ctx, opts)
	if err != nil || len(paths) == 0 {
		return err
	}
	s.native.Emit(ctx, EventOpenPaths, OpenPaths{Paths: paths, Source: "menu"})
	return nil
}
