package supervisor

import (
	"io"
	"os/exec"
	"runtime"
	"time"
)

// Spec is what to run.
type Spec struct {
	Path string
	Args []string
	// Env is the complete environment of the child.
	Env    []string
	Stdout io.Writer
	Stderr io.Writer
}

// Process is a started child.
type Process interface {
	Pid() int
	// Wait blocks until the child exits and says how it ended. The
	// supervisor calls it once.
	Wait() error
	// Terminate asks the child (and its process group) to stop: SIGTERM on
	// Unix; on Windows, where console signals do not reach a GUI app's
	// children, it kills.
	Terminate() error
	// Kill stops the child (and its process group) at once.
	Kill() error
}

// ExecFunc starts a child. OSExec is the real one; tests substitute theirs.
type ExecFunc func(Spec) (Process, error)

// waitDelay bounds how long Wait waits for the child's output pipes after it
// exited (a grandchild may still hold them).
const waitDelay = 2 * time.Second

// OSExec starts spec as an operating-system process in its own process
// group. On Linux the child also gets SIGKILL when the app dies (Pdeathsig),
// so an app crash leaves no engine behind; see sysproc_linux.go.
func OSExec(spec Spec) (Process, error) {
	p := &osProcess{done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		if lockThreadWhileChildRuns {
			// Pdeathsig fires when the thread that forked the child exits,
			// not the process: keep this thread alive (locked, busy in
			// Wait) for as long as the child runs.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		cmd := exec.Command(spec.Path, spec.Args...)
		cmd.Env = spec.Env
		cmd.Stdout = spec.Stdout
		cmd.Stderr = spec.Stderr
		cmd.SysProcAttr = sysProcAttr()
		cmd.WaitDelay = waitDelay
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		p.cmd = cmd
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

type osProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func (p *osProcess) Pid() int { return p.cmd.Process.Pid }

func (p *osProcess) Wait() error {
	<-p.done
	return p.err
}

// exited reports whether the child was reaped; after that its pid (and
// process group id) may belong to someone else and must not be signalled.
func (p *osProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}
