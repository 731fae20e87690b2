package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
)

// jobHandlers serves the background job routes.
func (s *Server) jobHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /v1/jobs":                  s.withJobs(s.handleJobList),
		"GET /v1/jobs/{job_id}":         s.withJobs(s.handleJobGet),
		"DELETE /v1/jobs/{job_id}":      s.withJobs(s.handleJobCancel),
		"POST /v1/jobs/{job_id}/resume": s.withJobs(s.handleJobResume),
		"GET /v1/jobs/{job_id}/results": s.withJobs(s.handleJobResults),
	}
}

func (s *Server) withJobs(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Jobs == nil {
			s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "jobs are unavailable in this engine", nil)
			return
		}
		h(w, r)
	}
}

func (s *Server) handleJobList(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Jobs.List()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []api.Job{}
	}
	writeJSON(w, http.StatusOK, api.JobList{Jobs: list})
}

func (s *Server) handleJobGet(w http.ResponseWriter, r *http.Request) {
	j, err := s.deps.Jobs.Get(r.PathValue("job_id"))
	s.respond(w, r, http.StatusOK, j, err)
}

func (s *Server) handleJobCancel(w http.ResponseWriter, r *http.Request) {
	j, err := s.deps.Jobs.Cancel(r.PathValue("job_id"))
	s.respond(w, r, http.StatusOK, j, err)
}

func (s *Server) handleJobResume(w http.ResponseWriter, r *http.Request) {
	j, err := s.deps.Jobs.Resume(r.PathValue("job_id"))
	s.accepted(w, r, j, err)
}

// handleJobResults pages through a job's frames, or streams them as NDJSON
// (one FrameResult per line) until the job ends.
func (s *Server) handleJobResults(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("job_id")
	after, limit, ok := s.page(w, r)
	if !ok {
		return
	}
	if _, err := s.deps.Jobs.Get(id); err != nil {
		s.fail(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "application/x-ndjson") {
		s.streamResults(w, r, id, after)
		return
	}
	frames, last, err := s.deps.Jobs.Results(id, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.JobResults{Frames: frames}
	if out.Frames == nil {
		out.Frames = []api.FrameResult{}
	}
	j, err := s.deps.Jobs.Get(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(frames) == limit || !jobs.Ended(j.State) {
		out.Next = &last
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) streamResults(w http.ResponseWriter, r *http.Request, id string, cursor int) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(w)
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		changed := s.deps.Jobs.Changed(id) // before reading, so no commit is missed
		frames, last, err := s.deps.Jobs.Results(id, cursor, 500)
		if err != nil {
			return
		}
		for _, fr := range frames {
			if enc.Encode(fr) != nil {
				return
			}
		}
		cursor = last
		rc.Flush()
		if len(frames) > 0 {
			continue
		}
		j, err := s.deps.Jobs.Get(id)
		if err != nil || jobs.Ended(j.State) {
			return
		}
		select {
		case <-changed:
		case <-keepalive.C:
			w.Write([]byte("\n"))
			rc.Flush()
		case <-r.Context().Done():
			return
		}
	}
}
