package model

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// PullSpec says what Puller.Pull fetches.
type PullSpec struct {
	// Name is a catalog entry ("sam3-tracker") or an installed name with a
	// precision ("sam3-tracker-fp32"); see CatalogEntry for the scheme.
	Name string
	// Precision overrides the precision (default: the one in Name, else the
	// entry's default).
	Precision string
	// Revision is the branch, tag or commit to pull (default "main").
	Revision string
	// Entry, when not nil, is pulled instead of looking Name up in the
	// catalog (custom repositories, tests).
	Entry *CatalogEntry
}

// resolve returns the entry, the precision and the installed name.
func (s PullSpec) resolve() (CatalogEntry, string, string, error) {
	var e CatalogEntry
	precision := s.Precision
	if s.Entry != nil {
		e = s.Entry.clone()
	} else {
		var fromName string
		var ok bool
		e, fromName, ok = ParseName(s.Name)
		if !ok {
			return e, "", "", fmt.Errorf("%w: %q; pullable models: %s (engine models import copies a local folder)", ErrNotInCatalog, s.Name, strings.Join(CatalogNames(), ", "))
		}
		if precision == "" {
			precision = fromName
		} else if s.Name != e.Name && fromName != precision {
			return e, "", "", fmt.Errorf("%s names precision %s but %s was asked for; use %s with --precision %s", s.Name, fromName, precision, e.Name, precision)
		}
	}
	precision, err := e.checkPrecision(precision)
	if err != nil {
		return e, "", "", err
	}
	name := e.InstallName(precision)
	if err := checkName(name); err != nil {
		return e, "", "", err
	}
	if err := checkRepo(e.Repo); err != nil {
		return e, "", "", err
	}
	return e, precision, name, nil
}

// Pull downloads a bundle from the hub into the registry and returns it.
//
// It lists the entry's repositories, picks the files the entry needs at the
// chosen precision, and downloads each into <registry>/.staging/<name>/ as
// <file>.part, resuming a part left by an earlier run with an HTTP range
// request. Each file is checked (sha256 for LFS files, the git blob SHA-1
// for others) before it is renamed to its final name; a file that fails is
// deleted. When all are in place the manifest is written and the folder
// renamed to <registry>/<name>, replacing an older copy. On an error or
// cancellation the staging folder is kept so that the next Pull resumes.
// When the installed bundle already matches the listing nothing is
// downloaded (and Progress is not called).
func (p *Puller) Pull(ctx context.Context, reg *Registry, spec PullSpec) (*Bundle, error) {
	e, precision, name, err := spec.resolve()
	if err != nil {
		return nil, fmt.Errorf("pull: %w", err)
	}
	revision := spec.Revision
	if revision == "" {
		revision = "main"
	}
	unlock, err := reg.lockPull(name)
	if err != nil {
		return nil, err
	}
	defer unlock()

	trees := map[repoRev][]TreeEntry{}
	for _, src := range e.sources(revision) {
		t, err := p.Tree(ctx, src.repo, src.revision)
		if err != nil {
			return nil, fmt.Errorf("pull %s: %w", name, err)
		}
		trees[src] = t
	}
	pl, err := e.plan(trees, precision, revision)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	if b := upToDate(ctx, reg, name, e.Repo, pl); b != nil {
		slog.Debug("model is up to date", "model", name)
		return b, nil
	}

	root, err := reg.stagingRoot()
	if err != nil {
		return nil, err
	}
	stage := filepath.Join(root, name)
	if err := os.MkdirAll(stage, 0o755); err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	if err := prune(stage, pl); err != nil {
		return nil, fmt.Errorf("pull %s: tidying %s: %w", name, stage, err)
	}
	m := &Manifest{
		Format: FormatVersion, Name: name, Task: e.Task, Family: e.Family,
		Label:     e.LabelFor(precision),
		Source:    Source{Repo: e.Repo, Revision: revision, URL: p.endpoint() + "/" + e.Repo},
		Precision: precision, Graphs: pl.graphs, Extra: pl.extra,
	}
	if len(m.Extra) == 0 {
		m.Extra = nil
	}
	if p.Planned != nil {
		var total int64
		for _, f := range pl.files {
			total += f.Size
		}
		p.Planned(len(pl.files), total)
	}
	for _, f := range pl.files {
		sum, err := p.fetch(ctx, stage, f)
		if err != nil {
			return nil, pullError(name, stage, err)
		}
		m.Files = append(m.Files, File{Path: f.Path, Size: f.Size, SHA256: sum})
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	if err := writeManifest(stage, m); err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	if err := reg.commit(stage, name); err != nil {
		return nil, err
	}
	return reg.Get(name)
}

// pullError wraps a download failure, saying whether pulling again resumes.
func pullError(name, stage string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || retryable(err) {
		return fmt.Errorf("pull %s: %w (what was downloaded is kept in %s: pull again to resume)", name, err, stage)
	}
	return fmt.Errorf("pull %s: %w", name, err)
}

// upToDate returns the installed bundle when it already holds exactly the
// planned files (by size and sha256, or git blob SHA-1 for small files).
func upToDate(ctx context.Context, reg *Registry, name, repo string, pl *pullPlan) *Bundle {
	b, err := reg.Get(name)
	if err != nil || b.Manifest.Source.Repo != repo || len(b.Manifest.Files) != len(pl.files) {
		return nil
	}
	for role, p := range pl.graphs {
		if b.Manifest.Graphs[role] != p {
			return nil
		}
	}
	have := map[string]File{}
	for _, f := range b.Manifest.Files {
		have[f.Path] = f
	}
	for _, f := range pl.files {
		mf, ok := have[f.Path]
		if !ok || mf.Size != f.Size {
			return nil
		}
		if fi, err := os.Stat(b.file(f.Path)); err != nil || fi.Size() != f.Size {
			return nil
		}
		if f.SHA256 != "" {
			if mf.SHA256 != f.SHA256 {
				return nil
			}
			continue
		}
		h := newFileHasher(f)
		if hashInto(ctx, b.file(f.Path), h) != nil {
			return nil
		}
		if _, err := h.check(f); err != nil {
			return nil
		}
	}
	return b
}

// prune deletes files in a pull's staging folder that the plan does not
// name (left by a pull of another revision), and a stale manifest.
func prune(stage string, pl *pullPlan) error {
	keep := map[string]bool{}
	for _, f := range pl.files {
		keep[f.Path] = true
		keep[f.Path+".part"] = true
	}
	var dirs []string
	err := filepath.WalkDir(stage, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(stage, p)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		if !keep[filepath.ToSlash(rel)] {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(dirs)
	for _, d := range dirs {
		os.Remove(d) // only succeeds when empty
	}
	return nil
}

// lockPull stops two pulls of the same bundle in this process from sharing
// a staging folder.
func (r *Registry) lockPull(name string) (func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pulling[name] {
		return nil, fmt.Errorf("pull %s: another pull of it is running; wait for it to finish", name)
	}
	if r.pulling == nil {
		r.pulling = map[string]bool{}
	}
	r.pulling[name] = true
	return func() {
		r.mu.Lock()
		delete(r.pulling, name)
		r.mu.Unlock()
	}, nil
}
