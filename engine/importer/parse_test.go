package importer_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// zipOf is zipEntries for files by name, in name order.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var entries [][2]string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		entries = append(entries, [2]string{name, files[name]})
	}
	return zipEntries(t, entries...)
}

func TestParseRejectsWithReason(t *testing.T) {
	tests := []struct {
		name, format, body, want string
	}{
		{"empty", "", "  \n", "the file is empty"},
		{"not json", "", "hello", "neither a COCO instances file"},
		{"other json", "", `{"foo": 1}`, "neither a COCO instances file"},
		{"unknown format", "pascal", `{}`, `unknown import format "pascal": use coco, ytvis, labelme, yolo, voc or png`},
		{"voc not a zip", "voc", `{}`, "Pascal VOC annotations come as a zip"},
		{"coco syntax", "coco", `{"images": [`, "not valid JSON"},
		{"coco wrong type", "", `{"images": [{"id": 1, "width": "wide"}]}`, "images → width should be int"},
		{"coco no images", "", `{"annotations": []}`, "has no images"},
		{"coco duplicate image", "", `{"images": [{"id": 1}, {"id": 1}]}`, "images[1] has the id 1, which is missing or not unique"},
		{"labelme no shapes", "labelme", `{"imagePath": "a.png"}`, "has no shapes list"},
		{"labelme bad points", "", `{"shapes": [{"points": "many"}]}`, "should be [][]float64"},
		{"zip without labelme", "", string(zipOf(t, map[string]string{"readme.md": "hi"})), "no LabelMe JSON files"},
		{"zip without yolo labels", "yolo", string(zipOf(t, map[string]string{"data.yaml": "names: [a]"})), "no YOLO label files"},
		{"yolo not a zip", "yolo", "0 0.1 0.1 0.2 0.2 0.3 0.1", "YOLO labels come as a zip"},
		{"broken zip", "labelme", "PK\x03\x04garbage", "the zip cannot be read"},
		{"zip without coco", "coco", string(zipOf(t, map[string]string{"a.json": `{"shapes": []}`})), "the zip has no coco file"},
	}
	for _, tt := range tests {
		_, err := importer.Parse([]byte(tt.body), tt.format)
		var fe *importer.FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want a FormatError containing %q", tt.name, err, tt.want)
		}
	}
}

// cocoTarget is one 20×10 image called photo.jpg.
func cocoTarget() []importer.Target {
	return []importer.Target{{Media: api.Media{MediaID: "dddddddddddddddddddddddd", Kind: api.KindImage, Name: "photo.jpg", Width: 20, Height: 10, Frames: 1},
		Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}}}
}

func merge(t *testing.T, body string, ts []importer.Target) api.ImportResult {
	t.Helper()
	f, err := importer.Parse([]byte(body), "")
	if err != nil {
		t.Fatal(err)
	}
	labels := []api.Label{}
	res := importer.Merge(f, &labels, ts, importer.Options{}).Result
	return res
}

