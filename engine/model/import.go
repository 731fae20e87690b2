package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ImportOptions tune Registry.Import. Empty fields keep what the source's
// manifest says or what Import works out.
type ImportOptions struct {
	// Name installs the bundle under this name (default: the manifest's
	// name, else the source folder's name in lower case).
	Name string
	// Family is the graph interface (FamilyTracker, ...); default: the
	// manifest's, else the family whose graphs are found.
	Family string
	// Task defaults to the manifest's, else to the family's task.
	Task string
	// Label is what the UI shows.
	Label string
	// Precision picks among graph variants when the folder holds several
	// (vision_encoder.onnx and vision_encoder_fp16.onnx: fp32 or fp16).
	Precision string
	// Replace allows replacing an installed bundle of the same name.
	Replace bool
}

// layout tells Import how to find a family's graphs in a folder without a
// manifest: each role's graph is <base><precision suffix>.onnx at the top or
// under onnx/.
type layout struct {
	family, task, display string
	graphs                []roleBase
	// extras names the files a role reads (Manifest.Extra key → file name).
	extras map[string]string
}

type roleBase struct{ role, base string }

// layouts lists the families Import can recognise, in detection order.
// sam3-video has no fixed file names (its graphs come in profiles), so it
// needs a manifest.json.
var layouts = []layout{
	{FamilyTracker, TaskPVSImage, "SAM 3 tracker", []roleBase{{RoleVisionEncoder, "vision_encoder"}, {RoleMaskDecoder, "prompt_encoder_mask_decoder"}}, nil},
	{FamilyConcept, TaskPCS, "SAM 3 concept", []roleBase{{RoleVisionEncoder, "vision-encoder"}, {RoleTextEncoder, "text-encoder"}, {RoleConceptDecoder, "decoder"}},
		map[string]string{ExtraTokenizer: "tokenizer.json"}},
}

// extraExts are the non-graph files Import copies from a folder without a
// manifest (configs, tokenizers, constants); others (weights in other
// formats, images, READMEs) are left out.
var extraExts = map[string]bool{".json": true, ".txt": true, ".npz": true, ".npy": true}

// Import copies a local bundle folder src into the registry. When src holds a
// manifest.json it is validated and every file checked against it while
// copying; a manifest without "files" (written by hand) has the files it names
// hashed instead. Otherwise a manifest is built: the graphs are found by their
// well-known names for the family (for sam3-tracker vision_encoder*.onnx and
// prompt_encoder_mask_decoder*.onnx, at the top or under onnx/), their
// .onnx_data* files beside them are included, with the folder's .json, .txt,
// .npz and .npy files, and every file is hashed. Either way the bundle is
// assembled in a staging folder and renamed into place.
func (r *Registry) Import(ctx context.Context, src string, opts ImportOptions) (*Bundle, error) {
	fi, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("import: %s is not a folder; give the folder holding the .onnx files", src)
	}
	if opts.Name != "" {
		if err := checkName(opts.Name); err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	if opts.Precision != "" {
		if _, ok := precisionSuffix[opts.Precision]; !ok {
			return nil, fmt.Errorf("import: precision %q is not one of %s", opts.Precision, strings.Join(sortedPrecisions(keys(precisionSuffix)), ", "))
		}
	}
	raw, err := os.ReadFile(filepath.Join(src, ManifestFile))
	switch {
	case err == nil:
		m, err := decodeManifest(raw)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", filepath.Join(src, ManifestFile), err)
		}
		opts.apply(m)
		if len(m.Files) == 0 { // a hand-written manifest: hash what it names
			if err := m.checkHeader(); err != nil {
				return nil, fmt.Errorf("import %s: %w", src, err)
			}
			if err := r.checkReplace(m.Name, opts.Replace); err != nil {
				return nil, err
			}
			return r.importNamed(ctx, src, m)
		}
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("import %s: %w", src, err)
		}
		if err := r.checkReplace(m.Name, opts.Replace); err != nil {
			return nil, err
		}
		return r.install(ctx, os.DirFS(src), ".", m)
	case isNotExist(err):
		return r.importBare(ctx, src, opts)
	default:
		return nil, fmt.Errorf("import: %w", err)
	}
}

