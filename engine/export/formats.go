package export

import (
	"fmt"

	"github.com/samwise-app/samwise/engine/api"
)

// spec is what an export format writes and, in a dataset (an export with
// its pictures, see Dataset), where the pictures go.
type spec struct {
	suffix string // of the file name: "<project>-<suffix>.json|.zip"
	files  func(Input) (*archive, error)
	// json formats write one JSON file (named, in a dataset zip, as
	// files names it); the others a zip of files.
	json bool
	// pictures is the folder of the pictures in a dataset zip.
	pictures string
	// flat names each picture by its flat stem (as YOLO and the mask PNGs
	// name their per-picture files), not by its file name, which puts the
	// frames of a video in a folder of their own.
	flat bool
	// videosOnly formats leave images out.
	videosOnly bool
	// polygons formats write polygons (Input.Tolerance sets their detail).
	polygons bool
	// split, for formats that can be split into train and val, names a
	// file of one part in the split dataset ("" leaves it out); index
	// makes the files that describe the whole split (YOLO's data.yaml).
	split func(name, part string) string
	index func(in Input) *archive
}

var specs = map[string]spec{
	api.ExportCOCO: {suffix: "coco", json: true, pictures: "images/", split: splitCOCO,
		files: jsonFile("annotations/instances.json", func(in Input) ([]byte, error) { return COCO(in, false) })},
	api.ExportCOCOPolygons: {suffix: "coco-polygons", json: true, pictures: "images/", split: splitCOCO, polygons: true,
		files: jsonFile("annotations/instances.json", func(in Input) ([]byte, error) { return COCO(in, true) })},
	api.ExportYOLO:    {suffix: "yolo", files: yoloFiles, pictures: "images/", flat: true, split: splitYOLO, index: yoloSplitIndex, polygons: true},
	api.ExportLabelMe: {suffix: "labelme", files: labelmeFiles, polygons: true}, // each JSON beside its picture
	api.ExportPNG:     {suffix: "masks", files: pngFiles, pictures: "images/", flat: true},
	api.ExportVOC:     {suffix: "voc", files: vocFiles, pictures: "JPEGImages/", flat: true, split: splitVOC, index: vocSplitIndex},
	api.ExportMOTS:    {suffix: "mots", files: motsFiles, pictures: "images/", videosOnly: true},
	api.ExportYTVIS: {suffix: "ytvis", json: true, pictures: "JPEGImages/", videosOnly: true,
		files: jsonFile("instances.json", YTVIS)},
}

// jsonFile makes the files of a JSON format: one file at name.
func jsonFile(name string, write func(Input) ([]byte, error)) func(Input) (*archive, error) {
	return func(in Input) (*archive, error) {
		data, err := write(in)
		if err != nil {
			return nil, err
		}
		return &archive{entries: []entry{{name, data}}}, nil
	}
}

func specOf(format string) (spec, error) {
	s, ok := specs[format]
	if !ok {
		return spec{}, fmt.Errorf("%w (got %q)", ErrUnknownFormat, format)
	}
	return s, nil
}
