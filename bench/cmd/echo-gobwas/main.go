// Command echo-gobwas is the gobwas/ws echo server of the load test, in
// the library's low-level style: ws.Upgrade on the raw connection, then a
// wsutil.Reader over a 4 KiB bufio.Reader (control frames answered by
// wsutil.ControlFrameHandler) into a reused buffer, and a wsutil.Writer
// (4 KiB buffer) reset to the message's opcode for each echo.
package main

import (
	"bufio"
	"errors"
	"net"
	"os"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/wsanatomy/wsanatomy/bench/internal/echoserver"
)

func main() {
	ln := echoserver.Listen("echo-gobwas")
	echoserver.ServeRaw(ln, func(conn net.Conn) {
		if _, err := ws.Upgrade(conn); err != nil {
			return
		}
		ctl := wsutil.ControlFrameHandler(conn, ws.StateServerSide)
		rd := &wsutil.Reader{
			Source:         bufio.NewReader(conn),
			State:          ws.StateServerSide,
			OnIntermediate: ctl,
			MaxMessageSize: echoserver.MaxMessage,
		}
		wr := wsutil.NewWriter(conn, ws.StateServerSide, ws.OpBinary)
		var buf []byte
		for {
			op, err := next(rd, ctl)
			if err != nil {
				return
			}
			if buf, err = echoserver.ReadMessage(rd, buf); err != nil {
				return
			}
			wr.ResetOp(op)
			if _, err := wr.Write(buf); err != nil {
				return
			}
			if err := wr.Flush(); err != nil {
				return
			}
		}
	})
	os.Exit(1)
}

// next returns the opcode of the next data message, answering the control
// frames before it (a close frame ends the loop with an error).
func next(rd *wsutil.Reader, ctl wsutil.FrameHandlerFunc) (ws.OpCode, error) {
	for range 1000 { // bounded: a peer cannot keep us here forever
		h, err := rd.NextFrame()
		if err != nil {
			return 0, err
		}
		if h.OpCode.IsControl() {
			if err := ctl(h, rd); err != nil {
				return 0, err
			}
			continue
		}
		return h.OpCode, nil
	}
	return 0, errors.New("too many control frames in a row")
}
