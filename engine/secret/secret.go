// Package secret holds credentials in a type that never prints itself: logs,
// fmt and JSON all show "[redacted]". Reveal returns the value for the one
// place that needs it (an Authorization header, an SDK config).
package secret

import (
	"fmt"
	"log/slog"
)

// Secret is a credential (token, API key).
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret is non-empty.
func (s Secret) IsSet() bool { return s != "" }

// String redacts.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString redacts (for %#v).
func (s Secret) GoString() string { return s.String() }

// Format makes every fmt verb (%x and %q included) print the redacted form,
// never an encoding of the value.
func (s Secret) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.String()) }

// LogValue redacts in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText redacts in JSON and other text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
