package supervisor

// Terminate kills: a GUI app cannot deliver Ctrl-Break to its child.
func (p *osProcess) Terminate() error { return p.Kill() }

// Kill ends the child.
func (p *osProcess) Kill() error {
	if p.exited() {
		return nil
	}
	return p.cmd.Process.Kill()
}
