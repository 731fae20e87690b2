package api

// Exemplar is an example box for a concept prompt, in original image pixels:
// label 1 shows the concept, 0 shows what it is not.
type Exemplar struct {
	Box   [4]float64 `json:"box"`
	Label int        `json:"label"`
}

// PCSImageRequest is the body of POST /v1/pcs/image: text and/or exemplar
// boxes; every matching instance is returned.
type PCSImageRequest struct {
	MediaID   string     `json:"media_id"`
	Text      string     `json:"text,omitempty"`
	Exemplars []Exemplar `json:"exemplars,omitempty"`
	// Threshold on score = sigmoid(logit) × sigmoid(presence); default 0.5.
	Threshold *float64 `json:"threshold,omitempty"`
	Outputs   []string `json:"outputs,omitempty"`
}

// PCSImageResponse answers POST /v1/pcs/image: instances sorted by score,
// with ids 1, 2, ...
type PCSImageResponse struct {
	Model      string         `json:"model"`
	ModelLabel string         `json:"model_label"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Objects    []ObjectResult `json:"objects"`
	// PromptToObjIDs maps the prompt (its text, or "exemplars") to the ids
	// it found.
	PromptToObjIDs map[string][]int `json:"prompt_to_obj_ids"`
	// Presence is the probability that the concept is on the image.
	Presence float64 `json:"presence"`
	// Truncated is true when the text was longer than the model reads.
	Truncated bool `json:"truncated,omitempty"`
	// SemanticSeg is every pixel of the concept, instance or not, from the model's
	// semantic head; absent when the model has none (the public sam3-concept export).
	SemanticSeg *SemanticMask `json:"semantic_seg,omitempty"`
	Timing      Timing        `json:"timing"`
}

// SemanticMask is a concept's semantic segmentation, in the requested outputs.
type SemanticMask struct {
	Area     int         `json:"area"`
	Mask     *RLE        `json:"mask,omitempty"`
	Polygons [][]float64 `json:"polygons,omitempty"`
}

// PCSVideoSession answers POST /v1/pcs/video/sessions (201) and
// GET /v1/pcs/video/{session_id}: a concept tracked through a video.
type PCSVideoSession struct {
	VideoSession
	// ConceptModel is the detector; Model (in VideoSession) the tracker.
	ConceptModel string `json:"concept_model"`
	// Prompt is the session's concept, once set.
	Prompt *PCSVideoPrompt `json:"prompt,omitempty"`
}

// PCSVideoPrompt is the body of POST /v1/pcs/video/{session_id}/prompts:
// the concept (text and/or exemplar boxes drawn on Frame). It replaces the
// session's concept and answers the detections on that frame.
type PCSVideoPrompt struct {
	Frame     int        `json:"frame"`
	Text      string     `json:"text,omitempty"`
	Exemplars []Exemplar `json:"exemplars,omitempty"`
	Threshold *float64   `json:"threshold,omitempty"`
}

// PCSRunRequest is the body of POST /v1/pcs/video/{session_id}/run: detect
// the concept on every frame from StartFrame on, track what it finds, and
// keep each instance's id while it stays in view.
type PCSRunRequest struct {
	StartFrame int `json:"start_frame,omitempty"`
	// MaxFrames bounds the run (0: to the end).
	MaxFrames int `json:"max_frames,omitempty"`
	// LostFrames ends a track not seen for this many frames (default 30);
	// an instance seen again after that gets a new id.
	LostFrames int `json:"lost_frames,omitempty"`
	// MatchIoU is the mask IoU above which a detection continues a track
	// (default 0.5).
	MatchIoU float64 `json:"match_iou,omitempty"`
	// Placement and ResultsUpload are as in PropagateRequest: where the run goes under the
	// burst policy, and where a GPU worker copies its results.
	Placement     string         `json:"placement,omitempty"`
	ResultsUpload *ResultsUpload `json:"results_upload,omitempty"`
}

// ProjectConceptRequest is the body of POST /v1/projects/{project_id}/concept:
// a concept looked for on the project's images in a job ("project-concept",
// progress in images), every instance it finds added as a new object; an
// instance that overlaps an object of its label (IoU ≥ 0.5) is not added
// again, so running it twice, or resuming it, adds nothing twice. The job's
// results are one frame per image: its media_id and the objects added.
type ProjectConceptRequest struct {
	Text string `json:"text"`
	// Threshold on score, as in PCSImageRequest; default 0.5.
	Threshold *float64 `json:"threshold,omitempty"`
	// Label names the new objects, and is added to the project when it
	// lacks it; default: the project's label named like the text (any
	// case), else the text.
	Label string `json:"label,omitempty"`
	// MediaIDs are the images to look at; default: every image of the
	// project.
	MediaIDs []string `json:"media_ids,omitempty"`
	// Semantic makes one object per image of the model's semantic
	// segmentation (every pixel of the concept: "road", "sky") where the
	// concept has an instance there; a model without a semantic head gives
	// instances, as on one image.
	Semantic bool `json:"semantic,omitempty"`
}
