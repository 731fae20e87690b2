//go:build integration

package burst_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/ort"
	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/engine/synth"
	"github.com/samwise-app/samwise/remote/objstore/s3test"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

// The end-to-end tests run real engines: the local engine and every GPU worker are
// `engine serve` processes of the binary built here, media and results travel through a
// real S3 server (versitygw) on loopback, and only Vast's API is stood in for (vasttest, built from
// the documented shapes): its create starts a worker process, its destroy kills it. The
// worker's "tunnel hostname" is its loopback URL: the Cloudflare tunnel is not exercised
// here (remote/tunnel's tests cover cloudflared's supervision with a stand-in binary).
var engineBin string

// cloudflaredBin is remote/tunnel's cloudflared stand-in (the real binary is not available
// here); every worker runs it under `engine serve --tunnel`, as the image does, and it
// reports a connected tunnel.
var cloudflaredBin string

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		fmt.Fprintln(os.Stderr, "burst integration tests need ffmpeg: run build/setup-debian.sh test")
		os.Exit(1)
	}
	if _, err := s3test.Binary(); err != nil {
		fmt.Fprintln(os.Stderr, "burst integration tests need versitygw:", err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "samwise-burst-")
	if err != nil {
		panic(err)
	}
	engineBin = filepath.Join(dir, "engine")
	cloudflaredBin = filepath.Join(dir, "cloudflared")
	for _, b := range [][2]string{{engineBin, "github.com/samwise-app/samwise/engine"}, {cloudflaredBin, "../../remote/tunnel/testdata/fakecloudflared"}} {
		build := exec.Command("go", "build", "-o", b[0], b[1])
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building", b[1]+":", err)
			os.Exit(1)
		}
	}
	if err := os.WriteFile(cloudflaredBin+".connected", nil, 0o600); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Secrets of the runs; the logs must never contain any of them.
const (
	vastKey     = "vk-e2e-account-0123456789abcdef"
	r2KeyID     = s3test.AccessKey
	r2Secret    = s3test.SecretKey
	tunnelToken = "eyJhIjoiZTJlIiwicyI6InR1bm5lbC1zZWNyZXQtZTJlIiwidCI6InR1bm5lbCJ9"
	// tunnelSecret is the secret inside tunnelToken (its "s").
	tunnelSecret = "tunnel-secret-e2e"
)

// proc is a running engine process.
type proc struct {
	cmd     *exec.Cmd
	URL     string
	Client  *client.Client
	LogPath string
	done    chan struct{}
}

func baseEnv(t *testing.T) []string {
	t.Helper()
	lib, _, err := ort.FindLibrary("")
	if err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "SAMWISE_ORT_LIB=" + lib, "SAMWISE_PROVIDER=cpu",
		"SAMWISE_LOG_LEVEL=debug", "SAMWISE_LOG_FORMAT=json"}
}

// startProc runs `engine serve` with env; its output goes to logPath. It waits until the
// engine prints its URL; token is the bearer token its API wants.
func startProc(t *testing.T, env []string, logPath, token string) *proc {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(engineBin, "serve")
	cmd.Env = env
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, LogPath: logPath, done: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			fmt.Fprintln(logf, sc.Text())
			if f := strings.Fields(sc.Text()); len(f) >= 4 && f[0] == "engine" && f[1] == "listening" {
				urls <- f[3]
			}
		}
	}()
	go func() {
		cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	select {
	case p.URL = <-urls:
	case <-p.done:
		data, _ := os.ReadFile(logPath)
		t.Fatalf("the engine exited before listening:\n%s", data)
	case <-time.After(2 * time.Minute):
		t.Fatal("the engine did not print its URL")
	}
	p.Client, _ = client.New(p.URL, secret.Secret(token), nil)
	return p
}

// kill sends SIGKILL (a crash, or a machine that vanished) and waits for the exit.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM (a graceful shutdown) and waits.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		t.Fatal("the engine did not stop after SIGTERM")
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// fleet plays the machines behind the stand-in Vast API: creating an instance starts a
// worker engine listening on the tunnel hostname's port with the instance's environment
// plus what Vast itself gives a container (CONTAINER_ID, CONTAINER_API_KEY); destroying it
// kills the process.
type fleet struct {
	t       *testing.T
	vast    *vasttest.Server
	addr    string // the "tunnel hostname": host:port every worker listens on
	logDir  string
	mu      sync.Mutex
	workers map[int64]*proc
	created []vasttest.Created
}

