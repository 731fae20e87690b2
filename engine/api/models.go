package api

// ModelList answers GET /v1/models: installed bundles, the ones the hub
// offers, and whether a pulled bundle waits for a restart to be used.
type ModelList struct {
	Installed []ModelStatus  `json:"installed"`
	Catalog   []CatalogModel `json:"catalog"`
	// RestartNeeded is true when an installed bundle would replace an active
	// one (a demo) at the next start: a pulled or imported real bundle of a
	// family whose demo is in use.
	RestartNeeded bool `json:"restart_needed"`
}

// CatalogModel is a bundle POST /v1/models/pull can fetch.
type CatalogModel struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Family      string   `json:"family"`
	Task        string   `json:"task"`
	Precisions  []string `json:"precisions"`
	Default     string   `json:"default_precision"`
}

// PullRequest is the body of POST /v1/models/pull: download a bundle from
// the Hugging Face hub (a job; progress counts bytes; an interrupted pull
// resumes).
type PullRequest struct {
	Name      string `json:"name"`
	Precision string `json:"precision,omitempty"`
}

// ModelImportRequest is the body of POST /v1/models/import: install a
// bundle from a folder on the engine's machine (a job), as `engine models
// import` does. Only engines that accept local paths (the desktop app's)
// take it.
type ModelImportRequest struct {
	// Path is the folder's absolute path: a bundle with its manifest.json,
	// or the .onnx graphs of a known family (see docs/models.md).
	Path string `json:"path"`
	// Name installs the bundle under this name (default: the manifest's,
	// else the folder's name in lower case).
	Name string `json:"name,omitempty"`
	// Replace allows replacing an installed bundle of the same name.
	Replace bool `json:"replace,omitempty"`
}

// PrecomputeRequest is the body of POST /v1/precompute: compute and cache
// the embeddings of images ahead of clicking (a job; progress counts
// images).
type PrecomputeRequest struct {
	MediaIDs []string `json:"media_ids"`
}
