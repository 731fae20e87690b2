// Package track is video tracking (PVS on video): sessions over a video with
// per-object prompts, the tracker's memory per object, propagation as
// background jobs, and the per-frame results kept in the store.
package track

import (
	"container/list"
	"context"
	"crypto/rand"
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
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/embcache"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/sam"
	"github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/store"
	"github.com/samwise-app/samwise/engine/video"
)

// JobKind is the kind of propagation jobs.
const JobKind = "pvs_propagate"

// Errors callers map to statuses.
var (
	ErrNotFound = errors.New("no video session with this id: open one with POST /v1/pvs/video/sessions")
	ErrEnded    = errors.New("this session has ended: open a new one")
	ErrNoObject = errors.New("no object with this id in the session")
)

// InputError is a request problem the caller must fix.
type InputError = segment.InputError

// Options tune the service.
type Options struct {
	// TTL releases a session's memory after this idle time.
	TTL time.Duration
	// MemoryBudget bounds the memory of live sessions, in bytes.
	MemoryBudget int64
}

// Service runs tracking sessions.
type Service struct {
	tracker  *sam.VideoTracker
	manifest *model.Manifest
	cache    *embcache.Cache
	gate     *segment.Gate
	db       *store.DB
	media    *media.Library
	jobs     *jobs.Manager
	concepts *concept.Service // nil without a concept model
	log      *slog.Logger
	opts     Options
	// Placement decides where propagation jobs run (engine/burst); nil runs them here.
	Placement Placement

	mu   sync.Mutex
	live map[string]*list.Element // session id → element of lru (*Session)
	lru  *list.List               // front = most recently used
}

// New wires the tracker to the store, media, cache and jobs, and registers
// the propagation runner.
func New(t *sam.VideoTracker, m *model.Manifest, c *embcache.Cache, g *segment.Gate, db *store.DB, lib *media.Library, jm *jobs.Manager, opts Options, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{tracker: t, manifest: m, cache: c, gate: g, db: db, media: lib, jobs: jm, log: log.With("subsystem", "track"), opts: opts,
		live: map[string]*list.Element{}, lru: list.New()}
	jm.Handle(JobKind, s.runPropagate)
	return s
}

// Manifest describes the video model.
func (s *Service) Manifest() *model.Manifest { return s.manifest }

// Tracker is the loaded video model.
func (s *Service) Tracker() *sam.VideoTracker { return s.tracker }

// Session is a live session: its record plus the tracker memory.
type Session struct {
	mu      sync.Mutex // one operation at a time
	rec     *Record
	src     video.Source
	objects map[int]*sam.ObjectState // rebuilt from the prompts when evicted
	used    time.Time
}

func (ss *Session) bytes() int64 {
	var n int64
	for _, o := range ss.objects {
		n += o.Bytes()
	}
	return n
}

// Create opens a session on a video.
func (s *Service) Create(ctx context.Context, mediaID string) (*api.VideoSession, error) {
	m, err := s.media.Get(mediaID)
	if err != nil {
		return nil, err
	}
	if m.Kind != api.KindVideo {
		return nil, &InputError{Field: "media_id", Msg: fmt.Sprintf("media %s is an image: use POST /v1/pvs/image", mediaID)}
	}
	b := make([]byte, 9)
	rand.Read(b)
	rec := &Record{VideoSession: api.VideoSession{SessionID: "vs_" + hex.EncodeToString(b), MediaID: m.MediaID, Frames: m.Frames, FPS: m.FPS,
		Width: m.Width, Height: m.Height, Model: s.manifest.Name, ModelLabel: s.manifest.Label, CreatedAt: time.Now().UTC(), Objects: []int{}},
		MediaSHA: m.SHA256, Prompts: map[int]map[int]Prompt{}}
	if err := s.putRecord(rec); err != nil {
		return nil, err
	}
	v := rec.view()
	return &v, nil
}

// Get returns a session's description.
func (s *Service) Get(id string) (*api.VideoSession, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	v := rec.view()
	return &v, nil
}

