package artifact_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/artifact"
)

func TestValidKey(t *testing.T) {
	for _, tc := range []struct {
		key    string
		ok     bool
		reason string // substring of the error
	}{
		{"media/sha256/0123abcdef", true, ""},
		{"a", true, ""},
		{"jobs/j-1/results/00001.json", true, ""},
		{".hidden/x_y", true, ""},
		{"a/...b", true, ""},
		{strings.Repeat("k", artifact.MaxKeyLen), true, ""},
		{"", false, "empty"},
		{"/etc/passwd", false, "leading"},
		{"a/../b", false, `".."`},
		{"..", false, `".."`},
		{"./a", false, `"."`},
		{"a//b", false, "empty path segment"},
		{"a/", false, `end with "/"`},
		{"a b", false, "' '"},
		{`a\b`, false, `'\\'`},
		{"ü", false, "'ü'"},
		{"a:b", false, "':'"},
		{strings.Repeat("k", artifact.MaxKeyLen+1), false, "longer than"},
	} {
		err := artifact.ValidKey(tc.key)
		if tc.ok {
			if err != nil {
				t.Errorf("ValidKey(%q) = %v, want nil", tc.key, err)
			}
			continue
		}
		if !errors.Is(err, artifact.ErrInvalidKey) {
			t.Errorf("ValidKey(%q) = %v, want ErrInvalidKey", tc.key, err)
			continue
		}
		var ke *artifact.KeyError
		if !errors.As(err, &ke) || ke.Key == "" && tc.key != "" {
			t.Errorf("ValidKey(%q) = %v, want a *KeyError naming the key", tc.key, err)
		}
		if !strings.Contains(err.Error(), tc.reason) {
			t.Errorf("ValidKey(%q) = %q, want it to mention %q", tc.key, err, tc.reason)
		}
	}
}

func TestValidPrefix(t *testing.T) {
	for _, p := range []string{"", "media/", "media", "media/sha256/ab", "a-"} {
		if err := artifact.ValidPrefix(p); err != nil {
			t.Errorf("ValidPrefix(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range []string{"/", "/media/", "../", "a/../", "a//", "a b"} {
		if err := artifact.ValidPrefix(p); !errors.Is(err, artifact.ErrInvalidKey) {
			t.Errorf("ValidPrefix(%q) = %v, want ErrInvalidKey", p, err)
		}
	}
}

func FuzzValidKey(f *testing.F) {
	for _, s := range []string{"media/sha256/ab", "../x", "a//b", "a/./b", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if artifact.ValidKey(key) != nil {
			return
		}
		// Anything accepted must be safe to join under a root directory.
		for seg := range strings.SplitSeq(key, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("ValidKey accepted %q with segment %q", key, seg)
			}
		}
		if strings.ContainsAny(key, "\\:\x00 ") || strings.HasPrefix(key, "/") {
			t.Fatalf("ValidKey accepted %q", key)
		}
	})
}
