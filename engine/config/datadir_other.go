//go:build !linux && !darwin

package config

import (
	"os"
	"path/filepath"
)

func defaultDataDir() string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "Samwise")
	}
	return filepath.Join(home(), ".samwise")
}
