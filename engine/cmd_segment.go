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
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/segment"
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
	out := fs.String("o", "", "output file: .json (the API response) or .png (the mask, white on black)")
	multimask := fs.Bool("multimask", false, "include all candidate masks in the JSON")
	polygons := fs.Bool("polygons", false, "include polygons in the JSON")
	// Flags may follow the image path.
	var imagePath string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		imagePath, args = args[0], args[1:]
	}
	if err := cfg.Load(fs, args, m.Getenv, "data_dir", "ort_library", "provider", "threads", "model", "cache_mem_mb", "cache_disk_mb", "log_level", "log_format"); err != nil {
		return err
	}
	if imagePath == "" && fs.NArg() > 0 {
		imagePath = fs.Arg(0)
	}
	if imagePath == "" {
		return fmt.Errorf("usage: engine segment IMAGE --point x,y[,label] --box x0,y0,x1,y1 -o out.json|out.png")
	}
	if len(points) == 0 && box.box == nil {
		return fmt.Errorf("give at least one --point or a --box")
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
	img, err := in.RequireImages()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	src := segment.Source{SHA256: hex.EncodeToString(sum[:]), Width: w, Height: h, Load: func() (image.Image, error) {
		im, _, err := imaging.Decode(data)
		return im, err
	}}
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
	switch strings.ToLower(filepath.Ext(*out)) {
	case "":
		return json.NewEncoder(m.Stdout).Encode(resp)
	case ".json":
		data, err := json.MarshalIndent(resp, "", "  ")
		if err != nil {
			return err
		}
		return writeFileAtomic(*out, append(data, '\n'))
	case ".png":
		data, err := res.Objects[0].Mask.PNG()
		if err != nil {
			return err
		}
		return writeFileAtomic(*out, data)
	}
	return fmt.Errorf("-o %s: use a .json or .png file name", *out)
}

// writeFileAtomic writes data to a temporary file beside path and renames it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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