func newFleet(t *testing.T, logDir string) *fleet {
	t.Helper()
	addr, err := s3test.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	f := &fleet{t: t, vast: vasttest.NewServer(vastKey), addr: addr, logDir: logDir, workers: map[int64]*proc{}}
	t.Cleanup(f.vast.Close)
	for i := 1; i <= 6; i++ {
		f.vast.AddOffers(map[string]any{"id": i, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.30 + float64(i)/100,
			"reliability": 0.995, "cuda_max_good": 12.4, "inet_down": 900, "disk_space": 200})
	}
	f.vast.SetHooks(vasttest.Hooks{OnCreate: f.create, OnDestroy: f.destroy})
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, p := range f.workers {
			p.kill()
		}
	})
	return f
}

// URL is the worker's public address (what the tunnel hostname would be).
func (f *fleet) URL() string { return "http://" + f.addr }

func (f *fleet) create(c vasttest.Created) {
	env := baseEnv(f.t)
	for k, v := range c.Env {
		env = append(env, k+"="+v)
	}
	metrics, err := s3test.FreeAddr()
	if err != nil {
		f.t.Fatal(err)
	}
	env = append(env, "SAMWISE_TUNNEL=true", "SAMWISE_CLOUDFLARED="+cloudflaredBin, "SAMWISE_TUNNEL_METRICS="+metrics)
	env = append(env, "SAMWISE_LISTEN="+f.addr, "SAMWISE_DATA_DIR="+f.t.TempDir(), "SAMWISE_ALLOW_MEDIA_URLS=true",
		"CONTAINER_ID="+fmt.Sprint(c.ID), "CONTAINER_API_KEY="+c.APIKey, "SAMWISE_VAST_URL="+f.vast.BaseURL())
	p := startProc(f.t, env, filepath.Join(f.logDir, fmt.Sprintf("worker-%d.log", c.ID)), c.Env["SAMWISE_TOKEN"])
	f.vast.SetInstanceField(c.ID, "actual_status", "running")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.workers[c.ID] = p
	f.created = append(f.created, c)
}

func (f *fleet) destroy(id int64) {
	f.mu.Lock()
	p := f.workers[id]
	delete(f.workers, id)
	f.mu.Unlock()
	if p != nil {
		p.kill()
	}
}

// worker returns the process of the one live worker.
func (f *fleet) worker() *proc {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.workers {
		return p
	}
	return nil
}

// secrets lists every secret the runs used, for the log scan: the account key, the R2
// keys, the tunnel token, each worker's engine token and instance API key.
func (f *fleet) secrets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := []string{vastKey, r2Secret, tunnelToken, tunnelSecret}
	for _, c := range f.created {
		s = append(s, c.Env["SAMWISE_TOKEN"], c.APIKey)
	}
	return s
}

// scanLogs fails the test when a log file under dir contains a secret or a presigned
// URL's signature.
func scanLogs(t *testing.T, dir string, secrets []string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	if len(files) < 2 {
		t.Fatalf("only %d log files to scan in %s", len(files), dir)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			t.Fatalf("%s is empty: nothing was scanned", file)
		}
		for _, s := range append(secrets, "X-Amz-Signature=") {
			if s != "" && strings.Contains(string(data), s) {
				t.Errorf("%s contains a secret (%.8s…)", filepath.Base(file), s)
			}
		}
	}
	t.Logf("scanned %d log files for %d secrets", len(files), len(secrets))
}

// logDir is where a test's processes log; with SAMWISE_TEST_LOGS set the files are kept
// there (one folder per test) for a look after the run.
func logDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if keep := os.Getenv("SAMWISE_TEST_LOGS"); keep != "" {
		t.Cleanup(func() {
			files, _ := filepath.Glob(filepath.Join(dir, "*.log"))
			dst := filepath.Join(keep, t.Name())
			os.MkdirAll(dst, 0o755)
			for _, file := range files {
				data, _ := os.ReadFile(file)
				os.WriteFile(filepath.Join(dst, filepath.Base(file)), data, 0o644)
			}
		})
	}
	return dir
}

// storage is versitygw with the bucket the engines use, behind a fault-injecting proxy.
func storage(t *testing.T) *s3test.Proxy {
	t.Helper()
	srv := s3test.Start(t)
	srv.CreateBucket(t, "samwise")
	return s3test.NewProxy(t, srv)
}

