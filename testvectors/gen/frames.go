package main

import (
	"fmt"
)

// framesFile: one frame each, decoded and judged against the receiver's
// role and state. Expected errors, and how firmly RFC 6455 asks the
// receiver for them:
//
//	RSV bit set, no extension          MUST fail    §5.2  the receiving endpoint MUST _Fail_
//	reserved opcode 0x3-0x7, 0xB-0xF   MUST fail    §5.2  "If an unknown opcode is received ..."
//	client frame not masked            MUST close   §5.1  "The server MUST close the connection ..."; 1002 is a MAY
//	server frame masked                MUST close   §5.1  "A client MUST close a connection ..."; 1002 is a MAY
//	over the receiver's size limit     MUST         §10.4 "MUST protect themselves"; 1009 (§7.4.1)
//	64-bit length with top bit set     wsanatomy    §5.2  "the most significant bit MUST be 0": the sender's rule
//	length not in minimal form         wsanatomy    §5.2  "the minimal number of bytes MUST be used": the sender's rule
//	control frame, FIN clear           wsanatomy    §5.5  "MUST NOT be fragmented": the sender's rule
//	control frame payload > 125        wsanatomy    §5.5  "125 bytes or less": the sender's rule
//	continuation, no message           wsanatomy    §5.4  how fragments are built: the sender's rule
//	text/binary inside a message       wsanatomy    §5.4  "MUST NOT be interleaved": the sender's rule
//
// For the sender's rules RFC 6455 says nothing of the receiver beyond
// §10.7 (validate, and "MAY drop the TCP connection"); failing with 1002 is
// wsanatomy's choice, as it is Autobahn's. The close code of a failure is
// a SHOULD everywhere (§7.1.7, "an appropriate status code").
func framesFile() file {
	f := file{Group: "frames", Description: "Single frames: decoded header fields, or the close code and section of the rule they break"}
	add := func(id, desc, section, level, rule string, in obj, exp obj, allowed ...obj) {
		f.Vectors = append(f.Vectors, vector{id, desc, section, level, rule, in, exp, allowed})
	}
	input := func(receiver string, bytes any, extra ...kv) obj {
		return append(obj{{"receiver", receiver}, {"bytes", bytes}}, extra...)
	}

	// Length boundaries of §5.2, both directions, payload included.
	unit := []byte("WS-6")
	for _, n := range []int{0, 1, 125, 126, 127, 65535, 65536} {
		for _, r := range receivers {
			payload := make([]byte, n)
			for i := range payload {
				payload[i] = unit[i%4]
			}
			fr := frame{Fin: true, Opcode: 0x2, Key: keyFor(r), Payload: payload}
			form := map[bool]string{true: "7-bit", false: "16-bit"}[n <= 125]
			if n > 0xFFFF {
				form = "64-bit"
			}
			id := fmt.Sprintf("frames-length-%d-to-%s", n, r)
			desc := fmt.Sprintf("Binary frame of %d bytes in the %s length form, %s, received by a %s", n, form, maskWord(fr), r)
			var bytesField any = fr.wire()
			exp := frameExp(fr, n <= 127)
			if n > 127 {
				// Long payloads are written as a repeat: the masked
				// payload repeats with period 4 like the plain one.
				masked := fr.masked()
				bytesField = append([]any{hx(fr.header())}, repeated(masked[:4], n)...)
				e := exp[0].v.(obj)
				exp = obj{{"frame", append(e, kv{"payload", repeated(unit, n)})}}
			}
			add(id, desc, "5.2", levelMust, qLength, input(r, bytesField), exp)
		}
	}

	// Lengths in a longer form than needed: §5.2 "the minimal number of
	// bytes MUST be used to encode the length".
	for _, c := range []struct {
		n    int
		form int
	}{{0, 16}, {5, 16}, {125, 16}, {0, 64}, {125, 64}, {126, 64}, {65535, 64}} {
		for _, r := range receivers {
			fr := frame{Fin: true, Opcode: 0x2, Key: keyFor(r), Payload: make([]byte, c.n), Form: c.form}
			id := fmt.Sprintf("frames-nonminimal-%d-in-%dbit-to-%s", c.n, c.form, r)
			desc := fmt.Sprintf("Length %d written in the %d-bit extended form, which is not minimal, received by a %s", c.n, c.form, r)
			add(id, desc, "5.2", levelWsanatomy, qMinimal, input(r, []any{hx(fr.header()), obj{{"repeat", "00"}, {"count", c.n}}}), protocolError("5.2"))
		}
	}

	// Header-only length claims: the receiver judges the header before it
	// reserves anything for the payload.
	// §10.4 lets an implementation with a platform limit smaller than the
	// claim refuse it as too big, with 1009, instead of waiting for it.
	tooBig := errorExp(1009, levelShould, "10.4")
	msbSet := errorExp([]int{1002, 1009}, levelShould, "5.2")
	claims := []struct {
		id, desc     string
		length       uint64
		limit        *int64
		exp          obj
		section      string
		level, rule  string
		alternatives []obj
	}{
		{"frames-claim-2pow63-minus-1-over-limit", "Header alone claiming 2^63-1 bytes with a 16 MiB message limit: refused before any payload is read or allocated", 1<<63 - 1, ptr(16 << 20), tooBig, "10.4", levelMust, qLimit, nil},
		{"frames-claim-2pow63-minus-1-no-limit", "Header alone claiming 2^63-1 bytes with no limit: a legal length, so the receiver waits for the payload (or refuses it as too big for its platform)", 1<<63 - 1, nil, obj{{"incomplete", true}}, "5.2", levelMust, qLimit, []obj{tooBig}},
		{"frames-claim-2pow63-msb-set", "Header claiming 2^63 bytes: the sender broke the rule that the top bit of the 64-bit length is 0", 1 << 63, nil, msbSet, "5.2", levelWsanatomy, qLength, nil},
		{"frames-claim-2pow64-minus-1-msb-set", "Header claiming 2^64-1 bytes: the sender broke the rule that the top bit of the 64-bit length is 0", 1<<64 - 1, nil, msbSet, "5.2", levelWsanatomy, qLength, nil},
		{"frames-claim-2pow63-msb-set-with-limit", "Header claiming 2^63 bytes with a limit: wsanatomy calls it a malformed length, not merely a big one", 1 << 63, ptr(16 << 20), msbSet, "5.2", levelWsanatomy, qLength, nil},
		{"frames-claim-65536-no-payload", "Header claiming 65536 bytes with none present: the frame is incomplete, not wrong", 65536, nil, obj{{"incomplete", true}}, "5.2", levelMust, qLength, nil},
		{"frames-claim-limit-plus-one", "Frame of 1025 bytes against a limit of 1024: refused as too big from its header", 1025, ptr(1024), tooBig, "10.4", levelMust, qLimit, nil},
	}
	for _, c := range claims {
		fr := frame{Fin: true, Opcode: 0x2, Length: u64(c.length)}
		in := input("client", hx(fr.header()))
		if c.limit != nil {
			in = append(in, kv{"message_limit", *c.limit})
		}
		add(c.id, c.desc, c.section, c.level, c.rule, in, c.exp, c.alternatives...)
	}
	{
		fr := frame{Fin: true, Opcode: 0x2, Payload: make([]byte, 1024)}
		add("frames-at-limit", "Frame of exactly 1024 bytes against a limit of 1024: accepted", "10.4", levelMust, qLimit,
			input("client", append([]any{hx(fr.header())}, repeated([]byte{0}, 1024)...), kv{"message_limit", 1024}),
			frameExp(frame{Fin: true, Opcode: 0x2, Payload: make([]byte, 1024)}, false))
	}

	// Truncated input: decoding must ask for more bytes, not fail.
	for _, c := range []struct{ id, hex, desc string }{
		{"frames-truncated-empty", "", "No bytes at all"},
		{"frames-truncated-1-byte", "81", "Only the first header byte"},
		{"frames-truncated-16bit-length", "82 7e 01", "16-bit extended length cut after one of its two bytes"},
		{"frames-truncated-64bit-length", "82 7f 00 00 00 00", "64-bit extended length cut after four of its eight bytes"},
		{"frames-truncated-payload", "81 05 48 65 6c", "Payload of 5 announced, 3 present"},
	} {
		add(c.id, c.desc+": incomplete, the receiver waits for more", "5.2", levelMust, qLength, input("client", c.hex), obj{{"incomplete", true}})
	}
	for _, c := range []struct{ id, hex, desc string }{
		{"frames-truncated-mask-key", "81 85 37 fa", "Masking key cut after two of its four bytes"},
		{"frames-truncated-masked-payload", "81 85 37 fa 21 3d 7f 9f", "Masked payload of 5 announced, 2 present"},
	} {
		add(c.id, c.desc+": incomplete, the receiver waits for more", "5.2", levelMust, qLength, input("server", c.hex), obj{{"incomplete", true}})
	}

	// Every opcode, as a single complete frame, in both directions.
	for op := byte(0); op < 16; op++ {
		for _, r := range receivers {
			payload := []byte("op")
			if op == 0x8 {
				payload = []byte{0x03, 0xe8} // a valid close body: 1000
			}
			fr := frame{Fin: true, Opcode: op, Key: keyFor(r), Payload: payload}
			id := fmt.Sprintf("frames-opcode-%X-to-%s", op, r)
			desc := fmt.Sprintf("Opcode 0x%X (%s) in a final frame, no message in progress, received by a %s", op, opName(op), r)
			var exp obj
			section, level, rule := "5.2", levelMust, qUnfragmented
			switch {
			case reservedOp(op):
				exp, rule = protocolError("5.2"), qOpcode
			case op == 0x0:
				exp, section, level, rule = protocolError("5.4"), "5.4", levelWsanatomy, qFragmented
			case op >= 0x8:
				exp, rule = frameExp(fr, true), qControlOps
			default:
				exp = frameExp(fr, true)
			}
			add(id, desc, section, level, rule, input(r, fr.wire()), exp)
		}
	}

	// Opcodes while a fragmented message is in progress.
	for _, op := range []byte{0x0, 0x1, 0x2, 0x8, 0x9, 0xA, 0x3, 0xB} {
		for _, r := range receivers {
			payload := []byte("in")
			if op == 0x8 {
				payload = []byte{0x03, 0xe8}
			}
			fr := frame{Fin: true, Opcode: op, Key: keyFor(r), Payload: payload}
			id := fmt.Sprintf("frames-in-message-opcode-%X-to-%s", op, r)
			desc := fmt.Sprintf("Opcode 0x%X (%s) while a fragmented message is in progress, received by a %s", op, opName(op), r)
			exp, section, level, rule := frameExp(fr, true), "5.4", levelMust, qFragmented
			switch {
			case reservedOp(op):
				exp, section, rule = protocolError("5.2"), "5.2", qOpcode
			case op == 0x1 || op == 0x2:
				exp, level, rule = protocolError("5.4"), levelWsanatomy, qInterleave
			case op >= 0x8:
				section, rule = "5.5", qControlBetween // control frames may be injected between fragments
			}
			add(id, desc, section, level, rule, input(r, fr.wire(), kv{"in_message", true}), exp)
		}
	}

	// Every combination of reserved bits, on data and control frames.
	for rsv := byte(1); rsv < 8; rsv++ {
		bits := rsv << 4 // RSV1 is 0x40, RSV2 0x20, RSV3 0x10
		for _, op := range []byte{0x1, 0x9} {
			for _, r := range receivers {
				fr := frame{Fin: true, Rsv: bits, Opcode: op, Key: keyFor(r), Payload: []byte("rsv")}
				id := fmt.Sprintf("frames-rsv-%s-%s-to-%s", rsvName(bits), opName(op), r)
				desc := fmt.Sprintf("%s frame with %s set and no extension negotiated, received by a %s", opName(op), rsvLong(bits), r)
				add(id, desc, "5.2", levelMust, qRSV, input(r, fr.wire()), protocolError("5.2"))
			}
		}
	}

	// Masking in both roles (§5.1, §5.3).
	for _, op := range []byte{0x1, 0x2, 0x0, 0x9, 0xA, 0x8} {
		payload := []byte("mask")
		if op == 0x8 {
			payload = []byte{0x03, 0xe8}
		}
		extra := obj{}
		if op == 0x0 {
			extra = obj{{"in_message", true}}
		}
		plain := frame{Fin: true, Opcode: op, Payload: payload}
		masked := frame{Fin: true, Opcode: op, Key: rfcKey, Payload: payload}
		add(fmt.Sprintf("frames-unmasked-%s-to-server", opName(op)),
			fmt.Sprintf("Unmasked %s frame from a client: a server must close the connection", opName(op)), "5.1", levelMust, qUnmasked,
			input("server", plain.wire(), extra...), maskingError())
		add(fmt.Sprintf("frames-masked-%s-to-client", opName(op)),
			fmt.Sprintf("Masked %s frame from a server: a client must close the connection", opName(op)), "5.1", levelMust, qMasked,
			input("client", masked.wire(), extra...), maskingError())
		add(fmt.Sprintf("frames-masked-%s-to-server", opName(op)),
			fmt.Sprintf("Masked %s frame from a client, unmasked with key 37 fa 21 3d", opName(op)), "5.3", levelMust, qUnmask,
			input("server", masked.wire(), extra...), frameExp(masked, true))
		add(fmt.Sprintf("frames-unmasked-%s-to-client", opName(op)),
			fmt.Sprintf("Unmasked %s frame from a server: accepted by a client", opName(op)), "5.1", levelMust, qServerNoMask,
			input("client", plain.wire(), extra...), frameExp(plain, true))
	}
	for _, c := range []struct {
		name string
		key  []byte
	}{{"zero", zeroKey}, {"ones", onesKey}} {
		fr := frame{Fin: true, Opcode: 0x1, Key: c.key, Payload: []byte("Hello, masking key")}
		add("frames-mask-key-"+c.name, fmt.Sprintf("Text frame masked with key %x: any 32-bit value is a valid key", c.key), "5.3", levelMust, qUnmask,
			input("server", fr.wire()), frameExp(fr, true))
	}
	{
		// A payload whose length is not a multiple of 4 ends mid-key.
		fr := frame{Fin: true, Opcode: 0x2, Key: []byte{0x01, 0x02, 0x04, 0x08}, Payload: []byte{0, 1, 2, 3, 4, 5, 6}}
		add("frames-mask-partial-key-cycle", "Seven-byte payload: the key wraps once and stops after three of its bytes", "5.3", levelMust, qUnmask,
			input("server", fr.wire()), frameExp(fr, true))
	}

	// Control frame rules (§5.5).
	for _, op := range []byte{0x8, 0x9, 0xA} {
		for _, r := range receivers {
			body := func(n int) []byte {
				b := make([]byte, n)
				for i := range b {
					b[i] = 'a' + byte(i%26)
				}
				if op == 0x8 && n >= 2 {
					b[0], b[1] = 0x03, 0xe8
				}
				return b
			}
			ok := frame{Fin: true, Opcode: op, Key: keyFor(r), Payload: body(125)}
			add(fmt.Sprintf("frames-control-%s-125-to-%s", opName(op), r),
				fmt.Sprintf("%s frame with a 125-byte payload, the most a control frame may carry, received by a %s", opName(op), r), "5.5", levelMust, qControl,
				input(r, ok.wire()), frameExp(ok, true))
			big := frame{Fin: true, Opcode: op, Key: keyFor(r), Payload: body(126)}
			add(fmt.Sprintf("frames-control-%s-126-to-%s", opName(op), r),
				fmt.Sprintf("%s frame with a 126-byte payload: the sender broke the control frame limit of 125", opName(op)), "5.5", levelWsanatomy, qControl,
				input(r, big.wire()), protocolError("5.5"))
			frag := frame{Fin: false, Opcode: op, Key: keyFor(r), Payload: body(2)}
			add(fmt.Sprintf("frames-control-%s-fin-clear-to-%s", opName(op), r),
				fmt.Sprintf("%s frame with FIN clear: the sender fragmented a control frame", opName(op)), "5.5", levelWsanatomy, qControl,
				input(r, frag.wire()), protocolError("5.5"))
			empty := frame{Fin: true, Opcode: op, Key: keyFor(r)}
			add(fmt.Sprintf("frames-control-%s-empty-to-%s", opName(op), r),
				fmt.Sprintf("%s frame with an empty payload, received by a %s", opName(op), r), "5.5", levelMust, qControl,
				input(r, empty.wire()), frameExp(empty, true))
		}
	}
	{
		fr := frame{Fin: true, Opcode: 0x9, Payload: make([]byte, 65536)}
		add("frames-control-ping-64k", "Ping frame claiming 65536 bytes in the 64-bit form: the sender broke the control frame limit, refused from its header", "5.5", levelWsanatomy, qControl,
			input("client", hx(fr.header())), protocolError("5.5"))
	}

	// Data frames: FIN clear starts a message; empty frames are fine.
	for _, r := range receivers {
		for _, c := range []struct {
			name string
			fr   frame
			desc string
		}{
			{"text-fin-clear", frame{Opcode: 0x1, Payload: []byte("start")}, "Text frame with FIN clear: the first fragment of a message"},
			{"binary-fin-clear", frame{Opcode: 0x2, Payload: []byte{0, 1, 2}}, "Binary frame with FIN clear: the first fragment of a message"},
			{"text-empty", frame{Fin: true, Opcode: 0x1}, "Empty text frame with FIN set: an empty message"},
			{"binary-empty", frame{Fin: true, Opcode: 0x2}, "Empty binary frame with FIN set: an empty message"},
		} {
			c.fr.Key = keyFor(r)
			add(fmt.Sprintf("frames-%s-to-%s", c.name, r), c.desc+", received by a "+r, "5.4", levelMust, qFragmented,
				input(r, c.fr.wire()), frameExp(c.fr, true))
		}
		cont := frame{Opcode: 0x0, Key: keyFor(r), Payload: []byte("middle")}
		add("frames-continuation-fin-clear-in-message-to-"+r, "Continuation frame with FIN clear in a message: a middle fragment, received by a "+r, "5.4", levelMust, qFragmented,
			input(r, cont.wire(), kv{"in_message", true}), frameExp(cont, true))
		add("frames-continuation-fin-clear-no-message-to-"+r, "Continuation frame with FIN clear and no message in progress, received by a "+r, "5.4", levelWsanatomy, qFragmented,
			input(r, cont.wire()), protocolError("5.4"))
	}
	return f
}

