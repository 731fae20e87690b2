package project

import (
	"encoding/json"
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
}

// statusOf summarises doc: the objects that have a mask, and the frames
// that have one.
func statusOf(doc *api.AnnotationDoc) docStatus {
	st := docStatus{Version: doc.Version, Done: doc.Done, UpdatedAt: doc.UpdatedAt}
	frames := map[string]bool{}
	for _, o := range doc.Objects {
		if len(o.Masks) > 0 {
			st.Objects++
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

// MediaStatus lists a project's media with their annotation status, from
// the documents' summaries (a document saved before summaries existed is
// read whole).
func (s *Store) MediaStatus(id string) ([]api.ProjectMedia, error) {
	if !idRE.MatchString(id) {
		return nil, ErrBadID
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
			if raw := b.Get([]byte(docKey(id, mid))); raw != nil {
				if err := json.Unmarshal(raw, &st); err != nil {
					return err
				}
			} else {
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
