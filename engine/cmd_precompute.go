package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/imaging"
	"github.com/samwise-app/samwise/engine/instance"
	"github.com/samwise-app/samwise/engine/segment"
)

// imageExts are the file extensions precompute looks at.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true, ".bmp": true}

// runPrecompute fills the embedding cache for every image in a folder.
func (m *Main) runPrecompute(ctx context.Context, args []string) error {
	cfg := config.Default()
	fset := flag.NewFlagSet("precompute", flag.ContinueOnError)
	fset.SetOutput(m.Stderr)
	var dir string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	if err := cfg.Load(fset, args, m.Getenv, "data_dir", "ort_library", "provider", "threads", "model", "cache_disk_mb", "log_level", "log_format"); err != nil {
		return err
	}
	if dir == "" && fset.NArg() > 0 {
		dir = fset.Arg(0)
	}
	if dir == "" {
		return fmt.Errorf("usage: engine precompute DIR")
	}
	files, err := listImages(dir)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no images (jpg, png, webp, gif, bmp) in %s", dir)
	}
	cfg.CacheMemMB = 0 // nothing is read back in this process
	in, err := instance.Open(cfg, instance.NewLogger(cfg, os.Stderr), false)
	if err != nil {
		return err
	}
	defer in.Close()
	img, err := in.RequireImages()
	if err != nil {
		return err
	}
	bar := progressbar.NewOptions(len(files), progressbar.OptionSetWriter(m.Stderr), progressbar.OptionSetDescription("embeddings"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("img"))
	var done, cached, failed int
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		hit, err := precomputeOne(ctx, img, f)
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(m.Stderr, "\n%s: %v\n", f, err)
		case hit:
			cached++
		default:
			done++
		}
		bar.Add(1)
	}
	bar.Finish()
	fmt.Fprintf(m.Stdout, "\n%d images: %d encoded, %d already cached, %d failed (model %s)\n", len(files), done, cached, failed, img.Manifest().Name)
	if failed > 0 {
		return fmt.Errorf("%d images could not be read", failed)
	}
	return nil
}

func precomputeOne(ctx context.Context, img *segment.Images, path string) (cached bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	w, h, _, err := imaging.DecodeConfig(data)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(data)
	src := segment.Source{SHA256: hex.EncodeToString(sum[:]), Width: w, Height: h, Load: func() (image.Image, error) {
		im, _, err := imaging.Decode(data)
		return im, err
	}}
	if img.Cached(src) {
		return true, nil
	}
	_, cached, err = img.Embedding(ctx, src)
	return cached, err
}

func listImages(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && imageExts[strings.ToLower(filepath.Ext(p))] {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
