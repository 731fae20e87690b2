package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/model"
)

const modelsUsage = `usage: engine models <command> [flags]

Manages model bundles in <data-dir>/models.

commands:
  list [--json]                           installed models
  pull NAME [--precision P] [--revision R] download a model from Hugging Face (resumable)
  import DIR [--name N] [--family F] [--label L] [--precision P] [--replace]
                                          copy a local model folder
  verify [NAME...]                        check every file's size and sha256 (all models when none given)
  rm NAME...                              remove models

"engine models <command> -h" lists a command's flags.`

// runModels runs "engine models ...".
func (m *Main) runModels(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, modelsUsage)
		return errors.New("models: give a command: list, pull, import, verify or rm")
	}
	var err error
	switch args[0] {
	case "list", "ls":
		err = m.modelsList(args[1:])
	case "pull":
		err = m.modelsPull(ctx, args[1:])
	case "import":
		err = m.modelsImport(ctx, args[1:])
	case "verify":
		err = m.modelsVerify(ctx, args[1:])
	case "rm", "remove":
		err = m.modelsRemove(args[1:])
	case "help", "-h", "--help":
		fmt.Fprintln(m.Stdout, modelsUsage)
		return nil
	default:
		fmt.Fprintln(m.Stderr, modelsUsage)
		return fmt.Errorf("models: unknown command %q", args[0])
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// modelsCommand is the flag set and settings of one models subcommand.
type modelsCommand struct {
	fs       *flag.FlagSet
	cfg      config.Config
	settings []string
}

func (m *Main) newModelsCommand(name, usage string, settings ...string) *modelsCommand {
	c := &modelsCommand{fs: flag.NewFlagSet("models "+name, flag.ContinueOnError), cfg: config.Default(), settings: settings}
	c.fs.SetOutput(m.Stderr)
	c.fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "usage: engine models %s\n\nflags:\n", usage)
		c.fs.PrintDefaults()
	}
	return c
}

// parse applies the environment and flags, accepting flags after positional
// arguments ("pull sam3-tracker --precision fp32"), and returns the
// positional arguments.
func (c *modelsCommand) parse(m *Main, args []string) ([]string, error) {
	if err := c.cfg.Load(c.fs, args, m.Getenv, c.settings...); err != nil {
		return nil, err
	}
	var pos []string
	rest := c.fs.Args()
	for len(rest) > 0 {
		pos = append(pos, rest[0])
		if err := c.fs.Parse(rest[1:]); err != nil {
			return nil, err
		}
		rest = c.fs.Args()
	}
	return pos, c.cfg.Validate()
}

// registry opens the registry with the embedded demo bundles installed.
func (c *modelsCommand) registry() (*model.Registry, error) {
	reg, err := model.OpenRegistry(c.cfg.Path("models"))
	if err != nil {
		return nil, err
	}
	return reg, instance.InstallDemos(reg)
}

// modelInfo is one row of "models list --json".
type modelInfo struct {
	Name      string        `json:"name"`
	Task      string        `json:"task,omitempty"`
	Family    string        `json:"family,omitempty"`
	Label     string        `json:"label,omitempty"`
	Precision string        `json:"precision,omitempty"`
	Demo      bool          `json:"demo,omitempty"`
	Size      int64         `json:"size"`
	Path      string        `json:"path"`
	Source    *model.Source `json:"source,omitempty"`
	Error     string        `json:"error,omitempty"`
}

