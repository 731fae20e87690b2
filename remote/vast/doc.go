// Package vast is a small client for the Vast.ai REST API: search GPU offers, rent one as
// an instance, watch it, find instances by label, and destroy them. It covers what the
// burst worker lifecycle needs (DESIGN.md §6) and nothing more.
//
// Every call authenticates with "Authorization: Bearer <key>" (never the api_key query
// parameter, which would land in proxy logs) and retries transient failures with
// exponential backoff and jitter; see RetryPolicy for which calls retry on what. Non-2xx
// answers become *APIError, which matches the sentinels ErrNotFound, ErrUnauthorized,
// ErrRateLimited, ErrUnavailable and ErrOfferTaken with errors.Is.
//
// Ephemeral workers are destroyed, never stopped: a stopped instance keeps billing for its
// disk and may never get its GPU back (remote.md §1.6). The package has no stop call on
// purpose.
//
// Package vasttest provides a loopback stand-in server for tests.
package vast
