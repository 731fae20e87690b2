// Package embcache keeps image embeddings so that the second click on an
// image never runs the encoder again: an in-memory LRU bounded by bytes, in
// front of an on-disk cache bounded by bytes, keyed by (content sha256,
// model, input size).
package embcache

import (
	"fmt"
	"regexp"
)

// Key identifies one embedding.
type Key struct {
	// SHA256 is the hex sha256 of the media's bytes.
	SHA256 string
	// Model is the bundle name.
	Model string
	// InputSize is the model's square input size.
	InputSize int
	// Frame is the video frame index (0 for images).
	Frame int
}

var safe = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// File is the key's file name on disk.
func (k Key) File() string {
	return fmt.Sprintf("%s_%s_%d_%d.emb", k.SHA256, k.Model, k.InputSize, k.Frame)
}

func (k Key) valid() error {
	if !safe.MatchString(k.SHA256) || !safe.MatchString(k.Model) || k.InputSize <= 0 || k.Frame < 0 {
		return fmt.Errorf("embedding cache: invalid key %+v", k)
	}
	return nil
}
