//go:build unix

package supervisor

import (
	"errors"
	"syscall"
)

// Terminate sends SIGTERM to the child's process group.
func (p *osProcess) Terminate() error { return p.signalGroup(syscall.SIGTERM) }

// Kill sends SIGKILL to the child's process group.
func (p *osProcess) Kill() error { return p.signalGroup(syscall.SIGKILL) }

func (p *osProcess) signalGroup(sig syscall.Signal) error {
	if p.exited() {
		return nil
	}
	// The child leads its own group (Setpgid), so -pid is the group.
	err := syscall.Kill(-p.cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}