// End ends a session: its memory is released, its results stay readable,
// and its running jobs are cancelled.
func (s *Service) End(id string) (*api.VideoSession, error) {
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	rec.Ended = true
	if err := s.putRecord(rec); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if el, ok := s.live[id]; ok {
		s.lru.Remove(el)
		delete(s.live, id)
	}
	s.mu.Unlock()
	if list, err := s.jobs.List(); err == nil {
		for _, j := range list {
			if j.SessionID == id && !jobs.Ended(j.State) {
				s.jobs.Cancel(j.JobID)
			}
		}
	}
	v := rec.view()
	return &v, nil
}

// lockSession returns the live session id locked for the caller (ErrBusy while a job or
// another request holds it) and the function that unlocks it.
func (s *Service) lockSession(ctx context.Context, id string) (*Session, func(), error) {
	ss, err := s.session(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !ss.mu.TryLock() {
		return nil, nil, ErrBusy
	}
	return ss, ss.mu.Unlock, nil
}

// session returns the live session, loading it (and its source) when
// needed, and marks it used. Ended sessions are refused.
func (s *Service) session(ctx context.Context, id string) (*Session, error) {
	s.mu.Lock()
	if el, ok := s.live[id]; ok {
		s.lru.MoveToFront(el)
		ss := el.Value.(*Session)
		ss.used = time.Now()
		s.mu.Unlock()
		return ss, nil
	}
	s.mu.Unlock()
	rec, err := s.record(id)
	if err != nil {
		return nil, err
	}
	if rec.Ended {
		return nil, ErrEnded
	}
	m, err := s.media.Get(rec.MediaID)
	if err != nil {
		return nil, err
	}
	src, err := video.Open(ctx, m.Path)
	if err != nil {
		return nil, fmt.Errorf("opening the video: %w", err)
	}
	ss := &Session{rec: rec, src: src, objects: map[int]*sam.ObjectState{}, used: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.live[id]; ok { // loaded concurrently
		return el.Value.(*Session), nil
	}
	s.live[id] = s.lru.PushFront(ss)
	return ss, nil
}

// evict releases idle sessions past the TTL and, beyond the memory budget,
// the least recently used ones that are not busy. Their records and results
// stay in the store; their memory is rebuilt from the prompts on next use.
func (s *Service) evict() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total int64
	for el := s.lru.Front(); el != nil; el = el.Next() {
		total += el.Value.(*Session).bytes()
	}
	for el := s.lru.Back(); el != nil; {
		prev := el.Prev()
		ss := el.Value.(*Session)
		idle := time.Since(ss.used) > s.opts.TTL
		if (idle || total > s.opts.MemoryBudget) && ss.mu.TryLock() {
			total -= ss.bytes()
			s.lru.Remove(el)
			delete(s.live, ss.rec.SessionID)
			ss.mu.Unlock()
			s.log.Info("session memory released", "session", ss.rec.SessionID, "idle", idle)
		}
		el = prev
	}
}

// Run evicts idle sessions periodically until ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(max(s.opts.TTL/10, time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.evict()
		}
	}
}

// LiveSessions reports how many sessions hold memory, and how much.
func (s *Service) LiveSessions() (n int, bytes int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for el := s.lru.Front(); el != nil; el = el.Next() {
		n++
		bytes += el.Value.(*Session).bytes()
	}
	return n, bytes
}

func (s *Service) record(id string) (*Record, error) {
	var rec Record
	err := s.db.Bolt().View(func(tx *bolt.Tx) error { return store.GetJSON(tx, bucketSessions, id, &rec) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	return &rec, err
}

func (s *Service) putRecord(rec *Record) error {
	return s.db.Bolt().Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, bucketSessions, rec.SessionID, rec) })
}

// List returns the sessions on a media (all when mediaID is empty), newest
// first.
func (s *Service) List(mediaID string) ([]api.VideoSession, error) {
	var out []api.VideoSession
	err := s.db.Bolt().View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(_, v []byte) error {
			var rec Record
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			if mediaID == "" || rec.MediaID == mediaID {
				out = append(out, rec.view())
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, err
}
