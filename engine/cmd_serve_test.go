package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/internal/syncbuf"
)

// TestServeShutsDownGracefully starts `engine serve`, checks it answers,
// then cancels it (SIGINT/SIGTERM do the same) and expects a clean return.
func TestServeShutsDownGracefully(t *testing.T) {
	var out, errb syncbuf.Buffer
	env := map[string]string{"SAMWISE_DATA_DIR": t.TempDir(), "SAMWISE_PROVIDER": "cpu", "SAMWISE_LOG_LEVEL": "warn", "SAMWISE_LISTEN": "127.0.0.1:0"}
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	var url string
	deadline := time.Now().Add(30 * time.Second)
	for url == "" {
		if f := strings.Fields(out.String()); len(f) >= 4 && f[1] == "listening" {
			url = f[3]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stderr:\n%s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "demo-tracker (demo — not SAM 3)") {
		t.Errorf("the start line does not name the model: %q", out.String())
	}
	resp, err := http.Get(url + "/ready")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/ready: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancellation", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s of cancellation")
	}
	if _, err := http.Get(url + "/health"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}
