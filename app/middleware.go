package app

import (
	"bytes"
	_ "embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/app/proxy"
)

// BridgePath serves bridge.js, which defines window.samwise.
const BridgePath = "/samwise/bridge.js"

//go:embed bridge.js
var bridgeJS []byte

var bridgeTag = []byte(`<script src="` + BridgePath + `"></script>`)

// Middleware is the AssetServer middleware (assetserver.Options.Middleware):
// engine paths go to engine (the proxy), BridgePath is served here, and
// index.html gets the bridge script; everything else goes to the
// frontend's assets (next).
func Middleware(engine http.Handler) func(next http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case proxy.Handles(r.URL.Path):
				engine.ServeHTTP(w, r)
			case r.URL.Path == BridgePath:
				w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
				w.Header().Set("Cache-Control", "no-cache")
				w.Write(bridgeJS)
			case r.Method == http.MethodGet && isIndex(r.URL.Path):
				serveIndexWithBridge(next, w, r)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// isIndex matches the paths Wails serves index.html for.
func isIndex(path string) bool {
	return path == "" || strings.HasSuffix(path, "/") || strings.HasSuffix(path, "/index.html")
}

// serveIndexWithBridge serves next's index.html with the bridge script
// added to its head (before the page's own scripts, which are modules and
// run later anyway).
func serveIndexWithBridge(next http.Handler, w http.ResponseWriter, r *http.Request) {
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status == http.StatusOK && strings.Contains(rec.header.Get("Content-Type"), "text/html") {
		body = injectBridge(body)
		rec.header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(body)
}

// injectBridge puts the bridge tag at the start of <head> (or of the
// document when it has none).
func injectBridge(html []byte) []byte {
	lower := bytes.ToLower(html)
	at := 0
	if i := bytes.Index(lower, []byte("<head")); i >= 0 {
		if j := bytes.IndexByte(lower[i:], '>'); j >= 0 {
			at = i + j + 1
		}
	}
	out := make([]byte, 0, len(html)+len(bridgeTag))
	out = append(out, html[:at]...)
	out = append(out, bridgeTag...)
	return append(out, html[at:]...)
}

// recorder buffers a response (index.html is small).
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.body.Write(p)
}
