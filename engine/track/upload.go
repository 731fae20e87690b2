package track

import (
	"context"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/resultchunk"
)

// mirrorResults copies the job's results into object storage as they are produced, when
// up asks for it (a job a local engine sent to this engine as its GPU worker). The
// returned function ends the copy once the runner returns with *err: the last chunk is
// stored only after a success, and an upload failure fails the job.
//
//	defer s.mirrorResults(ctx, run, up, total)(&err)
func (s *Service) mirrorResults(ctx context.Context, run *jobs.Run, up *api.ResultsUpload, total int) func(err *error) {
	if up == nil {
		return func(*error) {}
	}
	if run.Resume > 0 {
		s.log.Warn("a resumed job does not upload its results", "job", run.ID())
		return func(*error) {}
	}
	u := resultchunk.NewUploader(*up, total, nil, s.log.With("job", run.ID()))
	u.Start(ctx)
	run.Mirror(u.Add)
	return func(err *error) {
		if uerr := u.Close(*err == nil); *err == nil {
			*err = uerr
		}
	}
}

// checkUpload refuses a results upload that does not fit a job of total results.
func checkUpload(up *api.ResultsUpload, total int) error {
	if up == nil {
		return nil
	}
	if err := resultchunk.Validate(up, total); err != nil {
		return &InputError{Field: "results_upload", Msg: err.Error()}
	}
	return nil
}
