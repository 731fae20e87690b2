package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CatalogEntry describes a bundle that Puller.Pull can fetch from a Hugging
// Face repository: which graphs and files to take, at which precision, and
// how to name and label the result. Adding a bundle is adding an entry to the
// catalog table.
//
// Naming: a pull at the entry's DefaultPrecision installs the bundle as Name
// ("sam3-tracker"); any other precision installs it as Name-precision
// ("sam3-tracker-fp32", "sam3-tracker-q4f16"), so variants sit side by side.
type CatalogEntry struct {
	// Name names the entry and the bundle installed at DefaultPrecision.
	Name string
	// Description is one line for listings.
	Description string
	// Family and Task go into the manifest.
	Family, Task string
	// Repo is the main repository ("owner/name"); the manifest records it
	// as the bundle's source.
	Repo string
	// Precisions lists the precisions the user may choose for graphs
	// whose GraphSpec.Precision is empty; DefaultPrecision is one of them.
	Precisions       []string
	DefaultPrecision string
	// Label is the UI label with one %s for the chosen precision, e.g.
	// "SAM 3 tracker (%s encoder)".
	Label string
	// Graphs are the bundle's graphs. Each graph's external-data files
	// (<graph>_data, <graph>_data_1, ...) come with it.
	Graphs []GraphSpec
	// Extras are other files (configs, tokenizers, constants).
	Extras []ExtraSpec
}

// GraphSpec is one graph of a catalog entry.
type GraphSpec struct {
	// Role is the manifest's key for the graph (RoleVisionEncoder, ...).
	Role string
	// Base is the graph's path in the repository without the precision
	// suffix and ".onnx": "onnx/vision_encoder" gives
	// onnx/vision_encoder_fp16.onnx at fp16.
	Base string
	// Precision fixes this graph's precision; empty follows the precision
	// chosen for the pull.
	Precision string
	// Repo and Revision take the graph from another repository (default: the
	// entry's Repo at the pull's revision).
	Repo, Revision string
}

// ExtraSpec is one non-graph file of a catalog entry.
type ExtraSpec struct {
	// Name is the manifest's key for the file (Manifest.Extra).
	Name string
	// Path is the file's path in the repository.
	Path string
	// Optional files are taken only when the repository lists them.
	Optional bool
	// Repo and Revision take the file from another repository (default: the
	// entry's Repo at the pull's revision).
	Repo, Revision string
}

// ErrNotInCatalog is returned (wrapped) by Pull for a name the catalog does
// not know.
var ErrNotInCatalog = errors.New("model is not in the catalog")

// catalog is the table of pullable bundles. sam3-video (the tracker's vision
// encoder plus the memory graphs of another export) and sam3-concept will be
// entries here, using GraphSpec.Repo for graphs that live elsewhere.
var catalog = []CatalogEntry{
	{
		Name:             "sam3-tracker",
		Description:      "SAM 3 points and boxes on images (onnx-community export)",
		Family:           FamilyTracker,
		Task:             TaskPVSImage,
		Repo:             "onnx-community/sam3-tracker-ONNX",
		Precisions:       []string{PrecisionFP32, PrecisionFP16, PrecisionQ4F16},
		DefaultPrecision: PrecisionFP16,
		Label:            "SAM 3 tracker (%s encoder)",
		Graphs: []GraphSpec{
			{Role: RoleVisionEncoder, Base: "onnx/vision_encoder"},
			{Role: RoleMaskDecoder, Base: "onnx/prompt_encoder_mask_decoder", Precision: PrecisionFP32},
		},
		Extras: []ExtraSpec{
			{Name: "config.json", Path: "config.json", Optional: true},
			{Name: "preprocessor_config.json", Path: "preprocessor_config.json", Optional: true},
			{Name: "processor_config.json", Path: "processor_config.json", Optional: true},
		},
	},
}

// Catalog returns the pullable bundles.
func Catalog() []CatalogEntry {
	out := make([]CatalogEntry, len(catalog))
	for i, e := range catalog {
		out[i] = e.clone()
	}
	return out
}

// Lookup returns the catalog entry called name.
func Lookup(name string) (CatalogEntry, bool) {
	for _, e := range catalog {
		if e.Name == name {
			return e.clone(), true
		}
	}
	return CatalogEntry{}, false
}

// ParseName resolves a pull name: an entry's name (at its default precision)
// or an installed name "<entry>-<precision>" such as "sam3-tracker-fp32".
func ParseName(name string) (CatalogEntry, string, bool) {
	if e, ok := Lookup(name); ok {
		return e, e.DefaultPrecision, true
	}
	if i := strings.LastIndex(name, "-"); i > 0 {
		if e, ok := Lookup(name[:i]); ok && slices.Contains(e.Precisions, name[i+1:]) {
			return e, name[i+1:], true
		}
	}
	return CatalogEntry{}, "", false
}

// CatalogNames lists the names Pull accepts, for messages.
func CatalogNames() []string {
	var out []string
	for _, e := range catalog {
		out = append(out, e.Name)
	}
	return out
}

