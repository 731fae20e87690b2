// Package store is the engine's durable local truth: a bbolt database of
// media records, sessions, jobs and their per-frame results, and annotation
// projects. Every write is one transaction; records are JSON.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the database layout this engine writes.
const SchemaVersion = 1

// ErrNotFound is returned for a missing record.
var ErrNotFound = errors.New("not found")

var (
	bucketMeta  = []byte("meta")
	bucketMedia = []byte("media")
	keySchema   = []byte("schema_version")
)

// migrations[v] upgrades a database from version v to v+1.
var migrations = map[int]func(tx *bolt.Tx) error{}

// DB is an open database.
type DB struct {
	bolt *bolt.DB
}

// Open opens (creating if needed) the database at path, creates buckets and
// runs migrations. A database from a newer engine is refused.
func Open(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("database %s is locked by another engine process", path)
		}
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	db := &DB{bolt: b}
	if err := db.migrate(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) migrate() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		v := 0
		if raw := meta.Get(keySchema); raw != nil {
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("database schema version is unreadable: %w", err)
			}
		} else {
			v = SchemaVersion // new database
		}
		if v > SchemaVersion {
			return fmt.Errorf("database schema version %d is newer than this engine's (%d): upgrade the engine", v, SchemaVersion)
		}
		for ; v < SchemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrating database from version %d: %w", v, err)
			}
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		raw, _ := json.Marshal(SchemaVersion)
		return meta.Put(keySchema, raw)
	})
}

// Close closes the database.
func (db *DB) Close() error { return db.bolt.Close() }

// Bolt exposes the underlying database to this module's packages that keep
// their own buckets.
func (db *DB) Bolt() *bolt.DB { return db.bolt }

// allBuckets are created at open.
var allBuckets = [][]byte{bucketMedia}

// RegisterBucket adds a top-level bucket created at Open (call from init).
func RegisterBucket(name string) []byte {
	b := []byte(name)
	allBuckets = append(allBuckets, b)
	return b
}

// PutJSON stores v under key in bucket.
func PutJSON(tx *bolt.Tx, bucket []byte, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put([]byte(key), raw)
}

// GetJSON reads key from bucket into v; ErrNotFound when absent.
func GetJSON(tx *bolt.Tx, bucket []byte, key string, v any) error {
	raw := tx.Bucket(bucket).Get([]byte(key))
	if raw == nil {
		return ErrNotFound
	}
	return json.Unmarshal(raw, v)
}
