//go:build unix && !linux && !darwin

package supervisor

import "syscall"

const lockThreadWhileChildRuns = false

// sysProcAttr puts the child in its own process group.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
