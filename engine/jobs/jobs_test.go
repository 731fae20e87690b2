package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/store"
)

func open(t *testing.T, path string) (*store.DB, *jobs.Manager) {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m := jobs.New(db, 1, nil)
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	return db, m
}

// counter is a runner producing total frames, one per tick, from Resume on.
func counter(total int, tick time.Duration, started chan<- int) jobs.Runner {
	return func(ctx context.Context, r *jobs.Run) error {
		if err := r.SetTotal(total); err != nil {
			return err
		}
		if started != nil {
			started <- r.Resume
		}
		for i := r.Resume; i < total; i++ {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(tick):
			}
			if err := r.Commit(i, api.FrameResult{Frame: 100 + i, Objects: []api.ObjectResult{}}, nil); err != nil {
				return err
			}
		}
		return nil
	}
}

func wait(t *testing.T, m *jobs.Manager, id string, cond func(*api.Job) bool) *api.Job {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := m.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s stuck in %s %+v", id, j.State, j.Progress)
		}
		select {
		case <-m.Changed(id):
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestJobRunsToSuccessAndPages(t *testing.T) {
	db, m := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	m.Handle("count", counter(10, time.Millisecond, nil))
	j, err := m.Submit("count", "s1", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != api.JobQueued || j.ResultsURL == "" {
		t.Fatalf("submitted job %+v", j)
	}
	j = wait(t, m, j.JobID, func(j *api.Job) bool { return jobs.Ended(j.State) })
	if j.State != api.JobSucceeded || j.Progress.Done != 10 || j.Progress.Total != 10 || j.StartedAt == nil || j.FinishedAt == nil {
		t.Fatalf("finished job %+v", j)
	}
	frames, last, err := m.Results(j.JobID, -1, 4)
	if err != nil || len(frames) != 4 || frames[0].Frame != 100 || last != 3 {
		t.Fatalf("first page: %v %d %v", frames, last, err)
	}
	frames, last, _ = m.Results(j.JobID, last, 100)
	if len(frames) != 6 || frames[5].Frame != 109 || last != 9 {
		t.Fatalf("second page: %d frames, last %d", len(frames), last)
	}
}

func TestCancelKeepsCommittedFramesAndResumeFinishes(t *testing.T) {
	db, m := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	started := make(chan int, 4)
	m.Handle("count", counter(200, 5*time.Millisecond, started))
	j, _ := m.Submit("count", "s1", nil, nil)
	wait(t, m, j.JobID, func(j *api.Job) bool { return j.Progress.Done >= 5 })
	c, err := m.Cancel(j.JobID)
	if err != nil || c.State != api.JobCancelled {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	frames, _, _ := m.Results(j.JobID, -1, 1000)
	if len(frames) != c.Progress.Done || len(frames) < 5 || len(frames) == 200 {
		t.Fatalf("%d frames stored, progress says %d", len(frames), c.Progress.Done)
	}
	<-started
	if _, err := m.Resume(j.JobID); err != nil {
		t.Fatal(err)
	}
	if from := <-started; from != c.Progress.Done {
		t.Errorf("resumed from %d, want %d", from, c.Progress.Done)
	}
	f := wait(t, m, j.JobID, func(j *api.Job) bool { return jobs.Ended(j.State) })
	if f.State != api.JobSucceeded || f.Progress.Done != 200 {
		t.Fatalf("resumed job ended %+v", f)
	}
	if _, err := m.Resume(j.JobID); !errors.Is(err, jobs.ErrNotResumable) {
		t.Errorf("resuming a finished job: %v", err)
	}
}

func TestRestartMarksRunningJobsInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, m := open(t, path)
	m.Handle("count", counter(1000, 5*time.Millisecond, nil))
	j, _ := m.Submit("count", "s1", nil, nil)
	wait(t, m, j.JobID, func(j *api.Job) bool { return j.Progress.Done >= 3 })
	// Simulate a crash: close the database under the running job without
	// letting it record an end state.
	db.Close()
	db2, m2 := open(t, path)
	defer db2.Close()
	got, err := m2.Get(j.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != api.JobInterrupted || got.Error == "" {
		t.Fatalf("after a restart the job is %s (%q), want interrupted", got.State, got.Error)
	}
	m.Close(context.Background())
}

func TestRunnerErrorFailsTheJob(t *testing.T) {
	db, m := open(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	m.Handle("bad", func(ctx context.Context, r *jobs.Run) error { return errors.New("the video ended at frame 3") })
	m.Handle("panics", func(ctx context.Context, r *jobs.Run) error { panic("boom") })
	for _, kind := range []string{"bad", "panics"} {
		j, _ := m.Submit(kind, "", nil, nil)
		f := wait(t, m, j.JobID, func(j *api.Job) bool { return jobs.Ended(j.State) })
		if f.State != api.JobFailed || f.Error == "" {
			t.Errorf("%s: job ended %s %q", kind, f.State, f.Error)
		}
	}
	if _, err := m.Submit("unknown", "", nil, nil); err == nil {
		t.Error("a job of an unknown kind was accepted")
	}
	if _, err := m.Get("job_missing"); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("missing job: %v", err)
	}
}
