package supervisor

import "syscall"

const lockThreadWhileChildRuns = false

// sysProcAttr puts the child in its own process group. macOS has no
// Pdeathsig: after an app crash the engine lives until it is stopped by
// other means (its own idle handling, or the next app start on the same
// data directory).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
