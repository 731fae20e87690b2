//go:build integration

package burst_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/remote/objstore/s3test"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

// TestBurstEndToEnd: a local engine under burst: auto with a tiny threshold sends a
// propagation to a GPU worker; Vast's create fails (429, then a 500 after creating), the
// first media uploads and the worker's first result upload fail (S3 500s) — all retried;
// the frames come back through object storage into the local store as the worker produces
// them and equal those of a local run; a second job reuses the
// warm worker; after the idle timeout the worker is destroyed (never stopped), the stand-in
// reports no live instance, and no log carries a secret.
func TestBurstEndToEnd(t *testing.T) {
	logs := logDir(t)
	f := newFleet(t, logs)
	s3 := storage(t)
	mediaPuts, resultPuts := 0, 0
	s3.SetRule(func(r *http.Request, _ int) s3test.Fault {
		if r.Method == "PUT" && strings.Contains(r.URL.Path, "/media/sha256/") && mediaPuts < 4 {
			mediaPuts++ // more than the SDK's three attempts: the burst's own retry resumes
			return s3test.Fail500
		}
		if r.Method == "PUT" && strings.Contains(r.URL.Path, "/results/") && resultPuts < 2 {
			resultPuts++ // the worker's first result chunk meets a busy server twice
			return s3test.Fail500
		}
		return s3test.Pass
	})
	f.vast.Inject(vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Status: 429, Times: 1})
	f.vast.Inject(vasttest.Fault{Method: "PUT", Path: "/api/v0/asks/", Status: 500, Times: 1, AfterHandle: true})
	local := startProc(t, localEnv(t, t.TempDir(), f, s3, "SAMWISE_WORKER_IDLE_TIMEOUT=5s"), logs+"/local.log", "")
	path, sc := video(t, 240)
	sid := session(t, local, path, sc)
	ctx := context.Background()

	var est api.PlacementEstimate
	if err := local.Client.Do(ctx, "POST", "/v1/pvs/video/"+sid+"/estimate", api.PropagateRequest{}, &est); err != nil {
		t.Fatal(err)
	}
	if est.Placement != api.PlacementRemote || est.Frames != 240 || est.Objects != 2 || est.WorkerState != "off" || est.CostUSD <= 0 {
		t.Fatalf("estimate before the job = %+v", est)
	}

	id := propagate(t, local, sid, api.PropagateRequest{})
	var partial, stages = 0, map[string]bool{}
	j := waitJob(t, local, id, ended, func(j *api.Job) {
		if j.Remote != nil {
			stages[j.Remote.Stage] = true
		}
		if j.Progress.Done > 0 && j.Progress.Done < 240 {
			partial++ // frames arrived while the worker was still producing
		}
	})
	if j.State != api.JobSucceeded || j.Placement != api.PlacementRemote || j.Progress.Done != 240 {
		t.Fatalf("remote job ended %s (%s) placement %s progress %+v remote %+v", j.State, j.Error, j.Placement, j.Progress, j.Remote)
	}
	r := j.Remote
	if r == nil || r.Stage != api.StageDone || r.FramesRemote != 240 || !strings.HasPrefix(r.Instance, "vast:") || r.WorkerState != "ready" ||
		r.DPH <= 0 || r.CostUSD <= 0 || r.ElapsedS <= 0 || j.Estimate == nil || j.Estimate.Placement != api.PlacementRemote {
		t.Fatalf("remote status = %+v, estimate %+v", r, j.Estimate)
	}
	if partial == 0 || !stages[api.StageTracking] {
		t.Errorf("no partial progress seen while tracking (stages %v): the frames did not come back as produced", stages)
	}
	if n := f.vast.Count("PUT", "/api/v0/asks/"); n != 2 || f.vast.Live() != 1 {
		t.Fatalf("%d create calls and %d live instances: the failed creates were not retried once each, or two GPUs were rented", n, f.vast.Live())
	}
	if mediaPuts != 4 {
		t.Fatalf("%d media uploads were failed, want 4", mediaPuts)
	}
	// The results came through object storage: the worker stored 8 chunks of 32 frames
	// (retrying the refused one), the local engine read each and then deleted them.
	if got := resultCalls(s3, id); got["PUT 200"] != 8 || got["PUT 500"] != 2 || got["GET 200"] != 8 || got["DELETE 204"] != 8 {
		t.Fatalf("result chunk requests = %v, want 8 stored (2 refusals retried), 8 read, 8 deleted", got)
	}
	remote := frames(t, local, id)

	// Warm reuse: the next remote job uses the same worker.
	sid2 := session(t, local, path, sc)
	id2 := propagate(t, local, sid2, api.PropagateRequest{Placement: api.PlacementRemote, MaxFrames: 60})
	j2 := waitJob(t, local, id2, ended, nil)
	if j2.State != api.JobSucceeded || j2.Remote == nil || j2.Remote.Instance != r.Instance || j2.Remote.FramesRemote != 60 {
		t.Fatalf("second job = %s, remote %+v (first ran on %s)", j2.State, j2.Remote, r.Instance)
	}
	if n := f.vast.Count("PUT", "/api/v0/asks/"); n != 2 {
		t.Fatalf("the warm worker was not reused: %d create calls", n)
	}

	// The same work run locally gives the same masks.
	sidLocal := session(t, local, path, sc)
	idLocal := propagate(t, local, sidLocal, api.PropagateRequest{Placement: api.PlacementLocal})
	jl := waitJob(t, local, idLocal, ended, nil)
	if jl.State != api.JobSucceeded || jl.Placement != api.PlacementLocal {
		t.Fatalf("local job = %+v", jl)
	}
	localFrames := frames(t, local, idLocal)
	if len(remote) != 240 || len(localFrames) != 240 {
		t.Fatalf("%d remote and %d local frames, want 240", len(remote), len(localFrames))
	}
	diff := 0
	for fr, objs := range localFrames {
		for obj, counts := range objs {
			if remote[fr][obj] != counts {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Fatalf("%d masks differ between the remote and the local run", diff)
	}
	// The remote session results are in the local session too.
	var page api.SessionResults
	if err := local.Client.Do(ctx, "GET", "/v1/pvs/video/"+sid+"/results?limit=1000", nil, &page); err != nil || len(page.Frames) != 240 {
		t.Fatalf("the local session holds %d frames (%v)", len(page.Frames), err)
	}

	// Idle: the local engine drains and destroys the worker, never stops it.
	waitFor(t, "the idle worker to be destroyed", func() bool { return f.vast.Live() == 0 })
	if f.vast.Count("PUT", "/api/v0/instances/") != 0 {
		t.Fatal("a worker was stopped instead of destroyed")
	}
	// The engine confirms the destroy (show answers not-found) before it says off.
	var st api.RemoteWorker
	waitFor(t, "the worker state to be off", func() bool {
		if err := local.Client.Do(ctx, "GET", "/v1/remote", nil, &st); err != nil {
			t.Fatal(err)
		}
		return st.State != "draining"
	})
	if st.State != "off" || st.TotalCostUSD <= 0 || st.Via != "vast" {
		t.Fatalf("GET /v1/remote after the idle timeout = %+v", st)
	}
	local.stop(t)
	if f.vast.Live() != 0 {
		t.Fatal("instances left after the local engine stopped")
	}
	assertLogged(t, logs+"/local.log", "uploading the video failed; retrying", "vast request failed, retrying", "worker destroyed")
	// The worker ran cloudflared (the stand-in) under supervision with the token from its
	// instance environment.
	assertLogged(t, logs+"/worker-7001.log", "starting cloudflared", "tunnel ready", "Registered tunnel connection", "uploading results failed; retrying")
	scanLogs(t, logs, f.secrets())
}

// TestWorkerKilledMidJob: the worker process dies while it tracks; the frames it stored
// in object storage are read and stay, the worker is destroyed, and another is rented,
// which goes on from there (it tracks from the start; the frames already in are not read
// again) and finishes the job remotely.
func TestWorkerKilledMidJob(t *testing.T) {
	logs, f, s3, local, id, _ := trackingRemotely(t, 60)
	before := frames(t, local, id)
	f.worker().kill() // the machine vanished; Vast still lists the instance
	j := waitJob(t, local, id, ended, nil)
	if j.State != api.JobSucceeded || j.Progress.Done != 360 {
		t.Fatalf("job ended %s (%s) with %+v", j.State, j.Error, j.Progress)
	}
	r := j.Remote
	if j.Placement != api.PlacementRemote || r == nil || r.Stage != api.StageDone || r.FramesRemote != 360 || r.WorkersLost != 1 || r.Lost == "" || r.Fallback != "" {
		t.Fatalf("placement %s, remote %+v; want the job finished on a second worker", j.Placement, r)
	}
	// Every chunk was read once: those of the lost worker, then the rest from the new one.
	if got := resultCalls(s3, id); got["GET 200"] != 12 || got["PUT 200"] <= 12 {
		t.Fatalf("result chunk requests %v; want 12 read, more than 12 stored", got)
	}
	after := frames(t, local, id)
	if len(after) != 360 {
		t.Fatalf("%d frames, want 360", len(after))
	}
	kept(t, before, after, "the worker died")
	f.mu.Lock()
	created := len(f.created)
	f.mu.Unlock()
	if created != 2 || f.vast.Live() != 1 {
		t.Fatalf("%d workers created, %d live; want the dead one destroyed and its replacement idle", created, f.vast.Live())
	}
	local.stop(t)
	scanLogs(t, logs, f.secrets())
}

// TestReplacementWorkerKilledToo: the worker that replaced a lost one is lost as well;
// the job keeps every frame both stored and runs the rest locally.
func TestReplacementWorkerKilledToo(t *testing.T) {
	logs, f, _, local, id, first := trackingRemotely(t, 60)
	f.worker().kill()
	waitJob(t, local, id, func(j *api.Job) bool {
		return ended(j) || j.Remote != nil && j.Remote.WorkersLost == 1 && j.Remote.Stage == api.StageTracking && j.Progress.Done >= first.Progress.Done+32
	}, nil)
	before := frames(t, local, id)
	f.worker().kill()
	j := waitJob(t, local, id, ended, nil)
	r := j.Remote
	if j.State != api.JobSucceeded || j.Progress.Done != 360 || j.Placement != api.PlacementLocal || r == nil || r.Stage != api.StageFellBack ||
		r.WorkersLost != 1 || r.Fallback == "" || r.FramesRemote < len(before) || r.FramesRemote >= 360 {
		t.Fatalf("job ended %s (%s) with %+v, placement %s, remote %+v; %d frames were in before the second kill", j.State, j.Error, j.Progress, j.Placement, r, len(before))
	}
	after := frames(t, local, id)
	kept(t, before, after, "the second worker died")
	if len(after) != 360 || f.vast.Live() != 0 {
		t.Fatalf("%d frames, %d live workers; want 360 and both dead workers destroyed", len(after), f.vast.Live())
	}
	local.stop(t)
	scanLogs(t, logs, f.secrets())
}

// TestWorkerEngineRestartedMidJob: the worker's engine restarts (same address and token)
// and no longer knows the job; the chunks it stored are kept, the rest runs locally, and
// the worker, which still answers, is not destroyed for it.
func TestWorkerEngineRestartedMidJob(t *testing.T) {
	logs, f, s3, local, id, _ := trackingRemotely(t, 64)
	f.mu.Lock()
	created := f.created[len(f.created)-1]
	f.mu.Unlock()
	f.worker().kill()
	f.create(created)
	j := waitJob(t, local, id, ended, nil)
	r := j.Remote
	if j.State != api.JobSucceeded || j.Progress.Done != 360 || j.Placement != api.PlacementLocal || r == nil || r.Stage != api.StageFellBack ||
		!strings.Contains(r.Fallback, "stopped reporting its job") {
		t.Fatalf("job ended %s (%s) with %+v, placement %s, remote %+v", j.State, j.Error, j.Progress, j.Placement, r)
	}
	if got := resultCalls(s3, id); r.FramesRemote < 64 || r.FramesRemote != 32*got["PUT 200"] {
		t.Fatalf("%d frames kept from the worker; result chunk requests %v", r.FramesRemote, got)
	}
	if f.vast.Live() != 1 {
		t.Fatalf("%d live instances: the worker still answers and stays for the next job", f.vast.Live())
	}
	local.stop(t)
	if f.vast.Live() != 0 {
		t.Fatal("the worker was left running after the local engine stopped")
	}
	scanLogs(t, logs, f.secrets())
}

// TestWorkerWithOtherModelsIsNotUsed: this engine tracks with a bundle the worker does not
// have (here the demo, imported under another name); the job runs here, saying why, before
// any media is uploaded.
func TestWorkerWithOtherModelsIsNotUsed(t *testing.T) {
	logs := logDir(t)
	f := newFleet(t, logs)
	s3 := storage(t)
	dataDir := t.TempDir()
	engine := func(args ...string) {
		if out, err := exec.Command(engineBin, append(args, "--data-dir", dataDir)...).CombinedOutput(); err != nil {
			t.Fatalf("engine %v: %v\n%s", args, err, out)
		}
	}
	engine("models", "list") // installs the demos
	engine("models", "import", filepath.Join(dataDir, "models", "demo-video"), "--name", "my-video")
	local := startProc(t, localEnv(t, dataDir, f, s3, "SAMWISE_WORKER_IDLE_TIMEOUT=10m", "SAMWISE_VIDEO_MODEL=my-video"), logs+"/local.log", "")
	path, sc := video(t, 90)
	id := propagate(t, local, session(t, local, path, sc), api.PropagateRequest{})
	j := waitJob(t, local, id, ended, nil)
	r := j.Remote
	if j.State != api.JobSucceeded || j.Progress.Done != 90 || j.Placement != api.PlacementLocal || r == nil || r.Stage != api.StageFellBack ||
		!strings.Contains(r.Fallback, `with the model "demo-video", this engine with "my-video"`) {
		t.Fatalf("job ended %s (%s), placement %s, remote %+v", j.State, j.Error, j.Placement, r)
	}
	for _, req := range s3.Requests() {
		if req.Method == "PUT" || req.Method == "POST" {
			t.Fatalf("%s %s: media was uploaded for a worker that cannot run the job", req.Method, req.Path)
		}
	}
	local.stop(t)
	scanLogs(t, logs, f.secrets())
}

// TestDeadmanSwitch: the local engine is killed mid-job; nobody destroys the worker but the
// worker itself, with its own instance key, once no client spoke to it for its idle
// timeout.
func TestDeadmanSwitch(t *testing.T) {
	logs := logDir(t)
	f := newFleet(t, logs)
	local := startProc(t, localEnv(t, t.TempDir(), f, storage(t), "SAMWISE_WORKER_IDLE_TIMEOUT=4s"), logs+"/local.log", "")
	path, sc := video(t, 400)
	sid := session(t, local, path, sc)
	id := propagate(t, local, sid, api.PropagateRequest{})
	waitJob(t, local, id, func(j *api.Job) bool {
		return j.Remote != nil && j.Remote.Stage == api.StageTracking && j.Progress.Done >= 30
	}, nil)
	w := f.worker()
	var created vasttest.Created
	f.mu.Lock()
	created = f.created[len(f.created)-1]
	f.mu.Unlock()
	if created.Env["SAMWISE_IDLE_TIMEOUT_S"] != "6" {
		t.Fatalf("the worker's dead-man timeout is %q, want 6 (idle 4 s + 2 s)", created.Env["SAMWISE_IDLE_TIMEOUT_S"])
	}
	local.kill()
	waitFor(t, "the dead-man switch to destroy the worker", func() bool { return f.vast.Live() == 0 })
	waitFor(t, "the worker process to end", w.exited)
	var destroys []vasttest.Request
	for _, r := range f.vast.Requests() {
		if r.Method == "DELETE" {
			destroys = append(destroys, r)
		}
	}
	if len(destroys) != 1 || destroys[0].Header.Get("Authorization") != "Bearer "+created.APIKey {
		t.Fatalf("destroys: %d, want one with the instance's own key", len(destroys))
	}
	if f.vast.Count("PUT", "/api/v0/instances/") != 0 {
		t.Fatal("the worker was stopped")
	}
	// The stand-in kills the process when the destroy arrives (as Vast ends the container),
	// so the worker logs the decision, not the answer.
	assertLogged(t, w.LogPath, "dead-man switch armed", "no client has spoken to this worker for the idle timeout")
	scanLogs(t, logs, f.secrets())
}

// assertLogged checks a log file has each message.
func assertLogged(t *testing.T, path string, msgs ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if !strings.Contains(string(data), m) {
			t.Errorf("%s lacks %q", path, m)
		}
	}
	// Every line the engine logs is JSON with a level.
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "{") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) != nil || rec["level"] == nil {
				t.Errorf("unstructured log line in %s: %s", path, line)
			}
		}
	}
}

