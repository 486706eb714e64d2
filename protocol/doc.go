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
//  4. mask.go: client-to-server masking (§5.3).
//  5. check.go: the rules a decoded header must obey, kept apart from decoding.
//  6. utf8.go: incremental UTF-8 validation of text messages (§5.6, §8.1).
//  7. read.go and write.go: messages, fragmentation and control frames
//     (§5.4, §5.5, §6).
//  8. close.go and close_handshake.go: status codes and the closing
//     handshake (§5.5.1, §7).
//  9. conn.go and observer.go: the connection that ties it together, and the
//     observer that lets a program watch every frame.
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
