package track

import (
	"context"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/jobs"
	"github.com/samwise-app/samwise/engine/resultchunk"
)

// mirrorResults copies the job's results into object storage as they are produced (a job
// a local engine sent to this engine as its GPU worker). The returned function ends the
// copy: complete says the job produced every result, so the last chunk is stored too.
func (s *Service) mirrorResults(ctx context.Context, run *jobs.Run, up api.ResultsUpload, total int) func(complete bool) error {
	if run.Resume > 0 {
		s.log.Warn("a resumed job does not upload its results", "job", run.ID())
		return func(bool) error { return nil }
	}
	u := resultchunk.NewUploader(up, total, nil, s.log.With("job", run.ID()))
	u.Start(ctx)
	run.Mirror(u.Add)
	return u.Close
}
