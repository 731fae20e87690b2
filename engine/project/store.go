// Package project keeps annotation projects in the engine's database: a
// project is an ordered list of media with labels, and each of its media has
// one annotation document (objects with per-frame masks) saved with
// optimistic concurrency. Every write is one bbolt transaction, so a crash
// never leaves a half-written project or document.
package project

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketProjects    = store.RegisterBucket("projects")
	bucketAnnotations = store.RegisterBucket("annotations")
	// bucketStatus holds a summary of each annotation document (docStatus),
	// written with it, so that listing a project's media reads no masks.
	bucketStatus = store.RegisterBucket("annotation_status")
)

var idRE = regexp.MustCompile(`^[0-9a-f]{24}$`)

// MediaSource finds media records (media.Library).
type MediaSource interface {
	Get(id string) (*store.Media, error)
}

// Store reads and writes projects and their annotations.
type Store struct {
	db    *store.DB
	media MediaSource
	// Now is the clock (tests may set it).
	Now func() time.Time
}

// New returns a store over db; media resolves media ids.
func New(db *store.DB, media MediaSource) *Store {
	return &Store{db: db, media: media, Now: func() time.Time { return time.Now().UTC() }}
}

// Limits on what one project holds.
const (
	MaxNameLen  = 200
	MaxLabels   = 1000
	MaxMedia    = 100000
	MaxObjects  = 10000
	MaxLabelLen = 100
)

// Create makes a project.
func (s *Store) Create(req api.ProjectRequest) (*api.Project, error) {
	name, err := cleanName(req.Name)
	if err != nil {
		return nil, err
	}
	labels, err := cleanLabels(req.Labels)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 12)
	rand.Read(b)
	now := s.Now()
	p := &api.Project{ProjectID: hex.EncodeToString(b), Name: name, Labels: labels, MediaIDs: []string{}, CreatedAt: now, UpdatedAt: now}
	err = s.db.Bolt().Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, bucketProjects, p.ProjectID, p) })
	if err != nil {
		return nil, err
	}
	return p, nil
}

// List returns every project, most recently updated first.
func (s *Store) List() ([]api.Project, error) {
	out := []api.Project{}
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketProjects).ForEach(func(_, v []byte) error {
			var p api.Project
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].UpdatedAt.After(out[j].UpdatedAt) })
	return out, err
}

// Get returns one project.
func (s *Store) Get(id string) (*api.Project, error) {
	if !idRE.MatchString(id) {
		return nil, ErrBadID
	}
	var p *api.Project
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		var err error
		p, err = getProject(tx, id)
		return err
	})
	return p, err
}

func getProject(tx *bolt.Tx, id string) (*api.Project, error) {
	var p api.Project
	err := store.GetJSON(tx, bucketProjects, id, &p)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if p.MediaIDs == nil {
		p.MediaIDs = []string{}
	}
	if p.Labels == nil {
		p.Labels = []api.Label{}
	}
	return &p, nil
}

