package credentials

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/samwise-app/samwise/engine/secret"
)

// Names of the secrets the engine keeps. Each is also a setting (engine config), whose
// environment variable or flag wins over the stored value.
const (
	VastAPIKey        = "vast_api_key"
	R2AccessKeyID     = "r2_access_key_id"
	R2SecretAccessKey = "r2_secret_access_key"
	WorkerTunnelToken = "worker_tunnel_token"
	GatewayToken      = "gateway_token"
)

// Names lists every secret name, for listing and validation.
var Names = []string{VastAPIKey, R2AccessKeyID, R2SecretAccessKey, WorkerTunnelToken, GatewayToken}

// ErrNotFound: no secret is stored under the name.
var ErrNotFound = errors.New("credentials: not stored")

// Store keeps named secrets.
type Store interface {
	// Get returns a stored secret or ErrNotFound.
	Get(name string) (secret.Secret, error)
	// Set stores a secret, replacing an earlier one.
	Set(name string, value secret.Secret) error
	// Delete removes a secret; removing a missing one is not an error.
	Delete(name string) error
	// Backend says where secrets live: "keychain" or the file's path.
	Backend() string
}

// Backends.
const (
	BackendAuto     = "auto"
	BackendKeychain = "keychain"
	BackendFile     = "file"
)

// Open returns the store for backend: "keychain" (fails when no keychain answers), "file"
// (<dataDir>/secrets.json) or "auto" (the keychain when it answers, else the file).
func Open(backend, dataDir string) (Store, error) {
	switch backend {
	case BackendKeychain:
		k := keychain{}
		if err := k.probe(); err != nil {
			return nil, fmt.Errorf("credentials: the OS keychain is not available: %w (use the file backend: secrets=file)", err)
		}
		return k, nil
	case BackendFile:
		return newFile(dataDir), nil
	case BackendAuto, "":
		k := keychain{}
		if k.probe() == nil {
			return k, nil
		}
		return newFile(dataDir), nil
	}
	return nil, fmt.Errorf("credentials: backend %q: use auto, keychain or file", backend)
}

func checkName(name string) error {
	if !slices.Contains(Names, name) {
		return fmt.Errorf("credentials: unknown secret %q: use one of %s", name, strings.Join(Names, ", "))
	}
	return nil
}

// Resolve returns value when it is set (an environment variable or flag), else the stored
// secret name, else "" — a missing secret is not an error here; the caller says what is
// needed.
func Resolve(s Store, name string, value secret.Secret) (secret.Secret, error) {
	if value.IsSet() || s == nil {
		return value, nil
	}
	v, err := s.Get(name)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	return v, err
}
