package conformance

// The cases, numbered after the Autobahn TestSuite's cases 1 to 7, 9, 10,
// 12 and 13 (deflate.go). Every case is written from the point of view of
// the fuzzing peer and runs unchanged in both directions: against an echo server (we are the
// client and mask what we send) and against an echo client (we are the
// server and send unmasked frames). Case ids starting with a letter are
// the project's own, not Autobahn's: A.x extend an Autobahn section, B.x
// test rules Autobahn does not.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Case is one conformance case.
type Case struct {
	ID   string
	Desc string
	// Rule is the RFC rule the case tests: its section, quoted verbatim
	// where a sentence says it.
	Rule string
	// Big marks the 9.x cases (up to 16 MiB): slow under the race detector.
	Big bool
	// Timeout bounds each expected event; 0 means the runner's default.
	Timeout time.Duration
	// Only is "server" or "client" for a case that applies to one kind of
	// peer (masking direction); "" for both.
	Only string
	// Extensions, if not empty, is offered in the opening handshake; a
	// server that does not accept it gets UNIMPLEMENTED without the case
	// running. The permessage-deflate cases (deflate.go: Autobahn's
	// sections 12 and 13, RFC 7692) set it.
	Extensions string
	// Response is, for a case with Extensions, what we answer as the
	// server to a client that offers permessage-deflate; a client that
	// offers none (or none this response may answer) gets UNIMPLEMENTED
	// after a clean closing handshake.
	Response string

	run func(p *Peer)
}

// pause is the pause Autobahn's "with pauses" cases make between chops,
// shortened to keep the suite fast.
const pause = 5 * time.Millisecond

func echoCase(op byte, payload []byte, chop int) func(p *Peer) {
	return func(p *Peer) {
		f := p.Frame(true, 0, op, payload)
		if chop > 0 {
			p.mustSendChopped(f, chop, 0)
		} else {
			p.MustSend(f)
		}
		p.ExpectMessage(op, payload)
		p.CloseHandshake(1000, "")
	}
}

func failCase(code int, frames func(p *Peer) [][]byte) func(p *Peer) {
	return func(p *Peer) {
		for _, f := range frames(p) {
			if err := p.Send(f); err != nil {
				break // the peer may already have failed the connection
			}
		}
		p.ExpectFail(code)
	}
}

