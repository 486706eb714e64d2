package interop

// The conformance cases, numbered after the Autobahn TestSuite's cases 1 to
// 7, 9 and 10. Every case is written from the point of view of the fuzzing
// peer and runs unchanged in both directions: against an echo server (we
// are the client and mask what we send) and against an echo client (we are
// the server and send unmasked frames). Case ids starting with a letter are
// ours, not Autobahn's.

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// confCase is one conformance case. run drives the peer and must end with
// closeHandshake (a clean end) or expectFail (the peer under test fails
// the connection).
type confCase struct {
	id      string
	desc    string
	run     func(p *peer)
	big     bool          // a 9.x case: slow under -race
	timeout time.Duration // per-expectation bound; 0: the default
	only    string        // "server" or "client": runs against one kind of target only
}

// pause is the pause Autobahn's "with pauses" cases make between chops,
// shortened to keep the suite fast.
const pause = 5 * time.Millisecond

func echoCase(op byte, payload []byte, chop int) func(p *peer) {
	return func(p *peer) {
		f := p.frame(true, 0, op, payload)
		if chop > 0 {
			if err := p.sendChopped(f, chop, 0); err != nil {
				p.t.Fatal(err)
			}
		} else {
			p.mustSend(f)
		}
		p.expectMessage(op, payload)
		p.closeHandshake(1000, "")
	}
}

func failCase(code int, frames func(p *peer) [][]byte) func(p *peer) {
	return func(p *peer) {
		for _, f := range frames(p) {
			if err := p.send(f); err != nil {
				break // the peer may already have failed the connection
			}
		}
		p.expectFail(code)
	}
}

