package export

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// Category is an export class: the project's labels in order, then labels
// found only in annotations, then "object" for unlabelled objects.
type Category struct {
	ID    int // 1-based
	Name  string
	Color string
}

// unlabelled names the category of objects without a label.
const unlabelled = "object"

// Categories lists the categories of in.
func Categories(in Input) []Category {
	var out []Category
	index := map[string]bool{}
	add := func(name, color string) {
		if !index[name] {
			index[name] = true
			out = append(out, Category{ID: len(out) + 1, Name: name, Color: color})
		}
	}
	for _, l := range in.Project.Labels {
		add(l.Name, l.Color)
	}
	for _, it := range in.Items {
		for _, o := range it.Doc.Objects {
			if len(o.Masks) > 0 {
				add(labelOf(o), o.Color)
			}
		}
	}
	return out
}

func labelOf(o api.AnnotatedObject) string {
	if o.Label == "" {
		return unlabelled
	}
	return o.Label
}

func categoryIDs(cats []Category) map[string]int {
	ids := make(map[string]int, len(cats))
	for _, c := range cats {
		ids[c.Name] = c.ID
	}
	return ids
}

// frame is one exported picture: an image, or one frame of a video.
type frame struct {
	Media api.Media
	Index int // frame number (0 for images)
	// FileName is where the picture is expected, relative to the dataset
	// root ("photo.jpg", "clip/000012.jpg"); Stem is a flat unique name for
	// per-picture files ("photo", "clip_000012").
	FileName, Stem string
	Objects        []frameObject
}

// frameObject is one object's mask on a frame.
type frameObject struct {
	ObjectID int
	Label    string
	Category int
	RLE      api.RLE
	Mask     *mask.Mask
	Flags    map[string]bool
	Note     string
}

// flag is 1 when the object has the flag, else 0 (COCO's iscrowd, VOC's
// truncated, occluded, difficult).
func (o *frameObject) flag(name string) int {
	if o.Flags[name] {
		return 1
	}
	return 0
}

// forEachFrame calls fn with every exported frame in order: every image
// (annotated or not), and the frames of each video that have a mask. Masks
// are decoded one frame at a time.
func forEachFrame(in Input, cats []Category, fn func(f *frame) error) error {
	ids := categoryIDs(cats)
	names := fileNames(in)
	for i, it := range in.Items {
		name := names[i]
		for _, fi := range exportedFrames(it) {
			f := frame{Media: it.Media, Index: fi}
			f.FileName, f.Stem = frameNames(it.Media, name, fi)
			key := strconv.Itoa(fi)
			for _, o := range it.Doc.Objects {
				rle, ok := o.Masks[key]
				if !ok {
					continue
				}
				m, err := mask.Decode(rle)
				if err != nil {
					return fmt.Errorf("media %s object %d frame %d: %w", it.Media.MediaID, o.ObjectID, fi, err)
				}
				if m.Area() == 0 {
					continue
				}
				f.Objects = append(f.Objects, frameObject{ObjectID: o.ObjectID, Label: labelOf(o), Category: ids[labelOf(o)], RLE: rle, Mask: m, Flags: o.Flags, Note: o.Note})
			}
			if err := fn(&f); err != nil {
				return err
			}
		}
	}
	return nil
}

// exportedFrames lists the frames of an item that exports write: 0 for an
// image, the frames with a mask for a video.
func exportedFrames(it Item) []int {
	if it.Media.Kind == api.KindVideo {
		return maskedFrames(it.Doc)
	}
	return []int{0}
}

// frameNames returns the file name and the flat stem of frame fi of media
// m, whose file name in the export is name (see frame).
func frameNames(m api.Media, name string, fi int) (fileName, stem string) {
	stem = strings.TrimSuffix(name, path.Ext(name))
	if m.Kind == api.KindVideo {
		return fmt.Sprintf("%s/%06d.jpg", stem, fi), fmt.Sprintf("%s_%06d", stem, fi)
	}
	return name, stem
}

// maskedFrames lists the frames of a document that carry a non-empty
// mask, in order.
func maskedFrames(doc *api.AnnotationDoc) []int {
	set := map[int]bool{}
	for _, o := range doc.Objects {
		for k, r := range o.Masks {
			f, err := strconv.Atoi(k)
			if area, _ := r.Area(); err == nil && area > 0 {
				set[f] = true
			}
		}
	}
	out := make([]int, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Ints(out)
	return out
}

// fileNames are the file names of in's items, in order: their upload
// names, made unique within the project by prefixing the media id where
// names repeat.
func fileNames(in Input) []string {
	names := make([]string, len(in.Items))
	count := map[string]int{}
	for i, it := range in.Items {
		names[i] = PictureName(it.Media)
		count[names[i]]++
	}
	for i, it := range in.Items {
		if count[names[i]] > 1 {
			id := it.Media.MediaID
			names[i] = id[:min(8, len(id))] + "_" + names[i]
		}
	}
	return names
}

// PictureName is the file name exports give media m's picture: its upload
// name without folders and unportable characters, else its id and format.
// (Names that repeat within a project get a prefix; see fileNames.)
func PictureName(m api.Media) string {
	name := path.Base(strings.ReplaceAll(m.Name, "\\", "/"))
	name = fileNameRE.ReplaceAllString(name, "_")
	if name == "" || name == "." || name == "/" || strings.Trim(name, "._") == "" {
		name = m.MediaID + "." + m.Format
	}
	return name
}

// fileNameRE matches what cannot be in a portable file name.
var fileNameRE = regexp.MustCompile(`[\x00-\x1f/\\:*?"<>|]`)

// bbox returns the mask's COCO box [x, y, w, h].
func bbox(m *mask.Mask) [4]float64 {
	x0, y0, x1, y1, ok := m.BBox()
	if !ok {
		return [4]float64{}
	}
	return [4]float64{float64(x0), float64(y0), float64(x1 - x0), float64(y1 - y0)}
}
