package api

// videoEndpoints are the routes of this resource (filled as it is built).
var videoEndpoints = []Endpoint{}