func buildCases() []confCase {
	var cs []confCase
	add := func(id, desc string, run func(p *peer)) { cs = append(cs, confCase{id: id, desc: desc, run: run}) }

	// 1.x: framing, text and binary messages of the boundary lengths.
	lengths := []int{0, 125, 126, 127, 128, 65535, 65536}
	for i, n := range lengths {
		add(fmt.Sprintf("1.1.%d", i+1), fmt.Sprintf("text message of %d bytes", n), echoCase(opText, textPattern(n), 0))
		add(fmt.Sprintf("1.2.%d", i+1), fmt.Sprintf("binary message of %d bytes", n), echoCase(opBinary, pattern(n, 0xfe), 0))
	}
	add("1.1.8", "text message of 65536 bytes in 997-byte TCP writes", echoCase(opText, textPattern(65536), 997))
	add("1.2.8", "binary message of 65536 bytes in 997-byte TCP writes", echoCase(opBinary, pattern(65536, 0xfe), 997))
	for _, n := range []int{1, 2, 3, 7, 13} {
		add(fmt.Sprintf("A.1.%d", n), fmt.Sprintf("text and binary messages in %d-byte TCP writes", n), func(p *peer) {
			for _, size := range []int{0, 1, 125, 126, 300} {
				for _, op := range []byte{opText, opBinary} {
					payload := textPattern(size)
					if err := p.sendChopped(p.frame(true, 0, op, payload), n, 0); err != nil {
						p.t.Fatal(err)
					}
					p.expectMessage(op, payload)
				}
			}
			p.closeHandshake(1000, "")
		})
	}

	// 2.x: pings and pongs.
	ping := func(payload []byte, chop int) func(p *peer) {
		return func(p *peer) {
			if err := p.sendChopped(p.frame(true, 0, opPing, payload), max(chop, 1<<20), 0); err != nil {
				p.t.Fatal(err)
			}
			p.expectPong(payload)
			p.closeHandshake(1000, "")
		}
	}
	add("2.1", "ping without payload", ping(nil, 0))
	add("2.2", "ping with a text payload", ping([]byte("Hello, world!"), 0))
	add("2.3", "ping with a binary payload", ping([]byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}, 0))
	add("2.4", "ping with a 125-byte payload", ping(bytes.Repeat([]byte{0xfe}, 125), 0))
	add("2.5", "ping with a 126-byte payload: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 0, opPing, bytes.Repeat([]byte{0xfe}, 126))}
	}))
	add("2.6", "ping with a 125-byte payload in 1-byte TCP writes", func(p *peer) {
		payload := bytes.Repeat([]byte{0xfe}, 125)
		if err := p.sendChopped(p.frame(true, 0, opPing, payload), 1, 0); err != nil {
			p.t.Fatal(err)
		}
		p.expectPong(payload)
		p.closeHandshake(1000, "")
	})
	add("2.7", "unsolicited pong without payload: ignored", func(p *peer) {
		p.sendFrame(true, 0, opPong, nil)
		p.expectNothing(50 * time.Millisecond)
		p.closeHandshake(1000, "")
	})
	add("2.8", "unsolicited pong with payload: ignored", func(p *peer) {
		p.sendFrame(true, 0, opPong, []byte("unsolicited pong payload"))
		p.expectNothing(50 * time.Millisecond)
		p.closeHandshake(1000, "")
	})
	add("2.9", "unsolicited pong, then a ping: only the ping is answered", func(p *peer) {
		p.sendFrame(true, 0, opPong, []byte("unsolicited pong payload"))
		p.sendFrame(true, 0, opPing, []byte("ping payload"))
		p.expectPong([]byte("ping payload"))
		p.closeHandshake(1000, "")
	})
	tenPings := func(chop int) func(p *peer) {
		return func(p *peer) {
			var all []byte
			for i := 0; i < 10; i++ {
				all = append(all, p.frame(true, 0, opPing, []byte(fmt.Sprintf("payload-%d", i)))...)
			}
			if err := p.sendChopped(all, chop, 0); err != nil {
				p.t.Fatal(err)
			}
			for i := 0; i < 10; i++ {
				p.expectPong([]byte(fmt.Sprintf("payload-%d", i)))
			}
			p.closeHandshake(1000, "")
		}
	}
	add("2.10", "10 pings", tenPings(1<<20))
	add("2.11", "10 pings in 1-byte TCP writes", tenPings(1))

	// 3.x: reserved bits.
	add("3.1", "text with RSV=1: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 1, opText, []byte("Hello, world!"))}
	}))
	rsvAfterEcho := func(rsv, op byte, payload []byte, chop int) func(p *peer) {
		return func(p *peer) {
			p.sendFrame(true, 0, opText, []byte("Hello, world!"))
			bad := p.frame(true, rsv, op, payload)
			if chop > 0 {
				p.sendChopped(bad, chop, 0)
			} else {
				p.send(bad)
			}
			p.send(p.frame(true, 0, opPing, nil))
			p.expectMessage(opText, []byte("Hello, world!"))
			p.expectFail(1002) // and no pong: the ping came after the violation
		}
	}
	add("3.2", "text, text with RSV=2, ping: echo, then 1002", rsvAfterEcho(2, opText, []byte("Hello, world!"), 0))
	add("3.3", "text, text with RSV=3 chopped, ping: echo, then 1002", rsvAfterEcho(3, opText, []byte("Hello, world!"), 1))
	add("3.4", "text, text with RSV=4 chopped, ping: echo, then 1002", rsvAfterEcho(4, opText, []byte("Hello, world!"), 1))
	add("3.5", "binary with RSV=5: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 5, opBinary, []byte{0, 0xff, 0xfe, 0xfd})}
	}))
	add("3.6", "ping with RSV=6: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 6, opPing, []byte("Hello, world!"))}
	}))
	add("3.7", "close with RSV=7: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 7, opClose, closePayload(1000, ""))}
	}))

	// 4.x: reserved opcodes.
	for i, op := range []byte{3, 4, 5, 6, 7} {
		op := op
		group := "4.1"
		add(fmt.Sprintf("%s.%d", group, i+1), fmt.Sprintf("reserved data opcode %d after an echo: 1002", op), func(p *peer) {
			p.sendFrame(true, 0, opText, []byte("Hello, world!"))
			p.send(p.frame(true, 0, op, []byte("reserved")))
			p.send(p.frame(true, 0, opPing, nil))
			p.expectMessage(opText, []byte("Hello, world!"))
			p.expectFail(1002)
		})
	}
	for i, op := range []byte{0xB, 0xC, 0xD, 0xE, 0xF} {
		op := op
		add(fmt.Sprintf("4.2.%d", i+1), fmt.Sprintf("reserved control opcode %d after an echo: 1002", op), func(p *peer) {
			p.sendFrame(true, 0, opText, []byte("Hello, world!"))
			p.send(p.frame(true, 0, op, []byte("reserved")))
			p.send(p.frame(true, 0, opPing, nil))
			p.expectMessage(opText, []byte("Hello, world!"))
			p.expectFail(1002)
		})
	}

	// 5.x: fragmentation.
	add("5.1", "ping in 2 fragments: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(false, 0, opPing, []byte("fragment1")), p.frame(true, 0, opCont, []byte("fragment2"))}
	}))
	add("5.2", "pong in 2 fragments: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(false, 0, opPong, []byte("fragment1")), p.frame(true, 0, opCont, []byte("fragment2"))}
	}))
	twoFrags := func(op byte, chop int, pauseEach time.Duration, withPing bool) func(p *peer) {
		return func(p *peer) {
			var all []byte
			all = append(all, p.frame(false, 0, op, []byte("fragment1"))...)
			if withPing {
				all = append(all, p.frame(true, 0, opPing, []byte("pongme!"))...)
			}
			all = append(all, p.frame(true, 0, opCont, []byte("fragment2"))...)
			if err := p.sendChopped(all, chop, pauseEach); err != nil {
				p.t.Fatal(err)
			}
			if withPing {
				p.expectPong([]byte("pongme!"))
			}
			p.expectMessage(op, []byte("fragment1fragment2"))
			p.closeHandshake(1000, "")
		}
	}
	add("5.3", "text in 2 fragments", twoFrags(opText, 1<<20, 0, false))
	add("5.4", "text in 2 fragments, 1-byte TCP writes", twoFrags(opText, 1, 0, false))
	add("5.5", "text in 2 fragments, 1-byte TCP writes with pauses", twoFrags(opText, 1, pause, false))
	add("5.6", "text in 2 fragments with a ping between them", twoFrags(opText, 1<<20, 0, true))
	add("5.7", "same, 1-byte TCP writes", twoFrags(opText, 1, 0, true))
	add("5.8", "same, 1-byte TCP writes with pauses", twoFrags(opText, 1, pause, true))
	add("A.5.1", "binary in 2 fragments with a ping between them", twoFrags(opBinary, 1<<20, 0, true))
	contNoStart := func(fin bool, chop int) func(p *peer) {
		return func(p *peer) {
			all := p.frame(fin, 0, opCont, []byte("non-continuation payload"))
			all = append(all, p.frame(true, 0, opText, []byte("Hello, world!"))...)
			p.sendChopped(all, chop, 0)
			p.expectFail(1002)
		}
	}
	add("5.9", "continuation with FIN, no message in progress: 1002", contNoStart(true, 1<<20))
	add("5.10", "same, 1-byte TCP writes", contNoStart(true, 1))
	add("5.11", "same, 1-byte TCP writes with pauses", func(p *peer) {
		p.sendChopped(p.frame(true, 0, opCont, []byte("non-continuation payload")), 1, pause)
		p.expectFail(1002)
	})
	add("5.12", "continuation without FIN, no message in progress: 1002", contNoStart(false, 1<<20))
	add("5.13", "same, 1-byte TCP writes", contNoStart(false, 1))
	add("5.14", "same, 1-byte TCP writes with pauses", func(p *peer) {
		p.sendChopped(p.frame(false, 0, opCont, []byte("non-continuation payload")), 1, pause)
		p.expectFail(1002)
	})
	add("5.15", "a fragmented message, then a continuation with no start: echo, then 1002", func(p *peer) {
		p.sendFrame(false, 0, opText, []byte("fragment1"))
		p.sendFrame(true, 0, opCont, []byte("fragment2"))
		p.send(p.frame(false, 0, opCont, []byte("fragment3")))
		p.send(p.frame(true, 0, opText, []byte("fragment4")))
		p.expectMessage(opText, []byte("fragment1fragment2"))
		p.expectFail(1002)
	})
	add("5.16", "continuation, text without FIN, continuation: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(false, 0, opCont, []byte("fragment1")), p.frame(false, 0, opText, []byte("fragment2")), p.frame(true, 0, opCont, []byte("fragment3"))}
	}))
	add("5.17", "continuation with FIN, text without FIN, continuation: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 0, opCont, []byte("fragment1")), p.frame(false, 0, opText, []byte("fragment2")), p.frame(true, 0, opCont, []byte("fragment3"))}
	}))
	add("5.18", "text without FIN, then a new text frame: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(false, 0, opText, []byte("fragment1")), p.frame(true, 0, opText, []byte("fragment2"))}
	}))
	add("A.5.2", "binary without FIN, then a new binary frame: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(false, 0, opBinary, []byte("fragment1")), p.frame(true, 0, opBinary, []byte("fragment2"))}
	}))
	fiveFrags := func(chop int) func(p *peer) {
		return func(p *peer) {
			send := func(b []byte) {
				if err := p.sendChopped(b, chop, 0); err != nil {
					p.t.Fatal(err)
				}
			}
			send(p.frame(false, 0, opText, []byte("fragment1")))
			send(p.frame(false, 0, opCont, []byte("fragment2")))
			send(p.frame(true, 0, opPing, []byte("pongme 1!")))
			p.expectPong([]byte("pongme 1!")) // answered while the message is open
			time.Sleep(pause)
			send(p.frame(false, 0, opCont, []byte("fragment3")))
			send(p.frame(false, 0, opCont, []byte("fragment4")))
			send(p.frame(true, 0, opPing, []byte("pongme 2!")))
			p.expectPong([]byte("pongme 2!"))
			time.Sleep(pause)
			send(p.frame(true, 0, opCont, []byte("fragment5")))
			p.expectMessage(opText, []byte("fragment1fragment2fragment3fragment4fragment5"))
			p.closeHandshake(1000, "")
		}
	}
	add("5.19", "text in 5 fragments, pings between them, pauses", fiveFrags(1<<20))
	add("5.20", "same, 1-byte TCP writes", fiveFrags(1))
	add("A.5.3", "text in 100 fragments of 1 byte each, each after a ping", func(p *peer) {
		var all []byte
		want := textPattern(100)
		for i := range want {
			op := byte(opCont)
			if i == 0 {
				op = opText
			}
			all = append(all, p.frame(true, 0, opPing, []byte{byte(i)})...)
			all = append(all, p.frame(i == len(want)-1, 0, op, want[i:i+1])...)
		}
		p.mustSend(all)
		for i := range want {
			p.expectPong([]byte{byte(i)})
		}
		p.expectMessage(opText, want)
		p.closeHandshake(1000, "")
	})

	// 6.x: UTF-8 handling.
	cs = append(cs, utf8Cases()...)

	// 7.x: the closing handshake.
	add("7.1.1", "echo, then a clean close", echoCase(opText, []byte("Hello World"), 0))
	add("7.1.2", "two close frames: the second is ignored", func(p *peer) {
		p.mustSend(append(p.frame(true, 0, opClose, closePayload(1000, "")), p.frame(true, 0, opClose, closePayload(1000, ""))...))
		p.sentClos = true
		p.expectCloseFrame(1000)
		p.finishTCP()
		p.outcome = "clean"
	})
	afterClose := func(extra func(p *peer) []byte) func(p *peer) {
		return func(p *peer) {
			p.mustSend(append(p.frame(true, 0, opClose, closePayload(1000, "")), extra(p)...))
			p.sentClos = true
			p.expectCloseFrame(1000)
			p.finishTCP() // fails on any frame (pong, echo) after the close
			p.outcome = "clean"
		}
	}
	add("7.1.3", "close, then a ping: no pong", afterClose(func(p *peer) []byte { return p.frame(true, 0, opPing, []byte("ping")) }))
	add("7.1.4", "close, then a text message: not echoed", afterClose(func(p *peer) []byte { return p.frame(true, 0, opText, []byte("Hello")) }))
	add("7.1.5", "first fragment, close, last fragment: no message", func(p *peer) {
		p.mustSend(p.frame(false, 0, opText, []byte("fragment1")))
		p.mustSend(append(p.frame(true, 0, opClose, closePayload(1000, "")), p.frame(true, 0, opCont, []byte("fragment2"))...))
		p.sentClos = true
		p.expectCloseFrame(1000)
		p.finishTCP()
		p.outcome = "clean"
	})
	add("7.1.6", "256 KiB message, close, ping: echo or not, then close, no pong", func(p *peer) {
		big := textPattern(256 << 10)
		all := p.frame(true, 0, opText, big)
		all = append(all, p.frame(true, 0, opClose, closePayload(1000, ""))...)
		all = append(all, p.frame(true, 0, opPing, []byte("ping"))...)
		p.mustSend(all)
		p.sentClos = true
		op, msg, ctrl, err := p.readMessage(p.timeout)
		if err != nil {
			p.t.Fatal(err)
		}
		if ctrl == nil {
			if op != opText || !bytes.Equal(msg, big) {
				p.t.Fatalf("bad echo: op %#x, %s", op, describeDiff(msg, big))
			}
		}
		if ctrl == nil || ctrl.op != opClose {
			p.expectCloseFrame(1000)
		}
		p.finishTCP()
		p.outcome = "clean"
	})
	add("7.3.1", "empty close: answered with an empty close", func(p *peer) { p.closeHandshake(0, "") })
	add("7.3.2", "close with a 1-byte payload: 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 0, opClose, []byte{0x03})}
	}))
	add("7.3.3", "close 1000 without reason", func(p *peer) { p.closeHandshake(1000, "") })
	add("7.3.4", "close 1000 with a reason", func(p *peer) { p.closeHandshake(1000, "Hello World!") })
	add("7.3.5", "close with a 123-byte reason", func(p *peer) { p.closeHandshake(1000, strings.Repeat("*", 123)) })
	add("7.3.6", "close with a 124-byte reason (payload 126): 1002", failCase(1002, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 0, opClose, closePayload(1000, strings.Repeat("*", 124)))}
	}))
	add("7.5.1", "close reason that is not UTF-8: 1007", failCase(1007, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 0, opClose, closePayload(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64"))}
	}))
	add("A.7.1", "close reason split in the middle of a character: 1007", failCase(1007, func(p *peer) [][]byte {
		return [][]byte{p.frame(true, 0, opClose, closePayload(1000, "\xce\xba\xe1\xbd"))}
	}))
	valid := []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}
	for i, code := range valid {
		code := code
		add(fmt.Sprintf("7.7.%d", i+1), fmt.Sprintf("close with valid code %d: echoed", code), func(p *peer) { p.closeHandshake(code, "") })
	}
	for i, code := range []int{1012, 1013, 1014} {
		code := code
		add(fmt.Sprintf("A.7.2.%d", i+1), fmt.Sprintf("close with IANA-registered code %d: echoed", code), func(p *peer) { p.closeHandshake(code, "") })
	}
	invalid := []int{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999}
	for i, code := range invalid {
		code := code
		add(fmt.Sprintf("7.9.%d", i+1), fmt.Sprintf("close with invalid code %d: 1002", code), failCase(1002, func(p *peer) [][]byte {
			return [][]byte{p.frame(true, 0, opClose, closePayload(code, ""))}
		}))
	}
	for i, code := range []int{5000, 65535} {
		code := code
		add(fmt.Sprintf("7.13.%d", i+1), fmt.Sprintf("close with out-of-range code %d: 1002", code), failCase(1002, func(p *peer) [][]byte {
			return [][]byte{p.frame(true, 0, opClose, closePayload(code, ""))}
		}))
	}

	// Rules Autobahn does not test but issue #2 lists.
	cs = append(cs,
		confCase{id: "B.1", desc: "unmasked frame from a client: 1002", only: "server", run: failCase(1002, func(p *peer) [][]byte {
			return [][]byte{buildFrame(true, 0, opText, []byte("Hello"), false)}
		})},
		confCase{id: "B.2", desc: "masked frame from a server: 1002", only: "client", run: failCase(1002, func(p *peer) [][]byte {
			return [][]byte{buildFrame(true, 0, opText, []byte("Hello"), true)}
		})},
		confCase{id: "B.3", desc: "length 5 in the 16-bit form: 1002", run: failCase(1002, func(p *peer) [][]byte {
			f := p.frame(true, 0, opText, []byte("Hello"))
			return [][]byte{nonMinimal(f, 2)}
		})},
		confCase{id: "B.4", desc: "length 200 in the 64-bit form: 1002", run: failCase(1002, func(p *peer) [][]byte {
			f := p.frame(true, 0, opText, textPattern(200))
			return [][]byte{nonMinimal(f, 8)}
		})},
		confCase{id: "B.5", desc: "64-bit length with the top bit set: 1002", run: failCase(1002, func(p *peer) [][]byte {
			h := []byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 5}
			if p.client {
				h[1] |= 0x80
				h = append(h, 1, 2, 3, 4)
			}
			return [][]byte{h}
		})},
		confCase{id: "B.6", desc: "frame claiming 1 TiB: 1009 before any payload", run: failCase(1009, func(p *peer) [][]byte {
			h := []byte{0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0}
			if p.client {
				h[1] |= 0x80
				h = append(h, 1, 2, 3, 4)
			}
			return [][]byte{h}
		})},
		confCase{id: "B.7", desc: "text message in 1000 empty fragments and one byte", run: func(p *peer) {
			var all []byte
			all = append(all, p.frame(false, 0, opText, nil)...)
			for i := 0; i < 1000; i++ {
				all = append(all, p.frame(false, 0, opCont, nil)...)
			}
			all = append(all, p.frame(true, 0, opCont, []byte("x"))...)
			p.mustSend(all)
			p.expectMessage(opText, []byte("x"))
			p.closeHandshake(1000, "")
		}},
	)

	// 9.x: limits and performance.
	cs = append(cs, bigCases()...)

	// 10.1.1: a 64 KiB message auto-fragmented into 1300-byte frames.
	add("10.1.1", "65536-byte text message in 1300-byte frames", func(p *peer) {
		msg := textPattern(65536)
		p.mustSend(fragmentFrames(p, opText, msg, 1300))
		p.expectMessage(opText, msg)
		p.closeHandshake(1000, "")
	})
	return cs
}

