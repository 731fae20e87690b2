package project

import (
	"errors"
	"fmt"
	"slices"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
	bolt "go.etcd.io/bbolt"
)

// MergeFunc changes a project's labels and annotation documents in memory:
// it may append labels and edit documents (media[i] is the media of
// docs[i]), and returns the indexes of the documents it changed.
type MergeFunc func(labels *[]api.Label, media []api.Media, docs []*api.AnnotationDoc) ([]int, error)

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// Merge applies fn to project id and every document of its media in one
// transaction (annotation imports): the changed documents are validated and
// saved with their version + 1, the labels with the project. With dryRun
// fn runs on the same data but nothing is saved. prepare, when not nil,
// runs first with the project's media, outside the transaction, for work
// that needs no documents (an import draws its masks there, so the
// database is not held while it does).
func (s *Store) Merge(id string, dryRun bool, prepare func(media []api.Media), fn MergeFunc) error {
	p, _, err := s.Snapshot(id)
	if err != nil {
		return err
	}
	// Media records are read outside the write transaction (the media
	// library has its own); the transaction checks they are still the
	// project's.
	media := make([]api.Media, len(p.MediaIDs))
	for i, mid := range p.MediaIDs {
		m, err := s.media.Get(mid)
		if err != nil {
			return fmt.Errorf("media %s of the project: %w", mid, err)
		}
		media[i] = m.Media
	}
	if prepare != nil {
		prepare(media)
	}
	err = s.db.Bolt().Update(func(tx *bolt.Tx) error {
		cur, err := getProject(tx, id)
		if err != nil {
			return err
		}
		if !slices.Equal(cur.MediaIDs, p.MediaIDs) {
			return inputErrorf("the project's media changed during the import: import again")
		}
		docs := make([]*api.AnnotationDoc, len(media))
		for i, mid := range cur.MediaIDs {
			if docs[i], err = getDoc(tx, id, mid); err != nil {
				return err
			}
		}
		changed, err := fn(&cur.Labels, media, docs)
		if err != nil {
			return err
		}
		if cur.Labels, err = cleanLabels(cur.Labels); err != nil {
			return err
		}
		now := s.Now()
		for _, i := range changed {
			doc := docs[i]
			if err := validateDoc(doc, &media[i]); err != nil {
				return fmt.Errorf("media %s: %w", media[i].MediaID, err)
			}
			doc.Version++
			doc.UpdatedAt = &now
			if err := putDoc(tx, docKey(id, media[i].MediaID), doc); err != nil {
				return err
			}
		}
		if dryRun {
			return errDryRun
		}
		cur.UpdatedAt = now
		return store.PutJSON(tx, bucketProjects, id, cur)
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}
