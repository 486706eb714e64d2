//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the client command in its own process group and
// makes cancelling kill the whole group, so that a shell's children go too.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
