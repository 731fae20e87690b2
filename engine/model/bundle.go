package model

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Bundle is one installed model: a folder under the registry holding a
// manifest.json and the files it lists.
type Bundle struct {
	// Dir is the bundle's folder (absolute).
	Dir string
	// Manifest describes the bundle. It is nil when Err is set.
	Manifest *Manifest
	// Err is set by Registry.List for a folder whose manifest is missing or
	// broken; such a bundle cannot be loaded until it is repaired or removed.
	Err error
}

// Name is the bundle's name: its folder's name.
func (b *Bundle) Name() string { return filepath.Base(b.Dir) }

// Path returns the absolute path of the graph that plays role (RoleVisionEncoder,
// ...). External-data files sit beside it, so ONNX Runtime finds them when the
// session is created from this path.
func (b *Bundle) Path(role string) (string, error) {
	if b.Manifest == nil {
		return "", b.broken()
	}
	p, ok := b.Manifest.Graphs[role]
	if !ok {
		return "", fmt.Errorf("model %q has no %s graph (its manifest lists %s); use a %s bundle",
			b.Name(), role, keyList(b.Manifest.Graphs), familyForRole(role))
	}
	return b.file(p), nil
}

// ExtraPath returns the absolute path of a named extra file (for example
// "tokenizer.json" or "config.json").
func (b *Bundle) ExtraPath(name string) (string, error) {
	if b.Manifest == nil {
		return "", b.broken()
	}
	p, ok := b.Manifest.Extra[name]
	if !ok {
		return "", fmt.Errorf("model %q has no extra file %q (its manifest lists %s)", b.Name(), name, keyList(b.Manifest.Extra))
	}
	return b.file(p), nil
}

// Size is the total size in bytes of the files the manifest lists.
func (b *Bundle) Size() int64 {
	if b.Manifest == nil {
		return 0
	}
	var n int64
	for _, f := range b.Manifest.Files {
		n += f.Size
	}
	return n
}

func (b *Bundle) file(rel string) string { return filepath.Join(b.Dir, filepath.FromSlash(rel)) }

func (b *Bundle) broken() error {
	return fmt.Errorf("model %q cannot be used: %w", b.Name(), b.Err)
}

func keyList(m map[string]string) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// familyForRole names the families whose bundles provide role, for error
// messages.
func familyForRole(role string) string {
	var fams []string
	for _, f := range []string{FamilyTracker, FamilyVideo, FamilyConcept} {
		for _, r := range RequiredRoles(f) {
			if r == role {
				fams = append(fams, f)
			}
		}
	}
	if len(fams) == 0 {
		return "matching"
	}
	return strings.Join(fams, " or ")
}
