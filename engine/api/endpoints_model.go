package api

// modelEndpoints are the model management and precompute routes.
var modelEndpoints = []Endpoint{
	{Method: "GET", Path: "/v1/models", Summary: "Installed models, the models that can be pulled, and whether a restart would switch to a pulled one.", Response: ModelList{}, Status: 200},
	{Method: "POST", Path: "/v1/models/pull", Summary: "Download a model bundle from the Hugging Face hub: a resumable job whose progress counts bytes.", Request: PullRequest{}, Response: JobAccepted{}, Status: 202},
	{Method: "POST", Path: "/v1/models/import", Summary: "Install a model bundle from a folder on the engine's machine (desktop engines only, setting allow_local_paths): a job.", Request: ModelImportRequest{}, Response: JobAccepted{}, Status: 202},
	{Method: "POST", Path: "/v1/precompute", Summary: "Compute and cache the embeddings of images ahead of clicking: a job whose progress counts images.", Request: PrecomputeRequest{}, Response: JobAccepted{}, Status: 202},
}
