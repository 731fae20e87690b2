//go:build !cgo

package ort_test

import (
	"errors"
	"testing"

	"github.com/samwise-app/samwise/engine/ort"
)

// TestWithoutCgo: a binary built with CGO_ENABLED=0 says clearly that it
// cannot run models.
func TestWithoutCgo(t *testing.T) {
	if _, err := ort.Open(ort.Options{}); !errors.Is(err, ort.ErrNoCgo) {
		t.Fatalf("Open without cgo: %v", err)
	}
}