// Annotations that cannot be masks are skipped, each with its reason; the
// rest is imported.
func TestCOCOSkipsWithReasons(t *testing.T) {
	sq := `[[2, 2, 8, 2, 8, 8, 2, 8]]`
	body := `{"images": [{"id": 1, "file_name": "train/photo.jpg", "width": 20, "height": 10},
	                     {"id": 2, "file_name": "elsewhere.jpg", "width": 20, "height": 10},
	                     {"id": 3, "file_name": "PHOTO.JPG", "width": 30, "height": 10}],
	  "categories": [{"id": 5, "name": "car"}],
	  "annotations": [
	    {"id": 1, "image_id": 1, "category_id": 5, "segmentation": ` + sq + `},
	    {"id": 2, "image_id": 1, "category_id": 5, "bbox": [1, 1, 3, 3]},
	    {"id": 3, "image_id": 1, "category_id": 6, "segmentation": ` + sq + `},
	    {"id": 4, "image_id": 9, "category_id": 5, "segmentation": ` + sq + `},
	    {"id": 5, "image_id": 1, "category_id": 5, "segmentation": {"size": [20, 10], "counts": [200]}},
	    {"id": 6, "image_id": 1, "category_id": 5, "segmentation": {"size": [10, 20], "counts": "x"}},
	    {"id": 7, "image_id": 1, "category_id": 5, "segmentation": [[50, 50, 60, 50, 60, 60]]},
	    {"id": 8, "image_id": 1, "category_id": 5, "segmentation": {"size": [10, 20], "counts": [20, 30, 150]}},
	    {"id": 9, "image_id": 1, "category_id": 5, "segmentation": {"size": [10, 20], "counts": [200]}},
	    {"id": 10, "image_id": 1, "category_id": 5, "segmentation": []}
	  ]}`
	res := merge(t, body, cocoTarget())
	if res.Pictures != 3 || res.Matched != 1 || res.Objects != 2 {
		t.Fatalf("%+v: want 3 pictures, 1 matched, 2 objects (a polygon and a list-counts RLE)", res)
	}
	if res.UnmatchedCount != 1 || res.Unmatched[0] != "elsewhere.jpg" {
		t.Errorf("unmatched %v", res.Unmatched)
	}
	reasons := map[string]string{}
	for _, s := range res.Skipped {
		reasons[s.What+"|"+s.File] = s.Reason
	}
	for what, want := range map[string]string{
		"annotation 2|train/photo.jpg":  "it is a box, not a mask: import with “segment boxes”",
		"annotation 10|train/photo.jpg": "neither a segmentation nor a box",
		"annotation 3|train/photo.jpg":  "category_id 6 is not among the categories",
		"annotation 4|":                 "image_id 9 is not among the images",
		"annotation 5|train/photo.jpg":  "RLE size [20, 10] is not its image's [height 10, width 20]",
		"annotation 6|train/photo.jpg":  "RLE segmentation cannot be read",
		"annotation 7|train/photo.jpg":  "covers no pixel",
		"annotation 9|train/photo.jpg":  "covers no pixel",
		"|PHOTO.JPG":                    "it is 30×10 in the file but \"photo.jpg\" is 20×10",
	} {
		if !strings.Contains(reasons[what], want) {
			t.Errorf("%s: reason %q, want it to say %q (all: %v)", what, reasons[what], want, reasons)
		}
	}
	if res.SkippedCount != 9 {
		t.Errorf("skipped %d, want 9", res.SkippedCount)
	}
}

func TestAmbiguousNames(t *testing.T) {
	ts := append(cocoTarget(), cocoTarget()...)
	ts[1].Media.MediaID = "eeeeeeeeeeeeeeeeeeeeeeee"
	res := merge(t, `{"images": [{"id": 1, "file_name": "photo.jpg", "width": 20, "height": 10}]}`, ts)
	if res.Matched != 0 || res.SkippedCount != 1 || !strings.Contains(res.Skipped[0].Reason, "2 media of the project are called photo.jpg") {
		t.Errorf("%+v: want the picture skipped as ambiguous", res)
	}
}

// Video frames are found by the names exports and tools give them:
// "<video>/<n>.jpg", "<video>_<n>" and "<video>_<n>.jpg", and CVAT's
// "frame_<n>.jpg", which names no video, on the project's only video.
func TestMatchVideoFrames(t *testing.T) {
	video := empty(project())[2] // walk.mp4, 5 frames of 32×24
	picture := func(name string) string {
		return `{"images": [{"id": 1, "file_name": "` + name + `", "width": 32, "height": 24}], "categories": [{"id": 1, "name": "dog"}],
		  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[1, 1, 9, 1, 9, 9, 1, 9]]}]}`
	}
	for name, frame := range map[string]string{"walk/000003.jpg": "3", "walk_000004": "4", "images/walk_000002.jpg": "2", "obj_train_data/frame_000001.PNG": "1"} {
		ts := []importer.Target{{Media: video.Media, Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}}}
		res := merge(t, picture(name), ts)
		if _, ok := maskFrames(ts[0].Doc.Objects)[frame]; res.Matched != 1 || !ok {
			t.Errorf("%s: %+v, masks on frames %v; want frame %s", name, res, maskFrames(ts[0].Doc.Objects), frame)
		}
	}
	two := []importer.Target{
		{Media: video.Media, Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}},
		{Media: api.Media{MediaID: "ffffffffffffffffffffffff", Kind: api.KindVideo, Name: "run.mp4", Width: 32, Height: 24, Frames: 5}, Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}},
	}
	if res := merge(t, picture("frame_000001.jpg"), two); res.Matched != 0 || res.SkippedCount != 1 || !strings.Contains(res.Skipped[0].Reason, "names a frame but not its video, and the project has 2 videos") {
		t.Errorf("frame_000001.jpg with two videos: %+v; want it skipped as ambiguous", res)
	}
	if res := merge(t, picture("frame_000001.jpg"), cocoTarget()); res.Matched != 0 || res.UnmatchedCount != 1 {
		t.Errorf("frame_000001.jpg without a video: %+v; want it unmatched", res)
	}
}

