//go:build unix

package protocol

import (
	"io"
	"net"
	"os"
	"syscall"
)

// socketOf returns the raw socket under nc when nc is a plain TCP or Unix
// socket of the net package, and nil otherwise. Only those two: another
// net.Conn that happens to implement syscall.Conn (a wrapper that counts,
// throttles, records or decrypts bytes) would be bypassed if we read its
// file descriptor directly, so such a connection keeps the ordinary path.
func socketOf(nc net.Conn) syscall.RawConn {
	switch nc.(type) {
	case *net.TCPConn, *net.UnixConn:
	default:
		return nil
	}
	rc, err := nc.(syscall.Conn).SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// readFD is one read system call on a socket that Go keeps in
// non-blocking mode: it returns errWouldBlock at once when nothing has
// arrived, instead of waiting (the poller does the waiting, see
// waitAndFill).
func readFD(fd uintptr, p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(fd), p)
		switch {
		case err == syscall.EINTR:
			continue // a signal arrived before any byte: try again
		case err == syscall.EAGAIN:
			return 0, errWouldBlock
		case err != nil:
			return 0, os.NewSyscallError("read", err)
		case n == 0 && len(p) > 0:
			return 0, io.EOF // the peer closed its side
		}
		return n, nil
	}
}

// writeFD is one write system call on a non-blocking socket: it returns
// how much the kernel took, which may be less than p, or 0 with
// syscall.EAGAIN when its send buffer is full, instead of waiting
// (deadlineWriter.writeNow; the bounded path waits).
func writeFD(fd uintptr, p []byte) (int, error) {
	for {
		n, err := syscall.Write(int(fd), p)
		if err == syscall.EINTR {
			continue // a signal arrived before any byte: try again
		}
		if err != nil || n < 0 {
			return 0, err
		}
		return n, nil
	}
}
