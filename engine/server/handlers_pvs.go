package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path/filepath"
	"regexp"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/segment"

	"github.com/samwise-app/samwise/internal/atomicfile"
)

// handlePVSImage segments the objects of a request on one image.
func (s *Server) pvsHandlers() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /v1/pvs/image":      s.handlePVSImage,
		"POST /v1/pvs/prefetch":   s.handlePrefetch,
		"GET /v1/overlays/{name}": s.handleOverlay,
	}
}

func (s *Server) handlePVSImage(w http.ResponseWriter, r *http.Request) {
	var req api.PVSImageRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	img, ok := s.images(w, r)
	if !ok {
		return
	}
	if req.MediaID == "" {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media_id is missing: upload the image with POST /v1/media and pass its media_id", nil)
		return
	}
	m, err := s.deps.Media.Get(req.MediaID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if m.Kind != api.KindImage {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, "media "+m.MediaID+" is a "+m.Kind+": use the video session endpoints", nil)
		return
	}
	src := segment.Source{SHA256: m.SHA256, Width: m.Width, Height: m.Height, Load: func() (image.Image, error) { return s.deps.Media.Image(m) }}
	res, err := img.Segment(r.Context(), src, &req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	man := img.Manifest()
	out := api.PVSImageResponse{Model: man.Name, ModelLabel: man.Label, Width: m.Width, Height: m.Height, Timing: res.Timing}
	out.Objects = segment.Render(res, req.Outputs, func(id int, mk *mask.Mask) string { return s.saveOverlay(r, id, mk) })
	writeJSON(w, http.StatusOK, out)
}

// images is the image model, or writes a 503 and returns false when none
// is loaded.
func (s *Server) images(w http.ResponseWriter, r *http.Request) (*segment.Images, bool) {
	if s.deps.Images == nil {
		s.writeError(w, r, http.StatusServiceUnavailable, api.CodeUnavailable, "no image model is loaded; see /ready", nil)
		return nil, false
	}
	return s.deps.Images, true
}

// handlePrefetch starts computing the embeddings of the image open now and,
// in the background, of the images the user is likely to open next.
func (s *Server) handlePrefetch(w http.ResponseWriter, r *http.Request) {
	var req api.PrefetchRequest
	if !s.decodeJSON(w, r, &req) {
		return
	}
	img, ok := s.images(w, r)
	if !ok {
		return
	}
	if len(req.MediaIDs) > api.MaxPrefetch {
		s.writeError(w, r, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("%d media_ids: prefetch at most %d (POST /v1/precompute takes any number)", len(req.MediaIDs), api.MaxPrefetch), nil)
		return
	}
	ids := req.MediaIDs
	if req.Open != "" {
		ids = append([]string{req.Open}, ids...)
	}
	srcs, ok := s.imageSources(w, r, ids, "prefetch takes images")
	if !ok {
		return
	}
	embedders := []*segment.Embedder{img.Embedder}
	if req.Concepts && s.deps.Concepts != nil {
		embedders = append(embedders, s.deps.Concepts.Embedder)
	}
	queued := 0
	for _, e := range embedders {
		for _, src := range srcs {
			if !e.Cached(src) {
				queued++
			}
		}
	}
	var open *segment.Source
	if req.Open != "" {
		open, srcs = &srcs[0], srcs[1:]
	}
	img.Prefetch(open, srcs, embedders[1:]...)
	writeJSON(w, http.StatusAccepted, api.PrefetchResponse{Queued: queued})
}

var overlayRE = regexp.MustCompile(`^[0-9a-f]{32}\.png$`)

// saveOverlay writes a PNG overlay of one mask and returns its URL ("" on
// failure, which is logged).
func (s *Server) saveOverlay(r *http.Request, objectID int, m *mask.Mask) string {
	if s.cfg.OverlayDir == "" {
		return ""
	}
	b := make([]byte, 16)
	rand.Read(b)
	name := hex.EncodeToString(b) + ".png"
	col := palette[objectID%len(palette)]
	if objectID < 0 {
		col = palette[0]
	}
	rgba := mask.Overlay(m.W, m.H, []*mask.Mask{m}, []color.NRGBA{col}, 128)
	if err := writePNG(filepath.Join(s.cfg.OverlayDir, name), rgba); err != nil {
		s.log.Warn("cannot write overlay", "request_id", requestID(r.Context()), "err", err)
		return ""
	}
	return "/v1/overlays/" + name
}

func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes())
}

func (s *Server) handleOverlay(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !overlayRE.MatchString(name) || s.cfg.OverlayDir == "" {
		s.writeError(w, r, http.StatusNotFound, api.CodeNotFound, "no such overlay", nil)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	http.ServeFile(w, r, filepath.Join(s.cfg.OverlayDir, name))
}

// palette gives objects distinct, readable colours (by object id).
var palette = []color.NRGBA{
	{230, 25, 75, 255}, {60, 180, 75, 255}, {0, 130, 200, 255}, {245, 130, 48, 255},
	{145, 30, 180, 255}, {70, 240, 240, 255}, {240, 50, 230, 255}, {210, 245, 60, 255},
	{250, 190, 212, 255}, {0, 128, 128, 255}, {220, 190, 255, 255}, {170, 110, 40, 255},
}
