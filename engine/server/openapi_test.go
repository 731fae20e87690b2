package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/apigen"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/server"
)

// TestOpenAPIMatchesTheTypes checks the served document describes every
// endpoint and equals docs/openapi.json (regenerate it with
// `go run ./engine/apigen/cmd -openapi docs/openapi.json` or `make generate`).
func TestOpenAPIMatchesTheTypes(t *testing.T) {
	e := enginetest.Start(t)
	resp, err := http.Get(e.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(served, &doc); err != nil {
		t.Fatal(err)
	}
	for _, ep := range api.Endpoints {
		if _, ok := doc.Paths[ep.Path][lower(ep.Method)]; !ok {
			t.Errorf("%s %s is missing from /openapi.json", ep.Method, ep.Path)
		}
	}
	want, err := apigen.OpenAPI(server.Version, api.Endpoints)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "docs", "openapi.json"))
	if err != nil {
		t.Fatalf("docs/openapi.json: %v (run make generate)", err)
	}
	if !bytes.Equal(committed, want) {
		t.Error("docs/openapi.json is out of date with the API types: run make generate")
	}
	if !bytes.Equal(served, want) {
		t.Error("the served /openapi.json differs from the generated one")
	}
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }
