package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/concept"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/mask"
	"github.com/samwise-app/samwise/engine/segment"

	"github.com/samwise-app/samwise/internal/atomicfile"
)

// runSegment segments one image from the command line.
func (m *Main) runSegment(ctx context.Context, args []string) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("segment", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var points pointList
	var box boxFlag
	fs.Var(&points, "point", "a prompt point x,y[,label] in image pixels; label 1 positive (default) or 0 negative; repeat for more")
	fs.Var(&box, "box", "a box prompt x0,y0,x1,y1 in image pixels")
	text := fs.String("text", "", "a concept to find every instance of (e.g. \"yellow school bus\"), instead of points and boxes")
	threshold := fs.Float64("threshold", concept.DefaultThreshold, "with --text: keep instances scoring at least this")
	out := fs.String("o", "", "output file: .json (the API response) or .png (the mask, white on black; with --text every instance)")
	multimask := fs.Bool("multimask", false, "include all candidate masks in the JSON")
	polygons := fs.Bool("polygons", false, "include polygons in the JSON")
	// Flags may follow the image path.
	var imagePath string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		imagePath, args = args[0], args[1:]
	}
	if err := cfg.Load(fs, args, m.Getenv, "data_dir", "ort_library", "provider", "threads", "model", "concept_model", "cache_mem_mb", "cache_disk_mb", "log_level", "log_format"); err != nil {
		return err
	}
	if imagePath == "" && fs.NArg() > 0 {
		imagePath = fs.Arg(0)
	}
	if imagePath == "" {
		return fmt.Errorf("usage: engine segment IMAGE (--point x,y[,label] --box x0,y0,x1,y1 | --text CONCEPT) -o out.json|out.png")
	}
	if len(points) == 0 && box.box == nil && *text == "" {
		return fmt.Errorf("give at least one --point, a --box or a --text concept")
	}
	if *text != "" && (len(points) > 0 || box.box != nil) {
		return fmt.Errorf("--text finds a concept on its own: leave out --point and --box (refine its instances in the app or through the API)")
	}
	switch strings.ToLower(filepath.Ext(*out)) {
	case "", ".json", ".png":
	default:
		return fmt.Errorf("-o %s: use a .json or .png file name", *out)
	}
	data, err := os.ReadFile(imagePath)
	if err != nil {
		return err
	}
	w, h, _, err := imaging.DecodeConfig(data)
	if err != nil {
		return fmt.Errorf("%s: %w", imagePath, err)
	}
	in, err := instance.Open(cfg, instance.NewLogger(cfg, os.Stderr), false)
	if err != nil {
		return err
	}
	defer in.Close()
	sum := sha256.Sum256(data)
	src := segment.Source{SHA256: hex.EncodeToString(sum[:]), Width: w, Height: h, Load: func() (image.Image, error) {
		im, _, err := imaging.Decode(data)
		return im, err
	}}
	if *text != "" {
		return m.segmentConcept(ctx, in, src, &concept.Prompt{Text: *text, Threshold: *threshold}, *polygons, *out)
	}
	img, err := in.RequireImages()
	if err != nil {
		return err
	}
	obj := api.PVSObject{ObjectID: 1, Box: box.box}
	for _, p := range points {
		obj.Points = append(obj.Points, [2]float64{p.x, p.y})
		obj.Labels = append(obj.Labels, p.label)
	}
	req := &api.PVSImageRequest{Objects: []api.PVSObject{obj}, Multimask: *multimask}
	if *polygons {
		req.Outputs = []string{api.OutputRLE, api.OutputPolygon}
	}
	res, err := img.Segment(ctx, src, req)
	if err != nil {
		return err
	}
	man := img.Manifest()
	resp := api.PVSImageResponse{Model: man.Name, ModelLabel: man.Label, Width: w, Height: h, Objects: segment.Render(res, req.Outputs, nil), Timing: res.Timing}
	o := resp.Objects[0]
	fmt.Fprintf(m.Stderr, "%s (%s): object %d area %d px, score %.3f, box %v, %.0f ms\n", man.Name, man.Label, o.ObjectID, o.Area, o.Score, o.Box, res.Timing.TotalMS)
	return m.writeResult(*out, resp, res.Objects[0].Mask.Mask())
}

// segmentConcept finds every instance of a concept on the image.
func (m *Main) segmentConcept(ctx context.Context, in *instance.Instance, src segment.Source, p *concept.Prompt, polygons bool, out string) error {
	if in.Concepts == nil {
		if in.LoadErr != nil {
			return in.LoadErr
		}
		return fmt.Errorf("no concept model could be loaded (see the log above and docs/models.md)")
	}
	res, err := in.Concepts.Segment(ctx, src, p)
	if err != nil {
		return err
	}
	outputs := []string{api.OutputRLE}
	if polygons {
		outputs = append(outputs, api.OutputPolygon)
	}
	man := in.Concepts.Manifest()
	resp := api.PCSImageResponse{Model: man.Name, ModelLabel: man.Label, Width: src.Width, Height: src.Height,
		Objects: concept.Render(res.Instances, outputs), Presence: res.Presence, Truncated: res.Truncated, Timing: res.Timing,
		SemanticSeg: concept.RenderSemantic(res.Semantic, outputs), PromptToObjIDs: map[string][]int{p.Text: {}}}
	all := mask.New(src.Width, src.Height)
	for _, o := range res.Instances {
		resp.PromptToObjIDs[p.Text] = append(resp.PromptToObjIDs[p.Text], o.ID)
		for i, v := range o.Mask.Pix {
			all.Pix[i] |= v
		}
	}
	fmt.Fprintf(m.Stderr, "%s (%s): %q found %d instances (presence %.3f), %.0f ms\n", man.Name, man.Label, p.Text, len(res.Instances), res.Presence, res.Timing.TotalMS)
	return m.writeResult(out, resp, all)
}

// writeResult writes resp as JSON to stdout or a .json file, or png as a .png mask.
func (m *Main) writeResult(out string, resp any, png *mask.Mask) error {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".json":
		data, err := json.MarshalIndent(resp, "", "  ")
		if err != nil {
			return err
		}
		return atomicfile.Write(out, append(data, '\n'))
	case ".png":
		data, err := png.PNG()
		if err != nil {
			return err
		}
		return atomicfile.Write(out, data)
	}
	return json.NewEncoder(m.Stdout).Encode(resp)
}

type point struct {
	x, y  float64
	label int
}

type pointList []point

func (p *pointList) String() string { return fmt.Sprint(*p) }
func (p *pointList) Set(s string) error {
	f, err := floats(s)
	if err != nil || (len(f) != 2 && len(f) != 3) {
		return fmt.Errorf("want x,y or x,y,label (label 1 or 0)")
	}
	pt := point{x: f[0], y: f[1], label: 1}
	if len(f) == 3 {
		if f[2] != 0 && f[2] != 1 {
			return fmt.Errorf("label must be 1 (positive) or 0 (negative)")
		}
		pt.label = int(f[2])
	}
	*p = append(*p, pt)
	return nil
}

type boxFlag struct{ box *[4]float64 }

func (b *boxFlag) String() string { return fmt.Sprint(b.box) }
func (b *boxFlag) Set(s string) error {
	f, err := floats(s)
	if err != nil || len(f) != 4 {
		return fmt.Errorf("want x0,y0,x1,y1")
	}
	b.box = &[4]float64{f[0], f[1], f[2], f[3]}
	return nil
}

func floats(s string) ([]float64, error) {
	var out []float64
	for _, part := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
