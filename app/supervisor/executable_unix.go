//go:build unix

package supervisor

import "io/fs"

// isExecutable: some execute bit is set.
func isExecutable(st fs.FileInfo) bool { return st.Mode().Perm()&0o111 != 0 }

const exeSuffix = ""