// maskFrames lists the frames the objects have masks on.
func maskFrames(objects []api.AnnotatedObject) map[string]bool {
	out := map[string]bool{}
	for _, o := range objects {
		for k := range o.Masks {
			out[k] = true
		}
	}
	return out
}

// Pictures renamed by Roboflow and Label Studio exports match the media
// they were uploaded as.
func TestMatchRenamedByTools(t *testing.T) {
	for _, name := range []string{"train/photo_jpg.rf.0a1b2c3d4e5f.jpg", "1a2b3c4d-photo.jpg", "images/1a2b3c4d-photo.jpg", "photo_jpg.rf.0a1b2c3d"} {
		res := merge(t, `{"images": [{"id": 1, "file_name": "`+name+`", "width": 20, "height": 10}]}`, cocoTarget())
		if res.Matched != 1 {
			t.Errorf("%s: %+v; want it matched to photo.jpg", name, res)
		}
	}
	for _, name := range []string{"photo_png.jpg", "1a2b3c4d_photo.jpg", "zzzzzzzz-photo.jpg"} {
		if res := merge(t, `{"images": [{"id": 1, "file_name": "`+name+`", "width": 20, "height": 10}]}`, cocoTarget()); res.Matched != 0 {
			t.Errorf("%s matched photo.jpg", name)
		}
	}
}

// A box that an object with its label already fills (a file imported
// again after its boxes were segmented) is a duplicate, not a box to
// segment again.
func TestSegmentedBoxIsDuplicate(t *testing.T) {
	ts := cocoTarget()
	filled := mask.New(20, 10)
	for y := 3; y < 7; y++ {
		for x := 2; x < 5; x++ {
			filled.Set(x, y, true)
		}
	}
	ts[0].Doc.Objects = []api.AnnotatedObject{{ObjectID: 1, Label: "car", Visible: true, Masks: map[string]api.RLE{"0": mask.Encode(filled)}}}
	body := `{"images": [{"id": 1, "file_name": "photo.jpg", "width": 20, "height": 10}], "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "bus"}],
	  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 2, 3, 5]},
	                  {"id": 2, "image_id": 1, "category_id": 2, "bbox": [2, 2, 3, 5]},
	                  {"id": 3, "image_id": 1, "category_id": 1, "bbox": [10, 2, 3, 5]}]}`
	f, err := importer.Parse([]byte(body), "")
	if err != nil {
		t.Fatal(err)
	}
	labels := []api.Label{{Name: "car", Color: "#ff0000"}}
	m := importer.Merge(f, &labels, ts, importer.Options{SegmentBoxes: true})
	if m.Result.Duplicates != 1 || m.Result.Boxes != 2 || len(m.Boxes) != 2 || m.Boxes[0].Label != "bus" || m.Boxes[1].Box != [4]float64{10, 2, 13, 7} {
		t.Errorf("%+v, boxes %+v; want the car box over the car a duplicate, the bus and the other car to segment", m.Result, m.Boxes)
	}
}

