package api

// pcsEndpoints are the concept prompt (PCS) routes.
var pcsEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/pcs/image", Summary: "Find every instance of a concept (text and/or exemplar boxes) on an image.", Request: PCSImageRequest{}, Response: PCSImageResponse{}, Status: 200},
}
