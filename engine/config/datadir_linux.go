package config

import (
	"os"
	"path/filepath"
)

func defaultDataDir() string {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "samwise")
	}
	return filepath.Join(home(), ".local", "share", "samwise")
}
