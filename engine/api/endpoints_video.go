package api

// videoEndpoints are the video tracking (PVS on video) routes.
var videoEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/pvs/video/sessions", Summary: "Open a tracking session on a video.", Request: VideoSessionRequest{}, Response: VideoSession{}, Status: 201},
	{Method: "GET", Path: "/v1/pvs/video/sessions", Summary: "Sessions on a video (?media_id=), newest first.", Response: VideoSessionList{}, Status: 200},
	{Method: "GET", Path: "/v1/pvs/video/{session_id}", Summary: "A session: its video, model, objects and prompted frames.", Response: VideoSession{}, Status: 200},
	{Method: "DELETE", Path: "/v1/pvs/video/{session_id}", Summary: "End a session: its memory is released and its jobs cancelled; results stay readable.", Response: VideoSession{}, Status: 200},
	{Method: "POST", Path: "/v1/pvs/video/{session_id}/annotations", Summary: "Add, replace or clear an object's prompts on a frame; answers that frame's masks.", Request: VideoAnnotationRequest{}, Response: FrameResult{}, Status: 200},
	{Method: "POST", Path: "/v1/pvs/video/{session_id}/propagate", Summary: "Track every prompted object forward, backward or both: a background job.", Request: PropagateRequest{}, Response: JobAccepted{}, Status: 202},
	{Method: "GET", Path: "/v1/pvs/video/{session_id}/frames/{frame}", Summary: "The latest masks of every object on one frame.", Response: FrameResult{}, Status: 200},
	{Method: "GET", Path: "/v1/pvs/video/{session_id}/results", Summary: "The latest masks of every frame that has one, paged (?after=&limit=).", Response: SessionResults{}, Status: 200},
	{Method: "GET", Path: "/v1/pvs/video/{session_id}/export", Summary: "The session's masks as COCO JSON (?format=coco, per-frame RLE per object) MOTS text (?format=mots) or YouTube-VIS JSON (?format=ytvis); ?pictures=true adds the annotated frames as JPEGs in a dataset zip.", Status: 200, Produces: "application/octet-stream"},
	{Method: "GET", Path: "/v1/media/{media_id}/frames/{frame}", Summary: "One video frame as a JPEG.", Status: 200, Produces: "image/jpeg"},
}
