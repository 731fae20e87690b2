package api

// jobEndpoints are the routes of this resource (filled as it is built).
var jobEndpoints = []Endpoint{}
