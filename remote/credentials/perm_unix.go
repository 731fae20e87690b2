//go:build !windows

package credentials

import (
	"fmt"
	"io/fs"
)

// checkPrivate refuses a file that group or others may read or write.
func checkPrivate(st fs.FileInfo) error {
	if mode := st.Mode().Perm(); mode&0o077 != 0 {
		return fmt.Errorf("the secrets file has mode %04o: group or others can access it; run chmod 600 on it (and rotate the secrets if others may have read them)", mode)
	}
	return nil
}
