package api

// projectEndpoints are the routes of annotation projects.
var projectEndpoints = []Endpoint{
	{Method: "POST", Path: "/v1/projects", Summary: "Create an annotation project.", Request: ProjectRequest{}, Response: Project{}, Status: 201},
	{Method: "GET", Path: "/v1/projects", Summary: "List projects, most recently updated first.", Response: ProjectList{}, Status: 200},
	{Method: "GET", Path: "/v1/projects/{project_id}", Summary: "One project.", Response: Project{}, Status: 200},
	{Method: "PUT", Path: "/v1/projects/{project_id}", Summary: "Rename a project, replace its labels or rename labels in every annotation.", Request: ProjectUpdate{}, Response: Project{}, Status: 200},
	{Method: "POST", Path: "/v1/projects/{project_id}/media", Summary: "Add media (from POST /v1/media) to a project.", Request: ProjectMediaRequest{}, Response: Project{}, Status: 200},
	{Method: "GET", Path: "/v1/projects/{project_id}/media", Summary: "A project's media with their annotation status.", Response: ProjectMediaList{}, Status: 200},
	{Method: "GET", Path: "/v1/projects/{project_id}/stats", Summary: "What the project holds: media (annotated, done), objects and masks, and per label objects, masks and media.", Response: ProjectStats{}, Status: 200},
	{Method: "DELETE", Path: "/v1/projects/{project_id}/media/{media_id}", Summary: "Take a media out of a project (its annotations are kept and come back if it is added again).", Response: Project{}, Status: 200},
	{Method: "GET", Path: "/v1/projects/{project_id}/annotations/{media_id}", Summary: "The annotations of one media of a project.", Response: AnnotationDoc{}, Status: 200},
	{Method: "PUT", Path: "/v1/projects/{project_id}/annotations/{media_id}", Summary: "Save the annotations of one media (optimistic concurrency: 409 with the current document when the version is stale).", Request: AnnotationDoc{}, Response: AnnotationDoc{}, Status: 200},
	{Method: "POST", Path: "/v1/projects/{project_id}/import", Summary: "Add annotations made elsewhere as new objects: the body is a COCO instances JSON, a YouTube-VIS JSON, a LabelMe JSON, a zip of LabelMe files, a zip of YOLO segmentation labels, a Pascal VOC zip, a zip of mask PNGs or a dataset zip with COCO or YouTube-VIS files beside the pictures (?format=coco|ytvis|labelme|yolo|voc|png, else told apart by content; ?dry_run=true saves nothing; ?segment_boxes=true has the image model make masks of boxes without one, in the job job_id). Pictures are matched to the project's media by Samwise media id, else by file name.", Response: ImportResult{}, Status: 200, Consumes: "application/octet-stream"},
	{Method: "POST", Path: "/v1/projects/{project_id}/concept", Summary: "Find a concept on every image of the project (or media_ids) in a job; each instance found becomes a new object with the label, unless it overlaps an object of that label (IoU ≥ 0.5).", Request: ProjectConceptRequest{}, Response: JobAccepted{}, Status: 202},
	{Method: "GET", Path: "/v1/projects/{project_id}/export", Summary: "Download the project's annotations: ?format=coco|coco-polygons|yolo|labelme|png|voc|mots|ytvis; ?done_only=true keeps the media marked done; ?pictures=true gives a dataset zip with the pictures (video frames as JPEGs), streamed; with it ?val=0.2 holds out that share of the media for validation (coco, coco-polygons, yolo, voc); ?tolerance=0..20 sets how far polygons may stray from the masks, in pixels (coco-polygons, yolo, labelme; 0 is exact, 1 the default).", Status: 200, Produces: "application/octet-stream"},
}
