package server

import (
	"image"
	"net/http"
	"strconv"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/media"
	"github.com/samwise-app/samwise/engine/video"
)

// defaultThumb is the thumbnail size when the request names none.
const defaultThumb = 128

// handleMediaThumbnail answers a small JPEG of an image, or of a video's
// first frame (?size= its longer side, 16 to 512; 128 by default), made
// once and then read from the media library's cache: the media list shows
// thousands of these without reading thousands of full pictures.
func (s *Server) handleMediaThumbnail(w http.ResponseWriter, r *http.Request) {
	m, err := s.deps.Media.Get(r.PathValue("media_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	size := defaultThumb
	if v := r.URL.Query().Get("size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil {
			s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "size "+strconv.Quote(v)+" is not an integer", nil)
			return
		}
	}
	if size, err = media.ThumbSize(size); err != nil {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, err.Error(), nil)
		return
	}
	load := func() (image.Image, error) { return s.deps.Media.Image(m) }
	if m.Kind == api.KindVideo {
		load = func() (image.Image, error) {
			src, err := video.Open(r.Context(), m.Path)
			if err != nil {
				return nil, err
			}
			return video.ReadFrame(r.Context(), src, 0)
		}
	}
	data, err := s.deps.Media.Thumbnail(m, size, load)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Write(data)
}
