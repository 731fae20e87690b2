package importer_test

import (
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// Parse and Merge never panic, and whatever they accept becomes masks that
// decode at their media's size.
func FuzzImport(f *testing.F) {
	in := project()
	for _, polygons := range []bool{false, true} {
		b, _ := export.COCO(in, polygons)
		f.Add(b)
	}
	for _, write := range []func(export.Input) ([]byte, error){export.LabelMe, export.YOLO, export.VOC, export.PNG} {
		b, _ := write(in)
		f.Add(b)
	}
	for _, format := range []string{api.ExportCOCO, api.ExportYTVIS} {
		f.Add(dataset(f, format, in, 0))
	}
	f.Add([]byte(`{"imagePath": "a.png", "imageWidth": 64, "imageHeight": 48, "shapes": [{"label": "x", "points": [[1, 1], [9, 1], [5, 9]], "group_id": 2}]}`))
	f.Add([]byte(`{"images": [{"id": "a", "file_name": "b.jpg", "width": 40, "height": 30}], "categories": [{"id": 1, "name": "c"}],
		"annotations": [{"id": 1, "image_id": "a", "category_id": 1, "segmentation": {"size": [30, 40], "counts": [5, 10, 1185]}}]}`))
	f.Add([]byte(`{"videos": [{"id": 1, "width": 32, "height": 24, "file_names": ["walk/00000.jpg", "walk/00003.jpg"]}], "categories": [{"id": 1, "name": "c"}],
		"annotations": [{"id": 1, "video_id": 1, "category_id": 1, "segmentations": [[[1, 1, 9, 1, 5, 9]], null], "bboxes": [null, [1, 1, 4, 4]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := importer.Parse(data, "")
		if err != nil {
			return
		}
		ts := empty(project())
		labels := []api.Label{}
		importer.Merge(file, &labels, ts, importer.Options{SegmentBoxes: true})
		for _, tg := range ts {
			for _, o := range tg.Doc.Objects {
				for k, r := range o.Masks {
					m, err := mask.Decode(r)
					if err != nil || m.W != tg.Media.Width || m.H != tg.Media.Height {
						t.Fatalf("object %d frame %s on %s: %v", o.ObjectID, k, tg.Media.MediaID, err)
					}
				}
			}
		}
	})
}
