package api

// MaxOutlineCorners bounds the corners an outline answer may hold: a mask
// whose boundary has more (a noisy one, thousands of specks) is refused.
const MaxOutlineCorners = 1_000_000

// OutlineRequest is the body of POST /v1/masks/outline.
type OutlineRequest struct {
	Mask RLE `json:"mask"`
	// Tolerance in pixels (0 to 64) of the handles: every corner of a ring
	// lies within it of the polygon through the ring's handles. 0 makes a
	// handle of every corner where the boundary turns.
	Tolerance float64 `json:"tolerance"`
}

// OutlineRing is one boundary of a mask: a connected component's outer
// boundary (components are 8-connected) or one of its holes (4-connected).
// The pixels of the mask are exactly those whose centres lie inside an odd
// number of rings.
type OutlineRing struct {
	// Points are the ring's pixel corners, flat [x0, y0, x1, y1, ...]; the
	// first is not repeated at the end. Outer boundaries run clockwise on
	// screen (x right, y down), holes the other way.
	Points []int `json:"points"`
	// Handles are the indices, in increasing order, of the corners (the
	// n-th corner is Points[2n], Points[2n+1]) that outline the ring within
	// the tolerance: the vertices to edit it by. At least three.
	Handles []int `json:"handles"`
	Hole    bool  `json:"hole,omitempty"`
}

// OutlineResponse answers POST /v1/masks/outline: the rings of every
// component, each outer boundary followed by its holes.
type OutlineResponse struct {
	Width  int           `json:"width"`
	Height int           `json:"height"`
	Rings  []OutlineRing `json:"rings"`
}
