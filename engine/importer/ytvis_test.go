package importer_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
	"github.com/samwise-app/samwise/engine/importer"
	"github.com/samwise-app/samwise/engine/mask"
)

// A YouTube-VIS file's annotations become one object each, with a mask on
// every frame where they have a segmentation (RLE or polygons), at the
// frame its file names; boxes without a segmentation are handed on to be
// segmented; videos the project lacks are one unmatched name each.
func TestYTVIS(t *testing.T) {
	rle, err := json.Marshal(enc(disc(32, 24, 10, 10, 6)))
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{
	  "videos": [
	    {"id": 1, "width": 32, "height": 24, "length": 5, "file_names": ["walk/00000.jpg", "walk/00002.jpg", "walk/00004.jpg"]},
	    {"id": 2, "name": "beach", "width": 32, "height": 24, "file_names": ["b/first.jpg", "b/second.jpg"]}
	  ],
	  "categories": [{"id": 1, "name": "dog"}, {"id": 2, "name": "ball"}],
	  "annotations": [
	    {"id": 1, "video_id": 1, "category_id": 1, "segmentations": [%s, null, [[20, 2, 30, 2, 30, 12, 20, 12]]], "bboxes": [[4, 4, 12, 12], null, [20, 2, 10, 10]]},
	    {"id": 2, "video_id": 1, "category_id": 2, "segmentations": [null, null, null], "bboxes": [null, [2, 14, 6, 6], null]},
	    {"id": 3, "video_id": 9, "category_id": 1, "segmentations": [null]},
	    {"id": 4, "video_id": 1, "category_id": 7, "segmentations": [null]},
	    {"id": 5, "video_id": 1, "category_id": 1, "segmentations": [null, null, null, null]},
	    {"id": 6, "video_id": 2, "category_id": 1, "segmentations": [[[1, 1, 9, 1, 9, 9]], null]}
	  ]}`, rle)
	f, err := importer.Parse([]byte(body), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != api.ImportYTVIS {
		t.Fatalf("format %q, want it sniffed as %s", f.Format, api.ImportYTVIS)
	}
	ts := empty(project())
	walk := ts[2]
	labels := []api.Label{}
	m := importer.Merge(f, &labels, ts, importer.Options{SegmentBoxes: true})
	res := m.Result

	if res.Matched != 3 || res.Pictures != 4 || res.Objects != 1 || res.Masks != 2 || !slices.Equal(res.MediaIDs, []string{walk.Media.MediaID}) {
		t.Errorf("result %+v; want walk's 3 frames with objects matched, 1 object with 2 masks", res)
	}
	if len(walk.Doc.Objects) != 1 {
		t.Fatalf("walk has %d objects, want 1", len(walk.Doc.Objects))
	}
	dog := walk.Doc.Objects[0]
	if dog.Label != "dog" || len(dog.Masks) != 2 || dog.Masks["0"].Counts != enc(disc(32, 24, 10, 10, 6)).Counts {
		t.Errorf("dog %s with masks on %v; want the RLE on frame 0", dog.Label, keys(dog.Masks))
	}
	if m4, err := mask.Decode(dog.Masks["4"]); err != nil || m4.Area() != 100 {
		t.Errorf("dog on frame 4: %v, area %v; want the 10×10 polygon", err, m4)
	}
	want := []importer.BoxPrompt{{MediaID: walk.Media.MediaID, Frame: 2, Track: 2, Label: "ball", Box: [4]float64{2, 14, 8, 20}}}
	if !slices.Equal(m.Boxes, want) || res.Boxes != 1 {
		t.Errorf("boxes %+v; want %+v", m.Boxes, want)
	}
	if !slices.Equal(res.Unmatched, []string{"beach"}) || res.UnmatchedCount != 1 {
		t.Errorf("unmatched %v (%d); want beach once", res.Unmatched, res.UnmatchedCount)
	}
	var reasons []string
	for _, s := range res.Skipped {
		reasons = append(reasons, s.What+": "+s.Reason)
	}
	for i, w := range []string{
		"annotation 3: its video_id 9 is not among the videos",
		"annotation 4: its category_id 7 is not among the categories",
		"annotation 5: it has 4 frames but its video lists 3",
	} {
		if i >= len(reasons) || reasons[i] != w {
			t.Errorf("skipped %q; want %q", reasons, w)
			break
		}
	}
	if res.SkippedCount != 3 {
		t.Errorf("skipped %d, want 3: %q", res.SkippedCount, reasons)
	}
}

// Frames whose files are not numbered are taken in order, and so are all
// frames of a video opened as the folder of those files; a video named in
// the file matches the media of that name.
func TestYTVISFramesInOrder(t *testing.T) {
	sampled := `{"videos": [{"id": 1, "width": 32, "height": 24, "file_names": ["walk/00000.jpg", "walk/00005.jpg", "walk/00010.jpg"]}],
	  "categories": [{"id": 1, "name": "dog"}],
	  "annotations": [{"id": 1, "video_id": 1, "category_id": 1, "segmentations": [null, [[1, 1, 5, 1, 5, 5, 1, 5]], null]}]}`
	folder := empty(project())
	folder[2].Media.Format = api.FormatFrames
	folder[2].Media.Name = "walk"
	if res := merge(t, sampled, folder); res.Objects != 1 || !maskFrames(folder[2].Doc.Objects)["1"] {
		t.Errorf("frames folder: %+v, masks on frames %v; want frame 1 (the second file)", res, maskFrames(folder[2].Doc.Objects))
	}
	if res := merge(t, sampled, empty(project())); res.Objects != 0 || res.SkippedCount != 1 || !strings.Contains(res.Skipped[0].Reason, "frame 5 is not in") {
		t.Errorf("video file: %+v; want walk/00005.jpg to be frame 5, beyond walk.mp4's 5 frames", res)
	}

	body := `{"videos": [{"id": "v", "name": "walk.mp4", "width": 32, "height": 24, "file_names": ["x/a.jpg", "x/b.jpg", "x/c.jpg"]}],
	  "categories": [{"id": 1, "name": "dog"}],
	  "annotations": [{"id": 1, "video_id": "v", "category_id": 1, "segmentations": [null, [[1, 1, 5, 1, 5, 5, 1, 5]], [[1, 1, 5, 1, 5, 5, 1, 5]]]}]}`
	ts := empty(project())
	res := merge(t, body, ts)
	if got := maskFrames(ts[2].Doc.Objects); res.Objects != 1 || !got["1"] || !got["2"] || len(got) != 2 {
		t.Errorf("%+v, masks on frames %v; want one object on frames 1 and 2", res, got)
	}
}

func TestYTVISRejectsWithReason(t *testing.T) {
	for body, want := range map[string]string{
		`{"videos": []}`: "has no videos",
		`{"videos": [{"id": 1, "file_names": ["v/a.jpg"]}, {"id": 1}]}`: "videos[1] has the id 1, which is missing or not unique",
		`{"videos": [{"id": 1, "file_names": ["a.jpg"]}]}`:              "neither a name nor frames in a folder",
		`{"videos": [{"id": 1, "file_names": "a.jpg"}]}`:                "file_names should be []string",
	} {
		_, err := importer.Parse([]byte(body), api.ImportYTVIS)
		var fe *importer.FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want a FormatError containing %q", body, err, want)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Samwise's YouTube-VIS export imports back as the same object with the
// same masks; importing it again adds nothing.
func TestYTVISRoundTrip(t *testing.T) {
	in := project()
	data, err := export.YTVIS(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range [][]byte{data, dataset(t, api.ExportYTVIS, in, 0)} {
		ytvisRoundTrip(t, in, data)
	}
}

func ytvisRoundTrip(t *testing.T, in export.Input, data []byte) {
	t.Helper()
	f, ts, res := imported(t, in, data, api.ImportYTVIS)
	if res.Objects != 1 || res.Masks != 2 || res.SkippedCount != 0 || res.UnmatchedCount != 0 || len(ts[0].Doc.Objects)+len(ts[1].Doc.Objects) != 0 {
		t.Fatalf("%+v; want the video's one object with 2 masks", res)
	}
	want := in.Items[2].Doc.Objects[0]
	got := ts[2].Doc.Objects[0]
	if got.Label != want.Label || len(got.Masks) != len(want.Masks) {
		t.Fatalf("imported %s on frames %v; want %s on %v", got.Label, keys(got.Masks), want.Label, keys(want.Masks))
	}
	for k, r := range want.Masks {
		if got.Masks[k].Counts != r.Counts {
			t.Errorf("frame %s: the mask differs from the exported one", k)
		}
	}
	if res := again(f, ts); res.Objects != 0 || res.Duplicates != 2 {
		t.Errorf("second import: %+v; want 2 duplicates", res)
	}
}
