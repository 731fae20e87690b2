package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/track"
)

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError writes the error envelope.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string, details any) {
	writeJSON(w, status, api.ErrorResponse{Error: api.Error{Code: code, Message: msg, Details: details, RequestID: requestID(r.Context())}})
}

// fail maps an error from a service to a status and writes it. Unknown
// errors are 500s and are logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *media.TooLargeError
	var maxBytes *http.MaxBytesError
	var placement *track.PlacementRequiredError
	switch {
	case errors.As(err, &placement):
		s.writeError(w, r, http.StatusConflict, api.CodePlacementRequired, err.Error(), placement.Estimate)
	case errors.As(err, &tooLarge):
		s.writeError(w, r, http.StatusRequestEntityTooLarge, api.CodeTooLarge, err.Error(), nil)
	case errors.As(err, &maxBytes):
		s.writeError(w, r, http.StatusRequestEntityTooLarge, api.CodeTooLarge,
			fmt.Sprintf("the request body is larger than the limit of %d bytes", maxBytes.Limit), nil)
	case errors.Is(err, media.ErrBadID), segment.IsInputError(err), errors.Is(err, media.ErrEmpty), errors.Is(err, media.ErrBadPath):
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, err.Error(), nil)
	case errors.Is(err, media.ErrNotFound), errors.Is(err, media.ErrNoFile), errors.Is(err, track.ErrNotFound), errors.Is(err, track.ErrNoObject), errors.Is(err, jobs.ErrNotFound):
		s.writeError(w, r, http.StatusNotFound, api.CodeNotFound, err.Error(), nil)
	case errors.Is(err, track.ErrEnded), errors.Is(err, track.ErrBusy), errors.Is(err, jobs.ErrNotResumable):
		s.writeError(w, r, http.StatusConflict, api.CodeConflict, err.Error(), nil)
	case errors.Is(err, media.ErrNotFound):
		s.writeError(w, r, http.StatusNotFound, api.CodeNotFound, err.Error(), nil)
	case errors.Is(err, media.ErrUnsupported):
		s.writeError(w, r, http.StatusUnsupportedMediaType, api.CodeUnsupportedMedia, err.Error(), nil)
	case errors.Is(err, media.ErrChanged):
		s.writeError(w, r, http.StatusConflict, api.CodeConflict, err.Error(), nil)
	case r.Context().Err() != nil:
		// The client went away; nobody reads this.
		s.writeError(w, r, 499, api.CodeCancelled, "request cancelled", nil)
	default:
		s.log.Error("request failed", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
		s.writeError(w, r, http.StatusInternalServerError, api.CodeInternal, "internal error: "+err.Error(), nil)
	}
}

// decodeJSON reads a JSON body (bounded by MaxJSON) into v, rejecting
// unknown fields, trailing data and wrong types with a message naming the
// field.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		s.writeError(w, r, http.StatusUnsupportedMediaType, api.CodeUnsupportedMedia,
			fmt.Sprintf("Content-Type %q: send application/json", ct), nil)
		return false
	}
	if r.ContentLength > s.cfg.MaxJSON {
		s.writeError(w, r, http.StatusRequestEntityTooLarge, api.CodeTooLarge,
			fmt.Sprintf("the request body (%d bytes) is larger than the limit of %d bytes for JSON", r.ContentLength, s.cfg.MaxJSON), nil)
		return false
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxJSON)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON object")
	}
	if err == nil {
		return true
	}
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		s.fail(w, r, err)
		return false
	}
	s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, jsonMessage(err), nil)
	return false
}

// jsonMessage turns encoding/json errors into messages that say what to fix.
func jsonMessage(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.Is(err, errEOF()):
		return "the request body is empty: send a JSON object"
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "the body"
		}
		return fmt.Sprintf("%s: got a JSON %s, want %s", field, typeErr.Value, jsonKind(typeErr.Type.String()))
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("the body is not valid JSON (at byte %d): %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + " (check the spelling; see /openapi.json)"
	}
	return "invalid JSON body: " + err.Error()
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "["):
		return "an array"
	case strings.HasPrefix(goType, "map") || strings.HasPrefix(goType, "api.") || strings.HasPrefix(goType, "struct"):
		return "an object"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "an integer"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "true or false"
	}
	return goType
}

// respond writes v with status, or the error's answer when err is set.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// accepted answers 202 for a started job (with its status URL), or the
// error's answer.
func (s *Server) accepted(w http.ResponseWriter, r *http.Request, job *api.Job, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	url := "/v1/jobs/" + job.JobID
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusAccepted, api.JobAccepted{JobID: job.JobID, StatusURL: url})
}
