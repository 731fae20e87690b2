package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
)

// start runs a job in the background once a slot is free.
func (m *Manager) start(rec *Record, resume int) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(m.baseCtx)
	m.cancels[rec.JobID] = cancel
	m.wg.Add(1)
	m.mu.Unlock()
	go func() {
		defer m.wg.Done()
		defer func() {
			m.mu.Lock()
			delete(m.cancels, rec.JobID)
			m.mu.Unlock()
			cancel()
		}()
		select {
		case m.slots <- struct{}{}:
		case <-ctx.Done():
			m.finish(rec.JobID, ctx, nil)
			return
		}
		defer func() { <-m.slots }()
		m.execute(ctx, rec.JobID, resume)
	}()
}

func (m *Manager) execute(ctx context.Context, id string, resume int) {
	rec, err := m.get(id)
	if err != nil {
		m.log.Error("job vanished", "job", id, "err", err)
		return
	}
	if rec.State != api.JobQueued {
		return
	}
	now := time.Now().UTC()
	rec.State, rec.StartedAt = api.JobRunning, &now
	if err := m.put(rec); err != nil {
		m.log.Error("cannot start job", "job", id, "err", err)
		return
	}
	r := &Run{m: m, rec: rec, Resume: resume, start: time.Now(), first: resume, flushed: time.Now()}
	m.log.Info("job started", "job", id, "kind", rec.Kind, "resume_from", resume)
	err = func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("job crashed: %v", p)
			}
		}()
		return m.runners[rec.Kind](ctx, r)
	}()
	if ferr := r.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	m.finish(id, ctx, err)
}

// finish records the final state.
func (m *Manager) finish(id string, ctx context.Context, runErr error) {
	rec, err := m.get(id)
	if err != nil {
		return
	}
	now := time.Now().UTC()
	rec.FinishedAt = &now
	rec.Progress.ETASeconds = 0
	switch {
	case ctx.Err() != nil && m.isClosed():
		rec.State, rec.Error = api.JobInterrupted, "the engine stopped while this job ran; resume it to continue from the last saved frame"
	case ctx.Err() != nil || errors.Is(runErr, context.Canceled):
		rec.State, rec.Error = api.JobCancelled, ""
	case runErr != nil:
		rec.State, rec.Error = api.JobFailed, runErr.Error()
	default:
		rec.State, rec.Error = api.JobSucceeded, ""
	}
	if err := m.put(rec); err != nil {
		m.log.Error("cannot record job end", "job", id, "err", err)
	}
	m.log.Info("job ended", "job", id, "state", rec.State, "done", rec.Progress.Done, "total", rec.Progress.Total, "err", rec.Error)
}

func (m *Manager) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}

// ID is the job's id.
func (r *Run) ID() string { return r.rec.JobID }

// SessionID is the session the job works on.
func (r *Run) SessionID() string { return r.rec.SessionID }

// Request is the request that started the job.
func (r *Run) Request() *api.PropagateRequest { return r.rec.Request }

// Params decodes the runner's parameters.
func (r *Run) Params(v any) error { return json.Unmarshal(r.rec.Params, v) }

// SetTotal records how many frames the job will produce.
func (r *Run) SetTotal(total int) error {
	r.rec.Progress.Total = total
	return r.m.put(r.rec)
}

// Commit records frame result number seq (0-based, in production order)
// with extra, the caller's own records for that frame (e.g. the session's
// latest masks). Frames are written in batches — one transaction, with the
// job's progress, every flushEvery or flushFrames frames — so a slow disk
// sync does not pace the model; progress only counts written frames, so
// every frame reported done is on disk.
func (r *Run) Commit(seq int, fr api.FrameResult, extra func(tx *bolt.Tx) error) error {
	raw, err := json.Marshal(fr)
	if err != nil {
		return err
	}
	r.pending = append(r.pending, pendingFrame{seq: seq, raw: raw, extra: extra})
	if r.mirror != nil {
		if err := r.mirror(seq, fr); err != nil {
			return err
		}
	}
	if len(r.pending) >= flushFrames || time.Since(r.flushed) >= flushEvery {
		return r.Flush()
	}
	return nil
}

// Mirror hands every frame committed from now on to fn as well (a copy of the results in
// object storage, say); an error from fn fails the Commit.
func (r *Run) Mirror(fn func(seq int, fr api.FrameResult) error) { r.mirror = fn }

// Batching of Commit.
const (
	flushFrames = 64
	flushEvery  = 250 * time.Millisecond
)

type pendingFrame struct {
	seq   int
	raw   []byte
	extra func(tx *bolt.Tx) error
}

// Flush writes the pending frames and the job's progress in one
// transaction. The manager calls it when the runner returns, whatever the
// outcome, so cancelling keeps every computed frame.
func (r *Run) Flush() error {
	r.flushed = time.Now()
	if len(r.pending) == 0 {
		return nil
	}
	p := &r.rec.Progress
	p.Done = r.pending[len(r.pending)-1].seq + 1
	if el := time.Since(r.start).Seconds(); el > 0 && p.Done > r.first {
		p.FPS = float64(p.Done-r.first) / el
		if p.Total > p.Done && p.FPS > 0 {
			p.ETASeconds = float64(p.Total-p.Done) / p.FPS
		} else {
			p.ETASeconds = 0
		}
	}
	err := r.m.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketResults).CreateBucketIfNotExists([]byte(r.rec.JobID))
		if err != nil {
			return err
		}
		for _, f := range r.pending {
			if err := b.Put(seqKey(f.seq), f.raw); err != nil {
				return err
			}
			if f.extra != nil {
				if err := f.extra(tx); err != nil {
					return err
				}
			}
		}
		return store.PutJSON(tx, bucketJobs, r.rec.JobID, r.rec)
	})
	r.pending = r.pending[:0]
	r.m.notify(r.rec.JobID)
	return err
}

// Report records progress that is not frames (bytes downloaded, images
// encoded), at most every quarter second.
func (r *Run) Report(done, total int) error {
	p := &r.rec.Progress
	p.Done, p.Total = done, total
	if time.Since(r.flushed) < flushEvery && done < total {
		return nil
	}
	r.flushed = time.Now()
	if el := time.Since(r.start).Seconds(); el > 0 && done > 0 && total > done {
		p.ETASeconds = el * float64(total-done) / float64(done)
	} else {
		p.ETASeconds = 0
	}
	return r.m.put(r.rec)
}
