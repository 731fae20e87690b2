//go:build !windows

package artifact

import "os"

// syncDir fsyncs a directory so a rename inside it survives a power loss.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
