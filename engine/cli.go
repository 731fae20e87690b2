package main

import (
	"context"
	"fmt"
	"io"
)

// Main dispatches the engine's subcommands.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (os.Getenv; tests substitute a map).
	Getenv func(string) string
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
	m.usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stderr, `usage: engine <command> [flags]`)
}
