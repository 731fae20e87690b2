package credentials_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/remote/credentials"
)

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	s, err := credentials.Open(credentials.BackendFile, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(credentials.VastAPIKey); !errors.Is(err, credentials.ErrNotFound) {
		t.Fatalf("Get on an empty store = %v, want ErrNotFound", err)
	}
	if err := s.Set(credentials.VastAPIKey, "vk-123456"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(credentials.R2SecretAccessKey, "r2-abcdef"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(credentials.VastAPIKey)
	if err != nil || got.Reveal() != "vk-123456" {
		t.Fatalf("Get = %q, %v", got.Reveal(), err)
	}
	path := filepath.Join(dir, credentials.FileName)
	if s.Backend() != path {
		t.Errorf("Backend = %q", s.Backend())
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %04o, want 0600", st.Mode().Perm())
	}
	if err := s.Delete(credentials.VastAPIKey); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(credentials.VastAPIKey); !errors.Is(err, credentials.ErrNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
	if err := s.Delete(credentials.VastAPIKey); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	if err := s.Set("password", "x"); err == nil || !strings.Contains(err.Error(), credentials.VastAPIKey) {
		t.Fatalf("Set of an unknown name = %v", err)
	}
	// Environment and flags win over the store; the store fills in otherwise.
	if v, _ := credentials.Resolve(s, credentials.R2SecretAccessKey, "from-env"); v.Reveal() != "from-env" {
		t.Errorf("Resolve with a set value = %q", v.Reveal())
	}
	if v, _ := credentials.Resolve(s, credentials.R2SecretAccessKey, ""); v.Reveal() != "r2-abcdef" {
		t.Errorf("Resolve from the store = %q", v.Reveal())
	}
	if v, err := credentials.Resolve(s, credentials.GatewayToken, ""); err != nil || v.IsSet() {
		t.Errorf("Resolve of a missing secret = %q, %v", v.Reveal(), err)
	}
}

func TestAutoFallsBackToTheFile(t *testing.T) {
	// No Secret Service answers in this headless test environment, so auto must use the
	// file; where a keychain answers, auto picks it.
	dir := t.TempDir()
	s, err := credentials.Open(credentials.BackendAuto, dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != credentials.BackendKeychain && s.Backend() != filepath.Join(dir, credentials.FileName) {
		t.Fatalf("Backend = %q", s.Backend())
	}
	if _, err := credentials.Open("vault", dir); err == nil {
		t.Fatal("unknown backend accepted")
	}
}
