// Package jobs runs long work (video propagation, concept detection) in the
// background: a queue behind a small semaphore, states queued → running →
// succeeded | failed | cancelled, progress with speed and ETA, and per-frame
// results committed to bbolt together with the job's progress as they are
// produced — so a cancel or a crash loses nothing already computed, and an
// interrupted job resumes from its last committed frame.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/store"
)

var (
	bucketJobs    = store.RegisterBucket("jobs")
	bucketResults = store.RegisterBucket("job_results")
)

// Errors.
var (
	ErrNotFound     = errors.New("no job with this id")
	ErrNotResumable = errors.New("only interrupted, failed or cancelled jobs can be resumed")
)

// Record is a stored job: the API view plus what resuming needs.
type Record struct {
	api.Job
	// Params are the runner's own parameters (JSON).
	Params json.RawMessage `json:"params,omitempty"`
}

// Run is one execution of a job, handed to its Runner.
type Run struct {
	m   *Manager
	rec *Record
	// Resume is the number of frames already committed by earlier runs.
	Resume int
	start  time.Time
	first  int

	pending []pendingFrame
	flushed time.Time
	mirror  func(seq int, fr api.FrameResult) error
}

// Runner does a kind of job. It calls r.SetTotal once it knows the work and
// r.Commit for every produced frame, in order, starting after r.Resume.
type Runner func(ctx context.Context, r *Run) error

// Manager queues and runs jobs.
type Manager struct {
	db      *bolt.DB
	log     *slog.Logger
	runners map[string]Runner
	slots   chan struct{}

	mu      sync.Mutex
	cancels map[string]context.CancelFunc
	changed map[string]chan struct{} // closed and replaced on every commit/state change
	wg      sync.WaitGroup
	closed  bool
	baseCtx context.Context
	stop    context.CancelFunc
}

// New makes a manager running at most concurrency jobs at once.
func New(db *store.DB, concurrency int, log *slog.Logger) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if concurrency < 1 {
		concurrency = 1
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Manager{db: db.Bolt(), log: log.With("subsystem", "jobs"), runners: map[string]Runner{}, slots: make(chan struct{}, concurrency),
		cancels: map[string]context.CancelFunc{}, changed: map[string]chan struct{}{}, baseCtx: ctx, stop: stop}
}

// Handle registers the runner of a job kind.
func (m *Manager) Handle(kind string, r Runner) { m.runners[kind] = r }

// Open marks jobs that were queued or running when the engine last stopped
// as interrupted (they can be resumed).
func (m *Manager) Open() error {
	return m.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs)
		return b.ForEach(func(k, v []byte) error {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if rec.State == api.JobQueued || rec.State == api.JobRunning {
				rec.State = api.JobInterrupted
				rec.Error = "the engine stopped while this job ran; resume it to continue from the last saved frame"
				now := time.Now().UTC()
				rec.FinishedAt = &now
				raw, _ := json.Marshal(rec)
				return b.Put(k, raw)
			}
			return nil
		})
	})
}

// Close cancels running jobs and waits for them (bounded by ctx).
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.stop()
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Submit stores a new job and queues it.
func (m *Manager) Submit(kind, sessionID string, req *api.PropagateRequest, params any) (*api.Job, error) {
	if _, ok := m.runners[kind]; !ok {
		return nil, fmt.Errorf("no runner for job kind %q", kind)
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	id := newID()
	rec := &Record{Job: api.Job{JobID: id, Kind: kind, State: api.JobQueued, Placement: api.PlacementLocal, SessionID: sessionID,
		Request: req, CreatedAt: time.Now().UTC(), ResultsURL: "/v1/jobs/" + id + "/results"}, Params: raw}
	if err := m.put(rec); err != nil {
		return nil, err
	}
	m.start(rec, 0)
	return &rec.Job, nil
}

// Resume re-queues an interrupted, failed or cancelled job; it continues
// after its last committed frame.
func (m *Manager) Resume(id string) (*api.Job, error) {
	rec, err := m.get(id)
	if err != nil {
		return nil, err
	}
	switch rec.State {
	case api.JobInterrupted, api.JobFailed, api.JobCancelled:
	default:
		return nil, fmt.Errorf("%w (job %s is %s)", ErrNotResumable, id, rec.State)
	}
	rec.State, rec.Error, rec.FinishedAt = api.JobQueued, "", nil
	if err := m.put(rec); err != nil {
		return nil, err
	}
	m.start(rec, rec.Progress.Done)
	return &rec.Job, nil
}

// Cancel stops a queued or running job; frames already committed stay.
func (m *Manager) Cancel(id string) (*api.Job, error) {
	rec, err := m.get(id)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	cancel := m.cancels[id]
	m.mu.Unlock()
	if cancel != nil {
		cancel()
		// The run marks itself cancelled; wait briefly so the answer shows it.
		m.waitState(id, 5*time.Second)
		return m.Get(id)
	}
	if rec.State == api.JobQueued || rec.State == api.JobInterrupted {
		rec.State = api.JobCancelled
		now := time.Now().UTC()
		rec.FinishedAt = &now
		if err := m.put(rec); err != nil {
			return nil, err
		}
	}
	return &rec.Job, nil
}

// Get returns a job.
func (m *Manager) Get(id string) (*api.Job, error) {
	rec, err := m.get(id)
	if err != nil {
		return nil, err
	}
	return &rec.Job, nil
}

// List returns every job, newest first.
func (m *Manager) List() ([]api.Job, error) {
	var out []api.Job
	err := m.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJobs).ForEach(func(_, v []byte) error {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, rec.Job)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, err
}

// Results returns up to limit frames committed after cursor "after" (-1
// for the start), and the cursor of the last one.
func (m *Manager) Results(id string, after, limit int) ([]api.FrameResult, int, error) {
	if _, err := m.get(id); err != nil {
		return nil, after, err
	}
	var out []api.FrameResult
	last := after
	err := m.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var fr api.FrameResult
			if err := json.Unmarshal(v, &fr); err != nil {
				return err
			}
			out = append(out, fr)
			last = int(binary.BigEndian.Uint32(k))
		}
		return nil
	})
	return out, last, err
}

// Changed returns a channel closed at the job's next commit or state change.
func (m *Manager) Changed(id string) <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	ch, ok := m.changed[id]
	if !ok {
		ch = make(chan struct{})
		m.changed[id] = ch
	}
	return ch
}

func (m *Manager) notify(id string) {
	m.mu.Lock()
	if ch, ok := m.changed[id]; ok {
		close(ch)
		delete(m.changed, id)
	}
	m.mu.Unlock()
}

func (m *Manager) waitState(id string, d time.Duration) {
	deadline := time.After(d)
	for {
		ch := m.Changed(id)
		if rec, err := m.get(id); err != nil || Ended(rec.State) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			return
		}
	}
}

// Ended reports whether a job state is final for now.
func Ended(state string) bool {
	switch state {
	case api.JobSucceeded, api.JobFailed, api.JobCancelled, api.JobInterrupted:
		return true
	}
	return false
}

func (m *Manager) get(id string) (*Record, error) {
	var rec Record
	err := m.db.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, bucketJobs, id, &rec) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return &rec, err
}

func (m *Manager) put(rec *Record) error {
	err := m.db.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, bucketJobs, rec.JobID, rec) })
	m.notify(rec.JobID)
	return err
}

func newID() string {
	b := make([]byte, 9)
	rand.Read(b)
	return "job_" + hex.EncodeToString(b)
}

func seqKey(n int) []byte {
	k := make([]byte, 4)
	binary.BigEndian.PutUint32(k, uint32(n))
	return k
}
