package api

import "slices"

// Endpoint describes one route of the API: the server registers a handler for
// each, /openapi.json and the TypeScript client types are generated from them.
type Endpoint struct {
	Method  string
	Path    string
	Summary string
	// Request is the JSON body type (nil: none); Response the success body.
	Request  any
	Response any
	Status   int
	// Public routes need no token.
	Public bool
	// Consumes overrides the request content type (multipart uploads).
	Consumes string
	// Produces overrides the response content type.
	Produces string
}

// Endpoints lists the API, one list per resource. The server must have a
// handler for each, and no other (checked when it starts).
var Endpoints = slices.Concat(baseEndpoints, mediaEndpoints, pvsEndpoints, maskEndpoints, projectEndpoints, videoEndpoints, jobEndpoints, pcsEndpoints, modelEndpoints, remoteEndpoints)

var baseEndpoints = []Endpoint{
	{Method: "GET", Path: "/health", Summary: "Liveness: the process answers.", Response: Health{}, Status: 200, Public: true},
	{Method: "GET", Path: "/ready", Summary: "Readiness: models, execution provider and ONNX Runtime library; 503 until ready.", Response: Ready{}, Status: 200, Public: true},
	{Method: "GET", Path: "/metrics", Summary: "Prometheus metrics.", Status: 200, Public: true, Produces: "text/plain"},
	{Method: "GET", Path: "/openapi.json", Summary: "This API's OpenAPI 3 description.", Status: 200, Public: true},
}

var mediaEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/media", Summary: "Upload an image or video (multipart field \"file\"), or register a local path (JSON, desktop only).", Request: MediaRequest{}, Response: Media{}, Status: 201, Consumes: "multipart/form-data"},
	{Method: "GET", Path: "/v1/media", Summary: "List media.", Response: MediaList{}, Status: 200},
	{Method: "GET", Path: "/v1/media/{media_id}", Summary: "One media record.", Response: Media{}, Status: 200},
	{Method: "GET", Path: "/v1/media/{media_id}/file", Summary: "The media's bytes.", Status: 200, Produces: "application/octet-stream"},
	{Method: "GET", Path: "/v1/media/{media_id}/thumbnail", Summary: "A small JPEG of the image, or of a video's first frame: ?size= its longer side (16 to 512, default 128), made once and cached.", Status: 200, Produces: "image/jpeg"},
}

var maskEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/masks/outline", Summary: "The boundaries of a mask as rings of pixel corners, with the corners to edit each by (its outline simplified within a tolerance).", Request: OutlineRequest{}, Response: OutlineResponse{}, Status: 200},
}

var pvsEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/pvs/image", Summary: "Segment objects on an image from points, boxes and masks.", Request: PVSImageRequest{}, Response: PVSImageResponse{}, Status: 200},
	{Method: "POST", Path: "/v1/pvs/prefetch", Summary: "Compute the embeddings of the images likely to be opened next in the background, giving way to any other inference; replaces the previous list.", Request: PrefetchRequest{}, Response: PrefetchResponse{}, Status: 202},
	{Method: "GET", Path: "/v1/overlays/{name}", Summary: "A PNG overlay made for a segmentation answer.", Status: 200, Produces: "image/png"},
}
