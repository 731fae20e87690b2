package tunnel_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/internal/syncbuf"
	"github.com/samwise-app/samwise/remote/tunnel"
)

// fakeBin is the stand-in cloudflared (testdata/fakecloudflared), built once. The real
// binary is not available here; the stand-in follows cloudflared's documented command line
// and metrics endpoints.
var fakeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fakecloudflared-")
	if err != nil {
		panic(err)
	}
	fakeBin = filepath.Join(dir, "cloudflared")
	build := exec.Command("go", "build", "-o", fakeBin, "./testdata/fakecloudflared")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the cloudflared stand-in:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const tunnelSecret = "c2VjcmV0LXR1bm5lbC1zZWNyZXQtMDEyMzQ1"

// token is a tunnel token shaped like cloudflared's: base64 of {"a","s","t"}.
var token = base64.StdEncoding.EncodeToString([]byte(`{"a":"0123456789abcdef","s":"` + tunnelSecret + `","t":"6ff42ae2-765d-4adf-8112-31c55c1551ef"}`))

type fixture struct {
	bin     string
	logs    *syncbuf.Buffer
	sup     *tunnel.Supervisor
	metrics string
	cancel  context.CancelFunc
	done    chan error
}

// newFixture copies the stand-in into a fresh directory (its behaviour files live beside
// it) and makes a supervisor for it; setup may create behaviour files before the start.
func newFixture(t *testing.T, setup func(bin string)) *fixture {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cloudflared")
	data, err := os.ReadFile(fakeBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(bin)
	}
	logs := &syncbuf.Buffer{}
	metrics := freeAddr(t)
	sup, err := tunnel.New(tunnel.Config{
		Binary: bin, Token: secret.Secret(token), MetricsAddr: metrics,
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, ReadyPoll: 10 * time.Millisecond,
		Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{bin: bin, logs: logs, sup: sup, metrics: metrics}
}

func (f *fixture) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel, f.done = cancel, make(chan error, 1)
	go func() { f.done <- f.sup.Run(ctx) }()
	t.Cleanup(func() { f.stop(t) })
}

func (f *fixture) stop(t *testing.T) {
	t.Helper()
	if f.cancel == nil {
		return
	}
	f.cancel()
	f.cancel = nil
	select {
	case err := <-f.done:
		if err != nil {
			t.Errorf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func (f *fixture) waitReady(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.sup.WaitReady(ctx); err != nil {
		t.Fatalf("%v; logs:\n%s", err, f.logs)
	}
}

// waitFor polls cond until it holds (or fails the test after 30 s).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type run struct {
	PID  int      `json:"pid"`
	Args []string `json:"args"`
	Env  []string `json:"env"`
}

// runs reads what the stand-in recorded at each start.
func (f *fixture) runs(t *testing.T) []run {
	t.Helper()
	fh, err := os.Open(f.bin + ".runs")
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []run
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r run
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTokenTravelsInTheEnvironmentOnly(t *testing.T) {
	// Secrets of the engine's own environment must not reach cloudflared.
	t.Setenv("SAMWISE_TOKEN", "engine-token-must-not-leak")
	t.Setenv("CONTAINER_API_KEY", "instance-key-must-not-leak")
	f := newFixture(t, func(bin string) { touch(t, bin+".connected") })
	f.start(t)
	f.waitReady(t)
	runs := f.runs(t)
	if len(runs) != 1 {
		t.Fatalf("%d starts, want 1", len(runs))
	}
	r := runs[0]
	want := []string{"tunnel", "--no-autoupdate", "--protocol", "http2", "--metrics", f.metrics, "run"}
	if !slices.Equal(r.Args, want) {
		t.Errorf("args = %q, want %q", r.Args, want)
	}
	if strings.Contains(strings.Join(r.Args, " "), token) {
		t.Error("the token is on cloudflared's command line")
	}
	if !slices.Contains(r.Env, "TUNNEL_TOKEN="+token) {
		t.Error("TUNNEL_TOKEN is not in cloudflared's environment")
	}
	for _, kv := range r.Env {
		if strings.Contains(kv, "must-not-leak") {
			t.Errorf("cloudflared's environment carries %s", kv)
		}
	}
	st := f.sup.Status()
	if !st.Running || !st.Ready || st.ReadyConnections != 4 || st.Starts != 1 {
		t.Errorf("status = %+v", st)
	}
}

func TestReadinessFollowsTheMetricsEndpoint(t *testing.T) {
	f := newFixture(t, nil)
	f.start(t)
	// cloudflared runs but has no edge connection: /ready answers 503.
	waitFor(t, "three /ready probes", func() bool { return f.sup.Status().Probes >= 3 })
	if f.sup.Ready() {
		t.Fatal("ready while /ready answers 503")
	}
	touch(t, f.bin+".connected")
	f.waitReady(t)
	if err := os.Remove(f.bin + ".connected"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "readiness lost", func() bool { return !f.sup.Ready() })
	// The change is logged just after it is made.
	waitFor(t, "losing readiness logged", func() bool { return strings.Contains(f.logs.String(), "tunnel lost its edge connections") })
}

func TestRestartsWithBackoffAfterCrashes(t *testing.T) {
	f := newFixture(t, func(bin string) {
		if err := os.WriteFile(bin+".crashes", []byte("2"), 0o600); err != nil {
			t.Fatal(err)
		}
		touch(t, bin+".connected")
	})
	f.start(t)
	f.waitReady(t)
	st := f.sup.Status()
	if st.Starts != 3 || len(f.runs(t)) != 3 {
		t.Fatalf("starts = %d (recorded %d), want 3 (two crashes, then a run)", st.Starts, len(f.runs(t)))
	}
	if n := strings.Count(f.logs.String(), "cloudflared exited; restarting"); n != 2 {
		t.Errorf("%d restart warnings, want 2:\n%s", n, f.logs)
	}
	if !strings.Contains(f.logs.String(), "simulated crash") {
		t.Errorf("cloudflared's own output was not relogged:\n%s", f.logs)
	}
}

func TestLogsAreScopedAndRedacted(t *testing.T) {
	f := newFixture(t, func(bin string) {
		touch(t, bin+".leak")
		touch(t, bin+".connected")
	})
	f.start(t)
	f.waitReady(t)
	f.stop(t)
	logs := f.logs.String()
	if !strings.Contains(logs, "using token [redacted]") {
		t.Fatalf("the stand-in's token line was not relogged redacted:\n%s", logs)
	}
	if strings.Contains(logs, token) || strings.Contains(logs, tunnelSecret) {
		t.Fatalf("logs carry the tunnel token or its secret:\n%s", logs)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["subsystem"] != "tunnel" {
			t.Errorf("log line without subsystem=tunnel: %s", line)
		}
	}
	if !strings.Contains(logs, `"level":"DEBUG","msg":"cloudflared"`) || !strings.Contains(logs, `"level":"INFO","msg":"cloudflared"`) {
		t.Errorf("cloudflared's DBG/INF levels were not kept:\n%s", logs)
	}
}

func TestCancelStopsCloudflared(t *testing.T) {
	f := newFixture(t, func(bin string) { touch(t, bin+".connected") })
	f.start(t)
	f.waitReady(t)
	pid := f.runs(t)[0].PID
	f.stop(t)
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("cloudflared (pid %d) still runs after the supervisor stopped", pid)
	}
	if f.sup.Ready() || f.sup.Status().Running {
		t.Errorf("status after stop = %+v", f.sup.Status())
	}
	if !strings.Contains(f.logs.String(), "Initiating graceful shutdown") {
		t.Errorf("cloudflared was not stopped with SIGTERM:\n%s", f.logs)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  tunnel.Config
		want string
	}{
		{tunnel.Config{Binary: fakeBin}, "no tunnel token"},
		{tunnel.Config{Binary: filepath.Join(t.TempDir(), "nope"), Token: "t"}, "cloudflared not found"},
		{tunnel.Config{Binary: fakeBin, Token: "t", MetricsAddr: "0.0.0.0:20241"}, "must be a loopback"},
		{tunnel.Config{Binary: fakeBin, Token: "t", Protocol: "udp"}, "protocol"},
	} {
		_, err := tunnel.New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error mentioning %q", tc.cfg, err, tc.want)
		}
	}
}
