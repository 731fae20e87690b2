package objstore

import (
	"fmt"
	"log/slog"
)

// Secret holds a credential (a secret access key). It prints as "[redacted]" through fmt, slog and
// encoding/json, so it can sit in structs that get logged; use Reveal where the real value
// must go on the wire.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer with a redacted value.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v) with a redacted value.
func (s Secret) GoString() string { return fmt.Sprintf("objstore.Secret(%q)", redacted) }

// Format makes every fmt verb, %x and %q included, print the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, redacted)
}

// LogValue implements slog.LogValuer with a redacted value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the value out of JSON, YAML and similar encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
