package export

import (
	"encoding/json"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// COCO file structure (instances format).
type cocoFile struct {
	Info        cocoInfo         `json:"info"`
	Licenses    []any            `json:"licenses"`
	Images      []cocoImage      `json:"images"`
	Annotations []cocoAnnotation `json:"annotations"`
	Categories  []cocoCategory   `json:"categories"`
}

type cocoInfo struct {
	Description string `json:"description"`
	Version     string `json:"version"`
	DateCreated string `json:"date_created"`
}

type cocoImage struct {
	ID       int    `json:"id"`
	FileName string `json:"file_name"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	// MediaID and Frame say where the picture comes from (Samwise fields).
	MediaID string `json:"media_id"`
	Frame   int    `json:"frame"`
}

type cocoAnnotation struct {
	ID           int        `json:"id"`
	ImageID      int        `json:"image_id"`
	CategoryID   int        `json:"category_id"`
	Segmentation any        `json:"segmentation"`
	Area         int        `json:"area"`
	BBox         [4]float64 `json:"bbox"`
	IsCrowd      int        `json:"iscrowd"`
	// Attributes are the object's flags, as CVAT's COCO writes attributes.
	Attributes map[string]bool `json:"attributes,omitempty"`
	// ObjectID is the Samwise object (the track id across video frames).
	ObjectID int `json:"object_id"`
}

type cocoCategory struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	Supercategory string `json:"supercategory"`
}

// COCO writes the project as a COCO instances file. Segmentation is the
// mask's compressed RLE, or with polygons its contours (holes bridged in),
// falling back to RLE for masks too small to have a polygon. iscrowd is 1
// for objects flagged crowd; every flag is also in attributes. Area is the mask's pixel count
// and bbox its tight [x, y, w, h]. Videos contribute one image per frame
// that has a mask.
func COCO(in Input, polygons bool) ([]byte, error) {
	cats := Categories(in)
	out := cocoFile{
		Info: cocoInfo{Description: "Samwise export of project " + in.Project.Name, Version: "1.0",
			DateCreated: in.Project.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")},
		Licenses: []any{}, Images: []cocoImage{}, Annotations: []cocoAnnotation{}, Categories: []cocoCategory{},
	}
	for _, c := range cats {
		out.Categories = append(out.Categories, cocoCategory{ID: c.ID, Name: c.Name, Supercategory: ""})
	}
	err := forEachFrame(in, cats, func(f *frame) error {
		img := cocoImage{ID: len(out.Images) + 1, FileName: f.FileName, Width: f.Media.Width, Height: f.Media.Height, MediaID: f.Media.MediaID, Frame: f.Index}
		out.Images = append(out.Images, img)
		for _, o := range f.Objects {
			a := cocoAnnotation{ID: len(out.Annotations) + 1, ImageID: img.ID, CategoryID: o.Category,
				Segmentation: o.RLE, Area: o.Mask.Area(), BBox: bbox(o.Mask), IsCrowd: o.flag(api.FlagCrowd), Attributes: o.Flags, ObjectID: o.ObjectID}
			if polygons {
				if p := mask.Polygons(o.Mask, in.tolerance()); len(p) > 0 {
					a.Segmentation = p
				}
			}
			out.Annotations = append(out.Annotations, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	return append(b, '\n'), err
}