// nonMinimal re-encodes the length of a frame with a 7-bit length in a
// longer form (2 or 8 extra bytes).
func nonMinimal(f []byte, ext int) []byte {
	n := int(f[1] & 0x7F)
	out := []byte{f[0], f[1] & 0x80}
	if ext == 2 {
		out[1] |= 126
		out = append(out, byte(n>>8), byte(n))
	} else {
		out[1] |= 127
		out = append(out, 0, 0, 0, 0, 0, 0, byte(n>>8), byte(n))
	}
	return append(out, f[2:]...)
}

// fragmentFrames encodes msg as a message in frames of size bytes.
func fragmentFrames(p *peer, op byte, msg []byte, size int) []byte {
	var all []byte
	first := true
	for len(msg) > 0 || first {
		n := min(size, len(msg))
		o := byte(opCont)
		if first {
			o = op
		}
		all = append(all, p.frame(n == len(msg), 0, o, msg[:n])...)
		msg, first = msg[n:], false
	}
	return all
}

func bigCases() []confCase {
	var cs []confCase
	add := func(id, desc string, run func(p *peer)) {
		cs = append(cs, confCase{id: id, desc: desc, run: run, big: true, timeout: 60 * time.Second})
	}
	sizes := []int{64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20}
	for i, n := range sizes {
		n := n
		add(fmt.Sprintf("9.1.%d", i+1), fmt.Sprintf("text message of %d bytes", n), echoCase(opText, textPattern(n), 0))
		add(fmt.Sprintf("9.2.%d", i+1), fmt.Sprintf("binary message of %d bytes", n), echoCase(opBinary, pattern(n, 0xfe), 0))
	}
	frames := []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20}
	for i, size := range frames {
		size := size
		for _, g := range []struct {
			id string
			op byte
		}{{"9.3", opText}, {"9.4", opBinary}} {
			g := g
			add(fmt.Sprintf("%s.%d", g.id, i+1), fmt.Sprintf("4 MiB message in %d-byte frames", size), func(p *peer) {
				msg := textPattern(4 << 20)
				p.mustSend(fragmentFrames(p, g.op, msg, size))
				p.expectMessage(g.op, msg)
				p.closeHandshake(1000, "")
			})
		}
	}
	add("B.8", "message growing past the 32 MiB default limit in 1 MiB fragments: 1009", func(p *peer) {
		chunk := pattern(1<<20, 3)
		for i := 0; i < 33; i++ {
			op := byte(opCont)
			if i == 0 {
				op = opBinary
			}
			if p.send(p.frame(false, 0, op, chunk)) != nil {
				break
			}
		}
		p.expectFail(1009)
	})
	for i, chop := range []int{64, 128, 256, 512, 1024, 2048} {
		add(fmt.Sprintf("9.5.%d", i+1), fmt.Sprintf("1 MiB text message in %d-byte TCP writes", chop), echoCase(opText, textPattern(1<<20), chop))
		add(fmt.Sprintf("9.6.%d", i+1), fmt.Sprintf("1 MiB binary message in %d-byte TCP writes", chop), echoCase(opBinary, pattern(1<<20, 1), chop))
	}
	for i, size := range []int{0, 16, 64, 256, 1 << 10, 4 << 10} {
		size := size
		for _, g := range []struct {
			id string
			op byte
		}{{"9.7", opText}, {"9.8", opBinary}} {
			g := g
			add(fmt.Sprintf("%s.%d", g.id, i+1), fmt.Sprintf("1000 messages of %d bytes, one at a time", size), func(p *peer) {
				msg := textPattern(size)
				for j := 0; j < 1000; j++ {
					p.sendFrame(true, 0, g.op, msg)
					p.expectMessage(g.op, msg)
				}
				p.closeHandshake(1000, "")
			})
		}
	}
	return cs
}

