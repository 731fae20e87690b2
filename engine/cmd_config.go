package main

import (
	"context"
	"flag"

	"github.com/samwise-app/samwise/engine/config"
)

// runConfig prints every setting with its env var, flag, current value and
// description.
func (m *Main) runConfig(ctx context.Context, args []string) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	if err := cfg.Load(fs, args, m.Getenv); err != nil {
		return err
	}
	return cfg.Print(m.Stdout)
}