// All returns every case, in report order. Each call builds them afresh.
func All() []Case {
	var cs []Case
	var rule string // the rule of the cases add adds
	add := func(id, desc string, run func(p *Peer)) {
		cs = append(cs, Case{ID: id, Desc: desc, Rule: rule, run: run})
	}
	rule = ruleEcho

	// 1.x: framing, text and binary messages of the boundary lengths.
	lengths := []int{0, 125, 126, 127, 128, 65535, 65536}
	for i, n := range lengths {
		add(fmt.Sprintf("1.1.%d", i+1), fmt.Sprintf("text message of %d bytes", n), echoCase(OpText, TextPattern(n), 0))
		add(fmt.Sprintf("1.2.%d", i+1), fmt.Sprintf("binary message of %d bytes", n), echoCase(OpBinary, Pattern(n, 0xfe), 0))
	}
	add("1.1.8", "text message of 65536 bytes in 997-byte TCP writes", echoCase(OpText, TextPattern(65536), 997))
	add("1.2.8", "binary message of 65536 bytes in 997-byte TCP writes", echoCase(OpBinary, Pattern(65536, 0xfe), 997))
	for _, n := range []int{1, 2, 3, 7, 13} {
		rule = ruleChop
		add(fmt.Sprintf("A.1.%d", n), fmt.Sprintf("text and binary messages in %d-byte TCP writes", n), func(p *Peer) {
			for _, size := range []int{0, 1, 125, 126, 300} {
				for _, op := range []byte{OpText, OpBinary} {
					payload := TextPattern(size)
					p.mustSendChopped(p.Frame(true, 0, op, payload), n, 0)
					p.ExpectMessage(op, payload)
				}
			}
			p.CloseHandshake(1000, "")
		})
	}

	// 2.x: pings and pongs.
	rule = rulePing
	ping := func(payload []byte, chop int) func(p *Peer) {
		return func(p *Peer) {
			p.mustSendChopped(p.Frame(true, 0, OpPing, payload), max(chop, 1<<20), 0)
			p.ExpectPong(payload)
			p.CloseHandshake(1000, "")
		}
	}
	add("2.1", "ping without payload", ping(nil, 0))
	add("2.2", "ping with a text payload", ping([]byte("Hello, world!"), 0))
	add("2.3", "ping with a binary payload", ping([]byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}, 0))
	add("2.4", "ping with a 125-byte payload", ping(bytes.Repeat([]byte{0xfe}, 125), 0))
	rule = ruleControl
	add("2.5", "ping with a 126-byte payload: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 0, OpPing, bytes.Repeat([]byte{0xfe}, 126))}
	}))
	rule = rulePing
	add("2.6", "ping with a 125-byte payload in 1-byte TCP writes", func(p *Peer) {
		payload := bytes.Repeat([]byte{0xfe}, 125)
		p.mustSendChopped(p.Frame(true, 0, OpPing, payload), 1, 0)
		p.ExpectPong(payload)
		p.CloseHandshake(1000, "")
	})
	rule = rulePong
	add("2.7", "unsolicited pong without payload: ignored", func(p *Peer) {
		p.SendFrame(true, 0, OpPong, nil)
		p.ExpectNothing(50*time.Millisecond, "a response to an unsolicited pong is not expected")
		p.CloseHandshake(1000, "")
	})
	add("2.8", "unsolicited pong with payload: ignored", func(p *Peer) {
		p.SendFrame(true, 0, OpPong, []byte("unsolicited pong payload"))
		p.ExpectNothing(50*time.Millisecond, "a response to an unsolicited pong is not expected")
		p.CloseHandshake(1000, "")
	})
	rule = rulePong + " " + rulePing
	add("2.9", "unsolicited pong, then a ping: only the ping is answered", func(p *Peer) {
		p.SendFrame(true, 0, OpPong, []byte("unsolicited pong payload"))
		p.SendFrame(true, 0, OpPing, []byte("ping payload"))
		p.ExpectPong([]byte("ping payload"))
		p.CloseHandshake(1000, "")
	})
	rule = rulePing
	tenPings := func(chop int) func(p *Peer) {
		return func(p *Peer) {
			var all []byte
			for i := 0; i < 10; i++ {
				all = append(all, p.Frame(true, 0, OpPing, []byte(fmt.Sprintf("payload-%d", i)))...)
			}
			p.mustSendChopped(all, chop, 0)
			for i := 0; i < 10; i++ {
				p.ExpectPong([]byte(fmt.Sprintf("payload-%d", i)))
			}
			p.CloseHandshake(1000, "")
		}
	}
	add("2.10", "10 pings", tenPings(1<<20))
	add("2.11", "10 pings in 1-byte TCP writes", tenPings(1))

	// 3.x: reserved bits.
	rule = ruleRSV
	add("3.1", "text with RSV=1: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 1, OpText, []byte("Hello, world!"))}
	}))
	rsvAfterEcho := func(rsv, op byte, payload []byte, chop int) func(p *Peer) {
		return func(p *Peer) {
			p.SendFrame(true, 0, OpText, []byte("Hello, world!"))
			bad := p.Frame(true, rsv, op, payload)
			if chop > 0 {
				p.SendChopped(bad, chop, 0) // may fail once the peer has failed the connection
			} else {
				p.Send(bad)
			}
			p.Send(p.Frame(true, 0, OpPing, nil))
			p.ExpectMessage(OpText, []byte("Hello, world!"))
			p.ExpectFail(1002) // and no pong: the ping came after the violation
		}
	}
	add("3.2", "text, text with RSV=2, ping: echo, then 1002", rsvAfterEcho(2, OpText, []byte("Hello, world!"), 0))
	add("3.3", "text, text with RSV=3 chopped, ping: echo, then 1002", rsvAfterEcho(3, OpText, []byte("Hello, world!"), 1))
	add("3.4", "text, text with RSV=4 chopped, ping: echo, then 1002", rsvAfterEcho(4, OpText, []byte("Hello, world!"), 1))
	add("3.5", "binary with RSV=5: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 5, OpBinary, []byte{0, 0xff, 0xfe, 0xfd})}
	}))
	add("3.6", "ping with RSV=6: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 6, OpPing, []byte("Hello, world!"))}
	}))
	add("3.7", "close with RSV=7: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 7, OpClose, ClosePayload(1000, ""))}
	}))

	// 4.x: reserved opcodes.
	rule = ruleOpcode
	for i, op := range []byte{3, 4, 5, 6, 7} {
		op := op
		group := "4.1"
		add(fmt.Sprintf("%s.%d", group, i+1), fmt.Sprintf("reserved data opcode %d after an echo: 1002", op), func(p *Peer) {
			p.SendFrame(true, 0, OpText, []byte("Hello, world!"))
			p.Send(p.Frame(true, 0, op, []byte("reserved")))
			p.Send(p.Frame(true, 0, OpPing, nil))
			p.ExpectMessage(OpText, []byte("Hello, world!"))
			p.ExpectFail(1002)
		})
	}
	for i, op := range []byte{0xB, 0xC, 0xD, 0xE, 0xF} {
		op := op
		add(fmt.Sprintf("4.2.%d", i+1), fmt.Sprintf("reserved control opcode %d after an echo: 1002", op), func(p *Peer) {
			p.SendFrame(true, 0, OpText, []byte("Hello, world!"))
			p.Send(p.Frame(true, 0, op, []byte("reserved")))
			p.Send(p.Frame(true, 0, OpPing, nil))
			p.ExpectMessage(OpText, []byte("Hello, world!"))
			p.ExpectFail(1002)
		})
	}

	// 5.x: fragmentation.
	rule = ruleControl
	add("5.1", "ping in 2 fragments: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(false, 0, OpPing, []byte("fragment1")), p.Frame(true, 0, OpCont, []byte("fragment2"))}
	}))
	add("5.2", "pong in 2 fragments: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(false, 0, OpPong, []byte("fragment1")), p.Frame(true, 0, OpCont, []byte("fragment2"))}
	}))
	rule = ruleFragCtrl
	twoFrags := func(op byte, chop int, pauseEach time.Duration, withPing bool) func(p *Peer) {
		return func(p *Peer) {
			var all []byte
			all = append(all, p.Frame(false, 0, op, []byte("fragment1"))...)
			if withPing {
				all = append(all, p.Frame(true, 0, OpPing, []byte("pongme!"))...)
			}
			all = append(all, p.Frame(true, 0, OpCont, []byte("fragment2"))...)
			p.mustSendChopped(all, chop, pauseEach)
			if withPing {
				p.ExpectPong([]byte("pongme!"))
			}
			p.ExpectMessage(op, []byte("fragment1fragment2"))
			p.CloseHandshake(1000, "")
		}
	}
	add("5.3", "text in 2 fragments", twoFrags(OpText, 1<<20, 0, false))
	add("5.4", "text in 2 fragments, 1-byte TCP writes", twoFrags(OpText, 1, 0, false))
	add("5.5", "text in 2 fragments, 1-byte TCP writes with pauses", twoFrags(OpText, 1, pause, false))
	add("5.6", "text in 2 fragments with a ping between them", twoFrags(OpText, 1<<20, 0, true))
	add("5.7", "same, 1-byte TCP writes", twoFrags(OpText, 1, 0, true))
	add("5.8", "same, 1-byte TCP writes with pauses", twoFrags(OpText, 1, pause, true))
	add("A.5.1", "binary in 2 fragments with a ping between them", twoFrags(OpBinary, 1<<20, 0, true))
	rule = ruleFrag
	contNoStart := func(fin bool, chop int) func(p *Peer) {
		return func(p *Peer) {
			all := p.Frame(fin, 0, OpCont, []byte("non-continuation payload"))
			all = append(all, p.Frame(true, 0, OpText, []byte("Hello, world!"))...)
			p.SendChopped(all, chop, 0)
			p.ExpectFail(1002)
		}
	}
	add("5.9", "continuation with FIN, no message in progress: 1002", contNoStart(true, 1<<20))
	add("5.10", "same, 1-byte TCP writes", contNoStart(true, 1))
	add("5.11", "same, 1-byte TCP writes with pauses", func(p *Peer) {
		p.SendChopped(p.Frame(true, 0, OpCont, []byte("non-continuation payload")), 1, pause)
		p.ExpectFail(1002)
	})
	add("5.12", "continuation without FIN, no message in progress: 1002", contNoStart(false, 1<<20))
	add("5.13", "same, 1-byte TCP writes", contNoStart(false, 1))
	add("5.14", "same, 1-byte TCP writes with pauses", func(p *Peer) {
		p.SendChopped(p.Frame(false, 0, OpCont, []byte("non-continuation payload")), 1, pause)
		p.ExpectFail(1002)
	})
	add("5.15", "a fragmented message, then a continuation with no start: echo, then 1002", func(p *Peer) {
		p.SendFrame(false, 0, OpText, []byte("fragment1"))
		p.SendFrame(true, 0, OpCont, []byte("fragment2"))
		p.Send(p.Frame(false, 0, OpCont, []byte("fragment3")))
		p.Send(p.Frame(true, 0, OpText, []byte("fragment4")))
		p.ExpectMessage(OpText, []byte("fragment1fragment2"))
		p.ExpectFail(1002)
	})
	add("5.16", "continuation, text without FIN, continuation: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(false, 0, OpCont, []byte("fragment1")), p.Frame(false, 0, OpText, []byte("fragment2")), p.Frame(true, 0, OpCont, []byte("fragment3"))}
	}))
	add("5.17", "continuation with FIN, text without FIN, continuation: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 0, OpCont, []byte("fragment1")), p.Frame(false, 0, OpText, []byte("fragment2")), p.Frame(true, 0, OpCont, []byte("fragment3"))}
	}))
	add("5.18", "text without FIN, then a new text frame: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(false, 0, OpText, []byte("fragment1")), p.Frame(true, 0, OpText, []byte("fragment2"))}
	}))
	add("A.5.2", "binary without FIN, then a new binary frame: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(false, 0, OpBinary, []byte("fragment1")), p.Frame(true, 0, OpBinary, []byte("fragment2"))}
	}))
	rule = ruleFragCtrl
	fiveFrags := func(chop int) func(p *Peer) {
		return func(p *Peer) {
			send := func(b []byte) { p.mustSendChopped(b, chop, 0) }
			send(p.Frame(false, 0, OpText, []byte("fragment1")))
			send(p.Frame(false, 0, OpCont, []byte("fragment2")))
			send(p.Frame(true, 0, OpPing, []byte("pongme 1!")))
			p.ExpectPong([]byte("pongme 1!")) // answered while the message is open
			time.Sleep(pause)
			send(p.Frame(false, 0, OpCont, []byte("fragment3")))
			send(p.Frame(false, 0, OpCont, []byte("fragment4")))
			send(p.Frame(true, 0, OpPing, []byte("pongme 2!")))
			p.ExpectPong([]byte("pongme 2!"))
			time.Sleep(pause)
			send(p.Frame(true, 0, OpCont, []byte("fragment5")))
			p.ExpectMessage(OpText, []byte("fragment1fragment2fragment3fragment4fragment5"))
			p.CloseHandshake(1000, "")
		}
	}
	add("5.19", "text in 5 fragments, pings between them, pauses", fiveFrags(1<<20))
	add("5.20", "same, 1-byte TCP writes", fiveFrags(1))
	add("A.5.3", "text in 100 fragments of 1 byte each, each after a ping", func(p *Peer) {
		var all []byte
		want := TextPattern(100)
		for i := range want {
			op := byte(OpCont)
			if i == 0 {
				op = OpText
			}
			all = append(all, p.Frame(true, 0, OpPing, []byte{byte(i)})...)
			all = append(all, p.Frame(i == len(want)-1, 0, op, want[i:i+1])...)
		}
		p.MustSend(all)
		for i := range want {
			p.ExpectPong([]byte{byte(i)})
		}
		p.ExpectMessage(OpText, want)
		p.CloseHandshake(1000, "")
	})

	// 6.x: UTF-8 handling.
	cs = append(cs, utf8Cases()...)

	// 7.x: the closing handshake.
	rule = ruleClose
	add("7.1.1", "echo, then a clean close", echoCase(OpText, []byte("Hello World"), 0))
	add("7.1.2", "two close frames: the second is ignored", func(p *Peer) {
		p.MustSend(append(p.Frame(true, 0, OpClose, ClosePayload(1000, "")), p.Frame(true, 0, OpClose, ClosePayload(1000, ""))...))
		p.sentClose = true
		p.ExpectCloseFrame(1000)
		p.FinishTCP()
		p.ending = EndClean
	})
	afterClose := func(extra func(p *Peer) []byte) func(p *Peer) {
		return func(p *Peer) {
			p.MustSend(append(p.Frame(true, 0, OpClose, ClosePayload(1000, "")), extra(p)...))
			p.sentClose = true
			p.ExpectCloseFrame(1000)
			p.FinishTCP() // fails on any frame (pong, echo) after the close
			p.ending = EndClean
		}
	}
	add("7.1.3", "close, then a ping: no pong", afterClose(func(p *Peer) []byte { return p.Frame(true, 0, OpPing, []byte("ping")) }))
	add("7.1.4", "close, then a text message: not echoed", afterClose(func(p *Peer) []byte { return p.Frame(true, 0, OpText, []byte("Hello")) }))
	add("7.1.5", "first fragment, close, last fragment: no message", func(p *Peer) {
		p.MustSend(p.Frame(false, 0, OpText, []byte("fragment1")))
		p.MustSend(append(p.Frame(true, 0, OpClose, ClosePayload(1000, "")), p.Frame(true, 0, OpCont, []byte("fragment2"))...))
		p.sentClose = true
		p.ExpectCloseFrame(1000)
		p.FinishTCP()
		p.ending = EndClean
	})
	add("7.1.6", "256 KiB message, close, ping: echo or not, then close, no pong", func(p *Peer) {
		big := TextPattern(256 << 10)
		all := p.Frame(true, 0, OpText, big)
		all = append(all, p.Frame(true, 0, OpClose, ClosePayload(1000, ""))...)
		all = append(all, p.Frame(true, 0, OpPing, []byte("ping"))...)
		p.MustSend(all)
		p.sentClose = true
		op, msg, ctrl, err := p.ReadMessage(p.Timeout)
		if errors.Is(err, ErrPeerClosedTCP) {
			// Closing a socket with our ping still unread makes the
			// kernel reset the connection, which can destroy the echo
			// and the close frame on their way.
			p.note(NonStrict, "the connection was reset before the echo or a close frame arrived (%v): closing TCP with data unread sends RST, which can destroy what was still in flight", err)
			p.ending = EndClean
			return
		}
		if err != nil {
			p.failf(Failed, "expected the echo or a close frame: %s", describe(err, p.Timeout))
		}
		if ctrl == nil {
			if op != OpText || !bytes.Equal(msg, big) {
				p.failf(Failed, "the echo differs from the message sent: %s message, %s", opName(op), describeDiff(msg, big))
			}
			p.note(Informational, "the peer echoed the message that came before our close, then answered the close")
		} else {
			p.note(Informational, "the peer answered the close without echoing the message that came before it")
		}
		if ctrl == nil || ctrl.Op != OpClose {
			p.expectCloseAnswer(1000)
		} else if code := closeCode(ctrl.Payload); code != 1000 {
			p.note(Informational, "the peer answered our close 1000 with code %d (§5.5.1: it \"typically echos the status code it received\")", code)
		}
		p.FinishTCP()
		p.ending = EndClean
	})
	rule = ruleCloseBody
	add("7.3.1", "empty close: answered with an empty close", func(p *Peer) { p.CloseHandshake(0, "") })
	add("7.3.2", "close with a 1-byte payload: 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 0, OpClose, []byte{0x03})}
	}))
	add("7.3.3", "close 1000 without reason", func(p *Peer) { p.CloseHandshake(1000, "") })
	add("7.3.4", "close 1000 with a reason", func(p *Peer) { p.CloseHandshake(1000, "Hello World!") })
	add("7.3.5", "close with a 123-byte reason", func(p *Peer) { p.CloseHandshake(1000, strings.Repeat("*", 123)) })
	add("7.3.6", "close with a 124-byte reason (payload 126): 1002", failCase(1002, func(p *Peer) [][]byte {
		return [][]byte{p.Frame(true, 0, OpClose, ClosePayload(1000, strings.Repeat("*", 124)))}
	}))
	rule = ruleCloseReason
	// Autobahn accepts 1002 as well as 1007 here: the reason is part of
	// a malformed close frame.
	add("7.5.1", "close reason that is not UTF-8: 1007 (or 1002)", func(p *Peer) {
		p.Send(p.Frame(true, 0, OpClose, ClosePayload(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64")))
		p.ExpectFail(1007, 1002)
	})
	add("A.7.1", "close reason split in the middle of a character: 1007 (or 1002)", func(p *Peer) {
		p.Send(p.Frame(true, 0, OpClose, ClosePayload(1000, "\xce\xba\xe1\xbd")))
		p.ExpectFail(1007, 1002)
	})
	rule = ruleCodes
	valid := []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}
	for i, code := range valid {
		code := code
		add(fmt.Sprintf("7.7.%d", i+1), fmt.Sprintf("close with valid code %d: echoed", code), func(p *Peer) { p.CloseHandshake(code, "") })
	}
	for i, code := range []int{1012, 1013, 1014} {
		code := code
		add(fmt.Sprintf("A.7.2.%d", i+1), fmt.Sprintf("close with IANA-registered code %d: echoed (or refused)", code), func(p *Peer) { p.registeredCode(code) })
	}
	invalid := []int{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999}
	for i, code := range invalid {
		code := code
		add(fmt.Sprintf("7.9.%d", i+1), fmt.Sprintf("close with invalid code %d: 1002", code), failCase(1002, func(p *Peer) [][]byte {
			return [][]byte{p.Frame(true, 0, OpClose, ClosePayload(code, ""))}
		}))
	}
	for i, code := range []int{5000, 65535} {
		code := code
		// RFC 6455 defines no code past 4999, so, as in Autobahn, an
		// echo is INFORMATIONAL; a 1002 is OK.
		add(fmt.Sprintf("7.13.%d", i+1), fmt.Sprintf("close with out-of-range code %d: 1002 (or an echo)", code), func(p *Peer) {
			p.undefinedCode(code)
		})
	}

	// Rules Autobahn does not test.
	cs = append(cs,
		Case{ID: "B.1", Desc: "unmasked frame from a client: 1002", Rule: ruleMaskClient, Only: "server", run: failCase(1002, func(p *Peer) [][]byte {
			return [][]byte{BuildFrame(true, 0, OpText, []byte("Hello"), false)}
		})},
		Case{ID: "B.2", Desc: "masked frame from a server: 1002", Rule: ruleMaskServer, Only: "client", run: failCase(1002, func(p *Peer) [][]byte {
			return [][]byte{BuildFrame(true, 0, OpText, []byte("Hello"), true)}
		})},
		Case{ID: "B.3", Desc: "length 5 in the 16-bit form: 1002", Rule: ruleMinimal, run: failCase(1002, func(p *Peer) [][]byte {
			f := p.Frame(true, 0, OpText, []byte("Hello"))
			return [][]byte{nonMinimal(f, 2)}
		})},
		Case{ID: "B.4", Desc: "length 200 in the 64-bit form: 1002", Rule: ruleMinimal, run: failCase(1002, func(p *Peer) [][]byte {
			f := p.Frame(true, 0, OpText, TextPattern(200))
			return [][]byte{nonMinimal(f, 8)}
		})},
		Case{ID: "B.5", Desc: "64-bit length with the top bit set: 1002", Rule: ruleTopBit, run: failCase(1002, func(p *Peer) [][]byte {
			h := []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 5}
			if p.client {
				h[1] |= 0x80
				h = append(h, 1, 2, 3, 4)
			}
			return [][]byte{h}
		})},
		Case{ID: "B.6", Desc: "frame claiming 1 TiB: 1009 before any payload (or wait for it)", Rule: ruleLimit, run: func(p *Peer) {
			h := []byte{0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0}
			if p.client {
				h[1] |= 0x80
				h = append(h, 1, 2, 3, 4)
			}
			p.MustSend(h)
			p.failOrWait(1009, "the peer waited for the 1 TiB payload instead of refusing the frame at its header")
		}},
		Case{ID: "B.7", Desc: "text message in 1000 empty fragments and one byte", Rule: ruleFrag, run: func(p *Peer) {
			var all []byte
			all = append(all, p.Frame(false, 0, OpText, nil)...)
			for i := 0; i < 1000; i++ {
				all = append(all, p.Frame(false, 0, OpCont, nil)...)
			}
			all = append(all, p.Frame(true, 0, OpCont, []byte("x"))...)
			p.MustSend(all)
			p.ExpectMessage(OpText, []byte("x"))
			p.CloseHandshake(1000, "")
		}},
	)

	// 9.x: limits and performance.
	cs = append(cs, bigCases()...)

	// 10.1.1: a 64 KiB message auto-fragmented into 1300-byte frames.
	rule = ruleFrag
	add("10.1.1", "65536-byte text message in 1300-byte frames", func(p *Peer) {
		msg := TextPattern(65536)
		p.MustSend(fragmentFrames(p, OpText, msg, 1300))
		p.ExpectMessage(OpText, msg)
		p.CloseHandshake(1000, "")
	})

	// 12.x, 13.x and A.13.x: permessage-deflate (RFC 7692).
	cs = append(cs, deflateCases()...)
	return cs
}