// utf8Vector is a byte string to send as a text message.
type utf8Vector struct {
	name string
	b    []byte
}

// utf8Vectors lists the test strings of Autobahn's 6.x cases (after
// Markus Kuhn's UTF-8 decoder stress test) plus a matrix of every lead
// byte with the boundary values of the second byte. Whether each is valid
// is decided by the Go standard library, not by protocol/.
func utf8Vectors() []utf8Vector {
	var vs []utf8Vector
	add := func(name string, s string) { vs = append(vs, utf8Vector{name, []byte(s)}) }
	add("hello", "Hello-µ@ßöäüàá-UTF-8!!")
	add("kosme", "κόσμε")
	add("kosme-surrogate", "κόσμε\xed\xa0\x80edited")
	add("first-1", "\x00")
	add("first-2", "\xc2\x80")
	add("first-3", "\xe0\xa0\x80")
	add("first-4", "\xf0\x90\x80\x80")
	add("first-5", "\xf8\x88\x80\x80\x80")
	add("first-6", "\xfc\x84\x80\x80\x80\x80")
	add("last-1", "\x7f")
	add("last-2", "\xdf\xbf")
	add("last-3", "\xef\xbf\xbf")
	add("last-4", "\xf7\xbf\xbf\xbf")
	add("last-5", "\xfb\xbf\xbf\xbf\xbf")
	add("last-6", "\xfd\xbf\xbf\xbf\xbf\xbf")
	add("bound-d7ff", "\xed\x9f\xbf")
	add("bound-e000", "\xee\x80\x80")
	add("bound-fffd", "\xef\xbf\xbd")
	add("bound-10ffff", "\xf4\x8f\xbf\xbf")
	add("bound-110000", "\xf4\x90\x80\x80")
	add("cont-80", "\x80")
	add("cont-bf", "\xbf")
	add("cont-80bf", "\x80\xbf")
	add("cont-80bf80", "\x80\xbf\x80")
	add("cont-80bf80bf", "\x80\xbf\x80\xbf")
	add("cont-all", func() string {
		var b []byte
		for c := 0x80; c <= 0xbf; c++ {
			b = append(b, byte(c))
		}
		return string(b)
	}())
	for _, r := range [][2]int{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}} {
		var b []byte
		for c := r[0]; c <= r[1]; c++ {
			b = append(b, byte(c), ' ')
		}
		add(fmt.Sprintf("lonely-%x-%x", r[0], r[1]), string(b))
	}
	missing := []string{"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
		"\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"}
	for i, s := range missing {
		add(fmt.Sprintf("missing-last-%d", i+1), s)
	}
	add("missing-concat", strings.Join(missing, ""))
	add("impossible-fe", "\xfe")
	add("impossible-ff", "\xff")
	add("impossible-fefeffff", "\xfe\xfe\xff\xff")
	for i, s := range []string{"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf", "\xfc\x80\x80\x80\x80\xaf"} {
		add(fmt.Sprintf("overlong-slash-%d", i+1), s)
	}
	for i, s := range []string{"\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf8\x87\xbf\xbf\xbf", "\xfc\x83\xbf\xbf\xbf\xbf"} {
		add(fmt.Sprintf("overlong-max-%d", i+1), s)
	}
	for i, s := range []string{"\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80", "\xfc\x80\x80\x80\x80\x80"} {
		add(fmt.Sprintf("overlong-nul-%d", i+1), s)
	}
	for i, s := range []string{"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf"} {
		add(fmt.Sprintf("surrogate-%d", i+1), s)
	}
	for i, s := range []string{"\xed\xa0\x80\xed\xb0\x80", "\xed\xa0\x80\xed\xbf\xbf", "\xed\xad\xbf\xed\xb0\x80", "\xed\xad\xbf\xed\xbf\xbf",
		"\xed\xae\x80\xed\xb0\x80", "\xed\xae\x80\xed\xbf\xbf", "\xed\xaf\xbf\xed\xb0\x80", "\xed\xaf\xbf\xed\xbf\xbf"} {
		add(fmt.Sprintf("surrogate-pair-%d", i+1), s)
	}
	for i, s := range []string{"\xef\xbf\xbe", "\xef\xbf\xbf", "\xef\xb7\x90", "\xef\xb7\xaf", "\xf0\x9f\xbf\xbe", "\xf3\xbf\xbf\xbf", "\xf4\x8f\xbf\xbe"} {
		add(fmt.Sprintf("noncharacter-%d", i+1), s)
	}
	add("emoji", "wsanatomy \U0001F600 \u00e9\u4e2d\u6587 \U0010FFFF end")
	// Every lead byte against the boundaries of the second byte's ranges.
	for lead := 0xc0; lead <= 0xff; lead++ {
		for _, second := range []byte{0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0} {
			b := []byte{byte(lead), second}
			for len(b) < seqLenOf(byte(lead)) {
				b = append(b, 0x80)
			}
			vs = append(vs, utf8Vector{fmt.Sprintf("matrix-%02x-%02x", lead, second), append(b, 'z')})
		}
	}
	return vs
}

