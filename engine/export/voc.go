package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"path"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// Pascal VOC files: one annotation per picture, its objects with their
// boxes.
type vocAnnotation struct {
	XMLName   xml.Name    `xml:"annotation"`
	Folder    string      `xml:"folder"`
	Filename  string      `xml:"filename"`
	Source    vocSource   `xml:"source"`
	Size      vocSize     `xml:"size"`
	Segmented int         `xml:"segmented"`
	Objects   []vocObject `xml:"object"`
}

type vocSource struct {
	Database string `xml:"database"`
}

type vocSize struct {
	Width  int `xml:"width"`
	Height int `xml:"height"`
	Depth  int `xml:"depth"`
}

type vocObject struct {
	Name      string `xml:"name"`
	Pose      string `xml:"pose"`
	Truncated int    `xml:"truncated"`
	Occluded  int    `xml:"occluded"`
	Difficult int    `xml:"difficult"`
	BndBox    vocBox `xml:"bndbox"`
}

// vocBox is in VOC's 1-based pixel coordinates, both ends included.
type vocBox struct {
	XMin int `xml:"xmin"`
	YMin int `xml:"ymin"`
	XMax int `xml:"xmax"`
	YMax int `xml:"ymax"`
}

// vocVoid is the index VOC gives pixels it leaves out of evaluation.
const vocVoid = 255

// vocPalette is the colour map of the VOC devkit: index i's colour spreads
// the bits of i over the high bits of red, green and blue.
func vocPalette() color.Palette {
	pal := make(color.Palette, 256)
	for i := range pal {
		var r, g, b uint8
		for c, j := i, 0; j < 8; c, j = c>>3, j+1 {
			r |= uint8(c&1) << (7 - j)
			g |= uint8(c>>1&1) << (7 - j)
			b |= uint8(c>>2&1) << (7 - j)
		}
		pal[i] = color.NRGBA{r, g, b, 255}
	}
	return pal
}

// VOC writes Pascal VOC segmentation as a zip, laid out as the VOC devkit
// (and torchvision, mmsegmentation, CVAT) read it: Annotations/<stem>.xml
// with each object's label and box; SegmentationClass/<stem>.png, indexed
// by category id (0 background; where objects overlap, the later wins);
// SegmentationObject/<stem>.png, indexed by the object's number on its
// picture; ImageSets/{Main,Segmentation}/train.txt and trainval.txt listing
// the stems; labelmap.txt naming the classes with their palette colours.
// The pictures go in JPEGImages/ (an export with pictures puts them there).
func VOC(in Input) ([]byte, error) { return zipped(vocFiles(in)) }

func vocFiles(in Input) (*archive, error) {
	cats := Categories(in)
	if len(cats) >= vocVoid {
		return nil, &NothingError{Msg: fmt.Sprintf("the project has %d labels; Pascal VOC's indexed PNGs hold at most %d: export COCO instead", len(cats), vocVoid-1)}
	}
	pal := vocPalette()
	a := newArchive()
	var stems strings.Builder
	err := forEachFrame(in, cats, func(f *frame) error {
		if len(f.Objects) >= vocVoid {
			return &NothingError{Msg: fmt.Sprintf("%s has %d objects; a VOC object PNG numbers at most %d", f.FileName, len(f.Objects), vocVoid-1)}
		}
		w, h := f.Media.Width, f.Media.Height
		class := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		object := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		doc := vocAnnotation{Folder: "JPEGImages", Filename: f.Stem + path.Ext(f.FileName), Source: vocSource{Database: "Samwise"},
			Size: vocSize{Width: w, Height: h, Depth: 3}, Segmented: 1, Objects: []vocObject{}}
		for n, o := range f.Objects {
			paint(class, o.Mask, uint8(o.Category))
			paint(object, o.Mask, uint8(n+1))
			x0, y0, x1, y1, _ := o.Mask.BBox()
			doc.Objects = append(doc.Objects, vocObject{Name: o.Label, Pose: "Unspecified",
				Truncated: o.flag(api.FlagTruncated), Difficult: o.flag(api.FlagDifficult), Occluded: o.flag(api.FlagOccluded),
				BndBox: vocBox{XMin: x0 + 1, YMin: y0 + 1, XMax: x1, YMax: y1}})
		}
		b, err := xml.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		a.add("Annotations/"+f.Stem+".xml", append([]byte(xml.Header), append(b, '\n')...))
		for _, p := range []struct {
			dir string
			img *image.Paletted
		}{{"SegmentationClass", class}, {"SegmentationObject", object}} {
			b, err := encodePNG(p.img)
			if err != nil {
				return err
			}
			a.add(p.dir+"/"+f.Stem+".png", b)
		}
		stems.WriteString(f.Stem + "\n")
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, set := range []string{"Main", "Segmentation"} {
		for _, list := range []string{"train", "trainval"} {
			a.add("ImageSets/"+set+"/"+list+".txt", []byte(stems.String()))
		}
	}
	a.add("labelmap.txt", vocLabelMap(cats, pal))
	return a, nil
}

// vocLabelMap is CVAT's labelmap.txt: each class with its colour, in index
// order from the background.
func vocLabelMap(cats []Category, pal color.Palette) []byte {
	var b strings.Builder
	b.WriteString("# label:color_rgb:parts:actions\nbackground:0,0,0::\n")
	for _, c := range cats {
		r, g, bl, _ := pal[c.ID].RGBA()
		fmt.Fprintf(&b, "%s:%d,%d,%d::\n", c.Name, r>>8, g>>8, bl>>8)
	}
	return []byte(b.String())
}

// paint sets the pixels of m to v in idx.
func paint(idx *image.Paletted, m *mask.Mask, v uint8) {
	for i, p := range m.Pix {
		if p != 0 {
			idx.Pix[i] = v
		}
	}
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// splitVOC lists each part's pictures in ImageSets/*/<part>.txt; the parts'
// other files keep their places (VOC splits by these lists, not folders),
// and trainval.txt, of the whole, is vocSplitIndex's.
func splitVOC(name, part string) string {
	dir, file := path.Split(name)
	if !strings.HasPrefix(dir, "ImageSets/") {
		return name
	}
	if file == "train.txt" {
		return dir + part + ".txt"
	}
	return ""
}

func vocSplitIndex(in Input) *archive {
	a := newArchive()
	var stems strings.Builder
	names := fileNames(in)
	for i, it := range in.Items {
		for _, fi := range exportedFrames(it) {
			_, stem := frameNames(it.Media, names[i], fi)
			stems.WriteString(stem + "\n")
		}
	}
	for _, set := range []string{"Main", "Segmentation"} {
		a.add("ImageSets/"+set+"/trainval.txt", []byte(stems.String()))
	}
	return a
}
