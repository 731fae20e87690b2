package burst

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/track"
	"github.com/samwise-app/samwise/internal/wait"
	"github.com/samwise-app/samwise/remote/worker"
)

// workerAttempts is how many workers a job may use: a worker that stops answering is
// destroyed and replaced once, the new one going on from the frames already in, before
// the rest runs here.
const workerAttempts = 2

// RunRemote implements track.Placement: it runs the job on the GPU worker and returns
// how many frames it committed. On an error the frames committed stay, the job's status
// says why it fell back, and the caller runs the rest here.
func (s *Service) RunRemote(ctx context.Context, run *jobs.Run, job track.RemoteJob) (int, error) {
	if s.cfg.Pool == nil {
		return 0, errors.New("no GPU worker is configured")
	}
	r := &remoteRun{s: s, run: run, job: job, st: &api.RemoteStatus{Stage: api.StageProvisioning}, start: time.Now()}
	var n int
	var err error
	for attempt := 1; ; attempt++ {
		var lost bool
		n, lost, err = r.execute(ctx, n)
		r.st.FramesRemote = n
		if err == nil || ctx.Err() != nil || !lost || attempt == workerAttempts {
			break
		}
		r.st.WorkersLost++
		r.st.Lost = err.Error()
		r.st.Stage = api.StageProvisioning
		s.log.Warn("the GPU worker was lost; renting another to go on", "job", run.ID(), "frames", n, "err", err)
	}
	switch {
	case ctx.Err() != nil:
		r.report(api.PlacementRemote)
		return n, ctx.Err()
	case err != nil:
		r.st.Stage, r.st.Fallback = api.StageFellBack, err.Error()
		r.report(api.PlacementLocal)
		return n, err
	}
	r.st.Stage = api.StageDone
	r.report(api.PlacementRemote)
	return n, nil
}

// remoteRun is one remote execution of a job.
type remoteRun struct {
	s     *Service
	run   *jobs.Run
	job   track.RemoteJob
	st    *api.RemoteStatus
	start time.Time
	lease *worker.Lease
	rc    *client.Client
	// prefix is where the worker stores the results in object storage.
	prefix string
	// reported is when the job's status was last written.
	reported time.Time
}

// report writes the job's placement and remote status.
func (r *remoteRun) report(placement string) {
	r.st.ElapsedS = time.Since(r.start).Seconds()
	if r.lease != nil {
		r.st.CostUSD = r.lease.DPH * r.st.ElapsedS / 3600
	}
	r.reported = time.Now()
	if err := r.run.SetPlacement(placement, r.st); err != nil {
		r.s.log.Warn("could not record the job's placement", "job", r.run.ID(), "err", err)
	}
}

// execute runs the job on a worker, committing the frames after the first from (those a
// lost worker made); lost reports that the worker stopped answering (it is destroyed).
func (r *remoteRun) execute(ctx context.Context, from int) (n int, lost bool, err error) {
	log := r.s.log.With("job", r.run.ID())
	r.st.WorkerState = string(r.s.cfg.Pool.Status().State)
	r.report(api.PlacementRemote)
	lease, err := r.acquire(ctx)
	if err != nil {
		return from, false, fmt.Errorf("no GPU worker: %w", err)
	}
	r.lease = lease
	var lostErr error
	defer func() {
		if lost {
			lease.Lost(context.WithoutCancel(ctx), lostErr)
			r.st.WorkerState = string(worker.Failed)
		} else {
			lease.Release()
		}
	}()
	r.st.Instance, r.st.GPU, r.st.DPH, r.st.WorkerState = lease.Instance, lease.GPU, lease.DPH, string(worker.Ready)
	log.Info("running on the GPU worker", "instance", lease.Instance, "gpu", lease.GPU, "frames", r.job.Total, "objects", r.job.Objects)
	r.rc, err = client.New(lease.URL, lease.Token, r.s.cfg.HTTP)
	if err != nil {
		return from, lost, err
	}
	if err := r.sameModels(ctx); err != nil {
		return from, lost, err
	}

	r.st.Stage = api.StageUploading
	r.report(api.PlacementRemote)
	key, sha, err := r.s.upload(ctx, r.job.Media.Path)
	if err != nil {
		return from, lost, err
	}
	if r.job.Media.SHA256 != "" && sha != r.job.Media.SHA256 {
		return from, lost, errors.New("the video changed on disk since it was opened: open it again")
	}
	url, err := r.s.cfg.Store.PresignGet(ctx, key, r.s.cfg.PresignExpiry)
	if err != nil {
		return from, lost, err
	}

	r.st.Stage = api.StagePreparing
	r.report(api.PlacementRemote)
	up, err := r.planResults(ctx)
	if err != nil {
		return from, lost, err
	}
	defer r.cleanup(ctx)
	rjob, rsession, err := r.prepare(ctx, url.URL, sha, up)
	if err != nil {
		if ctx.Err() == nil && r.unreachable(ctx) {
			lost, lostErr = true, err
		}
		return from, lost, fmt.Errorf("preparing the job on the worker: %w", err)
	}
	log.Info("the worker runs the job", "remote_job", rjob, "remote_session", rsession, "media_key", key)

	r.st.Stage = api.StageTracking
	r.report(api.PlacementRemote)
	tracking := time.Now()
	n, err = r.collect(ctx, rjob, from)
	if err != nil {
		var le *errLost
		if errors.As(err, &le) {
			lost, lostErr = true, le.err
		} else {
			r.cancelRemote(ctx, rjob)
		}
		return n, lost, err
	}
	if r.job.Concept == nil { // speeds are per tracked object; a concept run's differ
		r.s.cfg.Speed.ObserveRemote(n, r.job.Objects, time.Since(tracking)) // the worker made every frame
	}
	r.endSession(ctx, rsession)
	log.Info("the worker finished the job", "frames", n, "elapsed", time.Since(r.start))
	return n, false, nil
}

