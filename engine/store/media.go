package store

import (
	"encoding/json"
	"sort"

	"github.com/samwise-app/samwise/engine/api"
	bolt "go.etcd.io/bbolt"
)

// Media is a media record: the API view plus where the bytes are.
type Media struct {
	api.Media
	// Path is the file holding the bytes: inside the data directory for
	// uploads, the user's own file for registered local paths.
	Path string `json:"path"`
	// Local is true for registered local paths (never deleted by the engine).
	Local bool `json:"local,omitempty"`
	// ModTime guards registered paths against later edits (unix nanos).
	ModTime int64 `json:"mod_time,omitempty"`
}

// PutMedia stores a media record.
func (db *DB) PutMedia(m *Media) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return PutJSON(tx, bucketMedia, m.MediaID, m) })
}

// GetMedia reads a media record.
func (db *DB) GetMedia(id string) (*Media, error) {
	var m Media
	err := db.bolt.View(func(tx *bolt.Tx) error { return GetJSON(tx, bucketMedia, id, &m) })
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// ListMedia returns every media record, newest first.
func (db *DB) ListMedia() ([]*Media, error) {
	var out []*Media
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMedia).ForEach(func(_, v []byte) error {
			var m Media
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out = append(out, &m)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, err
}
