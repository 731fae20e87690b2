package supervisor

import "syscall"

const lockThreadWhileChildRuns = false

// createNoWindow keeps the console engine from opening a console window
// (CREATE_NO_WINDOW, not in package syscall).
const createNoWindow = 0x08000000

// sysProcAttr starts the child in a new process group without a console
// window. (A job object that kills the engine with the app is not done yet.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP | createNoWindow, HideWindow: true}
}
