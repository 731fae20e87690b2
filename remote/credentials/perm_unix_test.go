//go:build !windows

package credentials_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/remote/credentials"
)

// Unix permission bits only: on Windows the data directory's per-user ACL protects the file.
func TestFileStoreRefusesReadableFiles(t *testing.T) {
	dir := t.TempDir()
	s, _ := credentials.Open(credentials.BackendFile, dir)
	if err := s.Set(credentials.VastAPIKey, "vk-123456"); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660} {
		if err := os.Chmod(filepath.Join(dir, credentials.FileName), mode); err != nil {
			t.Fatal(err)
		}
		_, err := s.Get(credentials.VastAPIKey)
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: Get = %v, want a refusal naming chmod 600", mode, err)
		}
		if err := s.Set(credentials.GatewayToken, "g"); err == nil {
			t.Errorf("mode %04o: Set wrote into a readable file", mode)
		}
	}
}
