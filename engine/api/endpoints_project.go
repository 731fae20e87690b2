package api

// projectEndpoints are the routes of this resource (filled as it is built).
var projectEndpoints = []Endpoint{}
