package burst

import (
	"encoding/json"
	"os"
	"sync"
	"time"

	"github.com/samwise-app/samwise/internal/atomicfile"
)

// DefaultSecondsPerFrameObject is the local speed assumed until a propagation has run
// here: a conservative figure for SAM 3 on a laptop CPU.
const DefaultSecondsPerFrameObject = 0.5

// minUnits is the least work (frames × objects) a run must have to update a speed: small
// runs are dominated by start-up costs.
const minUnits = 8

// alpha weighs a new measurement against the running average.
const alpha = 0.3

// Speed keeps the measured speeds, seconds per frame per object, of this machine and of the
// GPU worker, and the worker's warm-up time, in a small JSON file so they survive restarts.
type Speed struct {
	path string

	mu sync.Mutex
	s  speeds
}

type speeds struct {
	Local          float64 `json:"local_s_per_frame_object"`
	LocalMeasured  bool    `json:"local_measured"`
	Remote         float64 `json:"remote_s_per_frame_object"`
	RemoteMeasured bool    `json:"remote_measured"`
	WarmupS        float64 `json:"warmup_s"`
}

// LoadSpeed reads the speeds kept at path (missing or unreadable: the defaults).
func LoadSpeed(path string) *Speed {
	sp := &Speed{path: path, s: speeds{Local: DefaultSecondsPerFrameObject, WarmupS: 180}}
	if data, err := os.ReadFile(path); err == nil {
		var s speeds
		if json.Unmarshal(data, &s) == nil && s.Local > 0 {
			sp.s = s
		}
	}
	return sp
}

// Local returns this machine's seconds per frame per object, and whether it was measured.
func (sp *Speed) Local() (float64, bool) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.s.Local, sp.s.LocalMeasured
}

// Remote returns the worker's seconds per frame per object, and whether it was measured.
func (sp *Speed) Remote() (float64, bool) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.s.Remote, sp.s.RemoteMeasured
}

// Warmup returns the expected provisioning time.
func (sp *Speed) Warmup() time.Duration {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return time.Duration(sp.s.WarmupS * float64(time.Second))
}

// ObserveLocal records a local run of frames × objects in d.
func (sp *Speed) ObserveLocal(frames, objects int, d time.Duration) {
	sp.observe(frames, objects, d, &sp.s.Local, &sp.s.LocalMeasured)
}

// ObserveRemote records a remote run's tracking time.
func (sp *Speed) ObserveRemote(frames, objects int, d time.Duration) {
	sp.observe(frames, objects, d, &sp.s.Remote, &sp.s.RemoteMeasured)
}

// ObserveWarmup records how long provisioning a worker took.
func (sp *Speed) ObserveWarmup(d time.Duration) {
	sp.mu.Lock()
	sp.s.WarmupS = (1-alpha)*sp.s.WarmupS + alpha*d.Seconds()
	sp.mu.Unlock()
	sp.save()
}

func (sp *Speed) observe(frames, objects int, d time.Duration, v *float64, measured *bool) {
	units := frames * max(objects, 1)
	if units < minUnits || d <= 0 {
		return
	}
	per := d.Seconds() / float64(units)
	sp.mu.Lock()
	if *measured {
		*v = (1-alpha)**v + alpha*per
	} else {
		*v, *measured = per, true
	}
	sp.mu.Unlock()
	sp.save()
}

func (sp *Speed) save() {
	if sp.path == "" {
		return
	}
	sp.mu.Lock()
	data, _ := json.MarshalIndent(sp.s, "", "  ")
	sp.mu.Unlock()
	atomicfile.Write(sp.path, data)
}
