// Package protocol is a from-scratch implementation of the WebSocket
// protocol, RFC 6455, written to be read.
//
// Section numbers in comments ("§5.2") refer to RFC 6455 unless another RFC
// is named. The package imports the Go standard library only, so every byte
// that goes over the wire is produced by code in this directory.
//
// # Reading order
//
// The files tell the story of a connection in the order it happens:
//
//  1. handshake.go: the key and accept values of the opening handshake (§4).
//  2. client.go, server.go and handshake_http.go: the HTTP Upgrade request,
//     the 101 response, and every way a handshake can be refused.
//  3. opcode.go and frame.go: the frame header, bit by bit (§5.2).
//  4. mask.go: client-to-server masking (§5.3); mask_amd64.go and
//     mask_arm64.go explain how the same is done 16 or 32 bytes at a time.
//  5. check.go: the rules a decoded header must obey, kept apart from decoding.
//  6. utf8.go: incremental UTF-8 validation of text messages (§5.6, §8.1).
//  7. read.go and write.go: messages, fragmentation and control frames
//     (§5.4, §5.5, §6). They work on the fields of [Conn] and [Options],
//     which conn.go (step 9) declares: a glance at those two types first
//     helps.
//  8. close.go and close_handshake.go: status codes and the closing
//     handshake (§5.5.1, §7). Answering the peer's close and failing the
//     connection happen while reading, so that code is in read.go
//     (receivedClose, finishTCP, fail).
//  9. conn.go and observer.go: the connection that ties it together, and the
//     observer that lets a program watch every frame.
//  10. deadline.go and heartbeat.go: how long a read or a write may take
//     (the caller's deadlines and contexts, and the timeouts of [Options]),
//     and a heartbeat that finds a silent peer.
//  11. Compression, permessage-deflate (RFC 7692): extension.go reads and
//     writes Sec-WebSocket-Extensions (§9.1); pmdeflate_negotiate.go decides
//     what to agree to; deflate.go (with deflate_huffman.go for the codes
//     of dynamic blocks) is a DEFLATE compressor that keeps to the agreed
//     window; deflate_tokens.go takes compressed bytes apart into
//     literals and back-references; pmdeflate.go hooks them into the
//     handshake and the frame paths (RSV1, the 00 00 ff ff tail, context
//     takeover, the size limit measured while inflating).
//
// # A peer is not trusted
//
// Whatever the peer does, the connection answers with an error and a close
// code, never a panic, a hang or memory it did not earn. Memory follows the
// bytes received, never the length a header claims ([Conn.ReadMessage]).
// Every write is bounded by [Options].WriteTimeout, the ones the reader
// does too (pongs, the echo of a close frame), so a peer that pings and
// never reads cannot hold the reading goroutine. [Options].IdleTimeout
// drops a peer that sends nothing, or a frame a byte at a time. A read
// that times out stops at a known byte: the next read goes on from there.
//
// # Closing versus failing
//
// RFC 6455 ends a connection in two ways. Closing (§7.1.2) is polite: one
// side sends a close frame with a status code, the other answers with its
// own, and then TCP is closed, by the server first (§7.1.1). Failing
// (§7.1.7, "_Fail the WebSocket Connection_") is what a receiver must do
// when the peer breaks a rule: send a close frame with the code of the
// broken rule (1002, 1007, 1009, ...) and close the connection without
// waiting for an answer. [CheckHeader] and the UTF-8 check decide when to
// fail; read.go's fail does it.
//
// # Decoding is not judging
//
// Decoding a header ([DecodeHeader], [ReadHeader]) fails only when the bytes
// cannot be read at all. Whether a well-formed header is allowed here and now
// is a separate question answered by [CheckHeader], which returns a
// [*Violation] naming the RFC section, the close code and a sentence. A
// teaching tool needs both halves: it must be able to show a frame that
// decoded fine but broke a rule.
package protocol
