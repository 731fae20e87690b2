package burst

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/artifact"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/resultchunk"
	"github.com/samwise-app/samwise/internal/wait"
	"github.com/samwise-app/samwise/remote/worker"
)

// resultsPrefix is where the chunks of one remote run of a job go in object storage.
func resultsPrefix(job, attempt string) string { return "results/" + job + "/" + attempt + "/" }

// planResults presigns a PUT URL for every chunk of the job's results: the worker stores
// them there as they are produced, and collect reads them back.
func (r *remoteRun) planResults(ctx context.Context) (*api.ResultsUpload, error) {
	size := r.s.cfg.ResultChunk
	n := resultchunk.Count(r.job.Total, size)
	r.prefix = resultsPrefix(r.run.ID(), newSession())
	up := &api.ResultsUpload{ChunkFrames: size, URLs: make([]string, n)}
	expiry := r.resultsExpiry()
	for i := range n {
		p, err := r.s.cfg.Store.PresignPut(ctx, r.chunkKey(i), expiry)
		if err != nil {
			return nil, err
		}
		up.URLs[i] = p.URL
	}
	return up, nil
}

func (r *remoteRun) chunkKey(i int) string { return fmt.Sprintf("%s%06d.ndjson", r.prefix, i) }

// resultsExpiry is how long the worker's result URLs stay valid: PresignExpiry plus four
// times the job's expected run time on the worker (the local speed bounds it until the
// worker's was measured), within R2's seven days.
func (r *remoteRun) resultsExpiry() time.Duration {
	per, ok := r.s.cfg.Speed.Remote()
	if !ok {
		per, _ = r.s.cfg.Speed.Local()
	}
	run := time.Duration(per * float64(r.job.Total*max(r.job.Objects, 1)) * float64(time.Second))
	return min(r.s.cfg.PresignExpiry+4*run, 7*24*time.Hour)
}

// errLost marks a worker that stopped answering.
type errLost struct{ err error }

func (e *errLost) Error() string { return e.err.Error() }
func (e *errLost) Unwrap() error { return e.err }

// collect follows the worker's job and reads its results from object storage into the
// local job, a chunk as soon as the worker reports its frames done, until every frame
// arrived. When the worker's job ends early or the worker stops answering, the chunks it
// stored are read before the error is returned (*errLost for a worker gone).
func (r *remoteRun) collect(ctx context.Context, rjob string, from int) (n int, err error) {
	n = from
	storeErrs, statusErrs := 0, 0
	for {
		j, jerr := r.rc.Job(ctx, rjob)
		switch {
		case ctx.Err() != nil:
			return n, ctx.Err()
		case jerr != nil && r.unreachable(ctx):
			n, _ = r.read(ctx, n, r.job.Total, true)
			return n, &errLost{fmt.Errorf("%w after %d frames: %v", worker.ErrLost, n, jerr)}
		case jerr != nil:
			// The worker answers but not about this job (its engine restarted, say).
			if statusErrs++; statusErrs > r.s.cfg.StoreRetries {
				n, _ = r.read(ctx, n, r.job.Total, true)
				return n, fmt.Errorf("the worker stopped reporting its job after %d frames: %w", n, jerr)
			}
			r.s.log.Warn("the worker's job status failed; retrying", "job", r.run.ID(), "err", jerr)
		default:
			statusErrs = 0
			ended := jobs.Ended(j.State)
			var rerr error
			n, rerr = r.read(ctx, n, j.Progress.Done, ended)
			var ce *commitError
			switch {
			case errors.As(rerr, &ce):
				return n, ce.err
			case rerr != nil:
				if storeErrs++; storeErrs > r.s.cfg.StoreRetries {
					return n, fmt.Errorf("reading the results from object storage: %w", rerr)
				}
				r.s.log.Warn("reading results from object storage failed; retrying", "job", r.run.ID(), "frames", n, "err", rerr)
			default:
				storeErrs = 0
			}
			switch {
			case n >= r.job.Total:
				return n, nil
			case j.State == api.JobSucceeded && rerr == nil:
				return n, fmt.Errorf("the worker's job ended with %d of %d frames in object storage", n, r.job.Total)
			case ended && j.State != api.JobSucceeded:
				return n, fmt.Errorf("the worker's job %s: %s", j.State, j.Error)
			}
		}
		if err := wait.Sleep(ctx, r.s.cfg.ResultPoll); err != nil {
			return n, err
		}
	}
}

// commitError is a frame the local store refused: not a worker problem.
type commitError struct{ err error }

func (e *commitError) Error() string { return e.err.Error() }

// read commits the chunks after the first n results whose frames the worker has done
// (ready of them; all it stored, when drain is set), stopping at the first chunk not yet
// stored. It returns the results committed in all.
func (r *remoteRun) read(ctx context.Context, n, ready int, drain bool) (int, error) {
	size := r.s.cfg.ResultChunk
	for n < r.job.Total {
		i := n / size
		first, count := resultchunk.Span(i, r.job.Total, size)
		if !drain && first+count > ready {
			return n, nil
		}
		frames, err := r.chunk(ctx, i, count)
		if errors.Is(err, artifact.ErrNotFound) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		for k, fr := range frames {
			if first+k < n {
				continue // committed from a worker that was lost
			}
			if err := r.job.Commit(first+k, fr); err != nil {
				return n, &commitError{err}
			}
			n = first + k + 1
		}
		r.st.FramesRemote = n
		r.lease.Touch()
		if time.Since(r.reported) >= time.Second {
			r.report(api.PlacementRemote)
		}
	}
	return n, nil
}

// chunk reads and decodes chunk i, which holds count results.
func (r *remoteRun) chunk(ctx context.Context, i, count int) ([]api.FrameResult, error) {
	rc, err := r.s.cfg.Store.Get(ctx, r.chunkKey(i))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, int64(count)*resultchunk.MaxLine))
	if err != nil {
		return nil, err
	}
	frames, err := resultchunk.Decode(data, count)
	if err != nil {
		return nil, &commitError{fmt.Errorf("results chunk %d from the worker: %w", i, err)}
	}
	return frames, nil
}

// cleanup saves what was committed, then deletes the run's chunks from object storage
// (best effort: the local store is the truth; a lifecycle rule on results/ catches the
// rest).
func (r *remoteRun) cleanup(ctx context.Context) {
	if r.prefix == "" {
		return
	}
	if err := r.run.Flush(); err != nil {
		r.s.log.Warn("could not save the worker's results", "job", r.run.ID(), "err", err)
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	objs, err := r.s.cfg.Store.List(cctx, r.prefix)
	for _, o := range objs {
		if err == nil {
			err = r.s.cfg.Store.Delete(cctx, o.Key)
		}
	}
	if err != nil {
		r.s.log.Warn("could not delete the job's results from object storage", "job", r.run.ID(), "err", err)
	}
}
