package api

import "time"

// Media kinds.
const (
	KindImage = "image"
	KindVideo = "video"
)

// MediaRequest is the JSON form of POST /v1/media: register a local file by
// path (allowed only when the engine runs for the desktop app), or fetch one
// by URL (GPU workers). The other form is a multipart upload with the field
// "file".
type MediaRequest struct {
	Path string `json:"path"`
	// URL, instead of Path, makes the engine download the file: an https URL (http only
	// to a loopback host), such as a presigned R2 GET. Allowed only where the setting
	// allow_media_urls is on (GPU workers); the size limit is max_body_mb.
	URL string `json:"url,omitempty"`
	// SHA256, with URL, is the hex SHA-256 the downloaded bytes must have.
	SHA256 string `json:"sha256,omitempty"`
}

// Media answers POST /v1/media (201) and GET /v1/media/{media_id}.
type Media struct {
	MediaID string `json:"media_id"`
	Kind    string `json:"kind"`
	Name    string `json:"name,omitempty"`
	// Format is the image's or video's codec, or FormatFrames for a video
	// opened as a folder of frame pictures.
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	// Frames and FPS are 1 and 0 for images.
	Frames    int       `json:"frames"`
	FPS       float64   `json:"fps"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
}

// MediaList answers GET /v1/media.
type MediaList struct {
	Media []Media `json:"media"`
}

// FormatFrames is the format of a video that is a folder of frame pictures
// (in name order).
const FormatFrames = "frames"
