package project_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/project"
	"github.com/samwise-app/samwise/engine/store"
)

// videos answers every media id with a 1280×720 video of 3000 frames.
type videos struct{}

func (videos) Get(id string) (*store.Media, error) {
	return &store.Media{Media: api.Media{MediaID: id, Kind: api.KindVideo, Width: 1280, Height: 720, Frames: 3000}}, nil
}

// BenchmarkMediaStatus lists the status of a project of 10 tracked videos
// (3 objects with a mask on each of 3000 frames: 90,000 masks).
func BenchmarkMediaStatus(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "samwise.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := project.New(db, videos{})
	p, err := s.Create(api.ProjectRequest{Name: "videos"})
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := range 10 {
		ids = append(ids, fmt.Sprintf("%024x", i+1))
	}
	if _, err := s.AddMedia(p.ProjectID, ids); err != nil {
		b.Fatal(err)
	}
	for _, id := range ids {
		doc := api.AnnotationDoc{}
		for o := 1; o <= 3; o++ {
			obj := api.AnnotatedObject{ObjectID: o, Visible: true, Masks: map[string]api.RLE{}}
			for f := range 3000 {
				m := mask.New(1280, 720)
				for y := 100 + o*50; y < 300+o*50; y++ {
					for x := f % 500; x < f%500+200; x++ {
						m.Set(x, y, true)
					}
				}
				obj.Masks[strconv.Itoa(f)] = mask.Encode(m)
			}
			doc.Objects = append(doc.Objects, obj)
		}
		if _, err := s.PutAnnotations(p.ProjectID, id, doc); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		st, err := s.MediaStatus(p.ProjectID)
		if err != nil || len(st) != 10 || st[0].Frames != 3000 {
			b.Fatalf("%v %+v", err, st[0])
		}
	}
}
