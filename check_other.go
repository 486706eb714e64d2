//go:build !unix

package main

import "os/exec"

// setProcessGroup: without process groups, cancelling kills the shell.
func setProcessGroup(cmd *exec.Cmd) {}