// acquire waits for a lease, keeping the job's worker state current meanwhile.
func (r *remoteRun) acquire(ctx context.Context) (*worker.Lease, error) {
	pool := r.s.cfg.Pool
	type result struct {
		l   *worker.Lease
		err error
	}
	done := make(chan result, 1)
	cold := pool.Status().State != worker.Ready
	started := time.Now()
	go func() {
		l, err := pool.Acquire(ctx)
		done <- result{l, err}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case res := <-done:
			if res.err == nil && cold {
				r.s.cfg.Speed.ObserveWarmup(time.Since(started))
			}
			return res.l, res.err
		case <-tick.C:
			r.st.WorkerState = string(pool.Status().State)
			r.report(api.PlacementRemote)
		}
	}
}

// prepare gets the media onto the worker, opens a session, replays the prompts (or sets
// the concept) and starts the job there, its results going to object storage (up).
func (r *remoteRun) prepare(ctx context.Context, mediaURL, sha string, up *api.ResultsUpload) (job, session string, err error) {
	m, err := r.rc.FetchMedia(ctx, mediaURL, sha)
	if err != nil {
		return "", "", fmt.Errorf("the worker could not fetch the video: %w", err)
	}
	if m.MediaID == "" || m.SHA256 != sha {
		return "", "", errors.New("the worker answered the media request without the video")
	}
	if m.Frames != r.job.Media.Frames {
		return "", "", fmt.Errorf("the worker reads %d frames in the video, this engine %d", m.Frames, r.job.Media.Frames)
	}
	var acc *api.JobAccepted
	if r.job.Concept != nil {
		s, err := r.rc.CreateConceptSession(ctx, m.MediaID)
		if err != nil {
			return "", "", err
		}
		if _, err := r.rc.SetConceptPrompt(ctx, s.SessionID, r.job.Concept); err != nil {
			return "", s.SessionID, fmt.Errorf("setting the concept: %w", err)
		}
		req := *r.job.Run
		req.ResultsUpload = up
		acc, err = r.rc.RunConcept(ctx, s.SessionID, &req)
		return acc.JobID, s.SessionID, err
	}
	s, err := r.rc.CreateSession(ctx, m.MediaID)
	if err != nil {
		return "", "", err
	}
	for i := range r.job.Annotations {
		if _, err := r.rc.Annotate(ctx, s.SessionID, &r.job.Annotations[i]); err != nil {
			return "", s.SessionID, fmt.Errorf("replaying prompt %d: %w", i+1, err)
		}
	}
	req := r.job.Request
	req.ResultsUpload = up
	acc, err = r.rc.Propagate(ctx, s.SessionID, &req)
	return acc.JobID, s.SessionID, err
}

// sameModels checks that the worker runs the job's tasks with the models this engine uses
// (by bundle name): a worker with other bundles — the demo, say — would give other masks.
func (r *remoteRun) sameModels(ctx context.Context) error {
	var list api.ModelList
	if err := r.rc.Do(ctx, "GET", "/v1/models", nil, &list); err != nil {
		return fmt.Errorf("asking the worker for its models: %w", err)
	}
	for task, want := range r.job.Models {
		got := "none"
		for _, m := range list.Installed {
			if m.Active && m.Task == task {
				got = m.Name
			}
		}
		if got != want {
			return fmt.Errorf("the GPU worker runs %s with the model %q, this engine with %q: give the worker image the same bundles (docs/remote.md)", task, got, want)
		}
	}
	return nil
}

// endSession ends the worker's session (best effort).
func (r *remoteRun) endSession(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	end := r.rc.EndSession
	if r.job.Concept != nil {
		end = r.rc.EndConceptSession
	}
	if err := end(ctx, id); err != nil {
		r.s.log.Warn("could not end the worker's session", "remote_session", id, "err", err)
	}
}

// unreachable reports whether the worker stopped answering: three tries of an
// authenticated call, RetryDelay apart, all fail.
func (r *remoteRun) unreachable(ctx context.Context) bool {
	for i := 0; i < 3; i++ {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := r.rc.Do(cctx, "GET", "/v1/jobs", nil, nil)
		cancel()
		if err == nil {
			return false
		}
		if wait.Sleep(ctx, r.s.cfg.RetryDelay) != nil {
			return false
		}
	}
	return true
}

// cancelRemote cancels the worker's job (best effort; the worker stays usable).
func (r *remoteRun) cancelRemote(ctx context.Context, rjob string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := r.rc.CancelJob(cctx, rjob); err != nil {
		r.s.log.Warn("could not cancel the worker's job", "remote_job", rjob, "err", err)
	}
}