// trackingRemotely starts a fleet, object storage and a local engine, and a 360-frame
// propagation that bursts to a GPU worker; it returns once the worker has tracked done
// frames, with the log folder, the fleet, the storage, the local engine, the job and its
// state then.
func trackingRemotely(t *testing.T, done int) (string, *fleet, *s3test.Proxy, *proc, string, *api.Job) {
	t.Helper()
	logs := logDir(t)
	f := newFleet(t, logs)
	s3 := storage(t)
	local := startProc(t, localEnv(t, t.TempDir(), f, s3, "SAMWISE_WORKER_IDLE_TIMEOUT=10m"), logs+"/local.log", "")
	path, sc := video(t, 360)
	id := propagate(t, local, session(t, local, path, sc), api.PropagateRequest{})
	j := waitJob(t, local, id, func(j *api.Job) bool {
		return j.Remote != nil && j.Remote.Stage == api.StageTracking && j.Progress.Done >= done
	}, nil)
	return logs, f, s3, local, id, j
}

// resultCalls counts the object-storage requests for a job's result chunks by method and
// answer, e.g. "PUT 200".
func resultCalls(s3 *s3test.Proxy, job string) map[string]int {
	out := map[string]int{}
	for _, r := range s3.Requests() {
		if strings.Contains(r.Path, "/results/"+job+"/") && strings.HasSuffix(r.Path, ".ndjson") {
			out[fmt.Sprintf("%s %d", r.Method, r.Status)]++
		}
	}
	return out
}
