package export

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/samwise-app/samwise/engine/mask"
)

// LabelMe file structure (labelme 5.x).
type labelmeFile struct {
	Version     string         `json:"version"`
	Flags       map[string]any `json:"flags"`
	Shapes      []labelmeShape `json:"shapes"`
	ImagePath   string         `json:"imagePath"`
	ImageData   *string        `json:"imageData"`
	ImageHeight int            `json:"imageHeight"`
	ImageWidth  int            `json:"imageWidth"`
}

type labelmeShape struct {
	Label       string         `json:"label"`
	Points      [][2]float64   `json:"points"`
	GroupID     int            `json:"group_id"`
	Description string         `json:"description"`
	ShapeType   string         `json:"shape_type"`
	Flags       map[string]any `json:"flags"`
	Mask        *string        `json:"mask"`
}

// LabelMe writes one LabelMe JSON per picture (a zip), named like the
// picture with .json, to sit beside it. Each piece of an object is a
// polygon shape; the pieces of one object share its object id as group_id.
func LabelMe(in Input) ([]byte, error) { return zipped(labelmeFiles(in)) }

func labelmeFiles(in Input) (*archive, error) {
	cats := Categories(in)
	a := newArchive()
	err := forEachFrame(in, cats, func(f *frame) error {
		doc := labelmeFile{Version: "5.5.0", Flags: map[string]any{}, Shapes: []labelmeShape{},
			ImagePath: path.Base(f.FileName), ImageHeight: f.Media.Height, ImageWidth: f.Media.Width}
		for _, o := range f.Objects {
			for _, ring := range mask.Polygons(o.Mask, in.tolerance()) {
				pts := make([][2]float64, 0, len(ring)/2)
				for i := 0; i < len(ring); i += 2 {
					pts = append(pts, [2]float64{ring[i], ring[i+1]})
				}
				flags := map[string]any{}
				for k, v := range o.Flags {
					flags[k] = v
				}
				doc.Shapes = append(doc.Shapes, labelmeShape{Label: o.Label, Points: pts, GroupID: o.ObjectID,
					Description: o.Note, ShapeType: "polygon", Flags: flags})
			}
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		a.add(strings.TrimSuffix(f.FileName, path.Ext(f.FileName))+".json", append(b, '\n'))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
