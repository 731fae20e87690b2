package config

import "path/filepath"

func defaultDataDir() string {
	return filepath.Join(home(), "Library", "Application Support", "Samwise")
}
