package api

import "time"

// Label is one class of a project: a name and a colour ("#rrggbb").
type Label struct {
	Name  string `json:"name"`
	Color string `json:"color"`
}

// ProjectRequest is the body of POST /v1/projects. Labels without a colour
// get one from the palette.
type ProjectRequest struct {
	Name   string  `json:"name"`
	Labels []Label `json:"labels,omitempty"`
}

// ProjectUpdate is the body of PUT /v1/projects/{project_id}: each field
// that is present replaces the project's. Renames maps old label names to
// new ones and rewrites them in every annotation of the project, in the same
// transaction.
type ProjectUpdate struct {
	Name    *string           `json:"name,omitempty"`
	Labels  *[]Label          `json:"labels,omitempty"`
	Renames map[string]string `json:"renames,omitempty"`
}

// Project answers POST /v1/projects (201), GET and PUT
// /v1/projects/{project_id} and POST /v1/projects/{project_id}/media. A
// project is an ordered list of media with their annotations.
type Project struct {
	ProjectID string    `json:"project_id"`
	Name      string    `json:"name"`
	Labels    []Label   `json:"labels"`
	MediaIDs  []string  `json:"media_ids"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ProjectList answers GET /v1/projects (most recently updated first).
type ProjectList struct {
	Projects []Project `json:"projects"`
}

// ProjectMediaRequest is the body of POST /v1/projects/{project_id}/media:
// media (from POST /v1/media) to append; ids already in the project are
// skipped.
type ProjectMediaRequest struct {
	MediaIDs []string `json:"media_ids"`
}

// ProjectMedia is one media of a project with its annotation status.
type ProjectMedia struct {
	Media Media `json:"media"`
	// Objects counts the annotated objects; Frames the frames that have a
	// mask (1 for an annotated image).
	Objects int `json:"objects"`
	Frames  int `json:"frames"`
	// Done is the document's Done: the annotator marked the media finished.
	Done bool `json:"done"`
	// Version is the annotation document's version (0: never saved).
	Version   int        `json:"version"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// ProjectMediaList answers GET /v1/projects/{project_id}/media, in project
// order.
type ProjectMediaList struct {
	Media []ProjectMedia `json:"media"`
}

// ProjectStats answers GET /v1/projects/{project_id}/stats: what the
// project holds, for checking a dataset's balance before training.
type ProjectStats struct {
	// Media counts the project's media (Images + Videos); Annotated those
	// with an object, Done those marked done.
	Media     int `json:"media"`
	Images    int `json:"images"`
	Videos    int `json:"videos"`
	Annotated int `json:"annotated"`
	Done      int `json:"done"`
	// Objects counts the objects that have a mask; Masks their masks (one
	// per object and frame).
	Objects int `json:"objects"`
	Masks   int `json:"masks"`
	// Labels are the counts per label: the project's labels in order (with
	// zeros), then labels found only on objects; "" is unlabelled.
	Labels []LabelStats `json:"labels"`
}

// LabelStats counts one label's objects, their masks and the media they
// are on.
type LabelStats struct {
	Name    string `json:"name"`
	Objects int    `json:"objects"`
	Masks   int    `json:"masks"`
	Media   int    `json:"media"`
}

// AnnotatedObject is one object of an annotation document. Masks maps frame
// numbers (decimal strings; images use "0") to the object's mask on that
// frame, at the media's full resolution.
type AnnotatedObject struct {
	ObjectID int            `json:"object_id"`
	Label    string         `json:"label"`
	Color    string         `json:"color"`
	Visible  bool           `json:"visible"`
	Masks    map[string]RLE `json:"masks"`
	// Flags are the object's yes/no attributes by name: the Known flags
	// (crowd, occluded, truncated, difficult), which exports write where
	// their format has them, and any other a file brought in.
	Flags map[string]bool `json:"flags,omitempty"`
	// Note is free text about the object (LabelMe's description).
	Note string `json:"note,omitempty"`
}

// The flags the annotator offers: COCO's iscrowd (a region of many
// objects, left out of evaluation), CVAT's occluded, and VOC's truncated
// and difficult.
const (
	FlagCrowd     = "crowd"
	FlagOccluded  = "occluded"
	FlagTruncated = "truncated"
	FlagDifficult = "difficult"
)

// KnownFlags lists the flags the annotator offers, in its order.
var KnownFlags = []string{FlagCrowd, FlagOccluded, FlagTruncated, FlagDifficult}

// AnnotationDoc answers GET /v1/projects/{project_id}/annotations/{media_id}
// and is the body and answer of PUT on the same path. Version counts saved
// edits: a PUT carries the version it edits and is refused with 409 (the
// error's details hold the current document) when another edit came first;
// a document never saved has version 0.
type AnnotationDoc struct {
	MediaID string            `json:"media_id,omitempty"`
	Version int               `json:"version"`
	Objects []AnnotatedObject `json:"objects"`
	// Done: the annotator marked the media finished (the media list's
	// "done"; exports can keep only such media).
	Done      bool       `json:"done,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Import formats of POST /v1/projects/{project_id}/import?format= (told
// apart by the body's content when left out).
const (
	ImportCOCO    = "coco"
	ImportLabelMe = "labelme"
	ImportYOLO    = "yolo"
	ImportVOC     = "voc"
	ImportMasks   = "png"
	ImportYTVIS   = "ytvis" // YouTube-VIS: videos, and per annotation a track of per-frame masks
)

// ImportResult answers POST /v1/projects/{project_id}/import: what the file
// held, what was added and what was not, and why.
type ImportResult struct {
	Format string `json:"format"`
	// DryRun: nothing was saved (?dry_run=true); the counts say what would be.
	DryRun bool `json:"dry_run"`
	// Pictures in the file; Matched of them to media of the project.
	Pictures int `json:"pictures"`
	Matched  int `json:"matched"`
	// Objects added (new objects, never changing existing ones) and their
	// masks (an object of a video has one per frame).
	Objects int `json:"objects"`
	Masks   int `json:"masks"`
	// Duplicates are masks the media already had, with the same label, and
	// boxes that an object with their label already fills (segmented
	// before): a file imported twice adds nothing the second time.
	Duplicates int `json:"duplicates"`
	// Boxes counts the boxes without a mask (COCO bbox-only annotations,
	// LabelMe rectangles, YOLO detection lines) on the project's images
	// that the image model turns into masks (?segment_boxes=true), in the
	// job JobID, each adding an object when its image is done.
	Boxes int    `json:"boxes"`
	JobID string `json:"job_id,omitempty"`
	// LabelsAdded are labels the project did not have.
	LabelsAdded []string `json:"labels_added"`
	// MediaIDs are the media whose annotations changed.
	MediaIDs []string `json:"media_ids"`
	// Unmatched names pictures of the file that no media of the project
	// matches, and videos of a YouTube-VIS file, once each (the first 50 of
	// UnmatchedCount).
	Unmatched      []string `json:"unmatched"`
	UnmatchedCount int      `json:"unmatched_count"`
	// Notes say how the file was read where it could be read two ways
	// (frames numbered from 1).
	Notes []string `json:"notes,omitempty"`
	// Skipped lists what was not imported and why (the first 100 of
	// SkippedCount).
	Skipped      []ImportSkip `json:"skipped"`
	SkippedCount int          `json:"skipped_count"`
}

// ImportSkip is one part of an import file that was not imported.
type ImportSkip struct {
	// File is the picture (or zip entry) it belongs to; What names the part
	// ("annotation 12", "shape 3"); Reason says why.
	File   string `json:"file"`
	What   string `json:"what,omitempty"`
	Reason string `json:"reason"`
}

// Export formats of GET /v1/projects/{project_id}/export?format=.
const (
	ExportCOCO         = "coco"
	ExportCOCOPolygons = "coco-polygons"
	ExportYOLO         = "yolo"
	ExportLabelMe      = "labelme"
	ExportPNG          = "png"
	ExportMOTS         = "mots"
	ExportYTVIS        = "ytvis"
	ExportVOC          = "voc"
)

// ExportFormats lists the export formats.
var ExportFormats = []string{ExportCOCO, ExportCOCOPolygons, ExportYOLO, ExportLabelMe, ExportPNG, ExportVOC, ExportMOTS, ExportYTVIS}
