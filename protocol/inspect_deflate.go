package protocol

import (
	"compress/flate"
	"io"
	"time"
)

// Inflating what a watcher relays (RFC 7692 §7.2.2)
//
// A relay forwards compressed frames untouched, but a learner wants to
// read the messages. The watcher inflates each compressed message as its
// frames pass, the way the receiving endpoint does: the payloads of all
// its frames joined, 00 00 ff ff put back at the end (RFC 7692 §7.2.2),
// and, with context takeover, the window of earlier messages of the same
// direction as the starting dictionary.
//
// The inflater pulls its input (compress/flate reads from an io.Reader)
// while the relay pushes frame pieces as they arrive, so each compressed
// message is inflated by its own goroutine reading from a pipe: memory
// stays bounded by one piece of input, the window, and the Keep prefix of
// output, however long the message is. The limit bounds the inflated
// bytes: a bomb is stopped having produced limit+1 bytes, never more.

// WatchInflate is how one direction's compressed messages are inflated.
type WatchInflate struct {
	// WindowBits is the sender's agreed window (client_max_window_bits
	// for what a client sends, server_max_window_bits for a server):
	// how many bytes of earlier messages are kept as context.
	WindowBits int
	// ContextTakeover is false when the sender agreed to
	// *_no_context_takeover: each of its messages starts from an empty
	// window.
	ContextTakeover bool
	// Limit is the largest inflated message; 0 means 16 MiB. A message
	// that inflates past it is reported with a §10.4 violation and not
	// inflated further.
	Limit int64
}

// inflateWatch is a FrameReader's inflating state for one direction.
type inflateWatch struct {
	WatchInflate
	dict []byte // the sender's window: the last bytes inflated (takeover only)
	// lost is set when a message could not be inflated to its end with
	// context takeover: the window the next messages point into is
	// unknown, so they are not inflated.
	lost bool

	// The message being inflated.
	pw      *io.PipeWriter
	done    chan inflateResult
	opcode  Opcode
	wire    int64
	comp    []byte // the compressed bytes, while they fit in keep
	window  []byte
	keep    int
	message *MessageEvent // the last message completed, until the next Begin
}

type inflateResult struct {
	kept      []byte
	inflated  int64
	violation *Violation
	dict      []byte
	ok        bool // the DEFLATE data ended cleanly: the window is sound
}

// InflateMessages makes the reader inflate compressed messages (RSV1 on
// their first frame, with Deflate set) as w says. After End returns the
// last frame of a compressed message, Message returns it inflated.
func (fr *FrameReader) InflateMessages(w WatchInflate) {
	if w.Limit <= 0 {
		w.Limit = 16 << 20
	}
	if w.WindowBits < MinWindowBits || w.WindowBits > MaxWindowBits {
		w.WindowBits = MaxWindowBits
	}
	fr.inflate = &inflateWatch{WatchInflate: w}
}

// Message returns the compressed message whose last frame End just
// returned, inflated as far as it could be: Inflated holds up to Keep
// bytes, InflatedLen counts them all, Compressed holds the payload when
// all of it fits in Keep and it inflated, and Violation says why inflating
// failed, if it did: corrupt data (RFC 7692 §7.2.2), past the limit
// (§10.4), or text that is not UTF-8 (§8.1). It is nil after any other
// frame, and for messages after one that failed with context takeover:
// their window is unknown.
func (fr *FrameReader) Message() *MessageEvent {
	if fr.inflate == nil {
		return nil
	}
	return fr.inflate.message
}

// Close stops inflating a message that will never end (the stream broke
// in the middle of it). The reader is not used after Close.
func (fr *FrameReader) Close() {
	if fr.inflate != nil {
		fr.inflate.Close()
	}
}

// beginMessage starts inflating a compressed message whose first frame
// has opcode op.
func (z *inflateWatch) beginMessage(op Opcode, keep int) {
	z.Close()
	if z.lost {
		return
	}
	if !z.ContextTakeover {
		z.dict = z.dict[:0]
	}
	z.opcode, z.wire, z.keep, z.comp = op, 0, keep, nil
	z.window = append([]byte(nil), z.dict...)
	pr, pw := io.Pipe()
	done := make(chan inflateResult, 1)
	z.pw, z.done = pw, done
	// The goroutine owns dict until it reports: it starts from it and
	// returns the window that follows this message.
	go func(dict []byte, w WatchInflate) {
		done <- inflateFrom(pr, dict, w, op, keep)
	}(z.dict, z.WatchInflate)
}

