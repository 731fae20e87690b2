package project

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/samwise-app/samwise/engine/api"
)

// validateDoc checks a document against its media: unique object ids,
// label and colour syntax, frame numbers inside the media and masks that
// decode at the media's size. It fills missing masks with an empty map.
func validateDoc(doc *api.AnnotationDoc, m *api.Media) error {
	if doc.Version < 0 {
		return inputErrorf("version %d: send the version of the document you edited (0 for a new one)", doc.Version)
	}
	if doc.Objects == nil {
		doc.Objects = []api.AnnotatedObject{}
	}
	if len(doc.Objects) > MaxObjects {
		return inputErrorf("objects: at most %d objects per media", MaxObjects)
	}
	frames := max(m.Frames, 1)
	seen := map[int]bool{}
	for i := range doc.Objects {
		o := &doc.Objects[i]
		switch {
		case o.ObjectID < 1:
			return inputErrorf("objects[%d].object_id %d: object ids are positive integers", i, o.ObjectID)
		case seen[o.ObjectID]:
			return inputErrorf("objects[%d].object_id %d appears twice: give each object its own id", i, o.ObjectID)
		case len(o.Label) > MaxLabelLen:
			return inputErrorf("objects[%d].label is longer than %d characters", i, MaxLabelLen)
		case o.Color != "" && !ValidColor(o.Color):
			return inputErrorf("objects[%d].color %q is not a colour; write it as #rrggbb or leave it empty", i, o.Color)
		}
		if err := validateFlags(i, o); err != nil {
			return err
		}
		seen[o.ObjectID] = true
		o.Label = strings.TrimSpace(o.Label)
		if o.Masks == nil {
			o.Masks = map[string]api.RLE{}
		}
		for key, rle := range o.Masks {
			f, err := strconv.Atoi(key)
			if err != nil || f < 0 || f >= frames || strconv.Itoa(f) != key {
				if m.Kind == api.KindImage {
					return inputErrorf("objects[%d].masks[%q]: an image has one frame; key its mask \"0\"", i, key)
				}
				return inputErrorf("objects[%d].masks[%q]: keys are frame numbers from 0 to %d (the video has %d frames)", i, key, frames-1, frames)
			}
			if rle.Size != [2]int{m.Height, m.Width} {
				return inputErrorf("objects[%d].masks[%q]: size [%d, %d] does not match the media (height %d, width %d); masks are [height, width] at the media's full resolution",
					i, key, rle.Size[0], rle.Size[1], m.Height, m.Width)
			}
			if _, err := rle.Area(); err != nil {
				return inputErrorf("objects[%d].masks[%q]: %v; send COCO compressed RLE (column-major counts) as pycocotools writes it", i, key,
					strings.TrimPrefix(err.Error(), "mask: "))
			}
		}
	}
	return nil
}

// Limits on an object's flags and note.
const (
	MaxFlags   = 32
	MaxFlagLen = 64
	MaxNoteLen = 4000
)

// ValidFlag reports whether name can name a flag: 1 to MaxFlagLen
// characters, no spaces around, no control characters.
func ValidFlag(name string) bool {
	return name != "" && strings.TrimSpace(name) == name && len(name) <= MaxFlagLen && !strings.ContainsFunc(name, unicode.IsControl)
}

func validateFlags(i int, o *api.AnnotatedObject) error {
	if len(o.Flags) > MaxFlags {
		return inputErrorf("objects[%d].flags: at most %d flags per object", i, MaxFlags)
	}
	for name := range o.Flags {
		if !ValidFlag(name) {
			return inputErrorf("objects[%d].flags: %q is not a flag name (1 to %d characters, no spaces around, no control characters)", i, name, MaxFlagLen)
		}
	}
	if len(o.Note) > MaxNoteLen {
		return inputErrorf("objects[%d].note is longer than %d characters", i, MaxNoteLen)
	}
	return nil
}
