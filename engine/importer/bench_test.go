package importer_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/importer"
)

// benchCOCO is a COCO file of n 1280×720 images with k polygon objects
// each (24-vertex blobs), and the project's targets for them.
func benchCOCO(n, k int) ([]byte, []importer.Target) {
	rng := rand.New(rand.NewPCG(1, 2))
	type ann struct {
		ID           int         `json:"id"`
		ImageID      int         `json:"image_id"`
		CategoryID   int         `json:"category_id"`
		Segmentation [][]float64 `json:"segmentation"`
	}
	var images []map[string]any
	var anns []ann
	var ts []importer.Target
	for i := range n {
		name := fmt.Sprintf("img%05d.jpg", i)
		images = append(images, map[string]any{"id": i + 1, "file_name": name, "width": 1280, "height": 720})
		ts = append(ts, importer.Target{Media: api.Media{MediaID: fmt.Sprintf("%024x", i), Kind: api.KindImage, Name: name, Width: 1280, Height: 720, Frames: 1},
			Doc: &api.AnnotationDoc{Objects: []api.AnnotatedObject{}}})
		for range k {
			cx, cy, r := 100+rng.Float64()*1080, 100+rng.Float64()*520, 20+rng.Float64()*80
			var ring []float64
			for v := range 24 {
				a := float64(v) / 24 * 2 * math.Pi
				rr := r * (0.8 + 0.4*rng.Float64())
				ring = append(ring, cx+rr*math.Cos(a), cy+rr*math.Sin(a))
			}
			anns = append(anns, ann{ID: len(anns) + 1, ImageID: i + 1, CategoryID: 1 + rng.IntN(5), Segmentation: [][]float64{ring}})
		}
	}
	cats := []map[string]any{{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}, {"id": 4, "name": "d"}, {"id": 5, "name": "e"}}
	data, _ := json.Marshal(map[string]any{"images": images, "annotations": anns, "categories": cats})
	return data, ts
}

// BenchmarkImportCOCO parses and merges 200 images with 10 polygons each.
func BenchmarkImportCOCO(b *testing.B) {
	data, ts := benchCOCO(200, 10)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := importer.Parse(data, "")
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range ts {
			t.Doc.Objects = t.Doc.Objects[:0]
		}
		labels := []api.Label{}
		if m := importer.Merge(f, &labels, ts, importer.Options{}); m.Result.Objects != 2000 {
			b.Fatalf("%+v", m.Result)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/2000, "µs/object")
}

// BenchmarkParseDatasetZip parses a dataset zip (a COCO file of 200 images
// beside 64 MiB of pictures) read whole into memory, as the import handler
// once did, and from its file through ParseReader, as it does now: the
// bytes each allocates say what the pictures cost.
func BenchmarkParseDatasetZip(b *testing.B) {
	coco, _ := benchCOCO(200, 2)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("annotations/instances.json")
	w.Write(coco)
	picture := make([]byte, 320<<10)
	for i := range 200 {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("images/img%05d.jpg", i), Method: zip.Store})
		w.Write(picture)
	}
	zw.Close()
	path := filepath.Join(b.TempDir(), "dataset.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("read whole", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, err := os.ReadFile(path)
			if err == nil {
				_, err = importer.Parse(data, "")
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ParseReader", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			st, _ := f.Stat()
			_, err = importer.ParseReader(f, st.Size(), "")
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
