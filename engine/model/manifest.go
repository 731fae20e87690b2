// Package model manages model bundles: folders holding a manifest.json and the
// ONNX graphs of one model (DESIGN §3). Bundles live in the data directory's
// models/ folder; the demo bundles are embedded in the binary and installed
// there on first use.
package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// ManifestFile is the manifest's file name inside a bundle.
const ManifestFile = "manifest.json"

// FormatVersion is the manifest format this engine writes and reads.
const FormatVersion = 1

// Tasks a bundle can serve.
const (
	TaskPVSImage = "pvs-image" // points/boxes on images (sam3-tracker)
	TaskPVSVideo = "pvs-video" // points/boxes tracked through video (sam3-video)
	TaskPCS      = "pcs"       // text and exemplars → all instances (sam3-concept)
)

// Families name the graph interface a bundle implements.
const (
	FamilyTracker = "sam3-tracker"
	FamilyVideo   = "sam3-video"
	FamilyConcept = "sam3-concept"
)

// Graph roles, as keys of Manifest.Graphs.
const (
	RoleVisionEncoder  = "vision_encoder"
	RoleMaskDecoder    = "prompt_encoder_mask_decoder"
	RoleImageDecoder   = "image_decoder"
	RoleMemoryAttn     = "memory_attention"
	RoleMemoryEncoder  = "memory_encoder"
	RoleTextEncoder    = "text_encoder"
	RoleConceptDecoder = "decoder"
)

// Extra file names (keys of Manifest.Extra).
const (
	ExtraVideoConstants = "video_constants" // sam3-video: .npz of constants
	ExtraTokenizer      = "tokenizer"       // sam3-concept: tokenizer.json
)

// Manifest describes a bundle.
type Manifest struct {
	Format int    `json:"format"`
	Name   string `json:"name"`
	Task   string `json:"task"`
	Family string `json:"family"`
	// Label is what the UI shows, e.g. "SAM 3 tracker (fp16)" or
	// "demo — not SAM 3".
	Label     string `json:"label"`
	Demo      bool   `json:"demo,omitempty"`
	Source    Source `json:"source"`
	Precision string `json:"precision,omitempty"`
	// InputSize is the square model input in pixels, as declared by the
	// graph (the engine re-reads it from the loaded graph and checks).
	InputSize int `json:"input_size,omitempty"`
	// Graphs maps a role (RoleVisionEncoder, ...) to a file path inside the bundle.
	Graphs map[string]string `json:"graphs"`
	// Extra maps other named files (tokenizer.json, constants) to paths.
	Extra map[string]string `json:"extra,omitempty"`
	Files []File            `json:"files"`
}

// Source says where a bundle's files came from.
type Source struct {
	Repo     string `json:"repo,omitempty"` // e.g. onnx-community/sam3-tracker-ONNX
	Revision string `json:"revision,omitempty"`
	URL      string `json:"url,omitempty"`
}

// File is one file of a bundle with its size and sha256.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	hexRE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// ErrInvalidManifest wraps every manifest validation failure.
	ErrInvalidManifest = errors.New("invalid model manifest")
)

// ValidName reports whether s can name a bundle (lower-case letters, digits,
// '.', '_' and '-'; at most 64 characters).
func ValidName(s string) bool { return nameRE.MatchString(s) }

func (m *Manifest) invalid(format string, a ...any) error {
	return fmt.Errorf("%w %q: %s", ErrInvalidManifest, m.Name, fmt.Sprintf(format, a...))
}

// checkHeader checks the manifest's format, name and task.
func (m *Manifest) checkHeader() error {
	if m.Format != FormatVersion {
		return m.invalid("format %d is not supported (this engine reads format %d)", m.Format, FormatVersion)
	}
	if !ValidName(m.Name) {
		return m.invalid("name must be lower-case letters, digits, '.', '_' or '-' (at most 64)")
	}
	switch m.Task {
	case TaskPVSImage, TaskPVSVideo, TaskPCS:
	default:
		return m.invalid("task %q is not one of %s, %s, %s", m.Task, TaskPVSImage, TaskPVSVideo, TaskPCS)
	}
	return nil
}

// Validate checks the manifest for consistency.
func (m *Manifest) Validate() error {
	bad := m.invalid
	if err := m.checkHeader(); err != nil {
		return err
	}
	files := map[string]bool{}
	for _, f := range m.Files {
		if err := checkRelPath(f.Path); err != nil {
			return bad("file %q: %v", f.Path, err)
		}
		if !hexRE.MatchString(f.SHA256) {
			return bad("file %q: sha256 must be 64 lower-case hex digits", f.Path)
		}
		if f.Size < 0 {
			return bad("file %q: negative size", f.Path)
		}
		files[f.Path] = true
	}
	for role, p := range m.Graphs {
		if !files[p] {
			return bad("graph %s (%s) is not listed in files", role, p)
		}
	}
	for name, p := range m.Extra {
		if !files[p] {
			return bad("extra file %s (%s) is not listed in files", name, p)
		}
	}
	for _, role := range RequiredRoles(m.Family) {
		if _, ok := m.Graphs[role]; !ok {
			return bad("family %s needs a %s graph", m.Family, role)
		}
	}
	return nil
}

// RequiredRoles lists the graphs a family must provide.
func RequiredRoles(family string) []string {
	switch family {
	case FamilyTracker:
		return []string{RoleVisionEncoder, RoleMaskDecoder}
	case FamilyVideo:
		return []string{RoleVisionEncoder, RoleImageDecoder, RoleMemoryAttn, RoleMemoryEncoder}
	case FamilyConcept:
		return []string{RoleVisionEncoder, RoleTextEncoder, RoleConceptDecoder}
	}
	return nil
}

// checkRelPath rejects absolute paths, "..", backslashes and empty segments.
func checkRelPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return errors.New("must be a relative path with forward slashes")
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return errors.New("must not contain empty, '.' or '..' segments")
		}
	}
	return nil
}

// ReadManifest reads and validates dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	return ParseManifest(data)
}

// ParseManifest decodes and validates a manifest.
func ParseManifest(data []byte) (*Manifest, error) {
	m, err := decodeManifest(data)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeManifest reads a manifest without checking it.
func decodeManifest(data []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidManifest, err)
	}
	return &m, nil
}

// Marshal encodes the manifest as indented JSON with a trailing newline.
func (m *Manifest) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
