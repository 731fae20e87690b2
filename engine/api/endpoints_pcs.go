package api

// pcsEndpoints are the concept prompt (PCS) routes.
var pcsEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/pcs/image", Summary: "Find every instance of a concept (text and/or exemplar boxes) on an image.", Request: PCSImageRequest{}, Response: PCSImageResponse{}, Status: 200},
	{Method: "POST", Path: "/v1/pcs/video/sessions", Summary: "Open a concept session on a video.", Request: VideoSessionRequest{}, Response: PCSVideoSession{}, Status: 201},
	{Method: "GET", Path: "/v1/pcs/video/{session_id}", Summary: "A concept session.", Response: PCSVideoSession{}, Status: 200},
	{Method: "DELETE", Path: "/v1/pcs/video/{session_id}", Summary: "End a concept session; results stay readable.", Response: PCSVideoSession{}, Status: 200},
	{Method: "POST", Path: "/v1/pcs/video/{session_id}/prompts", Summary: "Set the session's concept (text and/or exemplars on a frame); answers that frame's detections.", Request: PCSVideoPrompt{}, Response: FrameResult{}, Status: 200},
	{Method: "POST", Path: "/v1/pcs/video/{session_id}/run", Summary: "Detect and track every instance of the concept through the video: a background job (results like propagation; see /v1/jobs).", Request: PCSRunRequest{}, Response: JobAccepted{}, Status: 202},
}
