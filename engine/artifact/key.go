package artifact

import (
	"errors"
	"fmt"
	"strings"
)

// MaxKeyLen is the longest key accepted, in bytes (S3's own limit is 1024).
const MaxKeyLen = 1024

// ErrInvalidKey is wrapped by every *KeyError.
var ErrInvalidKey = errors.New("artifact: invalid key")

// KeyError says why a key or list prefix was rejected. errors.Is(err, ErrInvalidKey) holds.
type KeyError struct {
	// Key is the rejected key or prefix.
	Key string
	// Reason says what is wrong and what to change.
	Reason string
}

// Error implements error.
func (e *KeyError) Error() string {
	return fmt.Sprintf("artifact: invalid key %q: %s", e.Key, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidKey) true.
func (e *KeyError) Unwrap() error { return ErrInvalidKey }

// ValidKey reports whether key may name an object: 1 to MaxKeyLen bytes of segments
// separated by single slashes, no leading or trailing slash, each segment made only of
// [A-Za-z0-9._-] and none equal to "." or "..". It returns a *KeyError otherwise.
func ValidKey(key string) error {
	if key == "" {
		return &KeyError{Key: key, Reason: "a key must not be empty"}
	}
	if strings.HasSuffix(key, "/") {
		return &KeyError{Key: key, Reason: `a key names an object, so it must not end with "/"`}
	}
	return validPath(key)
}

// ValidPrefix reports whether prefix may be passed to List: "" (everything), or the start of
// a valid key, which may end with "/". It returns a *KeyError otherwise.
func ValidPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return validPath(strings.TrimSuffix(prefix, "/"))
}

func validPath(p string) error {
	if len(p) > MaxKeyLen {
		return &KeyError{Key: p, Reason: fmt.Sprintf("longer than %d bytes", MaxKeyLen)}
	}
	if p == "" || strings.HasPrefix(p, "/") {
		return &KeyError{Key: p, Reason: `keys are relative: remove the leading "/"`}
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "":
			return &KeyError{Key: p, Reason: `empty path segment ("//")`}
		case ".", "..":
			return &KeyError{Key: p, Reason: fmt.Sprintf("%q segments are not allowed", seg)}
		}
		for _, c := range seg {
			if c >= 0x80 || !keyByte(byte(c)) {
				return &KeyError{Key: p, Reason: fmt.Sprintf(
					"character %q in segment %q is not allowed: use only A-Z a-z 0-9 . _ - and / between segments",
					c, seg)}
			}
		}
	}
	return nil
}

func keyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == '-'
}
