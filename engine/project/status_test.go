package project_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
	bolt "go.etcd.io/bbolt"
)

// The media list's status comes from the summaries written with each
// document (saves, merges, label renames), and from the documents
// themselves where a database has no summaries yet.
func TestMediaStatus(t *testing.T) {
	s, db, p, ids := projectOf(t, 3)
	m := mask.New(1280, 720)
	m.Set(5, 5, true)
	rle := mask.Encode(m)
	put := func(id string, doc api.AnnotationDoc) {
		t.Helper()
		if _, err := s.PutAnnotations(p.ProjectID, id, doc); err != nil {
			t.Fatal(err)
		}
	}
	put(ids[0], api.AnnotationDoc{Objects: []api.AnnotatedObject{
		{ObjectID: 1, Label: "a", Masks: map[string]api.RLE{"0": rle, "7": rle}},
		{ObjectID: 2, Label: "b", Masks: map[string]api.RLE{"7": rle}},
		{ObjectID: 3, Label: "c", Masks: map[string]api.RLE{}},
	}})
	put(ids[1], api.AnnotationDoc{Objects: []api.AnnotatedObject{}, Done: true})
	type row struct {
		objects, frames, version int
		done                     bool
	}
	rows := func() []row {
		t.Helper()
		st, err := s.MediaStatus(p.ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		var out []row
		for _, m := range st {
			out = append(out, row{m.Objects, m.Frames, m.Version, m.Done})
		}
		return out
	}
	summaries := 0
	db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("annotation_status")).ForEach(func(_, _ []byte) error { summaries++; return nil })
	})
	if summaries != 2 {
		t.Fatalf("%d summaries stored, want one per saved document (2)", summaries)
	}
	want := []row{{2, 2, 1, false}, {0, 0, 1, true}, {0, 0, 0, false}}
	if got := rows(); !slices.Equal(got, want) {
		t.Fatalf("status %v, want %v", got, want)
	}
	// A label rename writes new versions, and their summaries.
	if _, err := s.Update(p.ProjectID, api.ProjectUpdate{Renames: map[string]string{"a": "z"}}); err != nil {
		t.Fatal(err)
	}
	want[0].version = 2
	if got := rows(); !slices.Equal(got, want) {
		t.Fatalf("after a rename: %v, want %v", got, want)
	}
	// A database from before the summaries: read from the documents.
	if err := db.Bolt().Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("annotation_status")) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Bolt().Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("annotation_status")); return err }); err != nil {
		t.Fatal(err)
	}
	if got := rows(); !slices.Equal(got, want) {
		t.Fatalf("without summaries: %v, want %v", got, want)
	}
}

// Stats sums the summaries: the project's labels first (with zeros), then
// labels found only on objects by name; a label rename follows; summaries
// from before per-label counts are read from their documents.
func TestStats(t *testing.T) {
	s, db, p, ids := projectOf(t, 3)
	if _, err := s.Update(p.ProjectID, api.ProjectUpdate{Labels: &[]api.Label{{Name: "cat"}, {Name: "dog"}}}); err != nil {
		t.Fatal(err)
	}
	m := mask.New(1280, 720)
	m.Set(5, 5, true)
	rle := mask.Encode(m)
	for i, objects := range [][]api.AnnotatedObject{
		{{ObjectID: 1, Label: "cat", Masks: map[string]api.RLE{"0": rle, "4": rle}}, {ObjectID: 2, Label: "zebra", Masks: map[string]api.RLE{"1": rle}}, {ObjectID: 3, Label: "cat", Masks: map[string]api.RLE{}}},
		{{ObjectID: 1, Label: "cat", Masks: map[string]api.RLE{"0": rle}}, {ObjectID: 2, Label: "", Masks: map[string]api.RLE{"0": rle}}},
	} {
		if _, err := s.PutAnnotations(p.ProjectID, ids[i], api.AnnotationDoc{Objects: objects, Done: i == 1}); err != nil {
			t.Fatal(err)
		}
	}
	stats := func() string {
		t.Helper()
		st, err := s.Stats(p.ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d media (%d images %d videos), %d annotated, %d done, %d objects, %d masks: %v",
			st.Media, st.Images, st.Videos, st.Annotated, st.Done, st.Objects, st.Masks, st.Labels)
	}
	want := "3 media (0 images 3 videos), 2 annotated, 1 done, 4 objects, 5 masks: [{cat 2 3 2} {dog 0 0 0} { 1 1 1} {zebra 1 1 1}]"
	if got := stats(); got != want {
		t.Fatalf("stats\n%s\nwant\n%s", got, want)
	}
	if _, err := s.Update(p.ProjectID, api.ProjectUpdate{Labels: &[]api.Label{{Name: "lynx"}, {Name: "dog"}}, Renames: map[string]string{"cat": "lynx"}}); err != nil {
		t.Fatal(err)
	}
	renamed := strings.ReplaceAll(want, "{cat ", "{lynx ")
	if got := stats(); got != renamed {
		t.Fatalf("after a rename\n%s\nwant\n%s", got, renamed)
	}
	// Summaries without per-label counts (written before them).
	err := db.Bolt().Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("annotation_status"))
		return b.ForEach(func(k, v []byte) error {
			return b.Put(k, []byte(strings.Replace(string(v), `"labels"`, `"old"`, 1)))
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := stats(); got != renamed {
		t.Fatalf("from old summaries\n%s\nwant\n%s", got, renamed)
	}
}
