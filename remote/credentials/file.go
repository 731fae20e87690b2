package credentials

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/samwise-app/samwise/engine/secret"
)

// FileName is the secrets file in the data directory.
const FileName = "secrets.json"

// file keeps secrets in a JSON object in a file only its owner can read.
type file struct {
	path string
	mu   sync.Mutex
}

func newFile(dataDir string) *file { return &file{path: filepath.Join(dataDir, FileName)} }

func (f *file) Backend() string { return f.path }

// read loads the file; a missing file is empty. A file group or others can read (or write)
// is refused, not repaired: someone may already have read it.
func (f *file) read() (map[string]string, error) {
	st, err := os.Stat(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if err := checkPrivate(st); err != nil {
		return nil, fmt.Errorf("credentials: %s: %w", f.path, err)
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("credentials: %s is not a JSON object of names to values: %w", f.path, err)
	}
	return m, nil
}

// write replaces the file atomically with a 0600 one.
func (f *file) write(m map[string]string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".secrets-*")
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("credentials: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("credentials: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("credentials: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	return os.Rename(tmp.Name(), f.path)
}

func (f *file) Get(name string) (secret.Secret, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return "", err
	}
	v, ok := m[name]
	if !ok || v == "" {
		return "", fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return secret.Secret(v), nil
}

func (f *file) Set(name string, value secret.Secret) error {
	if err := checkName(name); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	m[name] = value.Reveal()
	return f.write(m)
}

func (f *file) Delete(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := m[name]; !ok {
		return nil
	}
	delete(m, name)
	return f.write(m)
}