// update applies fn to project id in one transaction and stores the result.
func (s *Store) update(id string, fn func(tx *bolt.Tx, p *api.Project) error) (*api.Project, error) {
	if !idRE.MatchString(id) {
		return nil, ErrBadID
	}
	var p *api.Project
	err := s.db.Bolt().Update(func(tx *bolt.Tx) error {
		var err error
		if p, err = getProject(tx, id); err != nil {
			return err
		}
		if err := fn(tx, p); err != nil {
			return err
		}
		p.UpdatedAt = s.Now()
		return store.PutJSON(tx, bucketProjects, id, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Update renames a project, replaces its labels and renames labels in its
// annotations, all in one transaction.
func (s *Store) Update(id string, u api.ProjectUpdate) (*api.Project, error) {
	var name string
	var labels []api.Label
	var err error
	if u.Name != nil {
		if name, err = cleanName(*u.Name); err != nil {
			return nil, err
		}
	}
	if u.Labels != nil {
		if labels, err = cleanLabels(*u.Labels); err != nil {
			return nil, err
		}
	}
	for from, to := range u.Renames {
		if strings.TrimSpace(to) == "" || len(to) > MaxLabelLen {
			return nil, inputErrorf("renames[%q]: give a new label name of 1 to %d characters", from, MaxLabelLen)
		}
	}
	return s.update(id, func(tx *bolt.Tx, p *api.Project) error {
		if u.Name != nil {
			p.Name = name
		}
		if u.Labels != nil {
			p.Labels = labels
		}
		if len(u.Renames) > 0 {
			return s.renameLabels(tx, p, u.Renames)
		}
		return nil
	})
}

// renameLabels rewrites object labels in every document of p; each changed
// document gets a new version.
func (s *Store) renameLabels(tx *bolt.Tx, p *api.Project, renames map[string]string) error {
	c := tx.Bucket(bucketAnnotations).Cursor()
	prefix := []byte(p.ProjectID + "/")
	for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
		var doc api.AnnotationDoc
		if err := json.Unmarshal(v, &doc); err != nil {
			return err
		}
		changed := false
		for i := range doc.Objects {
			if to, ok := renames[doc.Objects[i].Label]; ok {
				doc.Objects[i].Label, changed = strings.TrimSpace(to), true
			}
		}
		if changed {
			doc.Version++
			now := s.Now()
			doc.UpdatedAt = &now
			if err := putDoc(tx, string(k), &doc); err != nil {
				return err
			}
		}
	}
	return nil
}

// AddMedia appends media to a project, skipping those already in it.
func (s *Store) AddMedia(id string, mediaIDs []string) (*api.Project, error) {
	if len(mediaIDs) == 0 {
		return nil, inputErrorf("media_ids is empty: list the media_id of each media to add (from POST /v1/media)")
	}
	for _, mid := range mediaIDs {
		if _, err := s.media.Get(mid); err != nil {
			return nil, err
		}
	}
	return s.update(id, func(_ *bolt.Tx, p *api.Project) error {
		for _, mid := range mediaIDs {
			if !slices.Contains(p.MediaIDs, mid) {
				p.MediaIDs = append(p.MediaIDs, mid)
			}
		}
		if len(p.MediaIDs) > MaxMedia {
			return inputErrorf("a project holds at most %d media", MaxMedia)
		}
		return nil
	})
}

// RemoveMedia takes a media out of a project. Its annotations are kept.
func (s *Store) RemoveMedia(id, mediaID string) (*api.Project, error) {
	return s.update(id, func(_ *bolt.Tx, p *api.Project) error {
		i := slices.Index(p.MediaIDs, mediaID)
		if i < 0 {
			return &NotInProjectError{ProjectID: id, MediaID: mediaID}
		}
		p.MediaIDs = slices.Delete(p.MediaIDs, i, i+1)
		return nil
	})
}

func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > MaxNameLen {
		return "", inputErrorf("name: give the project a name of 1 to %d characters", MaxNameLen)
	}
	return name, nil
}

// cleanLabels checks names (trimmed, unique) and colours, and gives labels
// without a colour one from the palette.
func cleanLabels(in []api.Label) ([]api.Label, error) {
	if len(in) > MaxLabels {
		return nil, inputErrorf("labels: at most %d labels", MaxLabels)
	}
	out := make([]api.Label, 0, len(in))
	seen := map[string]bool{}
	for i, l := range in {
		l.Name = strings.TrimSpace(l.Name)
		switch {
		case l.Name == "" || len(l.Name) > MaxLabelLen:
			return nil, inputErrorf("labels[%d].name: give a name of 1 to %d characters", i, MaxLabelLen)
		case seen[l.Name]:
			return nil, inputErrorf("labels[%d].name: %q appears twice; label names must be unique", i, l.Name)
		case l.Color == "":
			l.Color = Palette[i%len(Palette)]
		case !ValidColor(l.Color):
			return nil, inputErrorf("labels[%d].color: %q is not a colour; write it as #rrggbb", i, l.Color)
		}
		seen[l.Name] = true
		out = append(out, l)
	}
	return out, nil
}
