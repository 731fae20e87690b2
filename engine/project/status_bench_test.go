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

// projectOf opens a database in a temporary folder and makes a project of n
// videos (see videos); it returns the store, the database, the project and
// the media ids.
func projectOf(tb testing.TB, n int) (*project.Store, *store.DB, *api.Project, []string) {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "samwise.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	s := project.New(db, videos{})
	p, err := s.Create(api.ProjectRequest{Name: "videos"})
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("%024x", i+1))
	}
	if _, err := s.AddMedia(p.ProjectID, ids); err != nil {
		tb.Fatal(err)
	}
	return s, db, p, ids
}

// BenchmarkMediaStatus lists the status of a project of 10 tracked videos
// (3 objects with a mask on each of 3000 frames: 90,000 masks).
func BenchmarkMediaStatus(b *testing.B) {
	s, _, p, ids := projectOf(b, 10)
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
