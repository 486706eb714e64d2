// Package echoserver holds what the load-test echo servers under
// bench/cmd share: their command line, their listener and the per-message
// buffer. Each server is its own program (bench/cmd/echo-*), so that a
// process links one WebSocket library and its memory and CPU are that
// library's alone.
package echoserver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

// MaxMessage is the largest message the servers accept. The load
// generator sends at most 1 MiB; the margin leaves room for a client that
// frames differently.
const MaxMessage = 2 << 20

// Listen parses the command line (-addr, 127.0.0.1:0 unless given),
// listens there and arranges for SIGINT and SIGTERM to end the process.
// The load generator picks the port and stops the server with SIGTERM
// after its clients have closed their connections, so a server has no
// closing handshakes of its own to finish when it exits.
func Listen(name string) net.Listener {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	profile := fs.String("cpuprofile", "", "write a CPU profile (runtime/pprof) to this file until the server is stopped")
	fs.Parse(os.Args[1:])
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%s: echo server on ws://%s/\n", name, ln.Addr())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		pprof.StopCPUProfile() // flushes the profile, if one is being written
		os.Exit(0)
	}()
	return ln
}

// ServeRaw accepts connections on ln and runs handle on each in its own
// goroutine, for libraries that upgrade a raw net.Conn.
func ServeRaw(ln net.Listener, handle func(net.Conn)) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		go func() {
			defer c.Close()
			handle(c)
		}()
	}
}

// ServeHTTP serves h on ln with net/http, for libraries that upgrade from
// a handler.
func ServeHTTP(ln net.Listener, h http.HandlerFunc) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// ReadMessage reads r (one message's payload) to io.EOF into buf, growing
// it as the bytes arrive, and returns the filled slice, which the caller
// passes back next time. A connection holds no message buffer until its
// first message, and afterwards one the size of its largest, so that the
// idle-memory measurement sees each library's own buffers, not ours.
func ReadMessage(r io.Reader, buf []byte) ([]byte, error) {
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			// Full: probe for one more byte before growing, so that a
			// message exactly the size of the buffer does not double it.
			var one [1]byte
			n, err := r.Read(one[:])
			if n == 0 && err == io.EOF {
				return buf, nil
			}
			if err != nil && err != io.EOF {
				return buf, err
			}
			if n == 0 {
				continue
			}
			if cap(buf) >= MaxMessage {
				return buf, fmt.Errorf("message longer than %d bytes", MaxMessage)
			}
			next := make([]byte, len(buf), max(2*cap(buf), 512))
			copy(next, buf)
			buf = append(next, one[0])
			if err == io.EOF {
				return buf, nil
			}
			continue
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
