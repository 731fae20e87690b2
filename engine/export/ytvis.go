package export

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/samwise-app/samwise/engine/api"
)

// YouTube-VIS file structure: videos list the frames they are annotated on,
// and each annotation follows one object through them.
type ytvisFile struct {
	Info        cocoInfo          `json:"info"`
	Licenses    []any             `json:"licenses"`
	Videos      []ytvisVideo      `json:"videos"`
	Annotations []ytvisAnnotation `json:"annotations"`
	Categories  []cocoCategory    `json:"categories"`
}

type ytvisVideo struct {
	ID        int      `json:"id"`
	Name      string   `json:"name"`
	Width     int      `json:"width"`
	Height    int      `json:"height"`
	Length    int      `json:"length"`
	FileNames []string `json:"file_names"`
	// MediaID says which media the video is (a Samwise field).
	MediaID string `json:"media_id"`
}

// ytvisAnnotation has one entry per frame of its video: null where the
// object has no mask.
type ytvisAnnotation struct {
	ID            int           `json:"id"`
	VideoID       int           `json:"video_id"`
	CategoryID    int           `json:"category_id"`
	Segmentations []*api.RLE    `json:"segmentations"`
	BBoxes        []*[4]float64 `json:"bboxes"`
	Areas         []*int        `json:"areas"`
	Width         int           `json:"width"`
	Height        int           `json:"height"`
	IsCrowd       int           `json:"iscrowd"`
	// ObjectID is the Samwise object.
	ObjectID int `json:"object_id"`
}

// YTVIS writes the video media of a project as a YouTube-VIS instances file:
// each video lists the frames that have a mask ("<video>/000012.jpg", named
// by their frame number, as YouTube-VIS names the frames it samples), and
// each object is one annotation with its compressed RLE, box and area on
// every listed frame (null where it has no mask). Images, and videos without
// masks, are left out.
func YTVIS(in Input) ([]byte, error) {
	cats := Categories(in)
	out := ytvisFile{
		Info: cocoInfo{Description: "Samwise export of project " + in.Project.Name, Version: "1.0",
			DateCreated: in.Project.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")},
		Licenses: []any{}, Videos: []ytvisVideo{}, Annotations: []ytvisAnnotation{}, Categories: []cocoCategory{},
	}
	for _, c := range cats {
		out.Categories = append(out.Categories, cocoCategory{ID: c.ID, Name: c.Name})
	}
	videos := map[string]int{} // media id → its video
	names := fileNames(in)
	for i, it := range in.Items {
		if it.Media.Kind == api.KindVideo {
			videos[it.Media.MediaID] = len(out.Videos)
			out.Videos = append(out.Videos, ytvisVideo{ID: len(out.Videos) + 1, Name: names[i],
				Width: it.Media.Width, Height: it.Media.Height, FileNames: []string{}, MediaID: it.Media.MediaID})
		}
	}
	if len(videos) == 0 {
		return nil, &NothingError{Msg: "the project has no videos: YouTube-VIS exports video annotations; use COCO, YOLO, LabelMe or PNG for images"}
	}
	var v *ytvisVideo
	first := 0               // the index of v's first annotation
	objects := map[int]int{} // v's object id → its annotation
	err := forEachFrame(in, cats, func(f *frame) error {
		if f.Media.Kind != api.KindVideo {
			return nil
		}
		if v == nil || v.MediaID != f.Media.MediaID { // the frames of a video come together
			v = &out.Videos[videos[f.Media.MediaID]]
			first = len(out.Annotations)
			clear(objects)
		}
		pos := len(v.FileNames)
		v.FileNames = append(v.FileNames, f.FileName)
		v.Length = len(v.FileNames)
		for _, o := range f.Objects {
			j, ok := objects[o.ObjectID]
			if !ok {
				j = len(out.Annotations)
				objects[o.ObjectID] = j
				out.Annotations = append(out.Annotations, ytvisAnnotation{ID: j + 1, VideoID: v.ID, CategoryID: o.Category,
					Width: f.Media.Width, Height: f.Media.Height, IsCrowd: o.flag(api.FlagCrowd), ObjectID: o.ObjectID})
			}
			a := &out.Annotations[j]
			a.pad(pos)
			rle, box, area := o.RLE, bbox(o.Mask), o.Mask.Area()
			a.Segmentations = append(a.Segmentations, &rle)
			a.BBoxes = append(a.BBoxes, &box)
			a.Areas = append(a.Areas, &area)
		}
		for j := first; j < len(out.Annotations); j++ {
			out.Annotations[j].pad(pos + 1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A video without masks has no frames to list: leave it out.
	out.Videos = slices.DeleteFunc(out.Videos, func(v ytvisVideo) bool { return v.Length == 0 })
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("writing YouTube-VIS: %w", err)
	}
	return append(b, '\n'), nil
}

// pad fills the annotation with nulls up to n frames.
func (a *ytvisAnnotation) pad(n int) {
	for len(a.Segmentations) < n {
		a.Segmentations = append(a.Segmentations, nil)
		a.BBoxes = append(a.BBoxes, nil)
		a.Areas = append(a.Areas, nil)
	}
}
