package build_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/mask"
)

// TestGoldenScriptRLEMatchesEngine checks that the COCO RLE strings which
// reference/sam3_tracker_golden.py writes into golden fixtures are exactly
// what engine/mask encodes, so the engine's fidelity test reads them as the
// reference meant them. It runs the script's own helpers (and its self-test)
// in Debian's Python with numpy, which `make test` installs.
func TestGoldenScriptRLEMatchesEngine(t *testing.T) {
	py := pythonWithNumpy(t)
	rng := rand.New(rand.NewPCG(8, 28))
	type sample struct {
		H    int    `json:"h"`
		W    int    `json:"w"`
		Bits string `json:"bits"`
	}
	var samples []sample
	var masks []*mask.Mask
	for _, sz := range [][2]int{{1, 1}, {3, 5}, {64, 48}, {120, 97}, {534, 800}} {
		for _, fill := range []float64{0, 0.03, 0.5, 1} {
			m := mask.New(sz[1], sz[0])
			var b strings.Builder
			for y := range m.H {
				for x := range m.W {
					// Blobs (a box) plus sprinkled noise, so long and short runs both occur.
					on := rng.Float64() < fill || (fill > 0 && fill < 1 && x > m.W/4 && x < m.W/2 && y > m.H/3)
					m.Set(x, y, on)
					bit := byte('0')
					if on {
						bit = '1'
					}
					b.WriteByte(bit)
				}
			}
			samples = append(samples, sample{m.H, m.W, b.String()})
			masks = append(masks, m)
		}
	}
	data, err := json.Marshal(samples)
	if err != nil {
		t.Fatal(err)
	}
	const script = `import json, sys
sys.path.insert(0, "reference")
import numpy as np
import sam3_tracker_golden as g
g.selftest()
masks = json.load(sys.stdin)
print(json.dumps([g.coco_rle(np.array([c == "1" for c in m["bits"]]).reshape(m["h"], m["w"])) for m in masks]))
`
	cmd := exec.Command(py, "-B", "-c", script)
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stderr = bytes.NewReader(data), &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", py, err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if lines[0] != "selftest ok" {
		t.Fatalf("the script's self-test said %q", lines[0])
	}
	var got []mask.RLE
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatalf("reading the script's RLEs: %v", err)
	}
	if len(got) != len(masks) {
		t.Fatalf("%d RLEs for %d masks", len(got), len(masks))
	}
	for i, m := range masks {
		if want := mask.Encode(m); got[i] != want {
			t.Errorf("mask %d (%dx%d): the script wrote %+v, engine/mask encodes %+v", i, m.W, m.H, got[i], want)
		}
	}
}

// pythonWithNumpy returns a Python 3 that imports numpy: the first python3 on
// PATH, else Debian's /usr/bin/python3 (a pyenv or venv python3 may shadow it).
func pythonWithNumpy(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		err := exec.Command(py, "-c", "import numpy").Run()
		if err == nil {
			return py
		}
		tried = append(tried, py+": "+err.Error())
	}
	t.Fatalf("no Python 3 with numpy (build/setup-debian.sh test installs python3-numpy): %s", strings.Join(tried, "; "))
	return ""
}
