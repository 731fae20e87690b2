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
	Truncated bool   `json:"truncated,omitempty"`
	Timing    Timing `json:"timing"`
}