// On a video the check is per frame: a box on a frame where the object's
// mask fills it is a duplicate, the same box on another frame is not.
func TestSegmentedBoxIsDuplicatePerFrame(t *testing.T) {
	ts := []importer.Target{empty(project())[2]}
	filled := mask.New(32, 24)
	for y := 3; y < 7; y++ {
		for x := 2; x < 5; x++ {
			filled.Set(x, y, true)
		}
	}
	ts[0].Doc.Objects = []api.AnnotatedObject{{ObjectID: 1, Label: "car", Visible: true, Masks: map[string]api.RLE{"2": mask.Encode(filled)}}}
	body := `{"images": [{"id": 1, "file_name": "walk/000002.jpg", "width": 32, "height": 24}, {"id": 2, "file_name": "walk/000003.jpg", "width": 32, "height": 24}],
	  "categories": [{"id": 1, "name": "car"}],
	  "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 2, 3, 5]},
	                  {"id": 2, "image_id": 2, "category_id": 1, "bbox": [2, 2, 3, 5]}]}`
	f, err := importer.Parse([]byte(body), "")
	if err != nil {
		t.Fatal(err)
	}
	labels := []api.Label{{Name: "car", Color: "#ff0000"}}
	m := importer.Merge(f, &labels, ts, importer.Options{SegmentBoxes: true})
	if m.Result.Matched != 2 || m.Result.Duplicates != 1 || len(m.Boxes) != 1 || m.Boxes[0].Frame != 3 {
		t.Errorf("%+v, boxes %+v; want frame 2's box a duplicate and frame 3's to segment", m.Result, m.Boxes)
	}
}

// With Overlap, a mask that overlaps an object of its label enough is a
// duplicate even when it is not the same mask; other labels, and masks
// that overlap less, are added.
func TestOverlapIsDuplicate(t *testing.T) {
	rect := func(x0, y0, x1, y1 int) *importer.Picture {
		m := mask.New(20, 10)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m.Set(x, y, true)
			}
		}
		return &importer.Picture{Objects: []importer.Object{{Mask: mask.Encode(m)}}}
	}
	existing := rect(2, 2, 8, 8).Objects[0].Mask // 36 pixels
	for _, tc := range []struct {
		name    string
		label   string
		shape   *importer.Picture
		overlap float64
		added   int
	}{
		{"same object, refined", "car", rect(2, 2, 8, 7), 0.5, 0}, // IoU 30/36
		{"without overlap", "car", rect(2, 2, 8, 7), 0, 1},
		{"another label", "bus", rect(2, 2, 8, 7), 0.5, 1},
		{"a neighbour", "car", rect(5, 2, 11, 8), 0.5, 1}, // IoU 18/54
	} {
		ts := cocoTarget()
		ts[0].Doc.Objects = []api.AnnotatedObject{{ObjectID: 1, Label: "car", Visible: true, Masks: map[string]api.RLE{"0": existing}}}
		o := tc.shape.Objects[0]
		o.Label = tc.label
		f := &importer.File{Pictures: []importer.Picture{{MediaID: ts[0].Media.MediaID, Width: 20, Height: 10, Objects: []importer.Object{o}}}}
		labels := []api.Label{{Name: "car", Color: "#ff0000"}}
		res := importer.Merge(f, &labels, ts, importer.Options{Overlap: tc.overlap}).Result
		if res.Objects != tc.added || res.Duplicates != 1-tc.added {
			t.Errorf("%s: %+v; want %d added", tc.name, res, tc.added)
		}
	}
}

