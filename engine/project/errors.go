package project

import (
	"errors"
	"fmt"

	"github.com/samwise-app/samwise/engine/api"
)

// Errors callers map to HTTP statuses.
var (
	ErrBadID    = errors.New("project_id must be the 24 hex characters returned by POST /v1/projects")
	ErrNotFound = errors.New("no project with this id: create one with POST /v1/projects")
)

// InputError is a request that cannot be applied as sent; its message says
// what to fix.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// NotInProjectError is a media that is not part of the project.
type NotInProjectError struct{ ProjectID, MediaID string }

func (e *NotInProjectError) Error() string {
	return fmt.Sprintf("media %s is not in project %s: add it with POST /v1/projects/%s/media", e.MediaID, e.ProjectID, e.ProjectID)
}

// ConflictError is a save based on a version that is no longer current.
type ConflictError struct {
	Sent    int
	Current *api.AnnotationDoc
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("the annotations changed since version %d (now version %d): merge your edits into the current document (in this error's details) and save with its version",
		e.Sent, e.Current.Version)
}
