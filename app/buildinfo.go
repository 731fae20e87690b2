package app

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// Version is set at build time: -ldflags "-X github.com/samwise-app/samwise/app.Version=v1.2.3".
var Version = "dev"

// BuildInfo describes the running binary.
type BuildInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	// Tags are the build tags (-tags) the binary was built with.
	Tags     []string `json:"tags"`
	Revision string   `json:"revision,omitempty"`
	Modified bool     `json:"modified,omitempty"`
	Wails    string   `json:"wails,omitempty"`
}

// ReadBuildInfo reads the binary's own build information.
func ReadBuildInfo() BuildInfo {
	b := BuildInfo{Version: Version}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.GoVersion = bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "-tags":
			b.Tags = strings.Split(s.Value, ",")
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	for _, d := range bi.Deps {
		if d.Path == "github.com/wailsapp/wails/v2" {
			b.Wails = d.Version
		}
	}
	return b
}

// WailsBuild reports whether the binary was built with the tags that make
// wails.Run open a window (desktop or dev; production alone is not enough).
func (b BuildInfo) WailsBuild() bool {
	return slices.Contains(b.Tags, "desktop") || slices.Contains(b.Tags, "dev")
}

// Summary is one line for --version and Help > About.
func (b BuildInfo) Summary() string {
	kind := "built WITHOUT the Wails tags"
	if b.WailsBuild() {
		kind = "desktop build"
	}
	s := fmt.Sprintf("%s, tags %s, wails %s, %s", kind, strings.Join(b.Tags, ","), b.Wails, b.GoVersion)
	if rev := b.Revision; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if b.Modified {
			rev += "+dirty"
		}
		s += ", revision " + rev
	}
	return s
}
