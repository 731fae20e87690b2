package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/app"
	"github.com/samwise-app/samwise/app/supervisor"
)

// mediaFolder makes a folder with media and other files.
func mediaFolder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestOpenDialogReturnsAbsolutePaths(t *testing.T) {
	native := &fakeNative{files: []string{"/a/x.png", "relative/y.jpg"}, file: "/v/clip.mp4"}
	d := newShell(native, downEngine{}, app.ShellOptions{}).Desktop

	got, err := d.OpenDialog(app.DialogOptions{Multiple: true, Kinds: []string{"image", "video"}})
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if want := []string{"/a/x.png", filepath.Join(wd, "relative/y.jpg")}; !slices.Equal(got, want) {
		t.Errorf("paths = %q, want %q", got, want)
	}
	dlg := native.Dialogs()[0]
	var names []string
	for _, f := range dlg.Filters {
		names = append(names, f.DisplayName)
	}
	if dlg.kind != "files" || strings.Join(names, ",") != "Images and videos,Images,Videos,All files" {
		t.Errorf("dialog = %+v", dlg)
	}
	if !strings.Contains(dlg.Filters[0].Pattern, "*.png") || !strings.Contains(dlg.Filters[0].Pattern, "*.mp4") {
		t.Errorf("combined filter = %q", dlg.Filters[0].Pattern)
	}

	got, err = d.OpenDialog(app.DialogOptions{Kinds: []string{"video"}, Title: "Pick a clip"})
	if err != nil || !slices.Equal(got, []string{"/v/clip.mp4"}) {
		t.Errorf("single video = %q, %v", got, err)
	}
	if dlg := native.Dialogs()[1]; dlg.kind != "file" || dlg.Title != "Pick a clip" || dlg.Filters[0].DisplayName != "Videos" {
		t.Errorf("video dialog = %+v", dlg)
	}
}

func TestOpenDialogOnAFolderListsItsMedia(t *testing.T) {
	dir := mediaFolder(t, map[string]string{
		"b.PNG": "x", "a.jpg": "x", "clip.mp4": "x", "notes.txt": "x", ".hidden.png": "x", "sub/c.png": "x",
	})
	native := &fakeNative{dir: dir}
	d := newShell(native, downEngine{}, app.ShellOptions{}).Desktop
	got, err := d.OpenDialog(app.DialogOptions{Folder: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.PNG"), filepath.Join(dir, "clip.mp4")}
	if !slices.Equal(got, want) {
		t.Errorf("folder = %q, want %q", got, want)
	}
	got, _ = d.OpenDialog(app.DialogOptions{Folder: true, Kinds: []string{"video"}})
	if !slices.Equal(got, []string{filepath.Join(dir, "clip.mp4")}) {
		t.Errorf("videos of the folder = %q", got)
	}
}

func TestCancelledDialogsReturnNothing(t *testing.T) {
	native := &fakeNative{}
	d := newShell(native, downEngine{}, app.ShellOptions{}).Desktop
	for _, opts := range []app.DialogOptions{{Multiple: true}, {}, {Folder: true}} {
		got, err := d.OpenDialog(opts)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("cancelled %+v = %#v, %v; want an empty list", opts, got, err)
		}
	}
	// Nothing chosen: the engine (down here) is not asked.
	res, err := d.OpenImages()
	if err != nil || len(res.Media) != 0 || len(res.Failed) != 0 || res.Media == nil || res.Failed == nil {
		t.Errorf("cancelled OpenImages = %#v, %v", res, err)
	}
	path, err := d.SaveExport("coco", "p1", app.ExportOptions{})
	if err == nil {
		t.Errorf("export with the engine down = %q, nil", path)
	}
}

func TestDesktopErrors(t *testing.T) {
	native := &fakeNative{files: []string{"/a/x.png"}}
	d := app.NewDesktop(native, downEngine{}, nil, nil)
	if _, err := d.OpenImages(); !errors.Is(err, app.ErrNotStarted) {
		t.Errorf("before startup: %v", err)
	}
	d = newShell(native, downEngine{}, app.ShellOptions{}).Desktop
	if _, err := d.OpenDialog(app.DialogOptions{Kinds: []string{"audio"}}); err == nil || !strings.Contains(err.Error(), `"audio"`) {
		t.Errorf("unknown kind: %v", err)
	}
	_, err := d.OpenImages()
	var u *supervisor.UnavailableError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "restarting") {
		t.Errorf("engine down: %v", err)
	}
	if _, err := d.SaveExport("pdf", "p1", app.ExportOptions{}); err == nil || !strings.Contains(err.Error(), "coco") {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := d.SaveExport("coco", "", app.ExportOptions{}); err == nil {
		t.Error("export without a project succeeded")
	}
	if err := d.SetTitle("Samwise — truck.jpg"); err != nil || native.titles[0] != "Samwise — truck.jpg" {
		t.Errorf("title: %v %q", err, native.titles)
	}
}

// ChooseFolder returns the folder itself (absolute), not the media in it,
// and "" when the dialog is cancelled.
func TestChooseFolder(t *testing.T) {
	native := &fakeNative{dir: "models/sam3"}
	d := newShell(native, downEngine{}, app.ShellOptions{}).Desktop
	got, err := d.ChooseFolder("Choose a model folder")
	wd, _ := os.Getwd()
	if err != nil || got != filepath.Join(wd, "models/sam3") {
		t.Errorf("ChooseFolder = %q, %v; want the absolute folder", got, err)
	}
	if dlg := native.Dialogs()[0]; dlg.kind != "directory" || dlg.Title != "Choose a model folder" {
		t.Errorf("dialog = %+v", dlg)
	}
	native.dir = ""
	if got, err := d.ChooseFolder(""); got != "" || err != nil {
		t.Errorf("cancelled: %q, %v", got, err)
	}
}
