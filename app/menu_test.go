package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"

	"github.com/samwise-app/samwise/app"
)

// item finds a menu item by its submenu and label.
func item(t *testing.T, m *menu.Menu, submenu, label string) *menu.MenuItem {
	t.Helper()
	for _, top := range m.Items {
		if top.Label != submenu || top.SubMenu == nil {
			continue
		}
		for _, it := range top.SubMenu.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no %s > %s in the menu", submenu, label)
	return nil
}

func click(it *menu.MenuItem) { it.Click(&menu.CallbackData{MenuItem: it}) }

func TestMenuShortcuts(t *testing.T) {
	m := newShell(&fakeNative{}, downEngine{}, app.ShellOptions{}).Menu()
	for _, tc := range []struct {
		submenu, label string
		want           *keys.Accelerator
	}{
		{"File", "Open Images…", keys.CmdOrCtrl("o")},
		{"File", "Open Folder…", keys.Combo("o", keys.CmdOrCtrlKey, keys.ShiftKey)},
		{"File", "Open Video…", keys.Combo("o", keys.CmdOrCtrlKey, keys.OptionOrAltKey)},
		{"File", "Export…", keys.CmdOrCtrl("e")},
		{"File", "Quit", keys.CmdOrCtrl("q")},
		{"Edit", "Undo", keys.CmdOrCtrl("z")},
		{"Edit", "Redo", keys.Combo("z", keys.CmdOrCtrlKey, keys.ShiftKey)},
	} {
		got := item(t, m, tc.submenu, tc.label).Accelerator
		if got == nil || got.Key != tc.want.Key || strings.Join(modifiers(got), "+") != strings.Join(modifiers(tc.want), "+") {
			t.Errorf("%s > %s accelerator = %+v, want %+v", tc.submenu, tc.label, got, tc.want)
		}
	}
	item(t, m, "Help", "About Samwise")
}

func modifiers(a *keys.Accelerator) []string {
	var out []string
	for _, m := range a.Modifiers {
		out = append(out, string(m))
	}
	return out
}

func TestEditAndExportAreForwardedAsEvents(t *testing.T) {
	native := &fakeNative{}
	m := newShell(native, downEngine{}, app.ShellOptions{}).Menu()
	click(item(t, m, "Edit", "Undo"))
	click(item(t, m, "Edit", "Redo"))
	click(item(t, m, "File", "Export…"))
	var names []string
	for _, e := range native.Events() {
		names = append(names, e.name)
	}
	if got := strings.Join(names, " "); got != "samwise:undo samwise:redo samwise:export" {
		t.Errorf("events = %s", got)
	}
}

func TestOpenFromTheMenuHandsThePathsToTheFrontend(t *testing.T) {
	native := &fakeNative{files: []string{"/photos/a.jpg", "/photos/b.png"}}
	m := newShell(native, downEngine{}, app.ShellOptions{}).Menu()
	click(item(t, m, "File", "Open Images…"))
	d := native.Dialogs()
	if len(d) != 1 || d[0].kind != "files" || d[0].Filters[0].DisplayName != "Images" || !strings.Contains(d[0].Filters[0].Pattern, "*.jpg") {
		t.Fatalf("dialogs = %+v", d)
	}
	ev := native.Events()
	if len(ev) != 1 || ev[0].name != app.EventOpenPaths {
		t.Fatalf("events = %+v", ev)
	}
	if p := ev[0].data.(app.OpenPaths); strings.Join(p.Paths, ",") != "/photos/a.jpg,/photos/b.png" || p.Source != "menu" {
		t.Errorf("payload = %+v", p)
	}

	// Cancelling sends nothing.
	native.files = nil
	click(item(t, m, "File", "Open Images…"))
	if len(native.Events()) != 1 {
		t.Errorf("a cancelled dialog sent an event")
	}
}

func TestAMenuErrorIsShownInADialog(t *testing.T) {
	native := &fakeNative{err: errors.New("GTK says no")}
	m := newShell(native, downEngine{}, app.ShellOptions{}).Menu()
	click(item(t, m, "File", "Open Video…"))
	msgs := native.Messages()
	if len(msgs) != 1 || msgs[0].Kind != app.MessageError || !strings.Contains(msgs[0].Text, "GTK says no") {
		t.Errorf("messages = %+v", msgs)
	}
}

func TestQuitAndAbout(t *testing.T) {
	native := &fakeNative{}
	engine := downEngine{}
	engine.status.LogFile = "/data/logs/engine.log"
	engine.status.LastError = "the engine exited: exit status 1"
	m := newShell(native, engine, app.ShellOptions{Info: app.BuildInfo{Version: "v9.9.9", Tags: []string{"desktop", "production"}}}).Menu()
	click(item(t, m, "Help", "About Samwise"))
	msgs := native.Messages()
	if len(msgs) != 1 {
		t.Fatalf("messages = %+v", msgs)
	}
	for _, want := range []string{"v9.9.9", "desktop build", "/data/logs/engine.log", "exit status 1"} {
		if !strings.Contains(msgs[0].Text, want) {
			t.Errorf("About lacks %q:\n%s", want, msgs[0].Text)
		}
	}
	click(item(t, m, "File", "Quit"))
	if native.Quits() != 1 {
		t.Errorf("File > Quit did not quit")
	}
}
