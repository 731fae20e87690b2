//go:build integration

package burst_test

import (
	"context"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
)

// conceptRun uploads the video to p, opens a concept session for "red" on frame 0 and
// starts a run with the given placement.
func conceptRun(t *testing.T, p *proc, path, placement string) string {
	t.Helper()
	ctx := context.Background()
	s, err := p.Client.CreateConceptSession(ctx, upload(t, p, path))
	if err != nil {
		t.Fatal(err)
	}
	fr, err := p.Client.SetConceptPrompt(ctx, s.SessionID, &api.PCSVideoPrompt{Frame: 0, Text: "red"})
	if err != nil || len(fr.Objects) == 0 {
		t.Fatalf("the concept found %d instances on frame 0 (%v)", len(fr.Objects), err)
	}
	acc, err := p.Client.RunConcept(ctx, s.SessionID, &api.PCSRunRequest{Placement: placement})
	if err != nil {
		t.Fatal(err)
	}
	return acc.JobID
}

// TestConceptRunOnTheWorker: a concept run (detect + track) goes to the GPU worker like a
// propagation — its results come back through object storage and equal a local run's,
// ids included; when the worker dies mid-run another is rented and goes on with the same
// ids, and when that one dies too, the frames both stored stay and the run finishes here
// with new ids after the workers'.
func TestConceptRunOnTheWorker(t *testing.T) {
	logs := logDir(t)
	f := newFleet(t, logs)
	s3 := storage(t)
	local := startProc(t, localEnv(t, t.TempDir(), f, s3, "SAMWISE_WORKER_IDLE_TIMEOUT=10m"), logs+"/local.log", "")
	path, _ := video(t, 300)

	id := conceptRun(t, local, path, "")
	j := waitJob(t, local, id, ended, nil)
	if j.State != api.JobSucceeded || j.Placement != api.PlacementRemote || j.Remote == nil || j.Remote.Stage != api.StageDone || j.Remote.FramesRemote != 300 {
		t.Fatalf("concept run ended %s (%s), placement %s, remote %+v", j.State, j.Error, j.Placement, j.Remote)
	}
	if got := resultCalls(s3, id); got["PUT 200"] != 10 || got["GET 200"] != 10 {
		t.Fatalf("result chunk requests = %v, want 10 stored and read", got)
	}
	remote := frames(t, local, id)
	idLocal := conceptRun(t, local, path, api.PlacementLocal)
	if jl := waitJob(t, local, idLocal, ended, nil); jl.State != api.JobSucceeded || jl.Placement != api.PlacementLocal {
		t.Fatalf("local concept run = %s (%s) placement %s", jl.State, jl.Error, jl.Placement)
	}
	here := frames(t, local, idLocal)
	if len(remote) != 300 || len(here) != 300 {
		t.Fatalf("%d remote and %d local frames, want 300", len(remote), len(here))
	}
	for fr, objs := range here {
		if len(remote[fr]) != len(objs) {
			t.Fatalf("frame %d: %d instances remotely, %d here", fr, len(remote[fr]), len(objs))
		}
		for obj, counts := range objs {
			if remote[fr][obj] != counts {
				t.Fatalf("frame %d instance %d differs between the remote and the local run", fr, obj)
			}
		}
	}

	// The worker dies mid-run: another goes on; it dies too: what both stored stays, the
	// rest runs here.
	id = conceptRun(t, local, path, api.PlacementRemote)
	first := waitJob(t, local, id, func(j *api.Job) bool {
		return j.Remote != nil && j.Remote.Stage == api.StageTracking && j.Progress.Done >= 64
	}, nil)
	f.worker().kill()
	waitJob(t, local, id, func(j *api.Job) bool {
		return ended(j) || j.Remote != nil && j.Remote.WorkersLost == 1 && j.Remote.Stage == api.StageTracking && j.Progress.Done >= first.Progress.Done+32
	}, nil)
	f.worker().kill()
	j = waitJob(t, local, id, ended, nil)
	if j.State != api.JobSucceeded || j.Progress.Done != 300 || j.Placement != api.PlacementLocal || j.Remote == nil || j.Remote.Stage != api.StageFellBack || j.Remote.WorkersLost != 1 {
		t.Fatalf("after two workers died the run ended %s (%s) with %+v, placement %s, remote %+v", j.State, j.Error, j.Progress, j.Placement, j.Remote)
	}
	kept := j.Remote.FramesRemote
	after := frames(t, local, id)
	maxBefore, minAfter := 0, 1<<30
	for fr, objs := range after {
		for obj, counts := range objs {
			if fr < kept {
				if remote[fr][obj] != counts {
					t.Fatalf("frame %d instance %d from the dead workers differs from the first remote run", fr, obj)
				}
				maxBefore = max(maxBefore, obj)
			} else {
				minAfter = min(minAfter, obj)
			}
		}
	}
	if len(after) != 300 || kept < first.Progress.Done+32 || minAfter <= maxBefore {
		t.Fatalf("%d frames, %d from the worker; ids up to %d from the worker, from %d after: the local rest must start new ids", len(after), kept, maxBefore, minAfter)
	}
	local.stop(t)
	scanLogs(t, logs, f.secrets())
}
