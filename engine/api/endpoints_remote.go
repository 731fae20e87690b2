package api

// remoteEndpoints are the remote burst routes.
var remoteEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/pvs/video/{session_id}/estimate", Summary: "Estimate a propagation (same body as .../propagate): local run time, where the burst policy would run it, expected GPU cost.", Request: PropagateRequest{}, Response: PlacementEstimate{}, Status: 200},
	{Method: "GET", Path: "/v1/remote", Summary: "The burst policy and the GPU worker's state and cost.", Response: RemoteWorker{}, Status: 200},
	{Method: "DELETE", Path: "/v1/remote/worker", Summary: "Drain and destroy the GPU worker now (it is never just stopped).", Response: RemoteWorker{}, Status: 200},
}
