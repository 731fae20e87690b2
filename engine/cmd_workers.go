package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/samwise-app/samwise/engine/burst"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/remote/credentials"
	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/worker"
)

const workersUsage = `usage: engine workers <command> [flags]

Lists and destroys GPU workers on Vast by hand, with the Vast API key of the settings
(engine secrets set vast_api_key). Workers are destroyed, never stopped: a stopped
instance keeps billing for its disk.

commands:
  list [--all]              workers labelled samwise-<owner>-* (--all: every instance of the account)
  destroy ID... | --mine    destroy instances by id, or every worker of this owner`

// runWorkers runs "engine workers ...".
func (m *Main) runWorkers(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(m.Stderr, workersUsage)
		if len(args) == 0 {
			return errors.New("workers: give a command: list or destroy")
		}
		return nil
	}
	cfg := config.Default()
	fs := flag.NewFlagSet("workers "+args[0], flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	all := fs.Bool("all", false, "list every instance of the account")
	mine := fs.Bool("mine", false, "destroy every worker of this owner")
	if err := cfg.Load(fs, args[1:], m.Getenv, "data_dir", "secrets", "vast_url", "vast_api_key", "burst_owner"); err != nil {
		return err
	}
	creds, err := credentials.Open(cfg.Remote.Secrets, cfg.DataDir)
	if err != nil {
		return err
	}
	key, err := credentials.Resolve(creds, credentials.VastAPIKey, cfg.Remote.VastAPIKey)
	if err != nil {
		return err
	}
	if !key.IsSet() {
		return errors.New("workers: no Vast API key: engine secrets set vast_api_key (or SAMWISE_VAST_API_KEY)")
	}
	owner := worker.CleanOwner(cfg.Remote.BurstOwner)
	if owner == "" {
		owner = burst.DefaultOwner()
	}
	client := vast.New(key, vast.WithBaseURL(cfg.Remote.VastURL))
	list, err := client.ListInstances(ctx)
	if err != nil {
		return err
	}
	ours := func(in vast.Instance) bool {
		o, _, ok := worker.ParseLabel(in.Label)
		return ok && o == owner
	}
	switch args[0] {
	case "list", "ls":
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLABEL\tSTATUS\tGPU\t$/H")
		for _, in := range list {
			if *all || ours(in) {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%.3f\n", in.ID, in.Label, in.ActualStatus, in.GPUName, in.DPHTotal)
			}
		}
		return tw.Flush()
	case "destroy", "rm":
		var ids []int64
		if *mine {
			for _, in := range list {
				if ours(in) {
					ids = append(ids, in.ID)
				}
			}
		}
		for _, a := range fs.Args() {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("workers destroy: %q is not an instance id", a)
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return errors.New("workers destroy: give instance ids or --mine")
		}
		var errs []error
		for _, id := range ids {
			if err := client.DestroyInstance(ctx, id); err != nil {
				errs = append(errs, err)
				continue
			}
			fmt.Fprintf(m.Stdout, "destroyed %d\n", id)
		}
		return errors.Join(errs...)
	}
	fmt.Fprintln(m.Stderr, workersUsage)
	return fmt.Errorf("workers: unknown command %q", args[0])
}
