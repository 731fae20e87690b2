package api

// Ready answers GET /ready: whether the engine can serve, which models and
// execution provider it uses, and where ONNX Runtime was loaded from.
type Ready struct {
	Ready   bool          `json:"ready"`
	Version string        `json:"version"`
	Runtime RuntimeStatus `json:"runtime"`
	Models  []ModelStatus `json:"models"`
	// Demo is true when the image model is the built-in demo (not SAM 3).
	Demo bool `json:"demo"`
}

// RuntimeStatus describes the ONNX Runtime library in use.
type RuntimeStatus struct {
	Library       string `json:"library"`
	LibrarySource string `json:"library_source"`
	Version       string `json:"version"`
	Provider      string `json:"provider"`
	Error         string `json:"error,omitempty"`
}

// ModelStatus describes one loaded or installed model bundle.
type ModelStatus struct {
	Name      string `json:"name"`
	Task      string `json:"task"`
	Family    string `json:"family"`
	Label     string `json:"label"`
	Demo      bool   `json:"demo"`
	Loaded    bool   `json:"loaded"`
	Active    bool   `json:"active"`
	Provider  string `json:"provider,omitempty"`
	InputSize int    `json:"input_size,omitempty"`
	// Measured timings (0 until measured).
	EncodeMS float64 `json:"encode_ms,omitempty"`
	DecodeMS float64 `json:"decode_ms,omitempty"`
	Note     string  `json:"note,omitempty"`
}
