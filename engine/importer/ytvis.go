package importer

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"

	"github.com/samwise-app/samwise/engine/api"
)

// The parts of a YouTube-VIS file the import reads: videos listing their
// frames' files, and annotations that each follow one object through a
// video, with a segmentation (RLE or polygons, null where the object is not
// in view) and a box per frame.
type ytvisIn struct {
	Videos      []ytvisVideoIn      `json:"videos"`
	Annotations []ytvisAnnotationIn `json:"annotations"`
	Categories  []cocoCategoryIn    `json:"categories"`
}

type ytvisVideoIn struct {
	ID        json.RawMessage `json:"id"`
	Name      string          `json:"name"`
	Width     int             `json:"width"`
	Height    int             `json:"height"`
	FileNames []string        `json:"file_names"`
	// MediaID is the media a Samwise export wrote the video from.
	MediaID string `json:"media_id"`
}

type ytvisAnnotationIn struct {
	ID            json.RawMessage   `json:"id"`
	VideoID       json.RawMessage   `json:"video_id"`
	CategoryID    json.RawMessage   `json:"category_id"`
	Segmentations []json.RawMessage `json:"segmentations"`
	BBoxes        [][]float64       `json:"bboxes"`
	IsCrowd       json.RawMessage   `json:"iscrowd"`
}

// parseYTVIS reads a YouTube-VIS file: every listed frame is a picture of
// its video, and every annotation one object, tracked through the frames
// where it has a segmentation, or a box only (to be segmented). The video
// is named by the file's "name", else by the folder of its frames; a frame
// is the number its file is named by (YouTube-VIS names the frames it
// samples by their index in the video: 00000.jpg, 00005.jpg, ...), else its
// position in file_names, and always its position on a video opened as the
// folder of those files.
func parseYTVIS(data []byte) (*File, error) {
	var in ytvisIn
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, jsonError("the YouTube-VIS file", err)
	}
	if len(in.Videos) == 0 {
		return nil, formatErrorf("the YouTube-VIS file has no videos: it lists them under \"videos\" (id, width, height, file_names)")
	}
	f := &File{Format: api.ImportYTVIS}
	type span struct{ start, n int }
	videos := map[string]span{} // video id → its pictures
	for i, v := range in.Videos {
		k := idKey(v.ID)
		if _, dup := videos[k]; dup || k == "" {
			return nil, formatErrorf("the YouTube-VIS file's videos[%d] has the id %s, which is missing or not unique", i, orNone(k))
		}
		name := v.Name
		if name == "" && len(v.FileNames) > 0 {
			name = path.Dir(slashed(v.FileNames[0]))
		}
		if name == "" || name == "." {
			return nil, formatErrorf("the YouTube-VIS file's video %s has neither a name nor frames in a folder (file_names like \"<video>/00000.jpg\")", k)
		}
		videos[k] = span{len(f.Pictures), len(v.FileNames)}
		for n, fn := range v.FileNames {
			f.Pictures = append(f.Pictures, Picture{FileName: fn, MediaID: v.MediaID, Video: path.Base(name), Frame: frameNumber(fn, n), Index: n, Width: v.Width, Height: v.Height})
		}
	}
	cats := map[string]string{}
	for _, c := range in.Categories {
		cats[idKey(c.ID)] = c.Name
	}
	for i, a := range in.Annotations {
		what := fmt.Sprintf("annotation %s", orNone(idKey(a.ID)))
		v, ok := videos[idKey(a.VideoID)]
		if !ok {
			f.skip("", what, "its video_id %s is not among the videos", orNone(idKey(a.VideoID)))
			continue
		}
		label, ok := cats[idKey(a.CategoryID)]
		if !ok {
			f.skip("", what, "its category_id %s is not among the categories", orNone(idKey(a.CategoryID)))
			continue
		}
		frames := f.Pictures[v.start : v.start+v.n]
		if n := max(len(a.Segmentations), len(a.BBoxes)); n > len(frames) {
			f.skip("", what, "it has %d frames but its video lists %d", n, len(frames))
			continue
		}
		for n := range frames {
			p := &frames[n]
			o := Object{Label: label, Track: i + 1, What: fmt.Sprintf("%s frame %d", what, n)}
			o.setFlag(api.FlagCrowd, a.IsCrowd)
			var seg json.RawMessage
			if n < len(a.Segmentations) {
				seg = a.Segmentations[n]
			}
			if noSegmentation(seg) {
				if n < len(a.BBoxes) {
					if b := a.BBoxes[n]; len(b) == 4 && b[2] > 0 && b[3] > 0 {
						o.Box = &Box{X0: b[0], Y0: b[1], X1: b[0] + b[2], Y1: b[1] + b[3]}
						p.Objects = append(p.Objects, o)
					}
				}
				continue // not in view on this frame
			}
			if why := checkSize(p.Width, p.Height); why != "" {
				f.skip(p.FileName, o.What, "the video: %s", why)
				break
			}
			if why := cocoSegmentation(&o, seg, p.Width, p.Height); why != "" {
				f.skip(p.FileName, o.What, "%s", why)
				continue
			}
			p.Objects = append(p.Objects, o)
		}
	}
	// Frames where no object is in view add nothing: they are not pictures
	// to match (nor to find beyond a video's end).
	f.Pictures = slices.DeleteFunc(f.Pictures, func(p Picture) bool { return len(p.Objects) == 0 })
	return f, nil
}

// frameNumber returns the frame a file of a video's frames names
// ("00005.jpg" is frame 5), or n when its name is not a number.
func frameNumber(file string, n int) int {
	base := path.Base(slashed(file))
	if f := frameName.FindStringSubmatch(base); f != nil {
		if k, err := strconv.Atoi(f[1]); err == nil {
			return k
		}
	}
	return n
}
