package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/remote/credentials"
)

const secretsUsage = `usage: engine secrets <command> [flags]

Keeps the remote burst's secrets in the OS keychain, or in <data-dir>/secrets.json (0600)
where no keychain answers (setting secrets: auto, keychain or file). Environment variables
and flags of the same settings take precedence.

commands:
  set NAME      read the value from standard input (one line) and store it
  rm NAME       remove a stored secret
  list          the stored names (never the values) and where they are kept

names: ` + "vast_api_key, r2_access_key_id, r2_secret_access_key, worker_tunnel_token, gateway_token"

// runSecrets runs "engine secrets ...".
func (m *Main) runSecrets(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(m.Stderr, secretsUsage)
		if len(args) == 0 {
			return errors.New("secrets: give a command: set, rm or list")
		}
		return nil
	}
	cfg := config.Default()
	fs := flag.NewFlagSet("secrets "+args[0], flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	if err := cfg.Load(fs, args[1:], m.Getenv, "data_dir", "secrets"); err != nil {
		return err
	}
	store, err := credentials.Open(cfg.Remote.Secrets, cfg.DataDir)
	if err != nil {
		return err
	}
	name := fs.Arg(0)
	switch args[0] {
	case "set":
		if fs.NArg() != 1 {
			return errors.New("secrets set: give one NAME; the value is read from standard input")
		}
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		value := strings.TrimSpace(line)
		if value == "" {
			return fmt.Errorf("secrets set %s: no value on standard input (%v)", name, err)
		}
		if err := store.Set(name, secret.Secret(value)); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "stored %s in %s\n", name, store.Backend())
	case "rm":
		if fs.NArg() != 1 {
			return errors.New("secrets rm: give one NAME")
		}
		if err := store.Delete(name); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "removed %s from %s\n", name, store.Backend())
	case "list", "ls":
		fmt.Fprintf(m.Stdout, "secrets in %s:\n", store.Backend())
		for _, n := range credentials.Names {
			if _, err := store.Get(n); err == nil {
				fmt.Fprintf(m.Stdout, "  %s\n", n)
			} else if !errors.Is(err, credentials.ErrNotFound) {
				return err
			}
		}
	default:
		fmt.Fprintln(m.Stderr, secretsUsage)
		return fmt.Errorf("secrets: unknown command %q", args[0])
	}
	return nil
}
