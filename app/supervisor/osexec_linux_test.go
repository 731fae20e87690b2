package supervisor_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/app/supervisor"
)

// The Pdeathsig test runs this test binary as a stand-in app: it starts a
// child with OSExec, prints the child's pid and waits to be killed.
func TestMain(m *testing.M) {
	if os.Getenv("SUPERVISOR_TEST_APP") == "1" {
		p, err := supervisor.OSExec(supervisor.Spec{Path: "/bin/sleep", Args: []string{"300"}, Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("child", p.Pid())
		select {}
	}
	os.Exit(m.Run())
}

// gone reports whether pid no longer runs (absent, or a zombie nobody reaped
// yet).
func gone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// pid (comm) STATE ...: comm may hold spaces, the state follows the last ')'.
	s := string(b)
	rest := s[strings.LastIndexByte(s, ')')+1:]
	return strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

func waitGone(t *testing.T, pid int, what string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("%s (pid %d) still runs", what, pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startShell runs script under sh with OSExec and returns the process and
// the pid of the background sleep the script prints.
func startShell(t *testing.T, script string) (supervisor.Process, int) {
	t.Helper()
	pr, pw := io.Pipe()
	p, err := supervisor.OSExec(supervisor.Spec{Path: "/bin/sh", Args: []string{"-c", script}, Stdout: pw, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	grandchild, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("script printed %q", line)
	}
	t.Cleanup(func() { p.Kill() })
	return p, grandchild
}

func TestTerminateReachesTheWholeProcessGroup(t *testing.T) {
	p, grandchild := startShell(t, `sleep 300 & echo $!; wait`)
	if err := p.Terminate(); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(); err == nil || !strings.Contains(err.Error(), "terminated") {
		t.Errorf("wait = %v, want terminated by the signal", err)
	}
	waitGone(t, grandchild, "the engine's own child")
	if err := p.Kill(); err != nil {
		t.Errorf("kill after exit: %v", err)
	}
}

func TestKillStopsAGroupThatIgnoresTerminate(t *testing.T) {
	p, grandchild := startShell(t, `trap '' TERM; sleep 300 & echo $!; wait`)
	if err := p.Terminate(); err != nil {
		t.Fatal(err)
	}
	if gone(grandchild) {
		t.Fatal("the group ignoring SIGTERM died of it")
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("wait = %v, want killed", err)
	}
	waitGone(t, grandchild, "the engine's own child")
}

func TestTheEngineDiesWithACrashedApp(t *testing.T) {
	app := exec.Command(os.Args[0], "-test.run=^$")
	app.Env = append(os.Environ(), "SUPERVISOR_TEST_APP=1")
	out, err := app.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	app.Stderr = os.Stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		app.Process.Kill()
		t.Fatal(err)
	}
	pidText, ok := strings.CutPrefix(strings.TrimSpace(line), "child ")
	child, err := strconv.Atoi(pidText)
	if !ok || err != nil {
		app.Process.Kill()
		t.Fatalf("the stand-in app said %q", line)
	}
	if gone(child) {
		t.Fatal("the child is not running")
	}
	app.Process.Kill() // SIGKILL: the app has no chance to stop its child
	app.Wait()
	waitGone(t, child, "the child of the killed app")
}

func TestOSExecReportsAMissingBinary(t *testing.T) {
	_, err := supervisor.OSExec(supervisor.Spec{Path: "/nonexistent/engine"})
	if err == nil {
		t.Fatal("started a missing binary")
	}
}