func (o ImportOptions) apply(m *Manifest) {
	for _, f := range []struct {
		dst *string
		v   string
	}{{&m.Name, o.Name}, {&m.Family, o.Family}, {&m.Task, o.Task}, {&m.Label, o.Label}, {&m.Precision, o.Precision}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
}

func (r *Registry) checkReplace(name string, replace bool) error {
	if replace {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(r.dir, name)); err == nil {
		return fmt.Errorf("import: %w: %q; remove it first (engine models rm %s), pick another name, or ask to replace it", ErrExists, name, name)
	}
	return nil
}

// importBare imports a folder without a manifest.
func (r *Registry) importBare(ctx context.Context, src string, opts ImportOptions) (b *Bundle, err error) {
	files, err := listFiles(src)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	lay, graphs, precision, err := findGraphs(src, files, opts.Family, opts.Precision)
	if err != nil {
		return nil, err
	}
	name := opts.Name
	if name == "" {
		name = defaultName(src)
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("import: cannot derive a model name from the folder %q: give one (--name)", filepath.Base(src))
		}
	}
	m := &Manifest{
		Format: FormatVersion, Name: name, Task: lay.task, Family: lay.family,
		Label:     fmt.Sprintf("%s (imported, %s)", lay.display, precision),
		Source:    Source{URL: "file://" + filepath.ToSlash(absPath(src))},
		Precision: precision, Graphs: graphs, Extra: map[string]string{},
	}
	opts.Precision = "" // already used to pick the graphs
	opts.apply(m)
	if err := r.checkReplace(m.Name, opts.Replace); err != nil {
		return nil, err
	}
	want := graphFiles(graphs, files)
	for _, f := range files {
		if !strings.HasSuffix(f, ".onnx") && !isDataFile(f) && extraExts[path.Ext(f)] {
			want[f] = true
			if _, dup := m.Extra[path.Base(f)]; !dup {
				m.Extra[path.Base(f)] = f
			}
		}
	}
	for key, name := range lay.extras {
		if f, ok := m.Extra[name]; ok {
			m.Extra[key] = f
		}
	}
	if len(m.Extra) == 0 {
		m.Extra = nil
	}
	return r.installHashed(ctx, src, m, want)
}

// importNamed imports a folder whose manifest names the graphs and extras but lists no
// files (written by hand, say for sam3-video): those files and the graphs' weight files
// beside them are copied and hashed into the manifest.
func (r *Registry) importNamed(ctx context.Context, src string, m *Manifest) (*Bundle, error) {
	files, err := listFiles(src)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	in := map[string]bool{}
	for _, f := range files {
		in[f] = true
	}
	want := graphFiles(m.Graphs, files)
	for _, f := range m.Extra {
		want[f] = true
	}
	for _, f := range sortedKeys(want) {
		if !in[f] {
			return nil, fmt.Errorf("import %s: %s names %q, which is not a file in the folder (paths are relative to it, with forward slashes)", src, ManifestFile, f)
		}
	}
	return r.installHashed(ctx, src, m, want)
}

// graphFiles is the set of the graphs and their external-data files among files.
func graphFiles(graphs map[string]string, files []string) map[string]bool {
	want := map[string]bool{}
	for _, g := range graphs {
		want[g] = true
		for _, f := range files {
			if isDataChunk(g, f) {
				want[f] = true
			}
		}
	}
	return want
}