// nonMinimal re-encodes the length of a frame in the 16-bit (ext 2) or
// 64-bit (ext 8) form, whatever form it had.
func nonMinimal(f []byte, ext int) []byte {
	n, rest := uint64(f[1]&0x7F), f[2:]
	switch n {
	case 126:
		n, rest = uint64(binary.BigEndian.Uint16(rest)), rest[2:]
	case 127:
		n, rest = binary.BigEndian.Uint64(rest), rest[8:]
	}
	out := []byte{f[0], f[1] & 0x80}
	if ext == 2 {
		out[1] |= 126
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	} else {
		out[1] |= 127
		out = binary.BigEndian.AppendUint64(out, n)
	}
	return append(out, rest...)
}

// fragmentFrames encodes msg as a message in frames of size bytes.
func fragmentFrames(p *Peer, op byte, msg []byte, size int) []byte {
	var all []byte
	first := true
	for len(msg) > 0 || first {
		n := min(size, len(msg))
		o := byte(OpCont)
		if first {
			o = op
		}
		all = append(all, p.Frame(n == len(msg), 0, o, msg[:n])...)
		msg, first = msg[n:], false
	}
	return all
}

func bigCases() []Case {
	var cs []Case
	rule := ruleEcho
	add := func(id, desc string, run func(p *Peer)) {
		cs = append(cs, Case{ID: id, Desc: desc, Rule: rule, run: run, Big: true, Timeout: 60 * time.Second})
	}
	sizes := []int{64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20}
	for i, n := range sizes {
		n := n
		add(fmt.Sprintf("9.1.%d", i+1), fmt.Sprintf("text message of %d bytes", n), echoCase(OpText, TextPattern(n), 0))
		add(fmt.Sprintf("9.2.%d", i+1), fmt.Sprintf("binary message of %d bytes", n), echoCase(OpBinary, Pattern(n, 0xfe), 0))
	}
	rule = ruleFrag
	frames := []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20}
	for i, size := range frames {
		size := size
		for _, g := range []struct {
			id string
			op byte
		}{{"9.3", OpText}, {"9.4", OpBinary}} {
			g := g
			add(fmt.Sprintf("%s.%d", g.id, i+1), fmt.Sprintf("4 MiB message in %d-byte frames", size), func(p *Peer) {
				msg := TextPattern(4 << 20)
				p.MustSend(fragmentFrames(p, g.op, msg, size))
				p.ExpectMessage(g.op, msg)
				p.CloseHandshake(1000, "")
			})
		}
	}
	rule = ruleLimit
	add("B.8", "a 33 MiB message in 1 MiB fragments: 1009 from a peer with a smaller limit, an echo otherwise", func(p *Peer) {
		p.bigMessage(33, Pattern(1<<20, 3))
	})
	rule = ruleChop
	for i, chop := range []int{64, 128, 256, 512, 1024, 2048} {
		add(fmt.Sprintf("9.5.%d", i+1), fmt.Sprintf("1 MiB text message in %d-byte TCP writes", chop), echoCase(OpText, TextPattern(1<<20), chop))
		add(fmt.Sprintf("9.6.%d", i+1), fmt.Sprintf("1 MiB binary message in %d-byte TCP writes", chop), echoCase(OpBinary, Pattern(1<<20, 1), chop))
	}
	rule = ruleEcho
	for i, size := range []int{0, 16, 64, 256, 1 << 10, 4 << 10} {
		size := size
		for _, g := range []struct {
			id string
			op byte
		}{{"9.7", OpText}, {"9.8", OpBinary}} {
			g := g
			add(fmt.Sprintf("%s.%d", g.id, i+1), fmt.Sprintf("1000 messages of %d bytes, one at a time", size), func(p *Peer) {
				msg := TextPattern(size)
				for j := 0; j < 1000; j++ {
					p.SendFrame(true, 0, g.op, msg)
					p.ExpectMessage(g.op, msg)
				}
				p.CloseHandshake(1000, "")
			})
		}
	}
	return cs
}