// Close abandons the message being inflated, if any.
func (z *inflateWatch) Close() {
	if z.pw != nil {
		z.pw.CloseWithError(io.ErrUnexpectedEOF)
		<-z.done
		z.pw, z.done = nil, nil
	}
}

// write gives the inflater the next unmasked payload bytes. An error
// means the inflater has stopped (the data is corrupt or past the
// limit); the rest of the message is not needed.
func (z *inflateWatch) write(p []byte) {
	if z.pw == nil || len(p) == 0 {
		return
	}
	if z.wire+int64(len(p)) <= int64(z.keep) {
		z.comp = append(z.comp, p...)
	}
	z.wire += int64(len(p))
	z.pw.Write(p)
}

// endMessage puts back the trailer (RFC 7692 §7.2.2), waits for the
// inflater and builds the message's event.
func (z *inflateWatch) endMessage(receiver Role) {
	if z.pw == nil {
		return
	}
	trailer := inflateTrailer[:]
	if z.wire == 0 {
		trailer = emptyTrailer
	}
	z.pw.Write(trailer)
	z.pw.Close()
	res := <-z.done
	z.pw, z.done = nil, nil
	if z.ContextTakeover {
		if res.ok {
			z.dict = res.dict
		} else {
			z.lost = true
		}
	}
	z.message = &MessageEvent{Time: time.Now(), Role: receiver, Dir: Received, Opcode: z.opcode,
		Inflated: res.kept, WireLen: z.wire, InflatedLen: res.inflated, Window: z.window,
		WindowBits: z.WindowBits, ContextTakeover: z.ContextTakeover, Violation: res.violation}
	if int64(len(z.comp)) == z.wire && res.ok {
		// The whole message fits in keep: a view may take it apart into
		// literals and back-references, as it does serve's messages.
		z.message.Compressed = z.comp
	}
	z.comp = nil
}

// inflateFrom inflates one message from r, starting from dict, checking
// what a receiving endpoint checks. It always reads r to its end, or
// closes it, so that the writer never blocks.
func inflateFrom(pr *io.PipeReader, dict []byte, w WatchInflate, op Opcode, keep int) (res inflateResult) {
	f := flate.NewReaderDict(pr, dict)
	defer f.Close()
	res.dict = dict
	var utf8 UTF8Validator
	var buf [16 << 10]byte
	fail := func(v *Violation) inflateResult {
		res.violation = v
		pr.CloseWithError(io.ErrClosedPipe)
		return res
	}
	for {
		// Ask for at most one byte more than the limit allows, so that a
		// bomb is caught having produced limit+1 bytes, never more.
		p := buf[:min(int64(len(buf)), w.Limit-res.inflated+1)]
		n, err := f.Read(p)
		if n > 0 {
			if res.inflated+int64(n) > w.Limit {
				return fail(violationf("10.4", CloseMessageTooBig,
					"compressed message inflates to more than the limit of %d bytes", w.Limit))
			}
			if op == OpText && res.violation == nil {
				if i := utf8.Write(p[:n]); i >= 0 {
					// Keep inflating: the window still matters to the next
					// message, and the bytes are still worth showing.
					res.violation = violationf("8.1", CloseInvalidPayload,
						"text message is not valid UTF-8 at index %d of the inflated message", res.inflated+int64(i))
				}
			}
			if room := keep - len(res.kept); room > 0 {
				res.kept = append(res.kept, p[:min(room, n)]...)
			}
			if w.ContextTakeover {
				res.dict = appendWindow(res.dict, p[:n], 1<<w.WindowBits)
			}
			res.inflated += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(deflateViolation("7.2.2", CloseInvalidPayload,
				"compressed data does not inflate: %s", deflateErrText(err)))
		}
	}
	// The DEFLATE data ended, at the trailer or at a block with BFINAL
	// set (RFC 7692 §7.2.3); whatever follows is read and dropped.
	io.Copy(io.Discard, pr)
	if op == OpText && res.violation == nil && !utf8.Complete() {
		res.violation = violationf("8.1", CloseInvalidPayload, "text message ends in the middle of a UTF-8 character")
	}
	res.ok = true
	return res
}
