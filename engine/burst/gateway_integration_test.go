//go:build integration

package burst_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
)

// gatewayDir is remote/gateway, from this package's directory.
var gatewayDir = filepath.Join("..", "..", "remote", "gateway")

// startGateway builds the gateway (tsc) and runs it in workerd through Miniflare on a
// loopback port (remote/gateway/test/serve.ts), with bindings over wrangler.toml's vars.
// Its log lines go to logPath.
func startGateway(t *testing.T, bindings map[string]string, logPath string) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("the gateway test needs Node.js and the gateway's packages: run remote/gateway/test.sh once")
	}
	if _, err := os.Stat(filepath.Join(gatewayDir, "node_modules", "miniflare")); err != nil {
		// What remote/gateway/test.sh does on a fresh checkout: the pinned packages, locally.
		install := exec.Command("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
		install.Dir = gatewayDir
		if out, err := install.CombinedOutput(); err != nil {
			t.Fatalf("installing the gateway's packages failed (run remote/gateway/test.sh): %v\n%s", err, out)
		}
	}
	build := exec.Command("npm", "run", "--silent", "build")
	build.Dir = gatewayDir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the gateway: %v\n%s", err, out)
	}
	raw, _ := json.Marshal(bindings)
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "build/test/serve.js")
	cmd.Dir = gatewayDir
	cmd.Env = append(os.Environ(), "GATEWAY_BINDINGS="+string(raw))
	cmd.Stderr = logf
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 4 && f[0] == "gateway" {
				urls <- f[3]
			}
		}
	}()
	select {
	case u := <-urls:
		return u
	case <-done:
		data, _ := os.ReadFile(logPath)
		t.Fatalf("the gateway exited:\n%s", data)
	case <-time.After(2 * time.Minute):
		t.Fatal("the gateway did not start")
	}
	return ""
}

// The gateway's client and origin tokens in these tests.
const gwClientToken, gwOriginToken = "gw-client-token-0123456789", "gw-origin-token-0123456789"

// localViaGateway starts the gateway in front of f's Vast and worker address (workers
// idle out after idleTimeoutS seconds) and a local engine that bursts through it.
func localViaGateway(t *testing.T, f *fleet, logs, idleTimeoutS string) *proc {
	t.Helper()
	gw := startGateway(t, map[string]string{
		"CLIENT_TOKENS": gwClientToken, "VAST_API_KEY": vastKey, "ORIGIN_TOKEN": gwOriginToken, "TUNNEL_TOKEN": tunnelToken,
		"ORIGIN_URL": f.URL(), "VAST_BASE_URL": f.vast.BaseURL(), "VAST_IMAGE": "samwise-worker:e2e", "VAST_LABEL": "samwise-gateway",
		"VAST_MIN_INET_DOWN_MBPS": "0", "VAST_BACKOFF_MS": "20", "POLL_INTERVAL_S": "0.2", "RETRY_AFTER_S": "1",
		"IDLE_TIMEOUT_S": idleTimeoutS, "DESTROY_CHECK_S": "0.2", "ACTIVITY_WRITE_S": "0",
	}, filepath.Join(logs, "gateway.log"))
	env := localEnv(t, t.TempDir(), f, storage(t), "SAMWISE_BURST_VIA=gateway", "SAMWISE_GATEWAY_URL="+gw, "SAMWISE_GATEWAY_TOKEN="+gwClientToken)
	return startProc(t, env, filepath.Join(logs, "local.log"), "")
}

// TestBurstThroughTheGateway: with burst_via gateway the local engine never calls Vast;
// the gateway (the real Worker and Durable Object, in workerd) provisions the worker on
// wake, proxies the same job calls to it, and destroys it when idle.
func TestBurstThroughTheGateway(t *testing.T) {
	logs := logDir(t)
	f := newFleet(t, logs)
	local := localViaGateway(t, f, logs, "4")
	path, sc := video(t, 120)
	sid := session(t, local, path, sc)
	id := propagate(t, local, sid, api.PropagateRequest{})
	j := waitJob(t, local, id, ended, nil)
	if j.State != api.JobSucceeded || j.Placement != api.PlacementRemote || j.Remote == nil || j.Remote.FramesRemote != 120 || j.Remote.Stage != api.StageDone {
		t.Fatalf("job via the gateway = %s (%s), placement %s, remote %+v", j.State, j.Error, j.Placement, j.Remote)
	}
	if len(frames(t, local, id)) != 120 {
		t.Fatal("the frames did not reach the local store")
	}
	for _, r := range f.vast.Requests() {
		if r.Header.Get("Authorization") != "Bearer "+vastKey && r.Method != "DELETE" {
			t.Errorf("%s %s reached Vast without the gateway's key", r.Method, r.Path)
		}
	}
	if f.vast.Count("PUT", "/api/v0/asks/") != 1 {
		t.Fatalf("%d creates, want 1", f.vast.Count("PUT", "/api/v0/asks/"))
	}
	var st api.RemoteWorker
	if err := local.Client.Do(t.Context(), "GET", "/v1/remote", nil, &st); err != nil || st.Via != "gateway" {
		t.Fatalf("GET /v1/remote = %+v, %v", st, err)
	}
	// The gateway's idle alarm destroys the worker (never stops it).
	waitFor(t, "the gateway to destroy the idle worker", func() bool { return f.vast.Live() == 0 })
	if f.vast.Count("PUT", "/api/v0/instances/") != 0 {
		t.Fatal("the gateway stopped the worker")
	}
	local.stop(t)
	scanLogs(t, logs, append(f.secrets(), gwClientToken, gwOriginToken))
}

// TestWorkerKilledThroughTheGateway: the worker behind the gateway dies mid-job while Vast
// still lists it. The gateway counts the requests that find no worker and gives it up (or
// the engine, noticing first, asks it to stop the worker); the engine's replacement wakes a
// new worker through the gateway, which finishes the job remotely.
func TestWorkerKilledThroughTheGateway(t *testing.T) {
	logs := logDir(t)
	f := newFleet(t, logs)
	local := localViaGateway(t, f, logs, "600")
	path, sc := video(t, 360)
	id := propagate(t, local, session(t, local, path, sc), api.PropagateRequest{})
	waitJob(t, local, id, func(j *api.Job) bool {
		return j.Remote != nil && j.Remote.Stage == api.StageTracking && j.Progress.Done >= 60
	}, nil)
	f.worker().kill()
	j := waitJob(t, local, id, ended, nil)
	r := j.Remote
	if j.State != api.JobSucceeded || j.Progress.Done != 360 || r == nil || r.Stage != api.StageDone || r.WorkersLost != 1 || r.Fallback != "" {
		t.Fatalf("job %s (%s), progress %+v, remote %+v; want it finished on a second worker", j.State, j.Error, j.Progress, r)
	}
	if len(frames(t, local, id)) != 360 {
		t.Fatal("the frames did not reach the local store")
	}
	if n := f.vast.Count("PUT", "/api/v0/asks/"); n != 2 || f.vast.Live() != 1 {
		t.Fatalf("%d creates, %d live; want the dead worker destroyed and one new one", n, f.vast.Live())
	}
	local.stop(t)
	scanLogs(t, logs, append(f.secrets(), gwClientToken, gwOriginToken))
}
