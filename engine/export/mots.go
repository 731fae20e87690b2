package export

import (
	"fmt"
	"path"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// MOTS writes the video media of a project in the MOTS txt format (one
// <video>.txt per video in a zip): a line "frame id class_id height width
// rle" per object and frame, where id = class_id*1000 + the object's number
// in the video (1..999) and rle is the COCO compressed counts. MOTS masks
// must not overlap: where they do, the earlier object keeps the pixel.
// labels.txt names the class ids.
func MOTS(in Input) ([]byte, error) { return zipped(motsFiles(in)) }

func motsFiles(in Input) (*archive, error) {
	cats := Categories(in)
	a := newArchive()
	videos := 0
	lines := map[string]*strings.Builder{}
	var order []string
	instance := map[string]map[int]int{} // media → object id → instance number
	for _, it := range in.Items {
		if it.Media.Kind != api.KindVideo {
			continue
		}
		videos++
		nums := map[int]int{}
		for _, o := range it.Doc.Objects {
			if len(o.Masks) > 0 {
				nums[o.ObjectID] = len(nums) + 1
			}
		}
		if len(nums) > 999 {
			return nil, &NothingError{Msg: fmt.Sprintf("video %s has %d objects; MOTS ids allow 999 per video", it.Media.MediaID, len(nums))}
		}
		instance[it.Media.MediaID] = nums
	}
	if videos == 0 {
		return nil, &NothingError{Msg: "the project has no videos: MOTS exports video annotations; use COCO, YOLO, LabelMe or PNG for images"}
	}
	err := forEachFrame(in, cats, func(f *frame) error {
		if f.Media.Kind != api.KindVideo {
			return nil
		}
		name := path.Dir(f.FileName) + ".txt"
		b := lines[name]
		if b == nil {
			b = &strings.Builder{}
			lines[name] = b
			order = append(order, name)
		}
		taken := mask.New(f.Media.Width, f.Media.Height)
		for _, o := range f.Objects {
			m := &mask.Mask{W: o.Mask.W, H: o.Mask.H, Pix: append([]byte(nil), o.Mask.Pix...)}
			for i, v := range m.Pix {
				if v != 0 {
					if taken.Pix[i] != 0 {
						m.Pix[i] = 0
					}
					taken.Pix[i] = 1
				}
			}
			if m.Area() == 0 {
				continue
			}
			id := o.Category*1000 + instance[f.Media.MediaID][o.ObjectID]
			fmt.Fprintf(b, "%d %d %d %d %d %s\n", f.Index, id, o.Category, f.Media.Height, f.Media.Width, mask.Encode(m).Counts)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range order {
		a.add(name, []byte(lines[name].String()))
	}
	var l strings.Builder
	for _, c := range cats {
		fmt.Fprintf(&l, "%d %s\n", c.ID, c.Name)
	}
	a.add("labels.txt", []byte(l.String()))
	return a, nil
}
