package export_test

import (
	"fmt"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/export"
)

// BenchmarkCOCOManyImages exports a project of 5000 images without
// annotations: what is left is naming the pictures.
func BenchmarkCOCOManyImages(b *testing.B) {
	in := export.Input{Project: api.Project{Name: "many"}}
	for i := range 5000 {
		in.Items = append(in.Items, export.Item{
			Media: api.Media{MediaID: fmt.Sprintf("%024x", i), Kind: api.KindImage, Name: fmt.Sprintf("img%05d.jpg", i), Width: 64, Height: 48, Frames: 1},
			Doc:   &api.AnnotationDoc{Objects: []api.AnnotatedObject{}},
		})
	}
	for b.Loop() {
		if _, err := export.COCO(in, false); err != nil {
			b.Fatal(err)
		}
	}
}
