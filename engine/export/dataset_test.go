package export_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
)

// labelledPictures gives each picture bytes that say what it is
// ("image <media id>", "frame <media id> <frame>"), so a test can check
// that every name holds the right picture. The real reader (the server's,
// over the media library and ffmpeg) is tested with the server.
type labelledPictures struct {
	failOn string // a media id whose pictures fail
}

func (p labelledPictures) Image(_ context.Context, m api.Media) ([]byte, error) {
	if m.MediaID == p.failOn {
		return nil, errors.New("disk gone")
	}
	return []byte("image " + m.MediaID), nil
}

func (p labelledPictures) Frames(_ context.Context, m api.Media, frames []int, fn func(int, []byte) error) error {
	for k, f := range frames {
		if m.MediaID == p.failOn {
			return errors.New("disk gone")
		}
		if err := fn(k, fmt.Appendf(nil, "frame %s %d", m.MediaID, f)); err != nil {
			return err
		}
	}
	return nil
}

// zipEntry is one file of a zip: its bytes and how it was stored.
type zipEntry struct {
	data   []byte
	method uint16
}

func readZip(t *testing.T, data []byte) map[string]zipEntry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]zipEntry{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = zipEntry{b, f.Method}
	}
	return out
}

// TestDatasetLayout writes every format with its pictures and checks that
// the annotation files are the export's own, and that the pictures are
// exactly those the annotations name, where the format's tools look for
// them, each holding the right media and frame.
func TestDatasetLayout(t *testing.T) {
	in, _ := fixture()
	const (
		imgA  = "image aaaaaaaaaaaaaaaaaaaaaaaa"
		imgB  = "image bbbbbbbbbbbbbbbbbbbbbbbb"
		walk0 = "frame cccccccccccccccccccccccc 0"
		walk2 = "frame cccccccccccccccccccccccc 2"
	)
	want := map[string]map[string]string{ // format → picture → what it holds
		api.ExportCOCO: {"images/aaaaaaaa_a.png": imgA, "images/bbbbbbbb_a.png": imgB,
			"images/walk/000000.jpg": walk0, "images/walk/000002.jpg": walk2},
		api.ExportYOLO: {"images/aaaaaaaa_a.png": imgA, "images/bbbbbbbb_a.png": imgB,
			"images/walk_000000.jpg": walk0, "images/walk_000002.jpg": walk2},
		api.ExportLabelMe: {"aaaaaaaa_a.png": imgA, "bbbbbbbb_a.png": imgB,
			"walk/000000.jpg": walk0, "walk/000002.jpg": walk2},
		api.ExportPNG: {"images/aaaaaaaa_a.png": imgA, "images/bbbbbbbb_a.png": imgB,
			"images/walk_000000.jpg": walk0, "images/walk_000002.jpg": walk2},
		api.ExportVOC: {"JPEGImages/aaaaaaaa_a.png": imgA, "JPEGImages/bbbbbbbb_a.png": imgB,
			"JPEGImages/walk_000000.jpg": walk0, "JPEGImages/walk_000002.jpg": walk2},
		api.ExportMOTS:  {"images/walk/000000.jpg": walk0, "images/walk/000002.jpg": walk2},
		api.ExportYTVIS: {"JPEGImages/walk/000000.jpg": walk0, "JPEGImages/walk/000002.jpg": walk2},
	}
	want[api.ExportCOCOPolygons] = want[api.ExportCOCO]
	for _, format := range api.ExportFormats {
		t.Run(format, func(t *testing.T) {
			plain, err := export.Export(format, in)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := export.NewDataset(format, in, 0)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := ds.WriteTo(context.Background(), &buf, labelledPictures{}); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(ds.Name, "Pets-2026-") || !strings.HasSuffix(ds.Name, "-dataset.zip") {
				t.Errorf("name %q", ds.Name)
			}
			got := readZip(t, buf.Bytes())

			// The annotation files: the export's own bytes.
			annotations := files(t, plain)
			if plain.ContentType == "application/json" {
				var name string
				for n := range got {
					if strings.HasSuffix(n, ".json") {
						name = n
					}
				}
				annotations = map[string][]byte{name: plain.Data}
			}
			for name, data := range annotations {
				if e, ok := got[name]; !ok || !bytes.Equal(e.data, data) || e.method != zip.Deflate {
					t.Errorf("%s: missing, changed or not compressed in the dataset", name)
				}
				delete(got, name)
			}

			// The pictures: what is left, stored, each the right one.
			pictures := map[string]string{}
			for name, e := range got {
				pictures[name] = string(e.data)
				if e.method != zip.Store {
					t.Errorf("%s: method %d, want stored", name, e.method)
				}
			}
			if fmt.Sprint(pictures) != fmt.Sprint(want[format]) {
				t.Errorf("pictures\n%v\nwant\n%v", pictures, want[format])
			}
			if named := picturesNamed(t, format, annotations); !slices.Equal(named, slices.Sorted(maps.Keys(want[format]))) {
				t.Errorf("the annotations name %v; the dataset holds %v", named, slices.Sorted(maps.Keys(want[format])))
			}
		})
	}
}

