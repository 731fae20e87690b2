package segment

import (
	"slices"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// PolygonTolerance is the Douglas-Peucker tolerance for API polygons, pixels.
const PolygonTolerance = 1.0

// Render turns a result into API objects with the requested outputs
// (RLE when none are named). overlayURL, when not nil, is called for "png".
func Render(res *Result, outputs []string, overlayURL func(objectID int, m *mask.Mask) string) []api.ObjectResult {
	if len(outputs) == 0 {
		outputs = []string{api.OutputRLE}
	}
	out := make([]api.ObjectResult, len(res.Objects))
	for i, o := range res.Objects {
		r := api.ObjectResult{ObjectID: o.ID, Area: o.Mask.Area()}
		if len(o.Pred.IoU) > 0 {
			r.IoU = float64(o.Pred.IoU[o.Chosen])
			r.Score = o.Pred.Score(o.Chosen)
			r.ObjectScore = float64(o.Pred.ObjectScore)
		}
		if x0, y0, x1, y1, ok := o.Mask.BBox(); ok {
			r.Box = [4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}
		}
		if slices.Contains(outputs, api.OutputRLE) {
			rle := o.Mask.RLE()
			r.Mask = &rle
		}
		if slices.Contains(outputs, api.OutputPolygon) {
			r.Polygons = mask.Polygons(o.Mask.Mask(), PolygonTolerance)
		}
		if slices.Contains(outputs, api.OutputPNG) && overlayURL != nil {
			r.OverlayURL = overlayURL(o.ID, o.Mask.Mask())
		}
		for k, c := range o.Candidates {
			rle := c.RLE()
			r.Candidates = append(r.Candidates, api.Candidate{IoU: float64(o.Pred.IoU[k]), Area: c.Area(), Mask: &rle})
		}
		out[i] = r
	}
	return out
}