// installHashed copies the files in want from src into a staging folder, records their
// sizes and hashes in m, checks m and installs the bundle.
func (r *Registry) installHashed(ctx context.Context, src string, m *Manifest, want map[string]bool) (b *Bundle, err error) {
	staging, err := r.newStaging(m.Name)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(staging)
		}
	}()
	for _, f := range sortedKeys(want) {
		sum, size, err := copyHashed(ctx, filepath.Join(src, filepath.FromSlash(f)), filepath.Join(staging, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", src, err)
		}
		m.Files = append(m.Files, File{Path: f, Size: size, SHA256: sum})
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	if err := writeManifest(staging, m); err != nil {
		return nil, fmt.Errorf("import %s: %w", src, err)
	}
	if err := r.commit(staging, m.Name); err != nil {
		return nil, err
	}
	return r.Get(m.Name)
}

// findGraphs picks each role's graph for the family (or the first family
// whose graphs are all present).
func findGraphs(src string, files []string, family, precision string) (layout, map[string]string, string, error) {
	var tried []string
	for _, lay := range layouts {
		if family != "" && lay.family != family {
			continue
		}
		graphs := map[string]string{}
		var problems []string
		encPrecision := ""
		for _, rb := range lay.graphs {
			p, prec, err := pickGraph(files, rb.base, precision)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			graphs[rb.role] = p
			if encPrecision == "" {
				encPrecision = prec
			}
		}
		if len(problems) == 0 {
			return lay, graphs, encPrecision, nil
		}
		tried = append(tried, fmt.Sprintf("%s: %s", lay.family, strings.Join(problems, "; ")))
	}
	if family != "" && len(tried) == 0 {
		return layout{}, nil, "", fmt.Errorf("import %s: has no %s and family %q has no well-known file names; write a %s listing its graphs and files", src, ManifestFile, family, ManifestFile)
	}
	return layout{}, nil, "", fmt.Errorf("import %s: has no %s and no known set of graphs was found (%s); give the right folder, or write a %s",
		src, ManifestFile, strings.Join(tried, " | "), ManifestFile)
}

// pickGraph chooses the file <base><suffix>.onnx (top level or onnx/) for a
// precision: the requested one, else fp32, else the only variant present.
func pickGraph(files []string, base, precision string) (string, string, error) {
	found := map[string]string{} // precision → path
	for _, f := range files {
		dir, file := path.Split(f)
		if dir != "" && dir != "onnx/" {
			continue
		}
		b, prec, ok := splitGraphName(file)
		if !ok || b != base {
			continue
		}
		if _, dup := found[prec]; !dup || dir == "onnx/" {
			found[prec] = f
		}
	}
	if len(found) == 0 {
		return "", "", fmt.Errorf("no %s*.onnx", base)
	}
	if precision != "" {
		if p, ok := found[precision]; ok {
			return p, precision, nil
		}
	}
	if p, ok := found[PrecisionFP32]; ok {
		return p, PrecisionFP32, nil
	}
	if len(found) == 1 {
		for prec, p := range found {
			return p, prec, nil
		}
	}
	return "", "", fmt.Errorf("%s.onnx comes in %s: choose a precision", base, strings.Join(sortedPrecisions(keys(found)), ", "))
}

// listFiles lists the regular files under root (following symbolic links to
// files, as in a Hugging Face cache snapshot), as slash paths, skipping
// hidden files and folders and any manifest.json.
func listFiles(root string) ([]string, error) {
	var out []string
	err := fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || p == ManifestFile {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
			if err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// copyHashed copies src to dst and returns the sha256 and size of what was copied.
func copyHashed(ctx context.Context, src, dst string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", 0, err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	size, err := io.CopyBuffer(io.MultiWriter(out, h), ctxReader{ctx, in}, make([]byte, copyBufSize))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("copy %s: %w", src, err)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// defaultName turns a folder name into a bundle name: lower case, other
// characters replaced by '-'.
func defaultName(src string) string {
	base := strings.ToLower(filepath.Base(absPath(src)))
	var b strings.Builder
	for _, c := range base {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-._")
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]bool) []string { return keys(m) }
