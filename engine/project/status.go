package project

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
	bolt "go.etcd.io/bbolt"
)

// docStatus is what the media list shows of an annotation document.
type docStatus struct {
	Version   int        `json:"version"`
	Objects   int        `json:"objects"`
	Frames    int        `json:"frames"`
	Done      bool       `json:"done,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	// Labels counts objects and masks per label ("" unlabelled); nil in
	// summaries written before it existed.
	Labels map[string]labelCount `json:"labels"`
}

// labelCount is one label's objects (with a mask) and masks on a media.
type labelCount struct {
	Objects int `json:"objects"`
	Masks   int `json:"masks"`
}

// statusOf summarises doc: the objects that have a mask, and the frames
// that have one.
func statusOf(doc *api.AnnotationDoc) docStatus {
	st := docStatus{Version: doc.Version, Done: doc.Done, UpdatedAt: doc.UpdatedAt, Labels: map[string]labelCount{}}
	frames := map[string]bool{}
	for _, o := range doc.Objects {
		if len(o.Masks) > 0 {
			st.Objects++
			c := st.Labels[o.Label]
			c.Objects++
			c.Masks += len(o.Masks)
			st.Labels[o.Label] = c
		}
		for f := range o.Masks {
			frames[f] = true
		}
	}
	st.Frames = len(frames)
	return st
}

// putDoc writes an annotation document and its summary under key.
func putDoc(tx *bolt.Tx, key string, doc *api.AnnotationDoc) error {
	if err := store.PutJSON(tx, bucketAnnotations, key, doc); err != nil {
		return err
	}
	return store.PutJSON(tx, bucketStatus, key, statusOf(doc))
}

// statuses reads a project and the summaries of its media's documents, in
// project order; a document without a summary (never saved, or saved before
// summaries existed) is read whole, and so is one whose summary predates
// per-label counts when labels are wanted.
func (s *Store) statuses(id string, labels bool) (*api.Project, []docStatus, error) {
	if !idRE.MatchString(id) {
		return nil, nil, ErrBadID
	}
	var p *api.Project
	var sts []docStatus
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		var err error
		if p, err = getProject(tx, id); err != nil {
			return err
		}
		b := tx.Bucket(bucketStatus)
		for _, mid := range p.MediaIDs {
			var st docStatus
			raw := b.Get([]byte(docKey(id, mid)))
			if raw != nil {
				if err := json.Unmarshal(raw, &st); err != nil {
					return err
				}
			}
			if raw == nil || (labels && st.Labels == nil) {
				doc, err := getDoc(tx, id, mid) // never saved: empty
				if err != nil {
					return err
				}
				st = statusOf(doc)
			}
			sts = append(sts, st)
		}
		return nil
	})
	return p, sts, err
}

// MediaStatus lists a project's media with their annotation status, from
// the documents' summaries.
func (s *Store) MediaStatus(id string) ([]api.ProjectMedia, error) {
	p, sts, err := s.statuses(id, false)
	if err != nil {
		return nil, err
	}
	out := make([]api.ProjectMedia, 0, len(p.MediaIDs))
	for i, mid := range p.MediaIDs {
		m, err := s.media.Get(mid)
		if err != nil {
			return nil, err
		}
		st := sts[i]
		out = append(out, api.ProjectMedia{Media: m.Media, Objects: st.Objects, Frames: st.Frames, Version: st.Version, Done: st.Done, UpdatedAt: st.UpdatedAt})
	}
	return out, nil
}

// Stats sums the summaries of a project's documents: media, objects,
// masks, and per label (the project's labels first, in order, then those
// found only on objects, by name).
func (s *Store) Stats(id string) (*api.ProjectStats, error) {
	p, sts, err := s.statuses(id, true)
	if err != nil {
		return nil, err
	}
	out := &api.ProjectStats{Media: len(p.MediaIDs), Labels: []api.LabelStats{}}
	index := map[string]int{}
	label := func(name string) *api.LabelStats {
		i, ok := index[name]
		if !ok {
			i = len(out.Labels)
			index[name] = i
			out.Labels = append(out.Labels, api.LabelStats{Name: name})
		}
		return &out.Labels[i]
	}
	for _, l := range p.Labels {
		label(l.Name)
	}
	for i, mid := range p.MediaIDs {
		m, err := s.media.Get(mid)
		if err != nil {
			return nil, err
		}
		if m.Kind == api.KindVideo {
			out.Videos++
		} else {
			out.Images++
		}
		st := sts[i]
		if st.Objects > 0 {
			out.Annotated++
		}
		if st.Done {
			out.Done++
		}
		out.Objects += st.Objects
		for _, name := range slices.Sorted(maps.Keys(st.Labels)) {
			c := st.Labels[name]
			l := label(name)
			l.Objects += c.Objects
			l.Masks += c.Masks
			l.Media++
			out.Masks += c.Masks
		}
	}
	found := out.Labels[len(p.Labels):] // beyond the project's labels: by name
	slices.SortFunc(found, func(a, b api.LabelStats) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
