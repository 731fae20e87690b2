package vast

import "github.com/samwise-app/samwise/engine/secret"

// Secret holds a credential (an API key). It is the engine's secret.Secret: it prints as
// "[redacted]" through fmt, slog and encoding/json; Reveal returns the value for the
// Authorization header.
type Secret = secret.Secret

// redacted is what a scrubbed secret is replaced with in error bodies.
const redacted = "[redacted]"
