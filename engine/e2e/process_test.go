//go:build integration

// Package e2e tests the engine as users run it: the real binary in its own
// process, killed and restarted.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/ort"
)

var engineBin string

func TestMain(m *testing.M) { enginetest.RunWithEngine(m, &engineBin) }

// proc is a running engine process.
type proc struct {
	cmd    *exec.Cmd
	URL    string
	Client *client.Client
	done   chan error
}

// startEngine runs `engine serve` on dataDir with extra environment and
// waits until it prints its URL and /ready answers.
func startEngine(t *testing.T, dataDir string, env ...string) *proc {
	t.Helper()
	lib, _, err := ort.FindLibrary("")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(engineBin, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--log-level", "warn")
	cmd.Env = append(os.Environ(), append([]string{"SAMWISE_ORT_LIB=" + lib, "SAMWISE_PROVIDER=cpu"}, env...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 4 && f[0] == "engine" && f[1] == "listening" {
				urls <- f[3]
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.kill() })
	select {
	case p.URL = <-urls:
	case err := <-p.done:
		t.Fatalf("the engine exited before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the engine did not print its URL within 60 s")
	}
	p.Client, _ = client.New(p.URL, "", nil)
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := p.Client.Ready(context.Background())
		if err == nil && r.Ready {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the engine is not ready: %+v %v", r, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL (a crash: no cleanup runs) and waits for the exit.
func (p *proc) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
}

// anonMemory is the process's resident anonymous memory in bytes (Linux
// /proc RssAnon): heap, stacks and arenas, without the mapped files (the
// database, the libraries) whose pages come and go with the page cache.
func (p *proc) anonMemory(t *testing.T) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "RssAnon:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no RssAnon in /proc status")
	return 0
}

func (p *proc) job(t *testing.T, id string) *api.Job {
	t.Helper()
	var j api.Job
	if err := p.Client.Do(context.Background(), "GET", "/v1/jobs/"+id, nil, &j); err != nil {
		t.Fatal(err)
	}
	return &j
}

// jobFrames reads every frame a job has committed: frame → RLE counts per object.
func (p *proc) jobFrames(t *testing.T, id string) map[int]map[int]string {
	return enginetest.JobMasks(t, p.Client, id)
}
