package export

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"strconv"
)

// labelMapEntry is one line of label_map.json.
type labelMapEntry struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// PNG writes mask images as a zip: labels/<stem>.png, an indexed PNG per
// picture whose pixel values are category ids (0 background; where objects
// overlap, the later object wins) with the label colours as palette;
// objects/<stem>/<object_id>.png, a black and white PNG per object; and
// label_map.json naming the indices.
func PNG(in Input) ([]byte, error) { return zipped(pngFiles(in)) }

func pngFiles(in Input) (*archive, error) {
	cats := Categories(in)
	if len(cats) > 255 {
		return nil, &NothingError{Msg: fmt.Sprintf("the project has %d labels; an indexed PNG holds at most 255: export COCO instead", len(cats))}
	}
	pal := color.Palette{color.NRGBA{0, 0, 0, 255}}
	lm := []labelMapEntry{{Index: 0, Name: "_background_", Color: "#000000"}}
	for _, c := range cats {
		pal = append(pal, parseColor(c.Color, c.ID))
		lm = append(lm, labelMapEntry{Index: c.ID, Name: c.Name, Color: hexColor(pal[c.ID])})
	}
	a := newArchive()
	err := forEachFrame(in, cats, func(f *frame) error {
		w, h := f.Media.Width, f.Media.Height
		idx := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for _, o := range f.Objects {
			paint(idx, o.Mask, uint8(o.Category))
			b, err := o.Mask.PNG()
			if err != nil {
				return err
			}
			a.add("objects/"+f.Stem+"/"+strconv.Itoa(o.ObjectID)+".png", b)
		}
		b, err := encodePNG(idx)
		if err != nil {
			return err
		}
		a.add("labels/"+f.Stem+".png", b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(lm, "", "  ")
	a.add("label_map.json", append(b, '\n'))
	return a, nil
}

// fallback colours for labels without a valid one (by category id).
var fallback = []color.NRGBA{{230, 25, 75, 255}, {60, 180, 75, 255}, {0, 130, 200, 255}, {245, 130, 48, 255}, {145, 30, 180, 255}, {70, 240, 240, 255}}

func parseColor(s string, id int) color.NRGBA {
	var r, g, b uint8
	if len(s) == 7 && s[0] == '#' {
		if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &b); err == nil {
			return color.NRGBA{r, g, b, 255}
		}
	}
	return fallback[(id-1)%len(fallback)]
}

func hexColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}
