package segment

import (
	"fmt"
	"math"

	"github.com/samwise-app/samwise/engine/api"
)

// Request limits.
const (
	MaxObjects         = 256
	MaxPointsPerObject = 64
	MaxPoints          = 1024
)

// InputError is a request problem the caller must fix.
type InputError struct {
	Field string
	Msg   string
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Validate checks a request against an image of w×h pixels.
func Validate(req *api.PVSImageRequest, w, h int) error {
	bad := func(field, format string, a ...any) error {
		return &InputError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	if len(req.Objects) == 0 {
		return bad("objects", "give at least one object with points, a box or a mask")
	}
	if len(req.Objects) > MaxObjects {
		return bad("objects", "%d objects; at most %d per request", len(req.Objects), MaxObjects)
	}
	for _, o := range req.Outputs {
		switch o {
		case api.OutputRLE, api.OutputPolygon, api.OutputPNG:
		default:
			return bad("outputs", "unknown output %q: use rle, polygon or png", o)
		}
	}
	seen := map[int]bool{}
	total := 0
	for i, o := range req.Objects {
		f := fmt.Sprintf("objects[%d]", i)
		if seen[o.ObjectID] {
			return bad(f+".object_id", "object_id %d appears twice", o.ObjectID)
		}
		seen[o.ObjectID] = true
		if len(o.Points) == 0 && o.Box == nil && o.Mask == nil {
			return bad(f, "object %d has no prompt: give points, a box or a mask", o.ObjectID)
		}
		if len(o.Points) > MaxPointsPerObject {
			return bad(f+".points", "%d points; at most %d per object", len(o.Points), MaxPointsPerObject)
		}
		total += len(o.Points)
		if total > MaxPoints {
			return bad("objects", "more than %d points in one request", MaxPoints)
		}
		if len(o.Labels) != 0 && len(o.Labels) != len(o.Points) {
			return bad(f+".labels", "%d labels for %d points: give one label per point (1 positive, 0 negative) or none for all positive", len(o.Labels), len(o.Points))
		}
		for j, l := range o.Labels {
			if l != 0 && l != 1 {
				return bad(fmt.Sprintf("%s.labels[%d]", f, j), "label %d: use 1 (positive) or 0 (negative)", l)
			}
		}
		for j, p := range o.Points {
			if !finite(p[0]) || !finite(p[1]) || p[0] < 0 || p[1] < 0 || p[0] > float64(w) || p[1] > float64(h) {
				return bad(fmt.Sprintf("%s.points[%d]", f, j), "point (%g, %g) is outside the %d×%d image", p[0], p[1], w, h)
			}
		}
		if b := o.Box; b != nil {
			for _, v := range b {
				if !finite(v) {
					return bad(f+".box", "box values must be finite numbers")
				}
			}
			if b[2] <= b[0] || b[3] <= b[1] {
				return bad(f+".box", "box [%g, %g, %g, %g] must be [x0, y0, x1, y1] with x1 > x0 and y1 > y0", b[0], b[1], b[2], b[3])
			}
			if b[2] <= 0 || b[3] <= 0 || b[0] >= float64(w) || b[1] >= float64(h) {
				return bad(f+".box", "box [%g, %g, %g, %g] does not overlap the %d×%d image", b[0], b[1], b[2], b[3], w, h)
			}
		}
	}
	return nil
}

// FillLabels defaults missing labels to positive.
func FillLabels(req *api.PVSImageRequest) {
	for i := range req.Objects {
		o := &req.Objects[i]
		if len(o.Labels) == 0 && len(o.Points) > 0 {
			o.Labels = make([]int, len(o.Points))
			for j := range o.Labels {
				o.Labels[j] = 1
			}
		}
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
