package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
)

// Main dispatches the engine's subcommands.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (os.Getenv; tests substitute a map).
	Getenv func(string) string
}

type command struct {
	name, summary string
	run           func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP API (--ui also serves the annotator)", (*Main).runServe},
		{"segment", "segment an image from points/boxes or a concept: engine segment IMAGE (--point x,y[,label] --box x0,y0,x1,y1 | --text CONCEPT) -o out.json|out.png", (*Main).runSegment},
		{"precompute", "compute and cache image embeddings for a folder: engine precompute DIR", (*Main).runPrecompute},
		{"models", "manage model bundles: list, pull, import, verify, rm", (*Main).runModels},
		{"bench", "measure click latency, RLE and upsampling speed", (*Main).runBench},
		{"config", "print every setting with its env var, flag and value", (*Main).runConfig},
		{"secrets", "keep the remote burst's secrets in the OS keychain or a 0600 file: set, rm, list", (*Main).runSecrets},
		{"workers", "list and destroy GPU workers on Vast by hand: list, destroy", (*Main).runWorkers},
	}
}

// Run runs the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.usage()
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "help", "-h", "--help":
		m.usage()
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(m, ctx, args[1:])
		}
	}
	m.usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stderr, "usage: engine <command> [flags]   (engine <command> -h for its flags)")
	tw := tabwriter.NewWriter(m.Stderr, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
}