func (m *Main) modelsList(args []string) error {
	c := m.newModelsCommand("list", "list [--json]", "data_dir")
	asJSON := c.fs.Bool("json", false, "print JSON instead of a table")
	pos, err := c.parse(m, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("models list: unexpected argument %q", pos[0])
	}
	reg, err := c.registry()
	if err != nil {
		return err
	}
	bundles, err := reg.List()
	if err != nil {
		return err
	}
	infos := make([]modelInfo, 0, len(bundles))
	for _, b := range bundles {
		in := modelInfo{Name: b.Name(), Path: b.Dir, Size: b.Size()}
		if b.Err != nil {
			in.Error = b.Err.Error()
		} else {
			mf := b.Manifest
			src := mf.Source
			in.Task, in.Family, in.Label, in.Precision, in.Demo, in.Source = mf.Task, mf.Family, mf.Label, mf.Precision, mf.Demo, &src
		}
		infos = append(infos, in)
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(infos)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTASK\tFAMILY\tLABEL\tPRECISION\tSIZE\tPATH")
	for _, in := range infos {
		if in.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\tbroken: %s\t-\t-\t%s\n", in.Name, in.Error, in.Path)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", in.Name, in.Task, in.Family, in.Label, dash(in.Precision), humanBytes(in.Size), in.Path)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	real := 0
	for _, in := range infos {
		if !in.Demo && in.Error == "" {
			real++
		}
	}
	if real == 0 {
		fmt.Fprintf(m.Stderr, "only the demo models (not SAM 3) are in %s; \"engine models pull %s\" downloads SAM 3\n", reg.Dir(), model.CatalogNames()[0])
	}
	return nil
}

func (m *Main) modelsPull(ctx context.Context, args []string) error {
	var names []string
	for _, e := range model.Catalog() {
		names = append(names, fmt.Sprintf("%s (%s; precisions %s, default %s)", e.Name, e.Description, strings.Join(e.Precisions, ", "), e.DefaultPrecision))
	}
	c := m.newModelsCommand("pull", "pull NAME [--precision P] [--revision R]\n\nNAME is one of:\n  "+strings.Join(names, "\n  ")+
		"\nA precision other than the default installs as NAME-PRECISION (sam3-tracker-fp32).", "data_dir", "hf_endpoint", "hf_token")
	precision := c.fs.String("precision", "", "encoder precision, e.g. fp32, fp16 or q4f16 (default: the model's default)")
	revision := c.fs.String("revision", "main", "branch, tag or commit of the Hugging Face repository")
	pos, err := c.parse(m, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		c.fs.Usage()
		return errors.New("models pull: give one model name")
	}
	reg, err := c.registry()
	if err != nil {
		return err
	}
	bars := &pullBars{w: m.Stderr}
	p := &model.Puller{Endpoint: c.cfg.HFEndpoint, Token: c.cfg.HFToken, Progress: bars.update, Retries: 3}
	b, err := p.Pull(ctx, reg, model.PullSpec{Name: pos[0], Precision: *precision, Revision: *revision})
	bars.stop()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(m.Stderr, "pull stopped; what was downloaded is kept: run the same command again to resume")
			return fmt.Errorf("models pull %s: interrupted", pos[0])
		}
		return err
	}
	if !bars.used {
		fmt.Fprintf(m.Stdout, "%s is up to date in %s (engine models verify %s checks its files)\n", b.Name(), b.Dir, b.Name())
		return nil
	}
	fmt.Fprintf(m.Stdout, "installed %s — %s, %s, in %s\n", b.Name(), b.Manifest.Label, humanBytes(b.Size()), b.Dir)
	return nil
}

// pullBars shows one progress bar per file.
type pullBars struct {
	w    io.Writer
	file string
	bar  *progressbar.ProgressBar
	used bool
}

func (p *pullBars) update(file string, done, total int64) {
	p.used = true
	if file != p.file || p.bar == nil {
		p.stop()
		p.file = file
		if total <= 0 {
			return
		}
		w := p.w
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(file),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowTotalBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionUseIECUnits(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		)
	}
	if p.bar != nil {
		_ = p.bar.Set64(done)
	}
}

// stop ends the current bar, complete or not.
func (p *pullBars) stop() {
	if p.bar == nil {
		return
	}
	if !p.bar.IsFinished() {
		_ = p.bar.Exit()
	}
	p.bar = nil
}