func pngBase64(t *testing.T, w, h int, set func(x, y int) bool) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if set(x, y) {
				img.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// LabelMe: pieces sharing a group are one object, a mask shape lands at its
// box, and shapes that are not masks are skipped.
func TestLabelMeShapes(t *testing.T) {
	maskShape := pngBase64(t, 3, 2, func(x, y int) bool { return x != 1 })
	body := `{"imagePath": "..\\imgs\\photo.jpg", "imageWidth": 20, "imageHeight": 10, "shapes": [
	  {"label": "car", "points": [[0, 0], [4, 0], [4, 4], [0, 4]], "group_id": 1, "shape_type": "polygon"},
	  {"label": "car", "points": [[10, 0], [12, 0], [12, 2], [10, 2]], "group_id": 1, "shape_type": "polygon"},
	  {"label": "car", "points": [[10, 5], [12, 5], [12, 7]], "group_id": null},
	  {"label": "sign", "points": [[15, 6], [17, 7]], "shape_type": "mask", "mask": "` + maskShape + `"},
	  {"label": "box", "points": [[1, 1], [3, 3]], "shape_type": "rectangle"},
	  {"label": "tiny", "points": [[1, 1], [2, 2]], "shape_type": "polygon"}
	]}`
	ts := cocoTarget()
	res := merge(t, body, ts)
	if res.Objects != 3 || res.SkippedCount != 2 {
		t.Fatalf("%+v: want 3 objects (a two-piece car, a car, a sign) and 2 shapes skipped", res)
	}
	objs := ts[0].Doc.Objects
	car, _ := mask.Decode(objs[0].Masks["0"])
	if a := car.Area(); a != 16+4 {
		t.Errorf("the grouped car has %d pixels, want 20 (4×4 and 2×2)", a)
	}
	sign, _ := mask.Decode(objs[2].Masks["0"])
	if sign.Area() != 4 || !sign.At(15, 6) || sign.At(16, 6) || !sign.At(17, 7) {
		t.Errorf("the mask shape is not at its box: area %d", sign.Area())
	}
	if !strings.Contains(res.Skipped[0].Reason, "at least 3 points") || !strings.Contains(res.Skipped[1].Reason, "it is a box, not a mask") {
		t.Errorf("reasons: %v", res.Skipped)
	}
}

// With segment boxes, boxes on images are handed on in pixels, clipped to
// the picture, with their labels added to the project, and so are boxes on
// video frames, with their frames and tracks; boxes outside the picture are
// skipped.
func TestBoxesToSegment(t *testing.T) {
	body := `{"images": [{"id": 1, "file_name": "photo.jpg", "width": 20, "height": 10},
	                     {"id": 2, "file_name": "walk.mp4", "width": 32, "height": 24, "media_id": "cccccccccccccccccccccccc", "frame": 1}],
	  "categories": [{"id": 1, "name": "car"}],
	  "annotations": [
	    {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]},
	    {"id": 2, "image_id": 1, "category_id": 1, "bbox": [15, 5, 10, 10], "segmentation": null},
	    {"id": 3, "image_id": 1, "category_id": 1, "bbox": [30, 30, 5, 5]},
	    {"id": 4, "image_id": 2, "category_id": 1, "bbox": [1, 1, 5, 5], "object_id": 3}
	  ]}`
	f, err := importer.Parse([]byte(body), "")
	if err != nil {
		t.Fatal(err)
	}
	ts := append(cocoTarget(), empty(project())[2])
	labels := []api.Label{}
	m := importer.Merge(f, &labels, ts, importer.Options{SegmentBoxes: true})
	want := []importer.BoxPrompt{
		{MediaID: ts[0].Media.MediaID, Label: "car", Box: [4]float64{1, 2, 4, 6}},
		{MediaID: ts[0].Media.MediaID, Label: "car", Box: [4]float64{15, 5, 20, 10}},
		{MediaID: ts[1].Media.MediaID, Frame: 1, Track: 3, Label: "car", Box: [4]float64{1, 1, 6, 6}},
	}
	if !slices.Equal(m.Boxes, want) || m.Result.Boxes != 3 || m.Result.Objects != 0 || len(m.Changed) != 0 {
		t.Fatalf("boxes %+v, result %+v; want %+v", m.Boxes, m.Result, want)
	}
	if len(labels) != 1 || labels[0].Name != "car" {
		t.Errorf("labels %v, want car added", labels)
	}
	var reasons []string
	for _, s := range m.Result.Skipped {
		reasons = append(reasons, s.What+": "+s.Reason)
	}
	if len(reasons) != 1 || !strings.Contains(reasons[0], "annotation 3: the box is outside the picture") {
		t.Errorf("skipped %q", reasons)
	}
}

// Frames named from 1 (ffmpeg's "%06d.jpg") are taken one lower when they
// reach one past the video's last frame; otherwise numbers count from 0.
func TestFramesFromOne(t *testing.T) {
	file := func(frames ...int) string {
		var images, anns []string
		for i, f := range frames {
			images = append(images, fmt.Sprintf(`{"id": %d, "file_name": "walk/%06d.jpg", "width": 32, "height": 24}`, i+1, f))
			anns = append(anns, fmt.Sprintf(`{"id": %d, "image_id": %d, "category_id": 1, "segmentation": [[1, 1, 9, 1, 9, 9, 1, 9]], "object_id": 1}`, i+1, i+1))
		}
		return `{"images": [` + strings.Join(images, ",") + `], "categories": [{"id": 1, "name": "dog"}], "annotations": [` + strings.Join(anns, ",") + `]}`
	}
	for _, tc := range []struct {
		name   string
		frames []int
		want   string // the frames with masks
		noted  bool
	}{
		{"from 1 to the end", []int{1, 3, 5}, "0,2,4", true},
		{"from 0", []int{0, 4}, "0,4", false},
		{"from 1, not to the end", []int{1, 2, 3}, "1,2,3", false},
	} {
		ts := []importer.Target{empty(project())[2]} // walk.mp4, frames 0 to 4
		res := merge(t, file(tc.frames...), ts)
		var got []string
		for f := range maskFrames(ts[0].Doc.Objects) {
			got = append(got, f)
		}
		slices.Sort(got)
		if strings.Join(got, ",") != tc.want || res.SkippedCount != 0 || (len(res.Notes) == 1) != tc.noted {
			t.Errorf("%s: masks on %v, notes %q, skipped %v; want %s", tc.name, got, res.Notes, res.Skipped, tc.want)
		}
		if tc.noted && !strings.Contains(res.Notes[0], `"walk.mp4": the file numbers its frames from 1 (they run 1 to 5`) {
			t.Errorf("%s: note %q", tc.name, res.Notes[0])
		}
	}
}

// A dataset zip the way Roboflow writes one: a COCO file per split beside
// its pictures and a README. Every COCO file is read on its own (ids repeat
// between them); one that is broken is skipped, named; the pictures are
// passed over.
func TestCOCOFilesInAZip(t *testing.T) {
	split := func(file string) string {
		return `{"images": [{"id": 1, "file_name": "` + file + `", "width": 20, "height": 10}], "categories": [{"id": 1, "name": "cat"}],
			"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[2, 2, 8, 2, 8, 8, 2, 8]]}]}`
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range [][2]string{
		{"README.roboflow.txt", "exported"},
		{"train/_annotations.coco.json", split("photo.jpg")},
		{"train/photo.jpg", "\xff\xd8\xff pixels"},
		{"valid/_annotations.coco.json", split("other.jpg")},
		{"test/_annotations.coco.json", `{"images": 3, "annotations": []}`},
	} {
		w, _ := zw.Create(e[0])
		w.Write([]byte(e[1]))
	}
	zw.Close()
	f, err := importer.Parse(buf.Bytes(), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != api.ImportCOCO || len(f.Pictures) != 2 || f.Pictures[0].FileName != "photo.jpg" || f.Pictures[1].FileName != "other.jpg" {
		t.Fatalf("format %s, pictures %+v; want COCO with photo.jpg and other.jpg", f.Format, f.Pictures)
	}
	if len(f.Skipped) != 1 || f.Skipped[0].File != "test/_annotations.coco.json" || !strings.Contains(f.Skipped[0].Reason, "images") {
		t.Errorf("skipped %+v; want the broken split, named", f.Skipped)
	}
	labels := []api.Label{}
	if res := importer.Merge(f, &labels, cocoTarget(), importer.Options{}).Result; res.Objects != 1 || res.UnmatchedCount != 1 {
		t.Errorf("merge %+v; want photo.jpg's object, other.jpg unmatched", res)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// ParseReader reads a dataset zip's annotation files, not its pictures.
func TestParseReaderSkipsPictures(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("annotations/instances.json")
	w.Write([]byte(`{"images": [{"id": 1, "file_name": "photo.jpg", "width": 20, "height": 10}], "categories": [{"id": 1, "name": "cat"}],
		"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[2, 2, 8, 2, 8, 8, 2, 8]]}]}`))
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "images/photo.jpg", Method: zip.Store})
	w.Write(make([]byte, 8<<20))
	zw.Close()
	r := &countingReader{r: bytes.NewReader(buf.Bytes())}
	f, err := importer.ParseReader(r, int64(buf.Len()), "")
	if err != nil || f.Format != api.ImportCOCO || len(f.Pictures) != 1 {
		t.Fatalf("%+v, %v", f, err)
	}
	if r.n > 1<<20 {
		t.Errorf("read %d bytes of a %d-byte zip whose annotations are a few hundred", r.n, buf.Len())
	}
	// Not a zip: read whole, as Parse.
	labelme := `{"shapes": [], "imagePath": "a.png", "imageWidth": 4, "imageHeight": 4}`
	r = &countingReader{r: strings.NewReader(labelme)}
	if f, err := importer.ParseReader(r, int64(len(labelme)), ""); err != nil || f.Format != api.ImportLabelMe {
		t.Errorf("LabelMe through ParseReader: %+v, %v", f, err)
	}
}
