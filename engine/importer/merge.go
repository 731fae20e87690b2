package importer

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
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

// Options change what Merge does with boxes and what is a duplicate.
type Options struct {
	// SegmentBoxes hands the boxes on (Merged.Boxes) to be made masks by
	// the image model, on images and on video frames; without it they are
	// skipped.
	SegmentBoxes bool
	// Overlap, when above 0, makes a mask a duplicate when it overlaps a
	// mask the picture had before with its label by at least this IoU (not
	// only when it is the same mask): an object found again, perhaps
	// refined since, is not added twice.
	Overlap float64
}

// Merged is what Merge did.
type Merged struct {
	Result api.ImportResult
	// Changed are the indexes of the targets whose documents changed.
	Changed []int
	// Boxes are the boxes to segment (Options.SegmentBoxes), in file order.
	Boxes []BoxPrompt
	// Added are the objects added, in file order: the new object's id and
	// the file's name for it (Object.What).
	Added []Added
}

// Added is one object Merge added to a media's document.
type Added struct {
	MediaID  string
	ObjectID int
	What     string
}

// BoxPrompt is a box on an image or a video frame, to be made an object
// with label; Track is the file's track (Object.Track) that joins the masks
// of one object across a video's frames.
type BoxPrompt struct {
	MediaID string     `json:"media_id"`
	Frame   int        `json:"frame,omitempty"`
	Track   int        `json:"track,omitempty"`
	Label   string     `json:"label"`
	Box     [4]float64 `json:"box"`
}

// Merge adds the objects of f to the documents of the media its pictures
// match, as new objects with new ids (existing objects never change), and
// the labels they use to labels. A mask the media already has with the same
// label is a duplicate and is not added again.
func Merge(f *File, labels *[]api.Label, targets []Target, opts Options) Merged {
	m := &merger{
		res: api.ImportResult{Format: f.Format, Pictures: len(f.Pictures), LabelsAdded: []string{}, MediaIDs: []string{},
			Unmatched: []string{}, Skipped: []api.ImportSkip{}},
		opts: opts, labels: labels, targets: targets, match: newMatcher(targets),
		existing: make([]int, len(targets)), nextID: make([]int, len(targets)),
		tracks: map[trackKey]int{}, objectBoxes: map[frameKey][]labelledBox{}, objectMasks: map[frameKey][]labelledMask{}, changed: map[int]bool{},
		unmatchedVideos: map[string]bool{},
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
	places := place(f, m.match)
	m.res.Notes = fromOne(places, targets)
	for i := range f.Pictures {
		m.picture(&f.Pictures[i], places[i])
	}
	var changed []int
	for i := range targets {
		if m.changed[i] {
			changed = append(changed, i)
			m.res.MediaIDs = append(m.res.MediaIDs, targets[i].Media.MediaID)
		}
	}
	return Merged{Result: m.res, Changed: changed, Boxes: m.boxes, Added: m.added}
}

type trackKey struct {
	target, track int
	label         string
}

type merger struct {
	res     api.ImportResult
	opts    Options
	boxes   []BoxPrompt
	added   []Added
	labels  *[]api.Label
	targets []Target
	match   *matcher
	// existing counts each document's objects before the import; nextID is
	// its largest object id so far.
	existing, nextID []int
	// tracks finds the object (its index) an imported track became.
	tracks map[trackKey]int
	// objectBoxes holds the bounding boxes of each picture's objects (found
	// when a box is first checked against them).
	objectBoxes map[frameKey][]labelledBox
	// objectMasks holds the masks of each picture's objects (Options.Overlap).
	objectMasks map[frameKey][]labelledMask
	changed     map[int]bool
	// unmatchedVideos are the videos (Picture.Video) found unmatched.
	unmatchedVideos map[string]bool
}

func (m *merger) skip(s api.ImportSkip) {
	m.res.SkippedCount++
	if len(m.res.Skipped) < maxSkipped {
		m.res.Skipped = append(m.res.Skipped, s)
	}
}

func (m *merger) unmatched(name string) {
	m.res.UnmatchedCount++
	if len(m.res.Unmatched) < maxUnmatched {
		m.res.Unmatched = append(m.res.Unmatched, name)
	}
}

func (m *merger) picture(p *Picture, pl placement) {
	ti, frame, why := pl.ti, pl.frame, pl.why
	switch {
	case why != "":
		m.skip(api.ImportSkip{File: p.FileName, Reason: why})
		return
	case ti < 0 && p.Video != "":
		// A video the project lacks is one unmatched name, not one per frame.
		if !m.unmatchedVideos[p.Video] {
			m.unmatchedVideos[p.Video] = true
			m.unmatched(p.Video)
		}
		return
	case ti < 0:
		m.unmatched(p.FileName)
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
	if len(label) > project.MaxLabelLen {
		skip("its label is longer than %d characters", project.MaxLabelLen)
		return
	}
	if o.Box != nil {
		m.box(frameKey{ti, key}, label, o.Track, o.Box, skip)
		return
	}
	rle, ok := o.Draw(t.Media.Width, t.Media.Height)
	if !ok {
		skip("it covers no pixel of the picture")
		return
	}
	for _, old := range t.Doc.Objects[:m.existing[ti]] {
		if old.Label == label && old.Masks[key].Counts == rle.Counts {
			m.res.Duplicates++
			return
		}
	}
	if m.opts.Overlap > 0 && m.overlaps(frameKey{ti, key}, label, rle) {
		m.res.Duplicates++
		return
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
		Masks: map[string]api.RLE{key: rle}, Flags: cleanFlags(o.Flags), Note: truncate(o.Note, project.MaxNoteLen)})
	if o.Track > 0 {
		m.tracks[tk] = len(t.Doc.Objects) - 1
	}
	m.changed[ti] = true
	m.added = append(m.added, Added{MediaID: t.Media.MediaID, ObjectID: m.nextID[ti], What: o.What})
	m.res.Objects++
	m.res.Masks++
}

// cleanFlags keeps the flags a project can hold (valid names, at most
// project.MaxFlags of them, the known ones first).
func cleanFlags(flags map[string]bool) map[string]bool {
	if len(flags) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(flags))
	slices.SortStableFunc(names, func(a, b string) int {
		return cmp.Compare(knownRank(a), knownRank(b))
	})
	out := map[string]bool{}
	for _, n := range names {
		if flags[n] && project.ValidFlag(n) && len(out) < project.MaxFlags {
			out[n] = true
		}
	}
	return out
}