// seqLenOf is the length a lead byte announces, by its high bits only.
func seqLenOf(b byte) int {
	switch {
	case b >= 0xf0:
		return 4
	case b >= 0xe0:
		return 3
	}
	return 2
}

// completable reports whether p is a prefix of some valid UTF-8 string:
// either valid already, or made valid by appending at most 3 bytes. The
// candidates cover the edges of every continuation range of Unicode's
// Table 3-7.
func completable(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	cands := []byte{0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf}
	var try func(q []byte, left int) bool
	try = func(q []byte, left int) bool {
		if utf8.Valid(q) {
			return true
		}
		if left == 0 {
			return false
		}
		for _, c := range cands {
			if try(append(q[:len(q):len(q)], c), left-1) {
				return true
			}
		}
		return false
	}
	return try(p, 3)
}

// firstBad returns the index of the first byte after which p can no
// longer become valid UTF-8, or -1 if there is none.
func firstBad(p []byte) int {
	for k := range p {
		if !completable(p[:k+1]) {
			return k
		}
	}
	return -1
}

func utf8Cases() []confCase {
	var cs []confCase
	vs := utf8Vectors()
	var valid, invalid []utf8Vector
	for _, v := range vs {
		if utf8.Valid(v.b) {
			valid = append(valid, v)
		} else {
			invalid = append(invalid, v)
		}
	}
	// The delivery variants. Each returns the bytes of one text message.
	type variant struct {
		id    string
		desc  string
		build func(p *peer, b []byte) [][]byte // writes to make, in order
	}
	variants := []variant{
		{"1", "one frame", func(p *peer, b []byte) [][]byte { return [][]byte{p.frame(true, 0, opText, b)} }},
		{"2", "1-byte frames", func(p *peer, b []byte) [][]byte { return [][]byte{fragmentFrames(p, opText, b, 1)} }},
		{"3", "one frame in 1-byte TCP writes", func(p *peer, b []byte) [][]byte {
			f := p.frame(true, 0, opText, b)
			var w [][]byte
			for i := range f {
				w = append(w, f[i:i+1])
			}
			return w
		}},
	}
	// Valid strings: all on one connection per variant, each echoed.
	for _, vr := range variants {
		vr := vr
		cs = append(cs, confCase{id: "6.V." + vr.id, desc: "every valid string, " + vr.desc, run: func(p *peer) {
			for _, v := range valid {
				for _, w := range vr.build(p, v.b) {
					p.mustSend(w)
				}
				gotOp, got, ctrl, err := p.readMessage(p.timeout)
				if err != nil || ctrl != nil || gotOp != opText || !bytes.Equal(got, v.b) {
					p.t.Fatalf("valid string %s (% x): got op %#x %q, ctrl %v, err %v", v.name, v.b, gotOp, got, ctrl, err)
				}
			}
			p.closeHandshake(1000, "")
		}})
	}
	cs = append(cs, confCase{id: "6.V.4", desc: "every valid string split into 2 frames at every position", run: func(p *peer) {
		for _, v := range valid {
			for k := 0; k <= len(v.b); k++ {
				p.mustSend(append(p.frame(false, 0, opText, v.b[:k]), p.frame(true, 0, opCont, v.b[k:])...))
				gotOp, got, ctrl, err := p.readMessage(p.timeout)
				if err != nil || ctrl != nil || gotOp != opText || !bytes.Equal(got, v.b) {
					p.t.Fatalf("valid string %s split at %d: got op %#x %q, ctrl %v, err %v", v.name, k, gotOp, got, ctrl, err)
				}
			}
		}
		p.closeHandshake(1000, "")
	}})
	// Invalid strings: one connection each per variant.
	for _, v := range invalid {
		v := v
		for _, vr := range variants {
			vr := vr
			cs = append(cs, confCase{id: "6.I." + vr.id + "." + v.name, desc: fmt.Sprintf("invalid % x, %s: 1007", v.b, vr.desc), run: func(p *peer) {
				for _, w := range vr.build(p, v.b) {
					if p.send(w) != nil {
						break
					}
				}
				p.expectFail(1007)
			}})
		}
		// Every split position into two frames, for the named strings (the
		// matrix strings are covered by the 1-byte frames variant).
		if !strings.HasPrefix(v.name, "matrix-") {
			for k := 1; k < len(v.b); k++ {
				k := k
				cs = append(cs, confCase{id: fmt.Sprintf("6.I.4.%s.%d", v.name, k), desc: fmt.Sprintf("invalid % x split into 2 frames at %d: 1007", v.b, k), run: func(p *peer) {
					p.send(append(p.frame(false, 0, opText, v.b[:k]), p.frame(true, 0, opCont, v.b[k:])...))
					p.expectFail(1007)
				}})
			}
		}
		// Fail fast (6.4.x): the close must come as soon as the first
		// impossible byte arrives, before the rest of the frame is sent.
		payload := append(append([]byte(nil), v.b...), "edited"...)
		k := firstBad(payload)
		if k < 0 || k == len(payload)-1 {
			continue
		}
		cs = append(cs, confCase{id: "6.F." + v.name, desc: fmt.Sprintf("fail fast: % x, close before the rest of the frame", payload[:k+1]), run: func(p *peer) {
			f := p.frame(true, 0, opText, payload)
			cut := len(f) - len(payload) + k
			p.mustSend(f[:cut])
			time.Sleep(time.Millisecond)
			p.mustSend(f[cut : cut+1])
			p.expectCloseFrame(1007)
			p.send(f[cut+1:]) // too late now, and allowed to fail
			p.expectFail2()
		}})
	}
	// Autobahn's 6.4.1 to 6.4.4 as written.
	part1, part2, part3 := []byte("κόσμε"), []byte("\xf4\x90\x80\x80"), []byte("edited")
	cs = append(cs,
		confCase{id: "6.4.1", desc: "fail fast: invalid second fragment, close before the third", run: func(p *peer) {
			p.sendFrame(false, 0, opText, part1)
			time.Sleep(pause)
			p.sendFrame(false, 0, opCont, part2)
			p.expectCloseFrame(1007)
			p.send(p.frame(true, 0, opCont, part3))
			p.expectFail2()
		}},
		confCase{id: "6.4.2", desc: "fail fast: the invalid byte starts the third fragment", run: func(p *peer) {
			p.sendFrame(false, 0, opText, part1)
			p.sendFrame(false, 0, opCont, []byte{0xf4})
			p.expectNothing(20 * time.Millisecond) // 0xf4 can still start a character
			p.sendFrame(false, 0, opCont, []byte("\x90\x80\x80"))
			p.expectCloseFrame(1007)
			p.send(p.frame(true, 0, opCont, part3))
			p.expectFail2()
		}},
		confCase{id: "6.4.3", desc: "fail fast inside one frame: close before the rest of the frame", run: func(p *peer) {
			payload := append(append(append([]byte(nil), part1...), part2...), part3...)
			f := p.frame(true, 0, opText, payload)
			hl := len(f) - len(payload)
			p.mustSend(f[:hl+len(part1)])
			time.Sleep(pause)
			p.mustSend(f[hl+len(part1) : hl+len(part1)+len(part2)])
			p.expectCloseFrame(1007)
			p.send(f[hl+len(part1)+len(part2):])
			p.expectFail2()
		}},
		confCase{id: "6.4.4", desc: "fail fast inside one frame, at the second byte of a character", run: func(p *peer) {
			payload := append(append(append([]byte(nil), part1...), part2...), part3...)
			f := p.frame(true, 0, opText, payload)
			hl := len(f) - len(payload)
			p.mustSend(f[:hl+len(part1)+1])
			p.expectNothing(20 * time.Millisecond)
			p.mustSend(f[hl+len(part1)+1 : hl+len(part1)+2])
			p.expectCloseFrame(1007)
			p.send(f[hl+len(part1)+2:])
			p.expectFail2()
		}},
	)
	return cs
}

// expectFail2 finishes a failed connection whose close frame (1007) was
// already read.
func (p *peer) expectFail2() {
	p.t.Helper()
	p.failCode = 1007
	if !p.sentClos {
		p.send(p.frame(true, 0, opClose, closePayload(1007, "")))
		p.sentClos = true
	}
	p.finishTCP()
	p.outcome = "fail"
}
