// Package importer reads annotations made elsewhere — COCO instances files
// (RLE or polygon segmentation), YouTube-VIS files (tracks through videos),
// LabelMe JSON (one file, or a zip of them
// as Samwise's own export writes), zips of YOLO segmentation labels and
// Pascal VOC zips (object and class PNGs, or boxes to segment), zips of
// mask PNGs (Samwise's PNG export, or class PNGs with a label map);
// dataset zips (annotations beside their pictures, as Samwise's export with
// pictures, CVAT and Roboflow write them) are read for their annotations —
// and merges them into a project's annotation documents as new objects.
// Parse is pure (bytes in, pictures out) and keeps masks as RLE or shapes,
// so a large file never holds decoded masks; Merge draws the shapes of the
// pictures that match a media and changes documents in memory;
// engine/project saves them in one transaction.
package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// Picture is one annotated picture of an import file.
type Picture struct {
	// FileName is the picture's name in the file (COCO file_name, LabelMe
	// imagePath relative to the zip's root).
	FileName string
	// MediaID and Frame locate the picture exactly when the file comes from
	// a Samwise export (its COCO images carry them); MediaID is "" otherwise.
	// Video names the video whose frame the picture is when the file lists
	// each video's frames (YouTube-VIS): Frame is the number the frame's
	// file is named by, Index its position in the list, which is its frame
	// in a video opened as the folder of those files.
	MediaID string
	Video   string
	Frame   int
	Index   int
	// Width and Height are the picture's size as the file gives it.
	Width, Height int
	Objects       []Object
}

// Object is one object's mask on a picture.
type Object struct {
	Label string
	// Track joins the masks of one object across the frames of a video
	// (Samwise's object_id in COCO, LabelMe's group_id within a picture);
	// 0 for none.
	Track int
	// Mask is the object's mask when the file holds it as RLE; otherwise
	// Shapes are its pieces, drawn when the picture has matched a media
	// of the same size (so a file never makes the import allocate more than
	// its media's masks).
	Mask   api.RLE
	Shapes []Shape
	// Box is an object the file gives as a box only (no mask); Merge
	// hands it on to be segmented, or skips it.
	Box *Box
	// What names the object in the file, for messages ("annotation 7").
	What string
	// Flags (those set) and Note become the object's (see
	// api.AnnotatedObject).
	Flags map[string]bool
	Note  string
}

// setFlag sets a flag of the object; a value that is not true (1, "true")
// leaves it unset.
func (o *Object) setFlag(name string, raw json.RawMessage) {
	switch strings.TrimSpace(string(raw)) {
	case "true", "1", `"true"`:
		if o.Flags == nil {
			o.Flags = map[string]bool{}
		}
		o.Flags[name] = true
	}
}

// Box is a box xyxy in pixels, or in fractions of the width and height
// when Normalized.
type Box struct {
	X0, Y0, X1, Y1 float64
	Normalized     bool
}

// pixels returns the box in pixels of a w×h picture, clipped to it; ok is
// false when nothing of it is inside.
func (b *Box) pixels(w, h int) (px [4]float64, ok bool) {
	sx, sy := 1.0, 1.0
	if b.Normalized {
		sx, sy = float64(w), float64(h)
	}
	px = [4]float64{
		min(max(min(b.X0, b.X1)*sx, 0), float64(w)), min(max(min(b.Y0, b.Y1)*sy, 0), float64(h)),
		min(max(max(b.X0, b.X1)*sx, 0), float64(w)), min(max(max(b.Y0, b.Y1)*sy, 0), float64(h)),
	}
	return px, px[2] > px[0] && px[3] > px[1]
}

// Shape is one piece of an object: polygons (flat [x0, y0, x1, y1, ...] in
// pixel-corner coordinates, or in fractions of the width and height when
// Normalized) or a mask image (a PNG whose non-black pixels are set) with
// its top-left corner at X, Y.
type Shape struct {
	Polygons   [][]float64
	Normalized bool
	PNG        []byte
	X, Y       int
}

// Draw returns the object's mask on a w×h picture; ok is false when it
// covers no pixel. All polygons are rasterized in one pass (their union);
// mask images are then set into the same mask.
func (o *Object) Draw(w, h int) (rle api.RLE, ok bool) {
	if len(o.Shapes) == 0 {
		area, err := o.Mask.Area()
		return o.Mask, err == nil && area > 0 && o.Mask.Size == [2]int{h, w}
	}
	var polys [][]float64
	for _, s := range o.Shapes {
		polys = append(polys, s.pixelPolygons(w, h)...)
	}
	m := mask.Rasterize(polys, w, h)
	for _, s := range o.Shapes {
		if s.PNG != nil {
			s.drawPNG(m)
		}
	}
	rle = mask.Encode(m)
	if area, err := rle.Area(); err != nil || area == 0 { // the runs are cheaper to add than the pixels
		return api.RLE{}, false
	}
	return rle, true
}