func (m *Main) modelsImport(ctx context.Context, args []string) error {
	c := m.newModelsCommand("import", "import DIR [flags]\n\nDIR holds a manifest.json and its files, or the .onnx graphs of a known family\n(for sam3-tracker: vision_encoder*.onnx and prompt_encoder_mask_decoder*.onnx, at the top or under onnx/).", "data_dir")
	var opts model.ImportOptions
	c.fs.StringVar(&opts.Name, "name", "", "install under this name (default: the manifest's, else the folder's)")
	c.fs.StringVar(&opts.Family, "family", "", "graph family: "+model.FamilyTracker+", "+model.FamilyVideo+" or "+model.FamilyConcept+" (default: detected)")
	c.fs.StringVar(&opts.Task, "task", "", "task: "+model.TaskPVSImage+", "+model.TaskPVSVideo+" or "+model.TaskPCS+" (default: the family's)")
	c.fs.StringVar(&opts.Label, "label", "", "label shown in the app")
	c.fs.StringVar(&opts.Precision, "precision", "", "which graph variant to take when the folder has several (fp32, fp16, q4f16, ...)")
	c.fs.BoolVar(&opts.Replace, "replace", false, "replace an installed model of the same name")
	pos, err := c.parse(m, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		c.fs.Usage()
		return errors.New("models import: give one folder")
	}
	reg, err := c.registry()
	if err != nil {
		return err
	}
	b, err := reg.Import(ctx, pos[0], opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "imported %s — %s, %d files, %s, in %s\n", b.Name(), b.Manifest.Label, len(b.Manifest.Files), humanBytes(b.Size()), b.Dir)
	return nil
}

func (m *Main) modelsVerify(ctx context.Context, args []string) error {
	c := m.newModelsCommand("verify", "verify [NAME...]", "data_dir")
	pos, err := c.parse(m, args)
	if err != nil {
		return err
	}
	reg, err := c.registry()
	if err != nil {
		return err
	}
	var bundles []*model.Bundle
	if len(pos) == 0 {
		if bundles, err = reg.List(); err != nil {
			return err
		}
		if len(bundles) == 0 {
			fmt.Fprintf(m.Stdout, "no models in %s\n", reg.Dir())
			return nil
		}
	}
	for _, name := range pos {
		b, err := reg.Get(name)
		if err != nil {
			if !errors.Is(err, model.ErrNotFound) && !errors.Is(err, model.ErrInvalidName) {
				b = &model.Bundle{Dir: filepath.Join(reg.Dir(), name), Err: err}
			} else {
				return err
			}
		}
		bundles = append(bundles, b)
	}
	failed := 0
	for _, b := range bundles {
		err := b.Err
		if err == nil {
			bars := &pullBars{w: m.Stderr}
			err = b.Verify(ctx, func(done, total int64) { bars.update(b.Name(), done, total) })
			bars.stop()
		}
		if ctx.Err() != nil {
			return fmt.Errorf("models verify: %w", ctx.Err())
		}
		if err != nil {
			failed++
			fmt.Fprintf(m.Stdout, "FAIL  %s: %v\n", b.Name(), err)
			continue
		}
		fmt.Fprintf(m.Stdout, "ok    %s (%d files, %s)\n", b.Name(), len(b.Manifest.Files), humanBytes(b.Size()))
	}
	if failed > 0 {
		return fmt.Errorf("models verify: %d of %d models failed", failed, len(bundles))
	}
	return nil
}

func (m *Main) modelsRemove(args []string) error {
	c := m.newModelsCommand("rm", "rm NAME...", "data_dir")
	pos, err := c.parse(m, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		c.fs.Usage()
		return errors.New("models rm: give the name of a model (engine models list shows them)")
	}
	reg, err := c.registry()
	if err != nil {
		return err
	}
	for _, name := range pos {
		if err := reg.Remove(name); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "removed %s\n", name)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// humanBytes renders a size with binary units.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
