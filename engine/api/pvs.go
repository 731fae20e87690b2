package api

// Output formats a segmentation request may ask for.
const (
	OutputRLE     = "rle"
	OutputPolygon = "polygon"
	OutputPNG     = "png"
)

// PVSObject is one object's prompts: points with labels (1 positive, 0
// negative), an optional box [x0, y0, x1, y1] and an optional mask, all in
// pixel coordinates of the original image (x right, y down).
type PVSObject struct {
	ObjectID int          `json:"object_id"`
	Points   [][2]float64 `json:"points,omitempty"`
	Labels   []int        `json:"labels,omitempty"`
	Box      *[4]float64  `json:"box,omitempty"`
	Mask     *RLE         `json:"mask,omitempty"`
}

// PVSImageRequest is the body of POST /v1/pvs/image.
type PVSImageRequest struct {
	MediaID string      `json:"media_id"`
	Objects []PVSObject `json:"objects"`
	// Multimask returns all three candidate masks per object as well.
	Multimask bool `json:"multimask,omitempty"`
	// Outputs lists "rle" (default), "polygon" and "png".
	Outputs []string `json:"outputs,omitempty"`
}

// ObjectResult is one segmented object.
type ObjectResult struct {
	ObjectID int `json:"object_id"`
	// Score is the predicted IoU times the object presence probability.
	Score float64 `json:"score"`
	// IoU is the decoder's predicted IoU of the chosen mask.
	IoU float64 `json:"iou"`
	// ObjectScore is the presence logit (< 0: no object).
	ObjectScore float64 `json:"object_score"`
	// Box is the mask's bounding box, pixel xyxy (exclusive x1, y1); all zero
	// for an empty mask.
	Box  [4]float64 `json:"box"`
	Area int        `json:"area"`
	Mask *RLE       `json:"mask,omitempty"`
	// Polygons are COCO-style flat [x0, y0, x1, y1, ...] rings.
	Polygons   [][]float64 `json:"polygons,omitempty"`
	OverlayURL string      `json:"overlay_url,omitempty"`
	// Candidates holds all candidate masks when multimask was asked for.
	Candidates []Candidate `json:"candidates,omitempty"`
}

// Candidate is one of the decoder's candidate masks.
type Candidate struct {
	IoU  float64 `json:"iou"`
	Area int     `json:"area"`
	Mask *RLE    `json:"mask"`
}

// Timing reports where a request's time went.
type Timing struct {
	EncodeMS float64 `json:"encode_ms"`
	DecodeMS float64 `json:"decode_ms"`
	TotalMS  float64 `json:"total_ms"`
	// Cached is true when the image embedding came from the cache.
	Cached bool `json:"cached"`
}

// PVSImageResponse answers POST /v1/pvs/image.
type PVSImageResponse struct {
	Model      string         `json:"model"`
	ModelLabel string         `json:"model_label"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Objects    []ObjectResult `json:"objects"`
	Timing     Timing         `json:"timing"`
}

// PrefetchRequest is the body of POST /v1/pvs/prefetch: the image open
// now and the images the user is likely to open next (at most MaxPrefetch),
// in order. The open image's embedding is computed at once, as a click
// would (a click meanwhile shares that run); the others' in the background,
// giving way to any other inference. Each request replaces the one before
// (an empty one stops prefetching).
type PrefetchRequest struct {
	Open     string   `json:"open,omitempty"`
	MediaIDs []string `json:"media_ids,omitempty"`
	// Concepts asks for the concept model's embeddings too (the open
	// image's included), in the background after the image model's: for a
	// user who finds concepts on every image.
	Concepts bool `json:"concepts,omitempty"`
}

// MaxPrefetch bounds PrefetchRequest.MediaIDs.
const MaxPrefetch = 8

// PrefetchResponse answers POST /v1/pvs/prefetch.
type PrefetchResponse struct {
	// Queued counts the embeddings not cached yet: the images' (the open
	// one included) and, when asked, the concept model's.
	Queued int `json:"queued"`
}
