package importer

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"path"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
)

// The parts of a LabelMe file the import reads (labelme 3 to 5).
type labelmeIn struct {
	Shapes      []labelmeShapeIn `json:"shapes"`
	ImagePath   string           `json:"imagePath"`
	ImageHeight int              `json:"imageHeight"`
	ImageWidth  int              `json:"imageWidth"`
}

type labelmeShapeIn struct {
	Label     string      `json:"label"`
	Points    [][]float64 `json:"points"`
	GroupID   *int        `json:"group_id"`
	ShapeType string      `json:"shape_type"`
	Mask      *string     `json:"mask"`
	// Flags (those true) and Description become the object's flags and
	// note.
	Flags       map[string]json.RawMessage `json:"flags"`
	Description string                     `json:"description"`
}

// parseLabelMeZip reads every .json file of a zip as LabelMe (the layout of
// Samwise's LabelMe export: one file per picture, video frames under a
// folder named like the video). A file that is not LabelMe is skipped with
// its reason.
func parseLabelMeZip(zr *zip.Reader) (*File, error) {
	f := &File{Format: api.ImportLabelMe}
	for _, zf := range zr.File {
		name := zf.Name
		if skippedEntry(zf) || !strings.EqualFold(path.Ext(name), ".json") {
			continue
		}
		b, err := readEntry(zf)
		if err != nil {
			f.skip(name, "", "%v", err)
			continue
		}
		one, err := parseLabelMe(b)
		if err != nil {
			f.skip(name, "", "%v", err)
			continue
		}
		for i := range one.Pictures {
			// imagePath is relative to the JSON file.
			one.Pictures[i].FileName = path.Join(path.Dir(name), one.Pictures[i].FileName)
		}
		f.Pictures = append(f.Pictures, one.Pictures...)
		for _, s := range one.Skipped {
			s.File = name
			f.Skipped = append(f.Skipped, s)
		}
	}
	if len(f.Pictures) == 0 {
		return nil, formatErrorf("the zip has no LabelMe JSON files (one .json per picture, with shapes, imagePath, imageWidth and imageHeight)")
	}
	return f, nil
}

// parseLabelMe reads one LabelMe file: a picture whose polygon and mask
// shapes become objects. Shapes sharing a group_id and a label are the
// pieces of one object. Rectangles are boxes; circles, lines and points are
// skipped: they are not masks.
func parseLabelMe(data []byte) (*File, error) {
	var in labelmeIn
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, jsonError("the LabelMe file", err)
	}
	if in.Shapes == nil {
		return nil, formatErrorf("the LabelMe file has no shapes list")
	}
	f := &File{Format: api.ImportLabelMe}
	w, h := in.ImageWidth, in.ImageHeight
	p := Picture{FileName: in.ImagePath, Width: w, Height: h}
	if why := checkSize(w, h); why != "" {
		f.skip(p.FileName, "", "the picture: %s (imageWidth, imageHeight)", why)
		return f, nil
	}
	// Group the shapes into objects, in the order they first appear.
	type group struct {
		label  string
		track  int
		what   string
		shapes []int
	}
	var groups []*group
	byKey := map[[2]string]*group{}
	for i, s := range in.Shapes {
		what := fmt.Sprintf("shape %d (%s)", i+1, s.Label)
		switch s.ShapeType {
		case "", "polygon", "mask":
		case "rectangle":
			if len(s.Points) != 2 || len(s.Points[0]) != 2 || len(s.Points[1]) != 2 {
				f.skip(p.FileName, what, "a rectangle needs its two corners")
				continue
			}
			a, b := s.Points[0], s.Points[1]
			p.Objects = append(p.Objects, Object{Label: s.Label, What: what, Box: &Box{X0: a[0], Y0: a[1], X1: b[0], Y1: b[1]}})
			continue
		default:
			f.skip(p.FileName, what, "a %s is not a mask; draw it as a polygon", s.ShapeType)
			continue
		}
		if s.GroupID == nil {
			groups = append(groups, &group{label: s.Label, what: what, shapes: []int{i}})
			continue
		}
		k := [2]string{s.Label, fmt.Sprint(*s.GroupID)}
		if g := byKey[k]; g != nil {
			g.shapes = append(g.shapes, i)
			continue
		}
		g := &group{label: s.Label, track: max(*s.GroupID, 0), what: fmt.Sprintf("group %d (%s)", *s.GroupID, s.Label), shapes: []int{i}}
		byKey[k] = g
		groups = append(groups, g)
	}
	for _, g := range groups {
		o := Object{Label: g.label, Track: g.track, What: g.what}
		for _, i := range g.shapes {
			for name, v := range in.Shapes[i].Flags {
				o.setFlag(name, v)
			}
			if o.Note == "" {
				o.Note = in.Shapes[i].Description
			}
			sh, why := labelmeShape(in.Shapes[i])
			if why != "" {
				f.skip(p.FileName, fmt.Sprintf("shape %d (%s)", i+1, in.Shapes[i].Label), "%s", why)
				continue
			}
			o.Shapes = append(o.Shapes, sh)
		}
		if len(o.Shapes) > 0 {
			p.Objects = append(p.Objects, o)
		}
	}
	f.Pictures = append(f.Pictures, p)
	return f, nil
}

// labelmeShape reads a polygon or mask shape; why says why it cannot.
func labelmeShape(s labelmeShapeIn) (sh Shape, why string) {
	if s.ShapeType == "mask" {
		if s.Mask == nil || len(s.Points) != 2 || len(s.Points[0]) != 2 {
			return sh, "a mask shape needs its mask (a base64 PNG) and the two corners of its box"
		}
		data, err := base64.StdEncoding.DecodeString(*s.Mask)
		if err != nil {
			return sh, "its mask is not base64"
		}
		if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
			return sh, "its mask is not a PNG"
		}
		x, y := s.Points[0][0], s.Points[0][1]
		if !(math.Abs(x) < 1e9 && math.Abs(y) < 1e9) {
			return sh, "its box is outside any picture"
		}
		return Shape{PNG: data, X: int(math.Floor(x)), Y: int(math.Floor(y))}, ""
	}
	if len(s.Points) < 3 {
		return sh, "a polygon needs at least 3 points"
	}
	ring := make([]float64, 0, 2*len(s.Points))
	for _, pt := range s.Points {
		if len(pt) != 2 {
			return sh, "its points must be [x, y] pairs"
		}
		ring = append(ring, pt[0], pt[1])
	}
	return Shape{Polygons: [][]float64{ring}}, ""
}
