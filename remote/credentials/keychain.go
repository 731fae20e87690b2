package credentials

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"

	"github.com/samwise-app/samwise/engine/secret"
)

// service is the keychain service name the secrets are filed under.
const service = "samwise"

// keychain is the OS keychain through go-keyring.
type keychain struct{}

// probe checks that a keychain answers: a lookup of a name never stored must say "not
// found" (and not "no keychain", as on a headless Linux without a Secret Service).
func (keychain) probe() error {
	_, err := keyring.Get(service, "samwise-probe")
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	if err == nil {
		return nil
	}
	return err
}

func (keychain) Get(name string) (secret.Secret, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	v, err := keyring.Get(service, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return "", fmt.Errorf("credentials: keychain: %w", err)
	}
	return secret.Secret(v), nil
}

func (keychain) Set(name string, value secret.Secret) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := keyring.Set(service, name, value.Reveal()); err != nil {
		return fmt.Errorf("credentials: keychain: %w", err)
	}
	return nil
}

func (keychain) Delete(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := keyring.Delete(service, name); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("credentials: keychain: %w", err)
	}
	return nil
}

func (keychain) Backend() string { return BackendKeychain }
