package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// vocClasses are the classes of the VOC challenge by their index in its
// SegmentationClass PNGs: the names a VOC zip without a labelmap.txt and
// without annotations means.
var vocClasses = []string{"background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
	"diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"}

// vocVoid marks the pixels VOC leaves out (object borders).
const vocVoid = 255

type vocAnnotationIn struct {
	Filename string `xml:"filename"`
	Size     struct {
		Width  int `xml:"width"`
		Height int `xml:"height"`
	} `xml:"size"`
	Objects []struct {
		Name      string `xml:"name"`
		Truncated string `xml:"truncated"`
		Occluded  string `xml:"occluded"`
		Difficult string `xml:"difficult"`
		Box       *struct {
			XMin float64 `xml:"xmin"`
			YMin float64 `xml:"ymin"`
			XMax float64 `xml:"xmax"`
			YMax float64 `xml:"ymax"`
		} `xml:"bndbox"`
	} `xml:"object"`
}

// vocEntries are the files of one picture in a VOC zip.
type vocEntries struct{ annotation, object, class *zip.File }

// isVOC reports whether a zip is laid out as Pascal VOC.
func isVOC(zr *zip.Reader) bool {
	return slices.ContainsFunc(zr.File, func(zf *zip.File) bool { kind, _ := vocEntry(zf); return kind != "" })
}

// vocEntry says which VOC file an entry is ("Annotations",
// "SegmentationObject", "SegmentationClass", "labelmap" or "") and the
// picture's stem.
func vocEntry(zf *zip.File) (kind, stem string) {
	if skippedEntry(zf) {
		return "", ""
	}
	dir, base := path.Base(path.Dir(zf.Name)), path.Base(zf.Name)
	ext := strings.ToLower(path.Ext(base))
	stem = strings.TrimSuffix(base, path.Ext(base))
	switch {
	case dir == "Annotations" && ext == ".xml":
		return dir, stem
	case (dir == "SegmentationObject" || dir == "SegmentationClass") && ext == ".png":
		return dir, stem
	case base == "labelmap.txt":
		return "labelmap", ""
	}
	return "", ""
}

// parseVOC reads a Pascal VOC zip. A picture with a SegmentationObject PNG
// has an object per index in it (255, VOC's border, is no object's), named
// by the annotation's object of the same number, else by the class its
// pixels have in SegmentationClass (named by labelmap.txt, else VOC's
// classes); a picture with an annotation only (a detection dataset) has
// its boxes, to be segmented. Truncated, occluded and difficult become
// flags.
func parseVOC(zr *zip.Reader) (*File, error) {
	f := &File{Format: api.ImportVOC}
	pictures := map[string]*vocEntries{}
	classes := vocClasses
	for _, zf := range zr.File {
		kind, stem := vocEntry(zf)
		if kind == "labelmap" {
			if b, err := readEntry(zf); err == nil {
				classes = labelMap(b)
			}
			continue
		}
		if kind == "" {
			continue
		}
		e := pictures[stem]
		if e == nil {
			e = &vocEntries{}
			pictures[stem] = e
		}
		switch kind {
		case "Annotations":
			e.annotation = zf
		case "SegmentationObject":
			e.object = zf
		case "SegmentationClass":
			e.class = zf
		}
	}
	for _, stem := range slices.Sorted(maps.Keys(pictures)) {
		if p, ok := vocPicture(f, stem, pictures[stem], classes); ok {
			f.Pictures = append(f.Pictures, p)
		}
	}
	if len(f.Pictures) == 0 && len(f.Skipped) == 0 {
		return nil, formatErrorf("the zip has no Pascal VOC annotations (Annotations/<picture>.xml, SegmentationObject/<picture>.png)")
	}
	return f, nil
}

// labelMap reads CVAT's labelmap.txt: "name:r,g,b:parts:actions" per
// class, in index order from the background.
func labelMap(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, _, _ := strings.Cut(line, ":")
		out = append(out, name)
	}
	return out
}

func vocPicture(f *File, stem string, e *vocEntries, classes []string) (Picture, bool) {
	p := Picture{FileName: stem}
	var ann vocAnnotationIn
	if e.annotation != nil {
		b, err := readEntry(e.annotation)
		if err == nil {
			err = xml.Unmarshal(b, &ann)
		}
		if err != nil {
			f.skip(e.annotation.Name, "", "%v", err)
			return p, false
		}
		if ann.Filename != "" {
			p.FileName = ann.Filename
		}
		p.Width, p.Height = ann.Size.Width, ann.Size.Height
	}
	// objectOf is object i of the picture; named says that it is the
	// annotation's object i.
	objectOf := func(i int, label string, named bool) Object {
		o := Object{Label: label, What: fmt.Sprintf("object %d", i+1)}
		if named && i < len(ann.Objects) {
			a := ann.Objects[i]
			for name, v := range map[string]string{api.FlagTruncated: a.Truncated, api.FlagOccluded: a.Occluded, api.FlagDifficult: a.Difficult} {
				o.setFlag(name, []byte(strings.TrimSpace(v)))
			}
		}
		return o
	}
	if e.object == nil { // boxes only
		for i, a := range ann.Objects {
			o := objectOf(i, a.Name, true)
			if a.Box == nil {
				f.skip(p.FileName, o.What, "it has neither a box nor a segmentation")
				continue
			}
			// VOC counts pixels from 1, both ends included.
			o.Box = &Box{X0: a.Box.XMin - 1, Y0: a.Box.YMin - 1, X1: a.Box.XMax, Y1: a.Box.YMax}
			p.Objects = append(p.Objects, o)
		}
		return p, true
	}
	objects, err := indexPNG(e.object)
	if err != nil {
		f.skip(e.object.Name, "", "%v", err)
		return p, false
	}
	w, h := objects.w, objects.h
	if (p.Width != 0 || p.Height != 0) && (p.Width != w || p.Height != h) {
		f.skip(e.object.Name, "", "it is %d×%d but its annotation says %d×%d", w, h, p.Width, p.Height)
		return p, false
	}
	p.Width, p.Height = w, h
	var class *indexImage
	if e.class != nil {
		if c, err := indexPNG(e.class); err == nil && c.w == w && c.h == h {
			class = c
		}
	}
	masks, order := masksByIndex(objects, func(v uint8) bool { return v != 0 && v != vocVoid })
	// The annotation's objects are the PNG's when they are as many (and
	// numbered 1 to n).
	named := len(order) > 0 && len(ann.Objects) == len(order) && int(order[len(order)-1]) == len(order)
	for _, v := range order {
		i := int(v) - 1
		label := ""
		if named {
			label = ann.Objects[i].Name
		} else if class != nil {
			label = className(class, masks[v], classes)
		}
		if label == "" {
			f.skip(p.FileName, fmt.Sprintf("object %d", v), "its class is unknown: the zip needs its annotation or SegmentationClass PNG")
			continue
		}
		o := objectOf(i, label, named)
		o.Mask = mask.Encode(masks[v])
		p.Objects = append(p.Objects, o)
	}
	return p, true
}
