package api

import "time"

// VideoSessionRequest is the body of POST /v1/pvs/video/sessions.
type VideoSessionRequest struct {
	MediaID string `json:"media_id"`
}

// VideoSession answers POST /v1/pvs/video/sessions (201) and
// GET /v1/pvs/video/{session_id}.
type VideoSession struct {
	SessionID string `json:"session_id"`
	// Kind is "points" (point/box prompts per object) or "concept" (a
	// concept detected and tracked).
	Kind       string    `json:"kind"`
	MediaID    string    `json:"media_id"`
	Frames     int       `json:"frames"`
	FPS        float64   `json:"fps"`
	Width      int       `json:"width"`
	Height     int       `json:"height"`
	Model      string    `json:"model"`
	ModelLabel string    `json:"model_label"`
	CreatedAt  time.Time `json:"created_at"`
	// Objects lists the object ids that have prompts.
	Objects []int `json:"objects"`
	// Prompted lists, per object id, the frames that carry its prompts.
	Prompted map[string][]int `json:"prompted,omitempty"`
	// Ended is true after DELETE; results stay readable.
	Ended bool `json:"ended,omitempty"`
}

// VideoAnnotationRequest is the body of
// POST /v1/pvs/video/{session_id}/annotations: prompts for one object on one
// frame (they replace that object's earlier prompts on that frame). Clear
// removes the object's prompts on the frame instead.
type VideoAnnotationRequest struct {
	Frame    int          `json:"frame"`
	ObjectID int          `json:"object_id"`
	Points   [][2]float64 `json:"points,omitempty"`
	Labels   []int        `json:"labels,omitempty"`
	Box      *[4]float64  `json:"box,omitempty"`
	Mask     *RLE         `json:"mask,omitempty"`
	Clear    bool         `json:"clear,omitempty"`
}

// FrameResult holds every object's mask on one frame. It answers
// .../annotations and GET /v1/pvs/video/{session_id}/frames/{frame}, and is
// the unit of job results.
type FrameResult struct {
	Frame   int            `json:"frame"`
	Objects []ObjectResult `json:"objects"`
	// MediaID is the media of the result in a job over several media (a
	// project concept search), where Frame counts the media done.
	MediaID string `json:"media_id,omitempty"`
}

// Propagation directions.
const (
	Forward  = "forward"
	Backward = "backward"
	Both     = "both"
)

// PropagateRequest is the body of POST /v1/pvs/video/{session_id}/propagate.
type PropagateRequest struct {
	// Direction is forward (default), backward or both.
	Direction string `json:"direction,omitempty"`
	// StartFrame defaults to the earliest prompted frame (forward), the
	// latest (backward) or each prompted frame (both).
	StartFrame *int `json:"start_frame,omitempty"`
	// MaxFrames bounds the frames tracked in each direction (0: to the end).
	MaxFrames int `json:"max_frames,omitempty"`
	// Placement is where the job runs: "" lets the burst policy decide, "local" or
	// "remote" (the GPU worker) decide it; under burst: ask a job over the threshold must
	// name one (see PlacementEstimate).
	Placement string `json:"placement,omitempty"`
	// ResultsUpload asks the engine to also put the job's results into object storage as
	// they are produced: the local engine sends it to a GPU worker with a remote job, so
	// that the results travel through R2 and outlive the worker. It is not shown in the
	// job's request afterwards.
	ResultsUpload *ResultsUpload `json:"results_upload,omitempty"`
}

// ResultsUpload is where a job writes its results: chunk i holds results number
// i×chunk_frames up to (i+1)×chunk_frames (in production order; the last chunk may be
// shorter) as NDJSON, one FrameResult per line, stored by an HTTP PUT to urls[i] (a
// presigned URL) once all its frames are done. The job succeeds only once every chunk is
// stored.
type ResultsUpload struct {
	ChunkFrames int      `json:"chunk_frames"`
	URLs        []string `json:"urls"`
}

// SessionResults answers GET /v1/pvs/video/{session_id}/results: the latest
// stored mask of every object on every frame that has one, in frame order,
// a page at a time.
type SessionResults struct {
	Frames []FrameResult `json:"frames"`
	// Next is the "after" value of the next page; null at the end.
	Next *int `json:"next"`
}

// VideoSessionList answers GET /v1/pvs/video/sessions?media_id=: the
// sessions on a video (point/box and concept), newest first, so a reopened
// video continues where it was.
type VideoSessionList struct {
	Sessions []VideoSession `json:"sessions"`
}