// localEnv is the local engine's environment under burst: auto with a tiny threshold.
// The Vast key and the R2 secret go through `engine secrets set` (the file backend); the
// rest through environment variables.
func localEnv(t *testing.T, dataDir string, f *fleet, s3 *s3test.Proxy, extra ...string) []string {
	t.Helper()
	for name, value := range map[string]string{"vast_api_key": vastKey, "r2_secret_access_key": r2Secret} {
		cmd := exec.Command(engineBin, "secrets", "set", "--data-dir", dataDir, "--secrets", "file", name)
		cmd.Stdin = strings.NewReader(value + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("engine secrets set %s: %v\n%s", name, err, out)
		}
	}
	env := append(baseEnv(t), "SAMWISE_LISTEN=127.0.0.1:0", "SAMWISE_DATA_DIR="+dataDir,
		"SAMWISE_BURST=auto", "SAMWISE_BURST_THRESHOLD=1ms", "SAMWISE_BURST_OWNER=e2e", "SAMWISE_SECRETS=file",
		"SAMWISE_WORKER_URL="+f.URL(), "SAMWISE_WORKER_IMAGE=samwise-worker:e2e", "SAMWISE_WORKER_POLL=200ms",
		"SAMWISE_VAST_URL="+f.vast.BaseURL(), "SAMWISE_WORKER_TUNNEL_TOKEN="+tunnelToken,
		"SAMWISE_R2_ENDPOINT="+s3.URL, "SAMWISE_R2_BUCKET=samwise", "SAMWISE_R2_PREFIX=e2e/", "SAMWISE_R2_PATH_STYLE=true",
		"SAMWISE_R2_ACCESS_KEY_ID="+r2KeyID)
	return append(env, extra...)
}

// video writes a generated video and returns its path.
func video(t *testing.T, frames int) (string, *synth.MovingScene) {
	t.Helper()
	sc := synth.StandardVideo(frames)
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := sc.Encode(context.Background(), path, 30); err != nil {
		t.Fatal(err)
	}
	return path, sc
}

// session uploads the video to p, opens a session and prompts blue (1) and red (2) on
// frame 0.
func session(t *testing.T, p *proc, path string, sc *synth.MovingScene) string {
	t.Helper()
	ctx := context.Background()
	s, err := p.Client.CreateSession(ctx, upload(t, p, path))
	if err != nil {
		t.Fatal(err)
	}
	for id, name := range map[int]string{1: "blue", 2: "red"} {
		x0, y0, x1, y1, _ := sc.Truth(name, 0).BBox()
		if _, err := p.Client.Annotate(ctx, s.SessionID, &api.VideoAnnotationRequest{Frame: 0, ObjectID: id,
			Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}}); err != nil {
			t.Fatal(err)
		}
	}
	return s.SessionID
}

// upload sends the video to p and returns its media id.
func upload(t *testing.T, p *proc, path string) string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	m, err := p.Client.Upload(context.Background(), "video.mp4", fh)
	if err != nil {
		t.Fatal(err)
	}
	return m.MediaID
}

func propagate(t *testing.T, p *proc, sid string, req api.PropagateRequest) string {
	t.Helper()
	acc, err := p.Client.Propagate(context.Background(), sid, &req)
	if err != nil {
		t.Fatal(err)
	}
	return acc.JobID
}

// waitJob polls a job until cond holds; seen gets every state observed.
func waitJob(t *testing.T, p *proc, id string, cond func(*api.Job) bool, seen func(*api.Job)) *api.Job {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		j, err := p.Client.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if seen != nil {
			seen(j)
		}
		if cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: %s %+v remote %+v after 5 minutes", id, j.State, j.Progress, j.Remote)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ended(j *api.Job) bool {
	return j.State != api.JobQueued && j.State != api.JobRunning
}

// frames reads every frame a job committed: frame → object → RLE counts.
func frames(t *testing.T, p *proc, id string) map[int]map[int]string {
	return enginetest.JobMasks(t, p.Client, id)
}

// kept fails unless every mask of before is in after unchanged (after event).
func kept(t *testing.T, before, after map[int]map[int]string, event string) {
	t.Helper()
	for fr, objs := range before {
		for obj, counts := range objs {
			if after[fr][obj] != counts {
				t.Fatalf("frame %d object %d changed after %s", fr, obj, event)
			}
		}
	}
}

// waitFor polls cond for up to two minutes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
