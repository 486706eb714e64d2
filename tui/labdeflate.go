package tui

import (
	"bytes"
	"compress/flate"
	"fmt"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// The raw frame lab's permessage-deflate presets need DEFLATE data the
// learner does not type: a compressed message cut into two frames, and a
// bomb. They are made here with compress/flate, the way any other peer's
// compressor would make them, and sent past every check with WriteRaw;
// what the server makes of them is the codec's business.

// presetKey is the masking key of the lab's presets, the RFC's (§5.7).
var presetKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// deflateMessage compresses msg as RFC 7692 §7.2.1 says: one DEFLATE
// stream ended by a sync flush, without its final 00 00 ff ff.
func deflateMessage(msg []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(msg)
	w.Flush()
	return bytes.TrimSuffix(b.Bytes(), []byte{0x00, 0x00, 0xff, 0xff})
}

// maskedFrame encodes one client frame with the lab's key.
func maskedFrame(h protocol.Header, payload []byte) []byte {
	h.Masked, h.MaskKey, h.Length = true, presetKey, uint64(len(payload))
	b := protocol.AppendHeader(nil, h)
	start := len(b)
	b = append(b, payload...)
	protocol.Mask(presetKey, 0, b[start:])
	return b
}

// rsv1Continuation is "Hello, world" compressed and cut into two frames,
// both with RSV1 set. RFC 7692 §6 allows RSV1 on the first frame only.
func rsv1Continuation() []byte {
	data := deflateMessage([]byte("Hello, world"))
	cut := len(data) / 2
	b := maskedFrame(protocol.Header{Rsv1: true, Opcode: protocol.OpText}, data[:cut])
	return append(b, maskedFrame(protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpContinuation}, data[cut:])...)
}

// compressionBomb is a small binary message that inflates to twice the
// message limit of a compressing session's server: zeros compress about a
// thousand to one. The server must stop inflating at its limit and close
// with 1009 (RFC 6455 §10.4, §7.4.1), never holding the whole message.
func compressionBomb() []byte {
	data := deflateMessage(make([]byte, 2*session.DeflateMessageLimit))
	return maskedFrame(protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpBinary}, data)
}

// hexString is b as the hex field shows it.
func hexString(b []byte) string { return fmt.Sprintf("% x", b) }
