//go:build !unix

package protocol

import (
	"net"
	"syscall"
)

// socketOf: reading the socket directly is done on Unix systems only
// (readbuf_unix.go); elsewhere every connection takes the ordinary path.
func socketOf(net.Conn) syscall.RawConn { return nil }

func readFD(uintptr, []byte) (int, error) { return 0, errWouldBlock }

func writeFD(uintptr, []byte) (int, error) { return 0, syscall.EAGAIN }
