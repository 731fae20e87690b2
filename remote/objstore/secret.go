package objstore

import "github.com/samwise-app/samwise/engine/secret"

// Secret holds a credential (a secret access key). It is the engine's secret.Secret: it
// prints as "[redacted]" through fmt, slog and encoding/json; Reveal returns the value for
// the SDK's credentials.
type Secret = secret.Secret
