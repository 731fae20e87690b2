// Package build_test runs the setup scripts of build/ against stand-ins of the services
// they call: a loopback Cloudflare API built from the documented shapes of
// reference/remote.md §2.5 (the v4 envelope {"success", "errors", "messages", "result"}),
// and the Vast stand-in of remote/vast/vasttest. Neither talks to the real services.
package build_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

const (
	cfToken     = "cf-api-token-0123456789"
	tunnelToken = "eyJhIjoiYWNjdCIsInMiOiJ0dW5uZWwtc2VjcmV0IiwidCI6ImlkIn0="
)

// cloudflare is the stand-in API: tunnels, their configuration and token, DNS records.
type cloudflare struct {
	mu      sync.Mutex
	tunnels map[string]string // name → id
	configs map[string]json.RawMessage
	records []map[string]any
	calls   []string
}

func (c *cloudflare) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, r.Method+" "+r.URL.Path)
	ok := func(result any) {
		json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": result})
	}
	fail := func(status int, msg string) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"success": false, "errors": []any{map[string]any{"code": 1000, "message": msg}}, "messages": []any{}, "result": nil})
	}
	if r.Header.Get("Authorization") != "Bearer "+cfToken {
		fail(403, "Authentication error")
		return
	}
	body, _ := io.ReadAll(r.Body)
	p := strings.TrimPrefix(r.URL.Path, "/client/v4")
	switch {
	case r.Method == "GET" && p == "/accounts/acct/cfd_tunnel":
		var out []any
		if id, ok := c.tunnels[r.URL.Query().Get("name")]; ok && r.URL.Query().Get("is_deleted") == "false" {
			out = append(out, map[string]any{"id": id, "name": r.URL.Query().Get("name"), "status": "inactive"})
		}
		ok(out)
	case r.Method == "POST" && p == "/accounts/acct/cfd_tunnel":
		var in map[string]any
		json.Unmarshal(body, &in)
		if in["name"] == nil || in["config_src"] != "cloudflare" {
			fail(400, "name and config_src cloudflare required")
			return
		}
		id := "6ff42ae2-765d-4adf-8112-31c55c1551ef"
		c.tunnels[in["name"].(string)] = id
		ok(map[string]any{"id": id, "name": in["name"], "status": "inactive", "token": tunnelToken})
	case r.Method == "PUT" && strings.HasSuffix(p, "/configurations"):
		c.configs[p] = body
		ok(map[string]any{"tunnel_id": strings.Split(p, "/")[4], "version": 1, "config": json.RawMessage(body)})
	case r.Method == "GET" && strings.HasSuffix(p, "/token"):
		ok(tunnelToken)
	case r.Method == "GET" && p == "/zones/zone/dns_records":
		var out []any
		for _, rec := range c.records {
			if rec["name"] == r.URL.Query().Get("name") {
				out = append(out, rec)
			}
		}
		ok(out)
	case r.Method == "POST" && p == "/zones/zone/dns_records":
		var rec map[string]any
		json.Unmarshal(body, &rec)
		rec["id"] = "rec1"
		c.records = append(c.records, rec)
		ok(rec)
	default:
		fail(404, "no route "+r.Method+" "+p)
	}
}

// fakeEngine is a script standing in for `engine secrets set`: it records its arguments
// and standard input.
func fakeEngine(t *testing.T) (bin, record string) {
	t.Helper()
	dir := t.TempDir()
	bin, record = filepath.Join(dir, "engine"), filepath.Join(dir, "record")
	script := "#!/bin/sh\necho \"$@\" > " + record + "\ncat >> " + record + "\necho stored >&2\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, record
}

func TestCreateTunnel(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatal("create-tunnel.sh needs jq: apt-get install jq")
	}
	cf := &cloudflare{tunnels: map[string]string{}, configs: map[string]json.RawMessage{}}
	srv := httptest.NewServer(cf)
	defer srv.Close()
	engine, record := fakeEngine(t)
	run := func() string {
		cmd := exec.Command("bash", "create-tunnel.sh", "--name", "samwise-gpu", "--hostname", "gpu.example.com")
		cmd.Env = append(os.Environ(), "CLOUDFLARE_API_TOKEN="+cfToken, "CLOUDFLARE_ACCOUNT_ID=acct", "CLOUDFLARE_ZONE_ID=zone",
			"CLOUDFLARE_API="+srv.URL+"/client/v4", "SAMWISE_ENGINE="+engine)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("create-tunnel.sh: %v\n%s", err, out)
		}
		if strings.Contains(string(out), tunnelToken) || strings.Contains(string(out), cfToken) {
			t.Fatalf("the script printed a token:\n%s", out)
		}
		return string(out)
	}
	out := run()
	if !strings.Contains(out, "SAMWISE_WORKER_URL=https://gpu.example.com") {
		t.Errorf("output:\n%s", out)
	}
	id := cf.tunnels["samwise-gpu"]
	var cfg struct {
		Config struct {
			Ingress []map[string]any `json:"ingress"`
		} `json:"config"`
	}
	json.Unmarshal(cf.configs["/accounts/acct/cfd_tunnel/"+id+"/configurations"], &cfg)
	ing := cfg.Config.Ingress
	if len(ing) != 2 || ing[0]["hostname"] != "gpu.example.com" || ing[0]["service"] != "http://localhost:8000" ||
		ing[1]["service"] != "http_status:404" || ing[1]["hostname"] != nil {
		t.Fatalf("ingress = %v; the last rule must match everything", ing)
	}
	if len(cf.records) != 1 || cf.records[0]["type"] != "CNAME" || cf.records[0]["content"] != id+".cfargotunnel.com" || cf.records[0]["proxied"] != true {
		t.Fatalf("DNS records = %v", cf.records)
	}
	got, _ := os.ReadFile(record)
	if string(got) != "secrets set worker_tunnel_token\n"+tunnelToken+"\n" {
		t.Fatalf("the token was stored as %q", got)
	}
	// Running it again creates nothing new.
	creates := func() int {
		n := 0
		for _, c := range cf.calls {
			if strings.HasPrefix(c, "POST") {
				n++
			}
		}
		return n
	}
	before := creates()
	if out := run(); !strings.Contains(out, "reusing tunnel") || !strings.Contains(out, "already points") {
		t.Errorf("second run:\n%s", out)
	}
	if creates() != before || len(cf.records) != 1 {
		t.Fatal("the second run created a tunnel or a record")
	}
}

func TestWorkersScriptWithCurl(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatal("workers.sh needs jq: apt-get install jq")
	}
	srv := vasttest.NewServer("vk-script")
	defer srv.Close()
	a := srv.AddInstance(map[string]any{"label": "samwise-alice-s1", "actual_status": "running", "gpu_name": "RTX 4090"})
	run := func(args ...string) string {
		cmd := exec.Command("bash", append([]string{"workers.sh"}, args...)...)
		cmd.Env = append(os.Environ(), "SAMWISE_ENGINE=/nonexistent/engine", "VAST_API_KEY=vk-script", "VAST_URL="+srv.BaseURL())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("workers.sh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if out := run("list"); !strings.Contains(out, "samwise-alice-s1") || strings.Contains(out, "vk-script") {
		t.Fatalf("list:\n%s", out)
	}
	run("destroy", itoa(a))
	if srv.Live() != 0 || srv.Count("PUT", "/api/v0/instances/") != 0 {
		t.Fatal("workers.sh destroy did not destroy (or stopped) the instance")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
