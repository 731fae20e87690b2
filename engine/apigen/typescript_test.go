package apigen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/apigen"
)

// TestTypeScriptIsCurrent fails when frontend/src/api/types.gen.ts is not
// what the API types generate (regenerate with
// `go run ./engine/apigen/cmd -ts frontend/src/api/types.gen.ts`).
func TestTypeScriptIsCurrent(t *testing.T) {
	want := apigen.TypeScript(api.Endpoints, apigen.TypeScriptTypes)
	got, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "api", "types.gen.ts"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("frontend/src/api/types.gen.ts is stale: run go run ./engine/apigen/cmd -ts frontend/src/api/types.gen.ts")
	}
}

func TestTypeScriptShapes(t *testing.T) {
	type inner struct {
		A int `json:"a"`
	}
	type sample struct {
		Pair     [2]float64         `json:"pair"`
		Points   [][2]float64       `json:"points,omitempty"`
		Opt      *inner             `json:"opt,omitempty"`
		Next     *int               `json:"next"`
		Bytes    []byte             `json:"bytes"`
		Masks    map[string]api.RLE `json:"masks"`
		Any      any                `json:"any,omitempty"`
		Skip     string             `json:"-"`
		Untagged bool
	}
	ep := []api.Endpoint{{Method: "GET", Path: "/x", Response: sample{}}, {Method: "GET", Path: "/file", Produces: "image/png"}}
	out := string(apigen.TypeScript(ep, nil))
	for _, want := range []string{
		"export interface sample {\n  pair: [number, number];\n  points?: [number, number][];\n  opt?: inner;\n  next: number | null;\n  bytes: string;\n  masks: Record<string, RLE>;\n  any?: unknown;\n  Untagged: boolean;\n}\n",
		"export interface RLE {\n  size: [number, number];\n  counts: string;\n}\n",
		"export interface inner {\n  a: number;\n}\n",
		`"GET /x": { request: never; response: sample };`,
		`"GET /file": { request: never; response: Blob };`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\ngot:\n%s", want, out)
		}
	}
	if again := string(apigen.TypeScript(ep, nil)); again != out {
		t.Error("the output is not deterministic")
	}
}