// knownRank orders the known flags first.
func knownRank(name string) int {
	if i := slices.Index(api.KnownFlags, name); i >= 0 {
		return i
	}
	return len(api.KnownFlags)
}

// truncate cuts s to at most n bytes, at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Prepare draws the masks of the pictures that match media (of the same
// size), so that Merge, which runs inside the project's transaction, only
// compares and adds them. A mask that covers no pixel is left empty, and
// Merge skips it as such.
func Prepare(f *File, media []api.Media) {
	targets := make([]Target, len(media))
	for i, m := range media {
		targets[i] = Target{Media: m}
	}
	match := newMatcher(targets)
	for i := range f.Pictures {
		p := &f.Pictures[i]
		ti, _, why := match.find(p)
		if ti < 0 || why != "" {
			continue
		}
		w, h := media[ti].Width, media[ti].Height
		if (p.Width != 0 || p.Height != 0) && (p.Width != w || p.Height != h) {
			continue
		}
		for j := range p.Objects {
			o := &p.Objects[j]
			if len(o.Shapes) > 0 {
				o.Mask, _ = o.Draw(w, h)
				o.Shapes = nil
			}
		}
	}
}

// frameKey is a picture: a target and a frame of it ("0" for an image).
type frameKey struct {
	target int
	frame  string
}

// box hands a box on to be segmented (adding its label), or skips it.
func (m *merger) box(at frameKey, label string, track int, b *Box, skip func(string, ...any)) {
	t := m.targets[at.target]
	px, ok := b.pixels(t.Media.Width, t.Media.Height)
	switch {
	case !m.opts.SegmentBoxes:
		skip("it is a box, not a mask: import with “segment boxes” (segment_boxes=true) to have the model make its mask")
	case !ok:
		skip("the box is outside the picture")
	case m.covered(at, label, px):
		m.res.Duplicates++
	default:
		if _, ok := m.label(label); !ok {
			skip("the project has %d labels, the most it can have", project.MaxLabels)
			return
		}
		frame, _ := strconv.Atoi(at.frame)
		m.boxes = append(m.boxes, BoxPrompt{MediaID: t.Media.MediaID, Frame: frame, Track: track, Label: label, Box: px})
		m.res.Boxes++
	}
}

// coveredIoU is how closely an object's mask must fill a box (the IoU of
// the box and the mask's bounding box) for the box to count as segmented
// already: a model's mask is a few pixels inside the box drawn around it
// (0.88 for the demo model's mask of a box drawn 8 px around a rectangle).
const coveredIoU = 0.8

// covered reports whether the picture already has an object with label
// whose mask fills px: the box was segmented before (a file imported
// again). The boxes of a picture's objects are found once.
func (m *merger) covered(at frameKey, label string, px [4]float64) bool {
	boxes, ok := m.objectBoxes[at]
	if !ok {
		for _, o := range m.targets[at.target].Doc.Objects[:m.existing[at.target]] {
			rle, ok := o.Masks[at.frame]
			if !ok {
				continue
			}
			if mk, err := mask.Decode(rle); err == nil {
				if x0, y0, x1, y1, ok := mk.BBox(); ok {
					boxes = append(boxes, labelledBox{o.Label, [4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}})
				}
			}
		}
		m.objectBoxes[at] = boxes
	}
	for _, b := range boxes {
		if b.label == label && boxIoU(px, b.box) >= coveredIoU {
			return true
		}
	}
	return false
}

// overlaps reports whether the picture had an object with label whose mask
// overlaps rle by at least Options.Overlap. The masks of a picture's objects
// are decoded once.
func (m *merger) overlaps(at frameKey, label string, rle api.RLE) bool {
	masks, ok := m.objectMasks[at]
	if !ok {
		for _, o := range m.targets[at.target].Doc.Objects[:m.existing[at.target]] {
			if r, ok := o.Masks[at.frame]; ok {
				if mk, err := mask.Decode(r); err == nil {
					masks = append(masks, labelledMask{o.Label, mk})
				}
			}
		}
		m.objectMasks[at] = masks
	}
	mk, err := mask.Decode(rle)
	if err != nil {
		return false
	}
	for _, o := range masks {
		if o.label == label && mask.IoU(mk, o.mask) >= m.opts.Overlap {
			return true
		}
	}
	return false
}

type labelledMask struct {
	label string
	mask  *mask.Mask
}

type labelledBox struct {
	label string
	box   [4]float64
}

func boxIoU(a, b [4]float64) float64 {
	iw := min(a[2], b[2]) - max(a[0], b[0])
	ih := min(a[3], b[3]) - max(a[1], b[1])
	if iw <= 0 || ih <= 0 {
		return 0
	}
	inter := iw * ih
	return inter / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - inter)
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
