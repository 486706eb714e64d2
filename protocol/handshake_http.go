package protocol

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
)

// HandshakeError is a refused opening handshake. On the server it carries
// the HTTP status that was sent back; on the client, the status received.
type HandshakeError struct {
	Status  int    // HTTP status: sent by a server, received by a client
	Header  string // the header at fault, if one is
	Msg     string // what was wrong
	Section string // the RFC 6455 section with the rule, e.g. "4.2.1"
}

func (e *HandshakeError) Error() string {
	s := "websocket: handshake refused"
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	s += ": " + e.Msg
	if e.Section != "" {
		s += " (RFC 6455 §" + e.Section + ")"
	}
	return s
}

// errHeadTooLarge is returned when a handshake head exceeds its bound.
var errHeadTooLarge = errors.New("websocket: handshake header block is too large")

// readHead reads an HTTP head, the start line and header fields up to and
// including the empty line, and returns its exact bytes. It reads no
// further, so whatever follows (the first frames) stays in br. At most max
// bytes are accepted, so a peer that never ends its headers cannot make us
// buffer without bound.
func readHead(br *bufio.Reader, max int) ([]byte, error) {
	var head []byte
	for {
		line, err := br.ReadSlice('\n')
		if len(head)+len(line) > max {
			return nil, errHeadTooLarge
		}
		head = append(head, line...)
		if err == bufio.ErrBufferFull {
			continue // a long line: keep reading it
		}
		if err != nil {
			return nil, err
		}
		if bytes.Equal(line, []byte("\r\n")) || bytes.Equal(line, []byte("\n")) {
			if len(head) == len(line) {
				head = head[:0] // tolerate empty lines before a request (RFC 9112 §2.2)
				continue
			}
			return head, nil
		}
	}
}
