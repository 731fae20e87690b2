package server

import (
	"fmt"
	"math"
	"net/http"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
)

// maxOutlineTolerance bounds OutlineRequest.Tolerance, in pixels.
const maxOutlineTolerance = 64

func (s *Server) maskHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /v1/masks/outline": s.handleOutline,
	}
}

// handleOutline answers the boundaries of a mask with the corners to edit
// them by, for the annotator's outline editing.
func (s *Server) handleOutline(w http.ResponseWriter, r *http.Request) {
	var req api.OutlineRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	if math.IsNaN(req.Tolerance) || req.Tolerance < 0 || req.Tolerance > maxOutlineTolerance {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("tolerance %v: give 0 to %d pixels", req.Tolerance, maxOutlineTolerance), nil)
		return
	}
	m, err := mask.Decode(req.Mask)
	if err != nil {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "mask: "+err.Error(), nil)
		return
	}
	contours := mask.Contours(m)
	corners := 0
	for _, c := range contours {
		corners += len(c.Points)
	}
	if corners > api.MaxOutlineCorners {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest,
			fmt.Sprintf("the mask's boundaries have %d corners, more than the %d an outline may have: remove its specks or fill its holes first", corners, api.MaxOutlineCorners), nil)
		return
	}
	out := api.OutlineResponse{Width: m.W, Height: m.H, Rings: make([]api.OutlineRing, len(contours))}
	for i, c := range contours {
		out.Rings[i] = outlineRing(c, req.Tolerance)
	}
	writeJSON(w, http.StatusOK, out)
}

// outlineRing gives a contour's corners and handles; a ring that simplifies
// to fewer than three handles (a speck) gets all its corners.
func outlineRing(c mask.Contour, tolerance float64) api.OutlineRing {
	ring := api.OutlineRing{Points: make([]int, 0, 2*len(c.Points)), Hole: c.Hole}
	for _, p := range c.Points {
		ring.Points = append(ring.Points, int(p[0]), int(p[1]))
	}
	ring.Handles = mask.SimplifyIndices(c.Points, tolerance)
	if len(ring.Handles) < 3 {
		ring.Handles = mask.SimplifyIndices(c.Points, 0)
	}
	return ring
}
