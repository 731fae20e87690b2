package project

import (
	"errors"
	"slices"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
	bolt "go.etcd.io/bbolt"
)

func docKey(projectID, mediaID string) string { return projectID + "/" + mediaID }

// getDoc reads a media's document; one never saved is empty, version 0.
func getDoc(tx *bolt.Tx, projectID, mediaID string) (*api.AnnotationDoc, error) {
	doc := api.AnnotationDoc{MediaID: mediaID, Objects: []api.AnnotatedObject{}}
	err := store.GetJSON(tx, bucketAnnotations, docKey(projectID, mediaID), &doc)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if doc.Objects == nil {
		doc.Objects = []api.AnnotatedObject{}
	}
	return &doc, nil
}

// member reads project id and checks that mediaID is one of its media.
func member(tx *bolt.Tx, id, mediaID string) (*api.Project, error) {
	p, err := getProject(tx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(p.MediaIDs, mediaID) {
		return nil, &NotInProjectError{ProjectID: id, MediaID: mediaID}
	}
	return p, nil
}

// Annotations returns the annotation document of one media of a project.
func (s *Store) Annotations(id, mediaID string) (*api.AnnotationDoc, error) {
	if !idRE.MatchString(id) {
		return nil, ErrBadID
	}
	if _, err := s.media.Get(mediaID); err != nil {
		return nil, err
	}
	var doc *api.AnnotationDoc
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		if _, err := member(tx, id, mediaID); err != nil {
			return err
		}
		var err error
		doc, err = getDoc(tx, id, mediaID)
		return err
	})
	return doc, err
}

// PutAnnotations saves doc as the annotations of one media, in one
// transaction, if doc.Version is the current version; it returns the saved
// document (version + 1). A stale version gives a *ConflictError holding the
// current document.
func (s *Store) PutAnnotations(id, mediaID string, doc api.AnnotationDoc) (*api.AnnotationDoc, error) {
	if !idRE.MatchString(id) {
		return nil, ErrBadID
	}
	m, err := s.media.Get(mediaID)
	if err != nil {
		return nil, err
	}
	if doc.MediaID != "" && doc.MediaID != mediaID {
		return nil, inputErrorf("media_id %q differs from the media_id in the path (%s): leave it out or make them equal", doc.MediaID, mediaID)
	}
	if err := validateDoc(&doc, &m.Media); err != nil {
		return nil, err
	}
	var saved *api.AnnotationDoc
	err = s.db.Bolt().Update(func(tx *bolt.Tx) error {
		p, err := member(tx, id, mediaID)
		if err != nil {
			return err
		}
		cur, err := getDoc(tx, id, mediaID)
		if err != nil {
			return err
		}
		if doc.Version != cur.Version {
			return &ConflictError{Sent: doc.Version, Current: cur}
		}
		now := s.Now()
		doc.MediaID, doc.Version, doc.UpdatedAt = mediaID, cur.Version+1, &now
		if err := putDoc(tx, docKey(id, mediaID), &doc); err != nil {
			return err
		}
		p.UpdatedAt = now
		saved = &doc
		return store.PutJSON(tx, bucketProjects, id, p)
	})
	return saved, err
}

// Snapshot reads a project and the documents of its media (in project
// order) in one consistent read.
func (s *Store) Snapshot(id string) (*api.Project, []*api.AnnotationDoc, error) {
	if !idRE.MatchString(id) {
		return nil, nil, ErrBadID
	}
	var p *api.Project
	var docs []*api.AnnotationDoc
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		var err error
		if p, err = getProject(tx, id); err != nil {
			return err
		}
		for _, mid := range p.MediaIDs {
			doc, err := getDoc(tx, id, mid)
			if err != nil {
				return err
			}
			docs = append(docs, doc)
		}
		return nil
	})
	return p, docs, err
}
