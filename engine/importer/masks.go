package importer

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// maskPictures are the PNGs of one picture in a mask zip.
type maskPictures struct {
	class   *zip.File
	objects map[int]*zip.File // by object id
}

// maskEntry says what an entry of a mask zip is: "labels" (labels/<stem>.png,
// a class PNG), "objects" (objects/<stem>/<id>.png), "map"
// (label_map.json) or "".
func maskEntry(zf *zip.File) (kind, stem string, id int) {
	if skippedEntry(zf) {
		return "", "", 0
	}
	name := zf.Name
	if path.Base(name) == "label_map.json" {
		return "map", "", 0
	}
	if !strings.EqualFold(path.Ext(name), ".png") {
		return "", "", 0
	}
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	dir := path.Dir(name)
	switch {
	case path.Base(dir) == "labels":
		return "labels", base, 0
	case path.Base(path.Dir(dir)) == "objects":
		if n, err := strconv.Atoi(base); err == nil && n > 0 {
			return "objects", path.Base(dir), n
		}
	}
	return "", "", 0
}

// isMaskZip reports whether a zip is laid out as Samwise's mask PNG export.
func isMaskZip(zr *zip.Reader) bool {
	return slices.ContainsFunc(zr.File, func(zf *zip.File) bool { kind, _, _ := maskEntry(zf); return kind == "map" || kind == "objects" })
}

// parseMasks reads a zip of mask PNGs as Samwise's PNG export writes it:
// objects/<picture>/<object id>.png, one black and white PNG per object (the
// same id on the frames of a video is one object); labels/<picture>.png,
// indexed by class, names each object by the class most of its pixels have
// there, through label_map.json. A picture with a class PNG only (semantic
// masks) has an object per class in it.
func parseMasks(zr *zip.Reader) (*File, error) {
	f := &File{Format: api.ImportMasks}
	var classes []string
	pictures := map[string]*maskPictures{}
	for _, zf := range zr.File {
		kind, stem, id := maskEntry(zf)
		if kind == "map" {
			var err error
			if classes, err = labelMapJSON(zf); err != nil {
				return nil, formatErrorf("%s: %v", zf.Name, err)
			}
			continue
		}
		if kind == "" {
			continue
		}
		p := pictures[stem]
		if p == nil {
			p = &maskPictures{objects: map[int]*zip.File{}}
			pictures[stem] = p
		}
		if kind == "labels" {
			p.class = zf
		} else {
			p.objects[id] = zf
		}
	}
	if classes == nil {
		return nil, formatErrorf("the zip has no label_map.json naming the classes of its mask PNGs")
	}
	for _, stem := range slices.Sorted(maps.Keys(pictures)) {
		if p, ok := maskPicture(f, stem, pictures[stem], classes); ok {
			f.Pictures = append(f.Pictures, p)
		}
	}
	if len(f.Pictures) == 0 && len(f.Skipped) == 0 {
		return nil, formatErrorf("the zip has no mask PNGs (objects/<picture>/<object id>.png, labels/<picture>.png)")
	}
	return f, nil
}

// labelMapJSON reads label_map.json: class names by index.
func labelMapJSON(zf *zip.File) ([]string, error) {
	b, err := readEntry(zf)
	if err != nil {
		return nil, err
	}
	var entries []struct {
		Index int    `json:"index"`
		Name  string `json:"name"`
	}
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("not a list of {index, name}: %v", err)
	}
	classes := make([]string, 256)
	for _, e := range entries {
		if e.Index < 1 || e.Index > 255 {
			continue // the background, or not an index
		}
		classes[e.Index] = e.Name
	}
	return classes, nil
}

func maskPicture(f *File, stem string, mp *maskPictures, classes []string) (Picture, bool) {
	p := Picture{FileName: stem}
	var class *indexImage
	if mp.class != nil {
		c, err := indexPNG(mp.class)
		if err != nil {
			f.skip(mp.class.Name, "", "%v", err)
			return p, false
		}
		class, p.Width, p.Height = c, c.w, c.h
	}
	if len(mp.objects) == 0 { // semantic: one object per class
		byClass, order := masksByIndex(class, func(v uint8) bool { return v != 0 && classes[v] != "" })
		for _, v := range order {
			p.Objects = append(p.Objects, Object{Label: classes[v], Mask: mask.Encode(byClass[v]), What: "class " + classes[v]})
		}
		return p, true
	}
	for _, id := range slices.Sorted(maps.Keys(mp.objects)) {
		zf := mp.objects[id]
		img, err := indexPNG(zf)
		if err == nil && class != nil && (img.w != class.w || img.h != class.h) {
			err = fmt.Errorf("it is %d×%d but its class PNG %d×%d", img.w, img.h, class.w, class.h)
		}
		if err != nil {
			f.skip(zf.Name, "", "%v", err)
			continue
		}
		p.Width, p.Height = img.w, img.h
		m := mask.New(img.w, img.h)
		for i, v := range img.pix {
			if v != 0 {
				m.Pix[i] = 1
			}
		}
		label := "object"
		if class != nil {
			if c := className(class, m, classes); c != "" {
				label = c
			}
		}
		p.Objects = append(p.Objects, Object{Label: label, Track: id, Mask: mask.Encode(m), What: fmt.Sprintf("object %d", id)})
	}
	return p, p.Width > 0 // not when none of its PNGs could be read
}
