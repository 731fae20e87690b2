package supervisor

import "io/fs"

// isExecutable: Windows has no execute bit; the name (engine.exe) says it.
func isExecutable(fs.FileInfo) bool { return true }

const exeSuffix = ".exe"
