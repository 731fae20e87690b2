// Package worker runs the lifecycle of the remote GPU worker (DESIGN.md §6): one state
// machine,
//
//	off → warming_up → ready → draining → off        failed from any state
//
// Provisioning searches Vast offers, creates an instance of the worker image (engine and
// cloudflared baked in) with cancel_unavail and a label naming the owner and the engine
// session, then waits until the tunnel hostname's /ready answers — through the tunnel, which
// proves the whole path — and the new worker accepts its own per-worker token. A ready
// worker is reused; after the idle timeout it drains and is destroyed (never stopped: a
// stopped instance keeps billing storage, remote.md §1.6); a maximum lifetime caps every
// instance; instances carrying the owner's label that are not the current one are reaped.
//
// Manager does this against the Vast API; Gateway does the same through the optional
// Cloudflare Worker control plane (remote/gateway), which holds the Vast key itself. Both
// are a Pool, so the engine's remote runs use one code path.
//
// Deadman is the other half, inside the worker: the remote engine destroys its own
// instance (CONTAINER_ID / CONTAINER_API_KEY, remote.md §1.9) once no client has spoken to
// it for the idle timeout — the backstop when the local engine or the gateway is gone.
//
// Time comes from a Clock and HTTP from an injected client, so tests drive every timeout
// without waiting.
package worker
