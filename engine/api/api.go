// Package api holds the request and response types of the engine's one HTTP
// API (/v1/...). The server, the Go client, the desktop app and the remote
// worker share them; the TypeScript types of the frontend and /openapi.json
// are generated from them. Each type's comment names its endpoint.
package api

import "github.com/samwise-app/samwise/engine/mask"

// RLE is a mask in COCO run-length encoding: {"size": [h, w], "counts":
// "<compressed string>"}, column-major, pycocotools-compatible.
type RLE = mask.RLE

// ErrorResponse is the one error envelope of every non-2xx answer.
type ErrorResponse struct {
	Error Error `json:"error"`
}

// Error says what went wrong and what to fix.
type Error struct {
	// Code is a stable machine-readable word: bad_request, unauthorized,
	// not_found, conflict, too_large, unsupported_media, unavailable,
	// internal, ...
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
	// RequestID repeats the X-Request-Id header.
	RequestID string `json:"request_id,omitempty"`
}

// Error codes.
const (
	CodeBadRequest       = "bad_request"
	CodeUnauthorized     = "unauthorized"
	CodeNotFound         = "not_found"
	CodeConflict         = "conflict"
	CodeTooLarge         = "too_large"
	CodeUnsupportedMedia = "unsupported_media"
	CodeUnavailable      = "unavailable"
	CodeCancelled        = "cancelled"
	CodeInternal         = "internal"
	CodeMethodNotAllowed = "method_not_allowed"
)

// Health answers GET /health.
type Health struct {
	Status string `json:"status"`
}
