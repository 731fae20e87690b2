//go:build integration

package app_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/client"
)

// running reports whether pid runs (not a zombie).
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	return !strings.HasPrefix(strings.TrimSpace(s[strings.LastIndexByte(s, ')')+1:]), "Z")
}

func TestTheRealEngineIsSupervised(t *testing.T) {
	sup := startEngine(t)
	st := sup.Status()
	ep, err := sup.Endpoint()
	if err != nil {
		t.Fatal(err)
	}
	tok := ep.Token.Reveal()

	// The token is in the child's environment, not on its command line.
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", st.PID))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if strings.Contains(string(cmdline), tok) || args[1] != "serve" || !strings.Contains(string(cmdline), "--allow-local-paths") {
		t.Errorf("engine command line = %q", args)
	}
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", st.PID))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(environ), "SAMWISE_TOKEN="+tok+"\x00") {
		t.Error("the token is not in the engine's environment")
	}

	// The engine requires exactly that token.
	with, _ := client.New(ep.URL.String(), ep.Token, nil)
	if _, err := with.Media(context.Background(), "ffffffffffffffffffffffff"); !client.IsStatus(err, 404) {
		t.Errorf("with the token: %v, want a 404 for an unknown media", err)
	}
	without, _ := client.New(ep.URL.String(), "", nil)
	if _, err := without.Media(context.Background(), "ffffffffffffffffffffffff"); !client.IsStatus(err, 401) {
		t.Errorf("without the token: %v, want 401", err)
	}

	// A crash is followed by a new, ready engine.
	if err := syscall.Kill(st.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	st2 := waitReady(t, sup, st.PID)
	if st2.Restarts != 1 || !strings.Contains(st2.LastError, "killed") {
		t.Errorf("status after the crash = %+v", st2)
	}
	if running(st.PID) {
		t.Errorf("the killed engine %d still runs", st.PID)
	}
	ep2, err := sup.Endpoint()
	if err != nil {
		t.Fatal(err)
	}
	with2, _ := client.New(ep2.URL.String(), ep2.Token, nil)
	if _, err := with2.Health(context.Background()); err != nil {
		t.Errorf("the restarted engine: %v", err)
	}

	// Close stops it gracefully; its output is in the rotating log.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sup.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if running(st2.PID) {
		t.Errorf("engine %d runs after Close", st2.PID)
	}
	log, err := os.ReadFile(st2.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(log), "engine listening on http://127.0.0.1:") != 2 || !strings.Contains(string(log), `"msg":"shutting down"`) {
		t.Errorf("engine.log lacks the two starts and the graceful stop:\n%s", log)
	}
}
