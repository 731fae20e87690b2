package supervisor

import "syscall"

// lockThreadWhileChildRuns: Pdeathsig is tied to the forking thread.
const lockThreadWhileChildRuns = true

// sysProcAttr puts the child in its own process group (so a stop reaches
// what it started, and a terminal's Ctrl-C reaches only the app, which then
// stops the engine in order) and has the kernel SIGKILL it if the app dies
// without stopping it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
