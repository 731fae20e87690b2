package importer

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/samwise-app/samwise/engine/api"
)

// The parts of a COCO instances file the import reads. Ids are kept as raw
// JSON, so files with string ids work too. media_id, frame and object_id
// are Samwise's own fields (engine/export).
type cocoIn struct {
	Images      []cocoImageIn      `json:"images"`
	Annotations []cocoAnnotationIn `json:"annotations"`
	Categories  []cocoCategoryIn   `json:"categories"`
}

type cocoImageIn struct {
	ID       json.RawMessage `json:"id"`
	FileName string          `json:"file_name"`
	Width    int             `json:"width"`
	Height   int             `json:"height"`
	MediaID  string          `json:"media_id"`
	Frame    int             `json:"frame"`
}

type cocoAnnotationIn struct {
	ID           json.RawMessage `json:"id"`
	ImageID      json.RawMessage `json:"image_id"`
	CategoryID   json.RawMessage `json:"category_id"`
	Segmentation json.RawMessage `json:"segmentation"`
	BBox         []float64       `json:"bbox"`
	ObjectID     int             `json:"object_id"`
	IsCrowd      json.RawMessage `json:"iscrowd"`
	// Attributes are CVAT's: the known flags among them are kept.
	Attributes map[string]json.RawMessage `json:"attributes"`
}

type cocoCategoryIn struct {
	ID   json.RawMessage `json:"id"`
	Name string          `json:"name"`
}

func idKey(raw json.RawMessage) string { return string(bytes.TrimSpace(raw)) }

// parseCOCO reads a COCO instances file: every image is a picture, every
// annotation with a polygon or RLE segmentation an object labelled with its
// category's name. Annotations without a segmentation (boxes only), with an
// unknown image or category, or whose mask does not fit its image are
// skipped, each with its reason.
func parseCOCO(data []byte) (*File, error) {
	var in cocoIn
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, jsonError("the COCO file", err)
	}
	if len(in.Images) == 0 {
		return nil, formatErrorf("the COCO file has no images: a COCO instances file lists its pictures under \"images\" (id, file_name, width, height)")
	}
	f := &File{Format: api.ImportCOCO}
	images := map[string]int{}
	for i, im := range in.Images {
		k := idKey(im.ID)
		if _, dup := images[k]; dup || k == "" {
			return nil, formatErrorf("the COCO file's images[%d] has the id %s, which is missing or not unique", i, orNone(k))
		}
		images[k] = len(f.Pictures)
		p := Picture{FileName: im.FileName, Width: im.Width, Height: im.Height}
		if im.MediaID != "" {
			p.MediaID, p.Frame = im.MediaID, im.Frame
		}
		f.Pictures = append(f.Pictures, p)
	}
	cats := map[string]string{}
	for _, c := range in.Categories {
		cats[idKey(c.ID)] = c.Name
	}
	for i, a := range in.Annotations {
		what := fmt.Sprintf("annotation %s", orNone(idKey(a.ID)))
		if idKey(a.ID) == "" {
			what = fmt.Sprintf("annotations[%d]", i)
		}
		pi, ok := images[idKey(a.ImageID)]
		if !ok {
			f.skip("", what, "its image_id %s is not among the images", orNone(idKey(a.ImageID)))
			continue
		}
		p := &f.Pictures[pi]
		label, ok := cats[idKey(a.CategoryID)]
		if !ok {
			f.skip(p.FileName, what, "its category_id %s is not among the categories", orNone(idKey(a.CategoryID)))
			continue
		}
		if why := checkSize(p.Width, p.Height); why != "" {
			f.skip(p.FileName, what, "the image: %s", why)
			continue
		}
		o := Object{Label: label, Track: max(a.ObjectID, 0), What: what}
		o.setFlag(api.FlagCrowd, a.IsCrowd)
		for _, name := range api.KnownFlags {
			if v, ok := a.Attributes[name]; ok {
				o.setFlag(name, v)
			}
		}
		if b := a.BBox; noSegmentation(a.Segmentation) && len(b) == 4 && b[2] > 0 && b[3] > 0 {
			o.Box = &Box{X0: b[0], Y0: b[1], X1: b[0] + b[2], Y1: b[1] + b[3]}
			p.Objects = append(p.Objects, o)
			continue
		}
		if why := cocoSegmentation(&o, a.Segmentation, p.Width, p.Height); why != "" {
			f.skip(p.FileName, what, "%s", why)
			continue
		}
		p.Objects = append(p.Objects, o)
	}
	return f, nil
}

// cocoSegmentation reads a segmentation (polygons or RLE) of a w×h image
// into o; why says what is wrong with it.
func cocoSegmentation(o *Object, raw json.RawMessage, w, h int) (why string) {
	raw = bytes.TrimSpace(raw)
	switch {
	case noSegmentation(raw):
		return "it has neither a segmentation nor a box"
	case raw[0] == '[':
		var polys [][]float64
		if err := json.Unmarshal(raw, &polys); err != nil {
			return "its segmentation is neither polygons ([[x1, y1, x2, y2, ...], ...]) nor RLE"
		}
		o.Shapes = []Shape{{Polygons: polys}}
		return ""
	case raw[0] == '{':
		if err := json.Unmarshal(raw, &o.Mask); err != nil {
			return fmt.Sprintf("its RLE segmentation cannot be read: %v", err)
		}
		if o.Mask.Size != [2]int{h, w} {
			return fmt.Sprintf("its RLE size [%d, %d] is not its image's [height %d, width %d]", o.Mask.Size[0], o.Mask.Size[1], h, w)
		}
		return ""
	}
	return "its segmentation is neither polygons nor RLE"
}

func noSegmentation(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null" || string(raw) == "[]"
}

func orNone(k string) string {
	if k == "" {
		return "(none)"
	}
	return k
}
