package app

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Media kinds the dialogs filter on (the engine's api.KindImage/KindVideo).
const (
	kindImage = "image"
	kindVideo = "video"
)

// extensions of the files the engine opens: the image formats it decodes
// and common video containers (read through ffmpeg).
var extensions = map[string][]string{
	kindImage: {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"},
	kindVideo: {".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi"},
}

var kindNames = map[string]string{kindImage: "Images", kindVideo: "Videos"}

// normalizeKinds keeps the known kinds of want, in a fixed order; none
// means both.
func normalizeKinds(want []string) ([]string, error) {
	var out []string
	for _, k := range []string{kindImage, kindVideo} {
		if slices.Contains(want, k) {
			out = append(out, k)
		}
	}
	for _, k := range want {
		if _, ok := extensions[k]; !ok {
			return nil, fmt.Errorf("unknown media kind %q: use %q or %q", k, kindImage, kindVideo)
		}
	}
	if len(out) == 0 {
		out = []string{kindImage, kindVideo}
	}
	return out, nil
}

// filters makes the dialog filters for kinds: all of them together first,
// then each kind, then every file.
func filters(kinds []string) []FileFilter {
	var all []string
	var each []FileFilter
	for _, k := range kinds {
		var pats []string
		for _, ext := range extensions[k] {
			pats = append(pats, "*"+ext)
		}
		all = append(all, pats...)
		each = append(each, FileFilter{DisplayName: kindNames[k], Pattern: strings.Join(pats, ";")})
	}
	out := each
	if len(kinds) > 1 {
		out = append([]FileFilter{{DisplayName: "Images and videos", Pattern: strings.Join(all, ";")}}, each...)
	}
	return append(out, FileFilter{DisplayName: "All files", Pattern: "*"})
}

// isMedia reports whether name has the extension of one of kinds.
func isMedia(name string, kinds []string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, k := range kinds {
		if slices.Contains(extensions[k], ext) {
			return true
		}
	}
	return false
}

// mediaInFolder lists the images and videos directly inside dir (not in
// subfolders; hidden files skipped), sorted by name.
func mediaInFolder(dir string, kinds []string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !isMedia(e.Name(), kinds) {
			continue
		}
		out = append(out, filepath.Join(dir, e.Name()))
	}
	return out, nil
}

// expandFolders replaces each folder of paths by the media inside it; files
// are kept whatever their extension (the engine says if it cannot open one).
func expandFolders(paths []string, kinds []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			inside, err := mediaInFolder(p, kinds)
			if err != nil {
				return nil, err
			}
			out = append(out, inside...)
			continue
		}
		out = append(out, p)
	}
	return out, nil
}
