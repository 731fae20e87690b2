package importer

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/project"
)

// Target is one media of the project with its annotation document.
type Target struct {
	Media api.Media
	Doc   *api.AnnotationDoc
}

// Limits of the summary's lists.
const (
	maxUnmatched = 50
	maxSkipped   = 100
)

// maxLabelLen is the longest label a project keeps.
const maxLabelLen = 100

// Merge adds the objects of f to the documents of the media its pictures
// match, as new objects with new ids (existing objects never change), and
// the labels they use to labels. A mask the media already has with the same
// label is a duplicate and is not added again. It returns the summary and
// the indexes of the targets whose documents changed.
func Merge(f *File, labels *[]api.Label, targets []Target) (api.ImportResult, []int) {
	m := &merger{
		res: api.ImportResult{Format: f.Format, Pictures: len(f.Pictures), LabelsAdded: []string{}, MediaIDs: []string{},
			Unmatched: []string{}, Skipped: []api.ImportSkip{}},
		labels: labels, targets: targets, match: newMatcher(targets),
		existing: make([]int, len(targets)), nextID: make([]int, len(targets)),
		tracks: map[trackKey]int{}, changed: map[int]bool{},
	}
	for i, t := range targets {
		m.existing[i] = len(t.Doc.Objects)
		for _, o := range t.Doc.Objects {
			m.nextID[i] = max(m.nextID[i], o.ObjectID)
		}
	}
	for _, s := range f.Skipped {
		m.skip(s)
	}
	for i := range f.Pictures {
		m.picture(&f.Pictures[i])
	}
	var changed []int
	for i := range targets {
		if m.changed[i] {
			changed = append(changed, i)
			m.res.MediaIDs = append(m.res.MediaIDs, targets[i].Media.MediaID)
		}
	}
	return m.res, changed
}

type trackKey struct {
	target, track int
	label         string
}

type merger struct {
	res     api.ImportResult
	labels  *[]api.Label
	targets []Target
	match   *matcher
	// existing counts each document's objects before the import; nextID is
	// its largest object id so far.
	existing, nextID []int
	// tracks finds the object (its index) an imported track became.
	tracks  map[trackKey]int
	changed map[int]bool
}

func (m *merger) skip(s api.ImportSkip) {
	m.res.SkippedCount++
	if len(m.res.Skipped) < maxSkipped {
		m.res.Skipped = append(m.res.Skipped, s)
	}
}

func (m *merger) picture(p *Picture) {
	ti, frame, why := m.match.find(p)
	switch {
	case why != "":
		m.skip(api.ImportSkip{File: p.FileName, Reason: why})
		return
	case ti < 0:
		m.res.UnmatchedCount++
		if len(m.res.Unmatched) < maxUnmatched {
			m.res.Unmatched = append(m.res.Unmatched, p.FileName)
		}
		return
	}
	t := m.targets[ti]
	med := t.Media
	// A file without sizes (YOLO) takes the media's.
	if (p.Width != 0 || p.Height != 0) && (p.Width != med.Width || p.Height != med.Height) {
		m.skip(api.ImportSkip{File: p.FileName, Reason: fmt.Sprintf("it is %d×%d in the file but %s is %d×%d", p.Width, p.Height, nameOf(med), med.Width, med.Height)})
		return
	}
	if frames := max(med.Frames, 1); frame < 0 || frame >= frames {
		m.skip(api.ImportSkip{File: p.FileName, Reason: fmt.Sprintf("frame %d is not in %s (frames 0 to %d)", frame, nameOf(med), frames-1)})
		return
	}
	m.res.Matched++
	key := strconv.Itoa(frame)
	for _, o := range p.Objects {
		m.object(ti, key, p.FileName, o)
	}
}

func (m *merger) object(ti int, key, file string, o Object) {
	t := m.targets[ti]
	label := strings.TrimSpace(o.Label)
	skip := func(format string, args ...any) {
		m.skip(api.ImportSkip{File: file, What: o.What, Reason: fmt.Sprintf(format, args...)})
	}
	rle, ok := o.Draw(t.Media.Width, t.Media.Height)
	if !ok {
		skip("it covers no pixel of the picture")
		return
	}
	if len(label) > maxLabelLen {
		skip("its label is longer than %d characters", maxLabelLen)
		return
	}
	for _, old := range t.Doc.Objects[:m.existing[ti]] {
		if old.Label == label && old.Masks[key].Counts == rle.Counts {
			m.res.Duplicates++
			return
		}
	}
	color, ok := m.label(label)
	if !ok {
		skip("the project has %d labels, the most it can have", project.MaxLabels)
		return
	}
	tk := trackKey{ti, o.Track, label}
	if j, ok := m.tracks[tk]; ok && o.Track > 0 {
		obj := &t.Doc.Objects[j]
		if _, dup := obj.Masks[key]; dup {
			skip("object %d (%s) has a mask on frame %s already", o.Track, label, key)
			return
		}
		obj.Masks[key] = rle
		m.res.Masks++
		return
	}
	if len(t.Doc.Objects) >= project.MaxObjects {
		skip("%s has %d objects, the most a media can have", nameOf(t.Media), project.MaxObjects)
		return
	}
	m.nextID[ti]++
	t.Doc.Objects = append(t.Doc.Objects, api.AnnotatedObject{ObjectID: m.nextID[ti], Label: label, Color: color, Visible: true,
		Masks: map[string]api.RLE{key: rle}})
	if o.Track > 0 {
		m.tracks[tk] = len(t.Doc.Objects) - 1
	}
	m.changed[ti] = true
	m.res.Objects++
	m.res.Masks++
}

// label returns the colour of label, adding it to the project when it is
// new ("" is no label: no colour).
func (m *merger) label(name string) (string, bool) {
	if name == "" {
		return "", true
	}
	for _, l := range *m.labels {
		if l.Name == name {
			return l.Color, true
		}
	}
	if len(*m.labels) >= project.MaxLabels {
		return "", false
	}
	l := api.Label{Name: name, Color: project.Palette[len(*m.labels)%len(project.Palette)]}
	*m.labels = append(*m.labels, l)
	m.res.LabelsAdded = append(m.res.LabelsAdded, name)
	return l.Color, true
}

func nameOf(m api.Media) string {
	if m.Name != "" {
		return fmt.Sprintf("%q", m.Name)
	}
	return "media " + m.MediaID
}

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
		for _, n := range []string{export.PictureName(t.Media), path.Base(strings.ReplaceAll(t.Media.Name, "\\", "/"))} {
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
	name := path.Base(strings.ReplaceAll(p.FileName, "\\", "/"))
	if f := frameName.FindStringSubmatch(name); f != nil {
		dir := path.Base(path.Dir(strings.ReplaceAll(p.FileName, "\\", "/")))
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
	return -1, 0, ""
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
