package app

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
)

// EventSelfTest carries the page's self-check report (selftest.js).
const EventSelfTest = "samwise:selftest"

//go:embed selftest.js
var selfTestJS string

// SelfTestReport is what selftest.js saw.
type SelfTestReport struct {
	// Bridge: window.samwise was defined by bridge.js.
	Bridge bool `json:"bridge"`
	// Engine is the state EngineStatus (a bound method) returned.
	Engine string `json:"engine"`
	// Ready and Media are the statuses of GET /ready and GET /v1/media
	// through the proxy.
	Ready int    `json:"ready"`
	Media int    `json:"media"`
	Error string `json:"error"`
}

// Problem says what is wrong, or "" when everything worked.
func (r SelfTestReport) Problem() string {
	switch {
	case r.Error != "":
		return "the page failed: " + r.Error
	case !r.Bridge:
		return "window.samwise is missing: bridge.js was not injected"
	case r.Engine != "ready":
		return fmt.Sprintf("the engine is %q, not ready", r.Engine)
	case r.Ready != 200:
		return fmt.Sprintf("GET /ready through the proxy answered %d", r.Ready)
	case r.Media != 200:
		return fmt.Sprintf("GET /v1/media through the proxy answered %d (401: the token was not added)", r.Media)
	}
	return ""
}

// selfTest runs selftest.js in the page and logs its report: "selftest
// passed" or "selftest failed" (build/desktop-smoke.sh reads it).
func (s *Shell) selfTest(ctx context.Context) {
	s.native.On(ctx, EventSelfTest, func(data []any) {
		var r SelfTestReport
		if len(data) > 0 {
			b, _ := json.Marshal(data[0])
			json.Unmarshal(b, &r)
		}
		if p := r.Problem(); p != "" {
			s.log.Error("selftest failed", "problem", p, "report", r)
			return
		}
		s.log.Info("selftest passed", "engine", r.Engine, "ready", r.Ready, "media", r.Media)
	})
	s.native.ExecJS(ctx, selfTestJS)
}
