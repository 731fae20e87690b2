// Command fakecloudflared stands in for cloudflared in the tunnel supervisor's tests. It
// accepts the documented command line (reference/remote.md §2.1: `tunnel` with
// --no-autoupdate, --protocol, --metrics, then `run`, the token in TUNNEL_TOKEN or
// --token), prints console log lines in cloudflared's format, and serves the metrics
// endpoints of §2.3: /ready (503 until "connected", then 200 with readyConnections) and
// /healthcheck. It never contacts Cloudflare.
//
// Its behaviour comes from files beside the binary, so a test can steer it without adding
// environment variables (the supervisor passes only a few):
//
//	<binary>.crashes      a number: exit with status 1 for this many starts
//	<binary>.connected    exists: /ready reports 4 connections
//	<binary>.leak         exists: print the token in a log line (the supervisor must scrub it)
//
// Every start appends one JSON line {pid, args, env} to <binary>.runs.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func logf(level, format string, a ...any) {
	fmt.Fprintf(os.Stderr, "%s %s %s\n", time.Now().UTC().Format(time.RFC3339), level, fmt.Sprintf(format, a...))
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func main() {
	self, _ := os.Executable()
	rec, _ := json.Marshal(map[string]any{"pid": os.Getpid(), "args": os.Args[1:], "env": os.Environ()})
	if f, err := os.OpenFile(self+".runs", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		f.Write(append(rec, '\n'))
		f.Close()
	}

	args := os.Args[1:]
	if len(args) == 0 || args[0] != "tunnel" {
		logf("ERR", "usage: cloudflared tunnel [flags] run")
		os.Exit(2)
	}
	metrics, token, sawRun := "localhost:20241", os.Getenv("TUNNEL_TOKEN"), false
	for i := 1; i < len(args); i++ {
		switch a := args[i]; a {
		case "run":
			sawRun = true
		case "--no-autoupdate":
		case "--protocol", "--metrics", "--token":
			if i+1 >= len(args) {
				logf("ERR", "flag needs an argument: %s", a)
				os.Exit(2)
			}
			i++
			if a == "--metrics" {
				metrics = args[i]
			}
			if a == "--token" {
				token = args[i]
			}
		default:
			logf("ERR", "flag provided but not defined: %s", a)
			os.Exit(2)
		}
	}
	if !sawRun {
		logf("ERR", "no subcommand: want run")
		os.Exit(2)
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	var tok struct{ A, S, T string }
	if err != nil || json.Unmarshal(raw, &tok) != nil || tok.A == "" || tok.S == "" || tok.T == "" {
		logf("ERR", "Provided Tunnel token is not valid.")
		os.Exit(1)
	}

	crashFile := self + ".crashes"
	if data, err := os.ReadFile(crashFile); err == nil {
		if n, _ := strconv.Atoi(strings.TrimSpace(string(data))); n > 0 {
			os.WriteFile(crashFile, []byte(strconv.Itoa(n-1)), 0o600)
			logf("ERR", "failed to connect to the edge: simulated crash")
			os.Exit(1)
		}
	}
	if exists(self + ".leak") {
		logf("DBG", "using token %s", token)
	}

	// Catch SIGTERM before /ready can say the tunnel is up: a supervisor
	// that sees it ready may stop it at once.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	ln, err := net.Listen("tcp", metrics)
	if err != nil {
		logf("ERR", "failed to start the metrics server: %v", err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) {
		n, status := 0, http.StatusServiceUnavailable
		if exists(self + ".connected") {
			n, status = 4, http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"status":%d,"readyConnections":%d,"connectorId":"6f1a2b3c-0000-4000-8000-000000000001"}`, status, n)
	})
	mux.HandleFunc("/healthcheck", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "OK") })
	go http.Serve(ln, mux)
	logf("INF", "Starting tunnel tunnelID=%s", tok.T)
	logf("INF", "Starting metrics server on %s/metrics", ln.Addr())
	logf("INF", "Registered tunnel connection connIndex=0 protocol=http2")

	<-sig
	logf("INF", "Initiating graceful shutdown due to signal terminated ...")
	os.Exit(0)
}