func ptr(v int64) *int64 { return &v }

func reservedOp(op byte) bool { return (op >= 0x3 && op <= 0x7) || op >= 0xB }

func opName(op byte) string {
	switch op {
	case 0x0:
		return "continuation"
	case 0x1:
		return "text"
	case 0x2:
		return "binary"
	case 0x8:
		return "close"
	case 0x9:
		return "ping"
	case 0xA:
		return "pong"
	}
	if op >= 0x8 {
		return fmt.Sprintf("reserved-control-%X", op)
	}
	return fmt.Sprintf("reserved-data-%X", op)
}

func rsvName(bits byte) string {
	s := ""
	for i, m := range []byte{0x40, 0x20, 0x10} {
		if bits&m != 0 {
			s += fmt.Sprint(i + 1)
		}
	}
	return s
}

func rsvLong(bits byte) string {
	var names []string
	for i, m := range []byte{0x40, 0x20, 0x10} {
		if bits&m != 0 {
			names = append(names, fmt.Sprintf("RSV%d", i+1))
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	s := names[0]
	for _, n := range names[1 : len(names)-1] {
		s += ", " + n
	}
	return s + " and " + names[len(names)-1]
}

func maskWord(f frame) string {
	if f.Key != nil {
		return "masked"
	}
	return "unmasked"
}
