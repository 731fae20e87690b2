package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/app"
)

// assets stands in for the AssetServer's file handler.
func assets(index string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/", "/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, index)
		case "/assets/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "console.log(1)")
		default:
			http.NotFound(w, r)
		}
	})
}

func serve(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestMiddlewareRoutesEnginePathsToTheProxy(t *testing.T) {
	engine := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "engine:"+r.Method+" "+r.URL.Path) })
	h := app.Middleware(engine)(assets("<html></html>"))
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/v1/media", "engine:GET /v1/media"},
		{"POST", "/v1/pvs/image", "engine:POST /v1/pvs/image"},
		{"GET", "/ready", "engine:GET /ready"},
		{"GET", "/openapi.json", "engine:GET /openapi.json"},
		{"GET", "/assets/app.js", "console.log(1)"},
	} {
		if got := serve(h, tc.method, tc.path).Body.String(); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestMiddlewareInjectsTheBridgeIntoIndexHTML(t *testing.T) {
	tag := `<script src="` + app.BridgePath + `"></script>`
	for _, tc := range []struct{ index, want string }{
		{`<!doctype html><html><HEAD lang="en"><title>x</title><script type="module" src="/assets/app.js"></script></head><body></body></html>`,
			`<!doctype html><html><HEAD lang="en">` + tag + `<title>x</title>`},
		{`<p>no head</p>`, tag + `<p>no head</p>`},
	} {
		h := app.Middleware(http.NotFoundHandler())(assets(tc.index))
		for _, path := range []string{"/", "/index.html"} {
			rec := serve(h, "GET", path)
			body := rec.Body.String()
			if !strings.HasPrefix(body, tc.want) || strings.Count(body, tag) != 1 {
				t.Errorf("GET %s = %q, want it to start with %q", path, body, tc.want)
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length = %s for %d bytes", cl, len(body))
			}
		}
	}
}

func TestMiddlewareServesTheBridge(t *testing.T) {
	h := app.Middleware(http.NotFoundHandler())(assets(""))
	rec := serve(h, "GET", app.BridgePath)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("bridge: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	for _, name := range []string{"openDialog", "OpenDialog", "openImages", "saveExport", "SaveExport", "onOpenPaths", app.EventOpenPaths, app.EventEngine, app.EventUndo, app.EventRedo, app.EventExport, app.EventImport, "window.go.app.Desktop"} {
		if !strings.Contains(body, name) {
			t.Errorf("bridge.js lacks %q", name)
		}
	}
}

func TestMiddlewareLeavesOtherAnswersAlone(t *testing.T) {
	notHTML := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "<head>")
	})
	if got := serve(app.Middleware(nil)(notHTML), "GET", "/").Body.String(); got != "<head>" {
		t.Errorf("a non-HTML index was changed: %q", got)
	}
	rec := serve(app.Middleware(nil)(assets("")), "GET", "/missing/")
	if rec.Code != 404 || strings.Contains(rec.Body.String(), app.BridgePath) {
		t.Errorf("a 404 index = %d %q", rec.Code, rec.Body.String())
	}
}
