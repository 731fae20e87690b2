package api

// jobEndpoints are the background job routes.
var jobEndpoints = []Endpoint{
	{Method: "GET", Path: "/v1/jobs", Summary: "All jobs, newest first.", Response: JobList{}, Status: 200},
	{Method: "GET", Path: "/v1/jobs/{job_id}", Summary: "A job's state, progress (frames, fps, ETA), placement and error.", Response: Job{}, Status: 200},
	{Method: "DELETE", Path: "/v1/jobs/{job_id}", Summary: "Cancel a job; frames already computed stay.", Response: Job{}, Status: 200},
	{Method: "POST", Path: "/v1/jobs/{job_id}/resume", Summary: "Resume an interrupted, failed or cancelled job after its last saved frame.", Response: JobAccepted{}, Status: 202},
	{Method: "GET", Path: "/v1/jobs/{job_id}/results", Summary: "Frames the job produced, paged (?after=&limit=), or with Accept: application/x-ndjson a stream that follows the job.", Response: JobResults{}, Status: 200},
}
