package importer

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
)

// matcher finds the media a picture of a file belongs to.
type matcher struct {
	targets []Target
	byID    map[string]int
	// byName and byFold index images by their names (as uploaded and as
	// exports write them), exactly and lower-cased, byStem and byStemFold
	// by those names without extension (YOLO names pictures so, and a file
	// may name a picture converted to another format); videos by the stem
	// of those names, the folder exports put their frames in.
	byName, byFold, byStem, byStemFold, videos map[string][]int
}

func newMatcher(targets []Target) *matcher {
	m := &matcher{targets: targets, byID: map[string]int{}, byName: map[string][]int{}, byFold: map[string][]int{},
		byStem: map[string][]int{}, byStemFold: map[string][]int{}, videos: map[string][]int{}}
	add := func(idx map[string][]int, k string, i int) {
		for _, j := range idx[k] {
			if j == i {
				return
			}
		}
		idx[k] = append(idx[k], i)
	}
	for i, t := range targets {
		m.byID[t.Media.MediaID] = i
		for _, n := range []string{export.PictureName(t.Media), path.Base(slashed(t.Media.Name))} {
			if n == "" || n == "." {
				continue
			}
			stem := strings.TrimSuffix(n, path.Ext(n))
			if t.Media.Kind == api.KindVideo {
				add(m.videos, stem, i)
				continue
			}
			add(m.byName, n, i)
			add(m.byFold, strings.ToLower(n), i)
			add(m.byStem, stem, i)
			add(m.byStemFold, strings.ToLower(stem), i)
		}
	}
	return m
}

// exportPrefix is the media id prefix exports put before names that repeat
// within a project ("1a2b3c4d_photo.jpg").
var exportPrefix = regexp.MustCompile(`^([0-9a-f]{1,8})_(.+)$`)

// frameName is a video frame as exports name it: "000012.jpg" in the
// video's folder, or "walk_000012" (a YOLO label file's stem).
var (
	frameName = regexp.MustCompile(`^([0-9]+)\.[A-Za-z0-9]+$`)
	frameStem = regexp.MustCompile(`^(.+)_([0-9]+)$`)
)

// find returns the target and frame of p: ti < 0 when no media matches, why
// when the match is ambiguous.
func (m *matcher) find(p *Picture) (ti, frame int, why string) {
	if i, ok := m.byID[p.MediaID]; ok && p.MediaID != "" {
		return i, p.Frame, ""
	}
	if p.Video != "" {
		i, why := m.one(m.videos, strings.TrimSuffix(p.Video, path.Ext(p.Video)), p.Video)
		if i >= 0 && m.targets[i].Media.Format == api.FormatFrames {
			return i, p.Index, why
		}
		return i, p.Frame, why
	}
	file := slashed(p.FileName)
	name := path.Base(file)
	if f := frameName.FindStringSubmatch(name); f != nil {
		dir := path.Base(path.Dir(file))
		if n, err := strconv.Atoi(f[1]); err == nil {
			if i, why := m.one(m.videos, dir, name); i >= 0 || why != "" {
				return i, n, why
			}
		}
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	if stem == name {
		if f := frameStem.FindStringSubmatch(name); f != nil {
			if n, err := strconv.Atoi(f[2]); err == nil {
				if i, why := m.one(m.videos, f[1], name); i >= 0 || why != "" {
					return i, n, why
				}
			}
		}
	}
	for _, idx := range []struct {
		m map[string][]int
		k string
	}{{m.byName, name}, {m.byFold, strings.ToLower(name)}, {m.byStem, stem}, {m.byStemFold, strings.ToLower(stem)}} {
		if i, why := m.one(idx.m, idx.k, name); i >= 0 || why != "" {
			return i, 0, why
		}
	}
	if f := frameStem.FindStringSubmatch(stem); f != nil && stem != name { // "walk_000012.jpg"
		if n, err := strconv.Atoi(f[2]); err == nil {
			if i, why := m.one(m.videos, f[1], name); i >= 0 || why != "" {
				return i, n, why
			}
		}
	}
	if f := anonymousFrame.FindStringSubmatch(stem); f != nil {
		if n, err := strconv.Atoi(f[1]); err == nil {
			return m.onlyVideo(name, n)
		}
	}
	if orig := originalName(name); orig != "" {
		return m.find(&Picture{FileName: orig})
	}
	return -1, 0, ""
}

// slashed turns a Windows path's backslashes into slashes.
func slashed(name string) string { return strings.ReplaceAll(name, "\\", "/") }

// named reports whether find places p by its file name (not by Samwise's
// media_id, nor by a video's list of frames).
func (m *matcher) named(p *Picture) bool {
	_, byID := m.byID[p.MediaID]
	return !(byID && p.MediaID != "") && p.Video == ""
}

// anonymousFrame is a frame named without its video: CVAT exports a video
// task's frames as "frame_000012" (0-based).
var anonymousFrame = regexp.MustCompile(`^frame_([0-9]+)$`)

// onlyVideo places frame n of a picture that does not name its video on the
// project's only video.
func (m *matcher) onlyVideo(name string, n int) (ti, frame int, why string) {
	ti = -1
	videos := 0
	for i, t := range m.targets {
		if t.Media.Kind == api.KindVideo {
			ti = i
			videos++
		}
	}
	if videos > 1 {
		return -1, 0, fmt.Sprintf("%s names a frame but not its video, and the project has %d videos; import the file into a project that holds only its video", name, videos)
	}
	return ti, n, ""
}

// Names other tools give pictures: Roboflow's "photo_jpg.rf.<hash>.jpg"
// (and "photo_jpg.rf.<hash>", its YOLO label files' stem), Label Studio's
// "<8 hex>-photo.jpg".
var (
	roboflowName    = regexp.MustCompile(`^(.+)_([A-Za-z0-9]+)\.rf\.[0-9a-fA-F]+(\.[A-Za-z0-9]+)?$`)
	labelStudioName = regexp.MustCompile(`^[0-9a-f]{8}-(.+)$`)
)

// originalName is the upload name a tool's renamed picture had ("" when
// the name is not one of those).
func originalName(name string) string {
	if f := roboflowName.FindStringSubmatch(name); f != nil {
		return f[1] + "." + f[2]
	}
	if f := labelStudioName.FindStringSubmatch(name); f != nil {
		return f[1]
	}
	return ""
}

// one picks the single target idx has under k, also trying k without an
// export's id prefix when the prefix fits that target's id.
func (m *matcher) one(idx map[string][]int, k, name string) (int, string) {
	cands := idx[k]
	if len(cands) == 0 {
		if p := exportPrefix.FindStringSubmatch(k); p != nil {
			for _, i := range idx[p[2]] {
				if strings.HasPrefix(m.targets[i].Media.MediaID, p[1]) {
					cands = append(cands, i)
				}
			}
		}
	}
	switch len(cands) {
	case 0:
		return -1, ""
	case 1:
		return cands[0], ""
	}
	return -1, fmt.Sprintf("%d media of the project are called %s; import from a Samwise COCO export (it names media by id) or rename them", len(cands), name)
}
