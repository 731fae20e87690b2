// Package docker_test checks the GPU worker image's Dockerfile and entrypoint without
// Docker (no daemon runs here, so the image is not built by the tests): the pieces the
// worker needs are present and pinned, and no secret is baked in.
package docker_test

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	Cmd  string // upper-case keyword
	Args string
	Line int
}

// parse reads a Dockerfile: comments and blank lines are skipped, lines ending in "\" are
// joined with the next.
func parse(t *testing.T, path string) []instruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	var cur strings.Builder
	start, n := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		full := cur.String()
		cur.Reset()
		cmd, args, _ := strings.Cut(full, " ")
		out = append(out, instruction{Cmd: strings.ToUpper(cmd), Args: strings.Join(strings.Fields(args), " "), Line: start})
	}
	if cur.Len() != 0 {
		t.Fatal("the Dockerfile ends in a continuation line")
	}
	return out
}

func find(ins []instruction, cmd string, pattern string) *instruction {
	re := regexp.MustCompile(pattern)
	for i := range ins {
		if ins[i].Cmd == cmd && re.MatchString(ins[i].Args) {
			return &ins[i]
		}
	}
	return nil
}

func TestDockerfileHasTheWorkersPieces(t *testing.T) {
	ins := parse(t, "Dockerfile")
	known := map[string]bool{"FROM": true, "ARG": true, "RUN": true, "COPY": true, "ENV": true, "VOLUME": true, "HEALTHCHECK": true, "ENTRYPOINT": true, "WORKDIR": true}
	for _, in := range ins {
		if !known[in.Cmd] {
			t.Errorf("line %d: unexpected instruction %s", in.Line, in.Cmd)
		}
	}
	for _, want := range []struct{ cmd, pattern, why string }{
		{"ARG", `^CUDA_IMAGE=nvidia/cuda:12\.[0-9.]+-cudnn-runtime-`, "a CUDA 12 runtime base with cuDNN (ONNX Runtime GPU needs both)"},
		{"FROM", `^\$\{CUDA_IMAGE\}$`, "the final stage on the CUDA runtime base"},
		{"FROM", `^\$\{GO_IMAGE\} AS build$`, "a build stage for the engine"},
		{"RUN", `CGO_ENABLED=1 go build .* -o /out/engine \./engine`, "the engine binary built with cgo"},
		{"COPY", `^--from=build /out/engine /usr/local/bin/engine$`, "the engine binary in the image"},
		{"COPY", `^ONNXRUNTIME_VERSION `, "the pinned ONNX Runtime version file"},
		{"RUN", `onnxruntime-linux-x64-gpu-\$\{v\}\.tgz`, "the GPU build of ONNX Runtime of that version"},
		{"RUN", `libonnxruntime_providers_cuda\.so`, "a check that the CUDA provider is there"},
		{"ARG", `^CLOUDFLARED_VERSION=\d{4}\.\d+\.\d+$`, "a pinned cloudflared release"},
		{"RUN", `cloudflared/releases/download/\$\{CLOUDFLARED_VERSION\}/cloudflared-linux-amd64`, "cloudflared downloaded at that release"},
		{"RUN", `apt-get install .*ffmpeg`, "ffmpeg for reading video"},
		{"ENV", `SAMWISE_ORT_LIB=/opt/onnxruntime/lib/libonnxruntime\.so`, "the engine pointed at the GPU runtime"},
		{"ENV", `SAMWISE_PROVIDER=cuda`, "the CUDA execution provider"},
		{"ENV", `SAMWISE_TUNNEL=true`, "cloudflared supervised by the engine"},
		{"ENV", `SAMWISE_ALLOW_MEDIA_URLS=true`, "media fetched by presigned URL"},
		{"ENV", `SAMWISE_LISTEN=127\.0\.0\.1:`, "the engine on loopback, reached only through the tunnel"},
		{"ENV", `SAMWISE_DATA_DIR=/data`, "data (models) in the volume"},
		{"VOLUME", `^/data$`, "a volume for the models pulled at first start"},
		{"HEALTHCHECK", `CMD curl -fsS "http://\$\{SAMWISE_LISTEN\}/health".*\$\{SAMWISE_TUNNEL_METRICS\}/ready`, "a health check of the engine and the tunnel"},
		{"ENTRYPOINT", `^\["/usr/bin/tini", "--", "/usr/local/bin/samwise-worker"\]$`, "an exec-form entrypoint under an init"},
		{"COPY", `^build/docker/entrypoint\.sh /usr/local/bin/samwise-worker$`, "the entrypoint script"},
	} {
		if find(ins, want.cmd, want.pattern) == nil {
			t.Errorf("no %s matching %q: the image needs %s", want.cmd, want.pattern, want.why)
		}
	}
	// Secrets come from the instance environment, never from the image.
	secretish := regexp.MustCompile(`(?i)(TOKEN|API_KEY|SECRET|PASSWORD)\s*=`)
	for _, in := range ins {
		if (in.Cmd == "ENV" || in.Cmd == "ARG") && secretish.MatchString(in.Args) {
			t.Errorf("line %d bakes a secret into the image: %s %s", in.Line, in.Cmd, in.Args)
		}
	}
}

func TestONNXRuntimeVersionIsPinnedOnce(t *testing.T) {
	v, err := os.ReadFile("../../ONNXRUNTIME_VERSION")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+\n?$`).Match(v) {
		t.Fatalf("ONNXRUNTIME_VERSION = %q", v)
	}
	data, _ := os.ReadFile("Dockerfile")
	if strings.Contains(string(data), strings.TrimSpace(string(v))) {
		t.Error("the Dockerfile repeats the ONNX Runtime version instead of reading ONNXRUNTIME_VERSION")
	}
}

func TestGoVersionMatchesGoMod(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("no go directive in go.mod")
	}
	if in := find(parse(t, "Dockerfile"), "ARG", `^GO_IMAGE=golang:`+regexp.QuoteMeta(string(m[1]))+`-`); in == nil {
		t.Errorf("the build image's Go is not go.mod's %s", m[1])
	}
}

func TestEntrypoint(t *testing.T) {
	data, err := os.ReadFile("entrypoint.sh")
	if err != nil {
		t.Fatal(err)
	}
	script := string(data)
	st, _ := os.Stat("entrypoint.sh")
	if st.Mode()&0o111 == 0 {
		t.Error("entrypoint.sh is not executable")
	}
	if out, err := exec.Command("sh", "-n", "entrypoint.sh").CombinedOutput(); err != nil {
		t.Fatalf("sh -n entrypoint.sh: %v\n%s", err, out)
	}
	for _, want := range []string{"set -eu", "engine models list --json", `engine models pull "${model}"`, `exec engine serve "$@"`} {
		if !strings.Contains(script, want) {
			t.Errorf("entrypoint.sh lacks %q", want)
		}
	}
}

func TestDockerignoreKeepsTheContextSmall(t *testing.T) {
	data, err := os.ReadFile("Dockerfile.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**/node_modules", "build/lib", ".git"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("Dockerfile.dockerignore lacks %s", want)
		}
	}
}
