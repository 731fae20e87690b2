package api

// pcsEndpoints are the routes of this resource (filled as it is built).
var pcsEndpoints = []Endpoint{}
