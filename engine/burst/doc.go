// Package burst places video jobs (propagations and concept runs) and runs the heavy ones
// on a rented GPU worker (DESIGN.md §6).
//
// Placement: each job's local run time is estimated as the engine's measured seconds per
// frame per object × frames × objects (Speed learns it from every local run and keeps it
// in the data directory). Under the setting burst: auto a job estimated above
// burst_threshold runs remotely; under ask it is refused with 409 placement_required and
// the estimate, until the caller names "placement": "remote" or "local"; off runs
// everything here.
//
// A remote job is the same propagation (or concept run) on the worker through
// engine/client: the video is uploaded to R2 once (content-addressed, multipart and
// resumable, retried), the worker downloads it by a presigned GET (POST /v1/media {"url",
// "sha256"}), a session is opened there and the local session's prompts are replayed (or
// its concept set), the job runs there and stores its results in R2 as it goes (chunks of
// frames, through presigned PUT URLs sent with the request: engine/resultchunk), and the
// local engine, polling the worker's job, reads each chunk into the local job's
// Run.Commit — the local bbolt — as soon as it is done. If the worker's job fails or the
// worker stops answering, every chunk it stored is still read. A worker that stopped
// answering is marked lost and destroyed, and once per job another is rented, which runs
// the job again and whose results are read from the first frame not yet in; otherwise the
// rest of the job runs locally. The job's status shows the placement, the worker's state,
// the workers lost, the elapsed time and the cost (api.Job.Remote).
//
// The worker comes from a worker.Pool: a worker.Manager renting from Vast directly, or a
// worker.Gateway going through the Cloudflare control plane; the job code is the same.
package burst