// picturesNamed lists, sorted, the dataset paths of the pictures that a
// format's annotation files refer to, read the way its tools read them.
func picturesNamed(t *testing.T, format string, files map[string][]byte) []string {
	t.Helper()
	var out []string
	for name, data := range files {
		switch {
		case format == api.ExportCOCO || format == api.ExportCOCOPolygons:
			var doc cocoDoc
			json.Unmarshal(data, &doc)
			for _, im := range doc.Images {
				out = append(out, "images/"+im.FileName)
			}
		case format == api.ExportYTVIS:
			var doc struct {
				Videos []struct {
					FileNames []string `json:"file_names"`
				} `json:"videos"`
			}
			json.Unmarshal(data, &doc)
			for _, v := range doc.Videos {
				for _, f := range v.FileNames {
					out = append(out, "JPEGImages/"+f)
				}
			}
		case format == api.ExportVOC && strings.HasPrefix(name, "Annotations/"):
			var doc struct {
				Folder   string `xml:"folder"`
				Filename string `xml:"filename"`
			}
			xml.Unmarshal(data, &doc)
			out = append(out, doc.Folder+"/"+doc.Filename)
		case format == api.ExportLabelMe:
			var doc struct {
				ImagePath string `json:"imagePath"`
			}
			json.Unmarshal(data, &doc)
			out = append(out, path.Join(path.Dir(name), doc.ImagePath))
		case (format == api.ExportYOLO && strings.HasPrefix(name, "labels/")) || (format == api.ExportPNG && strings.HasPrefix(name, "labels/")):
			// images/<stem>.<its extension>: the stems say which.
			stem := strings.TrimSuffix(strings.TrimPrefix(name, "labels/"), path.Ext(name))
			ext := ".jpg"
			if strings.HasSuffix(stem, "_a") {
				ext = ".png"
			}
			out = append(out, "images/"+stem+ext)
		case format == api.ExportMOTS && name != "labels.txt":
			seen := map[string]bool{}
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				var frame int
				fmt.Sscan(sc.Text(), &frame)
				p := fmt.Sprintf("images/%s/%06d.jpg", strings.TrimSuffix(name, ".txt"), frame)
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// A picture that cannot be read stops the dataset with an error naming the
// media, and what was written is not a readable zip: nobody mistakes it for
// a whole dataset.
func TestDatasetStopsBrokenOnAPictureError(t *testing.T) {
	in, _ := fixture()
	for _, failOn := range []string{"bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccc"} {
		ds, err := export.NewDataset(api.ExportCOCO, in, 0)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		err = ds.WriteTo(context.Background(), &buf, labelledPictures{failOn: failOn})
		if err == nil || !strings.Contains(err.Error(), failOn) || !strings.Contains(err.Error(), "disk gone") {
			t.Errorf("fail on %s: error %v, want one naming the media and the cause", failOn, err)
		}
		if _, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err == nil {
			t.Errorf("fail on %s: the unfinished dataset reads as a zip", failOn)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ds, _ := export.NewDataset(api.ExportYOLO, in, 0)
	if err := ds.WriteTo(ctx, io.Discard, labelledPictures{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// What fails on the annotations fails before anything is written.
func TestDatasetRefusesBeforeWriting(t *testing.T) {
	in, _ := fixture()
	in.Items = in.Items[:2] // images only
	for _, format := range []string{api.ExportMOTS, api.ExportYTVIS} {
		var nothing *export.NothingError
		if _, err := export.NewDataset(format, in, 0); !errors.As(err, &nothing) {
			t.Errorf("%s of images: %v, want a NothingError", format, err)
		}
	}
	if _, err := export.NewDataset("tiff", in, 0); !errors.Is(err, export.ErrUnknownFormat) {
		t.Errorf("unknown format: %v", err)
	}
}

// A split dataset holds each media in exactly one part, with the part's own
// annotation file naming its pictures in the part's folder, the same
// categories in both parts, and the same media held out in every export,
// whatever the project's order.
func TestDatasetSplit(t *testing.T) {
	in, _ := fixture()
	write := func(format string, in export.Input) map[string]zipEntry {
		ds, err := export.NewDataset(format, in, 0.34)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ds.WriteTo(context.Background(), &buf, labelledPictures{}); err != nil {
			t.Fatal(err)
		}
		return readZip(t, buf.Bytes())
	}

	coco := write(api.ExportCOCO, in)
	seen := map[string]string{} // media → part
	var cats []string
	for _, part := range []string{"train", "val"} {
		e, ok := coco["annotations/instances_"+part+".json"]
		if !ok {
			t.Fatalf("no instances file for %s in %v", part, slices.Sorted(maps.Keys(coco)))
		}
		var doc cocoDoc
		if err := json.Unmarshal(e.data, &doc); err != nil {
			t.Fatal(err)
		}
		if c := fmt.Sprint(doc.Categories); cats == nil {
			cats = []string{c}
		} else if c != cats[0] {
			t.Errorf("categories differ between the parts: %s and %s", cats[0], c)
		}
		for _, im := range doc.Images {
			pic, ok := coco["images/"+part+"/"+im.FileName]
			if !ok || !strings.Contains(string(pic.data), im.MediaID) {
				t.Errorf("%s: %s has no picture in images/%s/", part, im.FileName, part)
			}
			if p, ok := seen[im.MediaID]; ok && p != part {
				t.Errorf("media %s is in both parts", im.MediaID)
			}
			seen[im.MediaID] = part
		}
	}
	if len(seen) != 3 {
		t.Fatalf("the parts hold %d media, want all 3", len(seen))
	}
	held := 0
	for _, p := range seen {
		if p == "val" {
			held++
		}
	}
	if held != 1 {
		t.Errorf("%d media held out, want round(0.34 × 3) = 1", held)
	}

	// The same media are held out whatever the order of the project.
	again := in
	again.Items = slices.Clone(in.Items)
	slices.Reverse(again.Items)
	for name := range write(api.ExportCOCO, again) {
		if strings.HasPrefix(name, "images/") {
			if _, ok := coco[name]; !ok {
				t.Errorf("%s: not in the first export's split", name)
			}
		}
	}

	yolo := write(api.ExportYOLO, in)
	yaml := string(yolo["data.yaml"].data)
	if !strings.Contains(yaml, "train: images/train\nval: images/val\n") || !strings.Contains(yaml, `4: "ferret"`) {
		t.Errorf("data.yaml:\n%s", yaml)
	}
	labels := 0
	for name := range yolo {
		rest, ok := strings.CutPrefix(name, "labels/")
		if !ok {
			continue
		}
		labels++
		stem := strings.TrimSuffix(rest, ".txt")
		if !slices.ContainsFunc(slices.Collect(maps.Keys(yolo)), func(n string) bool {
			return strings.TrimSuffix(n, path.Ext(n)) == "images/"+stem
		}) {
			t.Errorf("%s has no picture images/%s.*", name, stem)
		}
	}
	if labels != 4 || !strings.HasPrefix(slices.Sorted(maps.Keys(yolo))[1], "images/train/") {
		t.Errorf("%d label files, files %v", labels, slices.Sorted(maps.Keys(yolo)))
	}

	var nothing *export.NothingError
	one := in
	one.Items = in.Items[:1]
	if _, err := export.NewDataset(api.ExportYOLO, one, 0.2); !errors.As(err, &nothing) {
		t.Errorf("one media split: %v", err)
	}
	if _, err := export.NewDataset(api.ExportLabelMe, in, 0.2); err == nil || export.Splits(api.ExportLabelMe) {
		t.Error("a LabelMe dataset was split")
	}
	if _, err := export.NewDataset(api.ExportYOLO, in, 1); err == nil {
		t.Error("everything held out")
	}
}