// pixelPolygons returns the shape's polygons in pixels of a w×h picture.
func (s Shape) pixelPolygons(w, h int) [][]float64 {
	if !s.Normalized {
		return s.Polygons
	}
	out := make([][]float64, len(s.Polygons))
	for i, p := range s.Polygons {
		out[i] = make([]float64, len(p))
		for j, v := range p {
			scale := float64(w)
			if j%2 == 1 {
				scale = float64(h)
			}
			out[i][j] = v * scale
		}
	}
	return out
}

// drawPNG sets the pixels of the shape's mask image into m (at X, Y).
func (s Shape) drawPNG(m *mask.Mask) {
	cfg, err := png.DecodeConfig(bytes.NewReader(s.PNG))
	if err != nil || cfg.Width > m.W || cfg.Height > m.H {
		return
	}
	crop, err := mask.FromPNG(s.PNG, cfg.Width, cfg.Height)
	if err != nil {
		return
	}
	for y := range crop.H {
		ty := s.Y + y
		if ty < 0 || ty >= m.H {
			continue
		}
		for x := range crop.W {
			if tx := s.X + x; crop.Pix[y*crop.W+x] != 0 && tx >= 0 && tx < m.W {
				m.Pix[ty*m.W+tx] = 1
			}
		}
	}
}

// File is a parsed import file.
type File struct {
	Format   string
	Pictures []Picture
	// Skipped are parts of the file that cannot be imported.
	Skipped []api.ImportSkip
}

func (f *File) skip(file, what, format string, args ...any) {
	f.Skipped = append(f.Skipped, api.ImportSkip{File: file, What: what, Reason: fmt.Sprintf(format, args...)})
}

// FormatError is a file that cannot be read in its format; the message
// says what is wrong.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

func formatErrorf(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}

// Parse reads data in format (api.ImportCOCO, ImportYTVIS, ImportLabelMe or
// ImportYOLO; "" tells them apart by their content).
func Parse(data []byte, format string) (*File, error) {
	if bytes.HasPrefix(data, zipMagic) {
		return ParseReader(bytes.NewReader(data), int64(len(data)), format)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, formatErrorf("the file is empty: send a COCO instances JSON, a YouTube-VIS JSON, a LabelMe JSON or a zip of LabelMe JSON or YOLO files")
	}
	if format == "" {
		format = sniff(data)
	}
	switch format {
	case api.ImportCOCO:
		return parseCOCO(data)
	case api.ImportLabelMe:
		return parseLabelMe(data)
	case api.ImportYTVIS:
		return parseYTVIS(data)
	case api.ImportYOLO:
		return nil, formatErrorf("YOLO labels come as a zip (labels/<picture>.txt and data.yaml)")
	case api.ImportVOC:
		return nil, formatErrorf("Pascal VOC annotations come as a zip (Annotations/, SegmentationObject/, SegmentationClass/)")
	case api.ImportMasks:
		return nil, formatErrorf("mask PNGs come as a zip (objects/<picture>/<object id>.png, labels/<picture>.png, label_map.json)")
	}
	return nil, unknownFormat(format)
}

func unknownFormat(format string) error {
	if format == "" {
		return formatErrorf("this is neither a COCO instances file (an object with images, annotations and categories), a YouTube-VIS file (videos, annotations and categories), LabelMe JSON (an object with shapes, or a zip of such files), a zip of YOLO labels, a Pascal VOC zip nor a zip of mask PNGs")
	}
	return formatErrorf("unknown import format %q: use %s, %s, %s, %s, %s or %s", format, api.ImportCOCO, api.ImportYTVIS, api.ImportLabelMe, api.ImportYOLO, api.ImportVOC, api.ImportMasks)
}

// sniff names the format of a JSON file ("" when it is neither).
func sniff(data []byte) string {
	var keys map[string]present
	if json.Unmarshal(data, &keys) != nil {
		return ""
	}
	switch {
	case bool(keys["videos"]):
		return api.ImportYTVIS
	case bool(keys["annotations"] || keys["images"]):
		return api.ImportCOCO
	case bool(keys["shapes"]):
		return api.ImportLabelMe
	}
	return ""
}

// present notes that a JSON key is there without keeping its value (a
// COCO file's annotations can be most of its size).
type present bool

func (p *present) UnmarshalJSON([]byte) error {
	*p = true
	return nil
}

// jsonError explains a JSON decoding error of the named file.
func jsonError(name string, err error) error {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		return formatErrorf("%s: %s should be %s, not a JSON %s", name, fieldName(typ.Field), typ.Type, typ.Value)
	case errors.As(err, &syn):
		return formatErrorf("%s is not valid JSON (at byte %d: %v)", name, syn.Offset, err)
	}
	return formatErrorf("%s: %v", name, err)
}

func fieldName(f string) string {
	if f == "" {
		return "the file"
	}
	return strings.ReplaceAll(f, ".", " → ")
}

// checkSize says why w×h cannot be a picture's size ("" when it can).
func checkSize(w, h int) string {
	if w <= 0 || h <= 0 {
		return fmt.Sprintf("its size %d×%d is not a picture's; the file must give the width and height", w, h)
	}
	if w > mask.MaxPixels/h {
		return fmt.Sprintf("its size %d×%d is larger than masks can be", w, h)
	}
	return ""
}
