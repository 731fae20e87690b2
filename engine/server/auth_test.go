package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
)

// TestEveryV1RouteNeedsTheToken walks api.Endpoints: with a token configured,
// /v1 routes answer 401 without it or with a wrong one; public routes stay
// open.
func TestEveryV1RouteNeedsTheToken(t *testing.T) {
	e := enginetest.Start(t, enginetest.WithToken("s3cret-token"))
	fill := strings.NewReplacer("{media_id}", "0123456789abcdef01234567", "{name}", "0123456789abcdef0123456789abcdef.png",
		"{session_id}", "s1", "{job_id}", "j1")
	checked := 0
	for _, ep := range api.Endpoints {
		path := fill.Replace(ep.Path)
		for _, auth := range []string{"", "Bearer wrong", "s3cret-token", "Basic czNjcmV0LXRva2Vu"} {
			req, _ := http.NewRequest(ep.Method, e.URL+path, strings.NewReader("{}"))
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if ep.Public {
				if resp.StatusCode == http.StatusUnauthorized {
					t.Errorf("%s %s is public but answered 401", ep.Method, path)
				}
				continue
			}
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with Authorization %q answered %d, want 401", ep.Method, path, auth, resp.StatusCode)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", ep.Method, path)
			}
			checked++
		}
	}
	if checked < 8 {
		t.Fatalf("only %d protected checks ran", checked)
	}
	// With the right token the client works.
	if _, err := e.Client.Media(t.Context(), "0123456789abcdef01234567"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("authorised request: %v, want a 404 for an unknown id", err)
	}
	resp, err := http.Get(e.URL + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/health without a token: %v %v", resp, err)
	}
}

func TestCORSOnlyForConfiguredOrigins(t *testing.T) {
	e := enginetest.Start(t, func(c *config.Config) { c.CORSOrigins = []string{"https://app.example"} })
	for _, c := range []struct {
		origin string
		allow  bool
	}{{"https://app.example", true}, {"https://evil.example", false}} {
		req, _ := http.NewRequest("OPTIONS", e.URL+"/v1/pvs/image", nil)
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Access-Control-Allow-Origin")
		if c.allow && (resp.StatusCode != http.StatusNoContent || got != c.origin || resp.Header.Get("Access-Control-Allow-Headers") == "") {
			t.Errorf("%s: preflight %d, allow-origin %q", c.origin, resp.StatusCode, got)
		}
		if !c.allow && got != "" {
			t.Errorf("%s is not configured but got Access-Control-Allow-Origin %q", c.origin, got)
		}
	}
}