func (e CatalogEntry) clone() CatalogEntry {
	e.Precisions = slices.Clone(e.Precisions)
	e.Graphs = slices.Clone(e.Graphs)
	e.Extras = slices.Clone(e.Extras)
	return e
}

// InstallName is the name the bundle is installed under at precision: Name
// at the default precision (or ""), Name-precision otherwise.
func (e CatalogEntry) InstallName(precision string) string {
	if precision == "" || precision == e.DefaultPrecision {
		return e.Name
	}
	return e.Name + "-" + precision
}

// LabelFor is the UI label at precision.
func (e CatalogEntry) LabelFor(precision string) string {
	if precision == "" {
		precision = e.DefaultPrecision
	}
	if strings.Contains(e.Label, "%s") {
		return fmt.Sprintf(e.Label, precision)
	}
	return e.Label
}

// checkPrecision validates a requested precision ("" → the default).
func (e CatalogEntry) checkPrecision(precision string) (string, error) {
	if precision == "" {
		precision = e.DefaultPrecision
	}
	if len(e.Precisions) == 0 && precision == "" {
		return "", nil
	}
	if !slices.Contains(e.Precisions, precision) {
		return "", fmt.Errorf("%s: precision %q is not offered; choose one of %s", e.Name, precision, strings.Join(e.Precisions, ", "))
	}
	return precision, nil
}

// repoRev identifies one listing.
type repoRev struct{ repo, revision string }

// sources lists the repositories (at revision) the entry's files come from.
func (e CatalogEntry) sources(revision string) []repoRev {
	var out []repoRev
	add := func(repo, rev string) {
		r := e.at(repo, rev, revision)
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	for _, g := range e.Graphs {
		add(g.Repo, g.Revision)
	}
	for _, x := range e.Extras {
		add(x.Repo, x.Revision)
	}
	return out
}

func (e CatalogEntry) at(repo, rev, revision string) repoRev {
	if repo == "" {
		repo = e.Repo
		if rev == "" {
			rev = revision
		}
	}
	if rev == "" {
		rev = "main"
	}
	return repoRev{repo, rev}
}

// pullPlan is what one pull fetches.
type pullPlan struct {
	files  []remoteFile
	graphs map[string]string // role → path
	extra  map[string]string // name → path
}

// plan picks the files of the entry at precision from the listings.
func (e CatalogEntry) plan(trees map[repoRev][]TreeEntry, precision, revision string) (*pullPlan, error) {
	pl := &pullPlan{graphs: map[string]string{}, extra: map[string]string{}}
	taken := map[string]repoRev{}
	take := func(src repoRev, t TreeEntry) error {
		if prev, dup := taken[t.Path]; dup {
			if prev == src {
				return nil
			}
			return fmt.Errorf("%s: %s is in both %s and %s; the catalog entry must take it from one", e.Name, t.Path, prev.repo, src.repo)
		}
		taken[t.Path] = src
		pl.files = append(pl.files, remoteFrom(src.repo, src.revision, t))
		return nil
	}
	for _, g := range e.Graphs {
		src := e.at(g.Repo, g.Revision, revision)
		prec := g.Precision
		if prec == "" {
			prec = precision
		}
		want := graphFile(g.Base, prec)
		entry, ok := findEntry(trees[src], want)
		if !ok {
			return nil, fmt.Errorf("%s@%s does not have %s (%s at %s)%s", src.repo, src.revision, want, g.Role, prec, availableHint(trees[src], g))
		}
		if err := take(src, entry); err != nil {
			return nil, err
		}
		pl.graphs[g.Role] = want
		for _, t := range trees[src] {
			if isDataChunk(want, t.Path) {
				if err := take(src, t); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, x := range e.Extras {
		src := e.at(x.Repo, x.Revision, revision)
		entry, ok := findEntry(trees[src], x.Path)
		if !ok {
			if x.Optional {
				continue
			}
			return nil, fmt.Errorf("%s@%s does not have %s, which %s needs", src.repo, src.revision, x.Path, e.Name)
		}
		if err := take(src, entry); err != nil {
			return nil, err
		}
		pl.extra[x.Name] = x.Path
	}
	slices.SortFunc(pl.files, func(a, b remoteFile) int { return strings.Compare(a.Path, b.Path) })
	return pl, nil
}

func findEntry(tree []TreeEntry, p string) (TreeEntry, bool) {
	for _, t := range tree {
		if t.Path == p {
			return t, true
		}
	}
	return TreeEntry{}, false
}

// availableHint lists the precisions the listing does have for a graph.
func availableHint(tree []TreeEntry, g GraphSpec) string {
	var have []string
	for p := range precisionSuffix {
		if _, ok := findEntry(tree, graphFile(g.Base, p)); ok {
			have = append(have, p)
		}
	}
	if len(have) == 0 {
		return ": is the repository or revision right?"
	}
	if g.Precision != "" {
		return fmt.Sprintf("; it has %s", strings.Join(sortedPrecisions(have), ", "))
	}
	return fmt.Sprintf("; choose a precision it has: %s", strings.Join(sortedPrecisions(have), ", "))
}
