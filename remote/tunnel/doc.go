// Package tunnel supervises the cloudflared binary that connects a GPU worker to its named
// Cloudflare tunnel (DESIGN.md §6, reference/remote.md §2). cloudflared is run as a child
// process, not linked as a library: its maintainers offer no SDK and its module cannot be
// imported cleanly (remote.md §2.4), and a process boundary lets it crash and restart
// without the engine.
//
// The supervisor starts
//
//	cloudflared tunnel --no-autoupdate --protocol http2 --metrics 127.0.0.1:PORT run
//
// with the tunnel token in the child's environment (TUNNEL_TOKEN), never on its command
// line, and with nothing else of the engine's environment but PATH, HOME and the TLS
// settings, so the engine's own secrets never reach it. Readiness is cloudflared's metrics
// endpoint /ready (200 once at least one edge connection is up). When cloudflared exits it
// is restarted with exponential backoff. Its log lines are re-logged through slog with
// subsystem=tunnel, with the token (and the secret inside it) scrubbed out.
package tunnel
