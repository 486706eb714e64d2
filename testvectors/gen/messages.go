package main

import "fmt"

// messagesFile: sequences of frames, each a separate read, to the messages a
// receiver delivers, how reading ends, and the control frames it sends back.
//
// How reading ends, by the RFC:
//   - the input stops without a close frame: "eof" (no error or closed);
//   - a close frame: "closed" with its code (1005 when it has none, §7.1.5);
//     the receiver MUST answer with a close frame, which "typically" echoes
//     the code (§5.5.1), so the echoed code is wsanatomy's choice;
//   - a broken rule: "error"; the receiver SHOULD send a close frame with
//     an appropriate code (§7.1.7).
//
// levelOf gives each case's level and the RFC text it rests on; see
// framesFile for why the sender's rules are at wsanatomy level.
func messagesFile() file {
	f := file{Group: "messages", Description: "Frame sequences: fragmentation, control frames between fragments, continuation errors, size limits"}
	type step struct {
		fin    bool
		op     byte
		data   []byte
		length *uint64 // header-only claim
	}
	type msg struct {
		typ  string
		data any
	}
	type c struct {
		id, desc, section string
		steps             []step
		limit             int64
		msgs              []msg
		end               obj   // nil: eof
		replies           []obj // nil: not compared
	}
	// A pong is a MUST (§5.5.2) with the ping's data (§5.5.3).
	pong := func(p string) obj { return obj{{"opcode", 10}, {"payload", text(p)}, {"level", levelMust}} }
	emptyPong := obj{{"opcode", 10}, {"payload", ""}, {"level", levelMust}}
	// The answer to a close frame is a MUST; its code "typically" echoes.
	echoReply := func(code int) obj {
		return obj{{"opcode", 8}, {"close_code", code}, {"level", levelMust}, {"code_level", levelWsanatomy}}
	}
	// The close frame of a failure is a SHOULD, with an appropriate code.
	failReply := func(code int) obj {
		return obj{{"opcode", 8}, {"close_code", code}, {"level", levelShould}, {"code_level", levelShould}}
	}
	closed := func(code int, reason string) obj {
		return obj{{"closed", obj{{"code", code}, {"reason", reason}}}}
	}
	big := make([]byte, 70000)
	for i := range big {
		big[i] = byte(i % 251)
	}
	cases := []c{
		{"msg-single-text", "One unfragmented text frame delivers one text message", "5.6",
			[]step{{true, 0x1, []byte("Hello"), nil}}, 0, []msg{{"text", text("Hello")}}, nil, []obj{}},
		{"msg-single-binary", "One unfragmented binary frame delivers one binary message", "5.6",
			[]step{{true, 0x2, []byte{0x00, 0xff, 0x10}, nil}}, 0, []msg{{"binary", "00ff10"}}, nil, []obj{}},
		{"msg-empty-text", "An empty text frame with FIN set delivers an empty text message", "5.6",
			[]step{{true, 0x1, nil, nil}}, 0, []msg{{"text", ""}}, nil, []obj{}},
		{"msg-empty-binary", "An empty binary frame with FIN set delivers an empty binary message", "5.6",
			[]step{{true, 0x2, nil, nil}}, 0, []msg{{"binary", ""}}, nil, []obj{}},
		{"msg-two-messages", "Two unfragmented messages arrive as two messages in order", "5.4",
			[]step{{true, 0x1, []byte("one"), nil}, {true, 0x2, []byte("two"), nil}}, 0,
			[]msg{{"text", text("one")}, {"binary", text("two")}}, nil, []obj{}},
		{"msg-fragmented-3", "Text in three fragments (text, continuation, continuation) is one message", "5.4",
			[]step{{false, 0x1, []byte("frag"), nil}, {false, 0x0, []byte("men"), nil}, {true, 0x0, []byte("ted"), nil}}, 0,
			[]msg{{"text", text("fragmented")}}, nil, []obj{}},
		{"msg-fragmented-binary", "Binary in two fragments is one binary message", "5.4",
			[]step{{false, 0x2, []byte{1, 2}, nil}, {true, 0x0, []byte{3, 4}, nil}}, 0,
			[]msg{{"binary", "01020304"}}, nil, []obj{}},
		{"msg-fragmented-empty-fragments", "Empty fragments are allowed: empty text, empty continuation, then \"x\"", "5.4",
			[]step{{false, 0x1, nil, nil}, {false, 0x0, nil, nil}, {true, 0x0, []byte("x"), nil}}, 0,
			[]msg{{"text", text("x")}}, nil, []obj{}},
		{"msg-fragmented-all-empty", "A message of three empty fragments is an empty message", "5.4",
			[]step{{false, 0x2, nil, nil}, {false, 0x0, nil, nil}, {true, 0x0, nil, nil}}, 0,
			[]msg{{"binary", ""}}, nil, []obj{}},
		{"msg-many-fragments", "A message in ten one-byte fragments", "5.4",
			func() []step {
				s := []step{{false, 0x1, []byte("0"), nil}}
				for i := 1; i < 9; i++ {
					s = append(s, step{false, 0x0, []byte(fmt.Sprint(i)), nil})
				}
				return append(s, step{true, 0x0, []byte("9"), nil})
			}(), 0, []msg{{"text", text("0123456789")}}, nil, []obj{}},
		{"msg-ping-between-fragments", "A ping between two fragments is answered at once and the message continues", "5.5",
			[]step{{false, 0x1, []byte("Hel"), nil}, {true, 0x9, []byte("ping!"), nil}, {true, 0x0, []byte("lo"), nil}}, 0,
			[]msg{{"text", text("Hello")}}, nil, []obj{pong("ping!")}},
		{"msg-pong-between-fragments", "An unsolicited pong between fragments is ignored; no reply", "5.5.3",
			[]step{{false, 0x1, []byte("Hel"), nil}, {true, 0xA, []byte("beat"), nil}, {true, 0x0, []byte("lo"), nil}}, 0,
			[]msg{{"text", text("Hello")}}, nil, []obj{}},
		{"msg-pings-between-every-fragment", "Pings between every fragment each get their own pong, in order", "5.5.2",
			[]step{{false, 0x2, []byte("a"), nil}, {true, 0x9, []byte("1"), nil}, {false, 0x0, []byte("b"), nil}, {true, 0x9, []byte("2"), nil}, {true, 0x0, []byte("c"), nil}}, 0,
			[]msg{{"binary", text("abc")}}, nil, []obj{pong("1"), pong("2")}},
		{"msg-close-between-fragments", "A close frame between fragments ends the connection; the partial message is not delivered", "5.5.1",
			[]step{{false, 0x1, []byte("Hel"), nil}, {true, 0x8, []byte{0x03, 0xe8}, nil}, {true, 0x0, []byte("lo"), nil}}, 0,
			nil, closed(1000, ""), []obj{echoReply(1000)}},
		{"msg-ping-empty", "An empty ping is answered by an empty pong", "5.5.2",
			[]step{{true, 0x9, nil, nil}}, 0, nil, nil, []obj{emptyPong}},
		{"msg-ping-125", "A ping with 125 bytes is answered by a pong with the same 125 bytes", "5.5.3",
			[]step{{true, 0x9, []byte(fmt.Sprintf("%0125d", 7)), nil}}, 0, nil, nil, []obj{pong(fmt.Sprintf("%0125d", 7))}},
		{"msg-ping-then-message", "A ping before a message: pong, then the message", "5.5.2",
			[]step{{true, 0x9, []byte("p"), nil}, {true, 0x1, []byte("after"), nil}}, 0,
			[]msg{{"text", text("after")}}, nil, []obj{pong("p")}},
		{"msg-close-normal", "Close 1000 \"bye\": the receiver reports it and echoes 1000", "5.5.1",
			[]step{{true, 0x8, append([]byte{0x03, 0xe8}, "bye"...), nil}}, 0, nil, closed(1000, "bye"), []obj{echoReply(1000)}},
		{"msg-close-empty", "An empty close frame reports 1005 and is answered by an empty close frame", "7.1.5",
			[]step{{true, 0x8, nil, nil}}, 0, nil, closed(1005, ""), []obj{echoReply(1005)}},
		{"msg-message-then-close", "A message then a close: the message is delivered, then the close", "5.5.1",
			[]step{{true, 0x1, []byte("last words"), nil}, {true, 0x8, []byte{0x03, 0xe9}, nil}}, 0,
			[]msg{{"text", text("last words")}}, closed(1001, ""), []obj{echoReply(1001)}},
		{"msg-frames-after-close-ignored", "Frames after a close frame are not delivered", "5.5.1",
			[]step{{true, 0x8, []byte{0x03, 0xe8}, nil}, {true, 0x1, []byte("late"), nil}}, 0,
			nil, closed(1000, ""), []obj{echoReply(1000)}},
		{"msg-continuation-first", "A continuation frame with no message in progress: the sender broke the fragmentation rules, and wsanatomy fails the connection", "5.4",
			[]step{{true, 0x0, []byte("orphan"), nil}}, 0, nil, protocolError("5.4"), []obj{failReply(1002)}},
		{"msg-continuation-after-complete", "A continuation after a complete message: wsanatomy fails the connection; the message was delivered", "5.4",
			[]step{{true, 0x1, []byte("done"), nil}, {true, 0x0, []byte("more"), nil}}, 0,
			[]msg{{"text", text("done")}}, protocolError("5.4"), []obj{failReply(1002)}},
		{"msg-text-inside-message", "A new text frame while a message is in progress: the sender interleaved messages, and wsanatomy fails the connection", "5.4",
			[]step{{false, 0x1, []byte("one"), nil}, {true, 0x1, []byte("two"), nil}}, 0, nil, protocolError("5.4"), []obj{failReply(1002)}},
		{"msg-binary-inside-message", "A new binary frame while a text message is in progress: the sender interleaved messages, and wsanatomy fails the connection", "5.4",
			[]step{{false, 0x1, []byte("one"), nil}, {true, 0x2, []byte("two"), nil}}, 0, nil, protocolError("5.4"), []obj{failReply(1002)}},
		{"msg-reserved-opcode-inside-message", "A reserved data opcode 0x3 between fragments fails the connection", "5.2",
			[]step{{false, 0x1, []byte("one"), nil}, {true, 0x3, []byte("?"), nil}}, 0, nil, protocolError("5.2"), []obj{failReply(1002)}},
		{"msg-fragmented-ping", "A ping with FIN clear: the sender fragmented a control frame, and wsanatomy fails the connection", "5.5",
			[]step{{false, 0x9, []byte("pi"), nil}, {true, 0x0, []byte("ng"), nil}}, 0, nil, protocolError("5.5"), []obj{failReply(1002)}},
		{"msg-ping-126", "A ping of 126 bytes: the sender broke the control frame limit, and wsanatomy fails the connection", "5.5",
			[]step{{true, 0x9, make([]byte, 126), nil}}, 0, nil, protocolError("5.5"), []obj{failReply(1002)}},
		{"msg-unfinished-message", "The input ends inside a fragmented message: nothing is delivered", "5.4",
			[]step{{false, 0x1, []byte("never"), nil}}, 0, nil, nil, []obj{}},
		{"msg-at-limit", "A 64-byte message against a 64-byte limit is delivered", "10.4",
			[]step{{true, 0x2, make([]byte, 64), nil}}, 64, []msg{{"binary", repeated([]byte{0}, 64)}}, nil, []obj{}},
		{"msg-over-limit", "A 65-byte message against a 64-byte limit fails with 1009", "10.4",
			[]step{{true, 0x2, make([]byte, 65), nil}}, 64, nil, errorExp(1009, levelShould, "10.4"), []obj{failReply(1009)}},
		{"msg-fragments-at-limit", "Fragments adding up to exactly the 64-byte limit are delivered", "10.4",
			[]step{{false, 0x2, make([]byte, 32), nil}, {true, 0x0, make([]byte, 32), nil}}, 64,
			[]msg{{"binary", repeated([]byte{0}, 64)}}, nil, []obj{}},
		{"msg-fragments-over-limit", "Fragments adding up to 65 bytes against a 64-byte limit fail with 1009 at the second", "10.4",
			[]step{{false, 0x2, make([]byte, 32), nil}, {true, 0x0, make([]byte, 33), nil}}, 64, nil, errorExp(1009, levelShould, "10.4"), []obj{failReply(1009)}},
		{"msg-control-not-counted-in-limit", "A ping between fragments does not count toward the message limit", "10.4",
			[]step{{false, 0x2, make([]byte, 32), nil}, {true, 0x9, make([]byte, 100), nil}, {true, 0x0, make([]byte, 32), nil}}, 64,
			[]msg{{"binary", repeated([]byte{0}, 64)}}, nil, nil},
		{"msg-claim-2pow63-minus-1", "A header alone claiming 2^63-1 bytes against a 16 MiB limit fails with 1009 without allocating", "10.4",
			[]step{{true, 0x2, nil, u64(1<<63 - 1)}}, 16 << 20, nil, errorExp(1009, levelShould, "10.4"), []obj{failReply(1009)}},
		{"msg-claim-2pow63", "A header claiming 2^63 bytes: the sender broke the rule that the top bit of the 64-bit length is 0", "5.2",
			[]step{{true, 0x2, nil, u64(1 << 63)}}, 0, nil, errorExp([]int{1002, 1009}, levelShould, "5.2"), []obj{{{"opcode", 8}, {"close_code", []int{1002, 1009}}, {"level", levelShould}, {"code_level", levelShould}}}},
		{"msg-large-70000", "A 70000-byte binary message in one frame (64-bit length form)", "5.2",
			[]step{{true, 0x2, big, nil}}, 0, []msg{{"binary", periodic(big, 251)}}, nil, []obj{}},
		{"msg-large-fragmented", "A 70000-byte binary message in fragments of 30000, 30000 and 10000 bytes", "5.4",
			[]step{{false, 0x2, big[:30000], nil}, {false, 0x0, big[30000:60000], nil}, {true, 0x0, big[60000:], nil}}, 0,
			[]msg{{"binary", periodic(big, 251)}}, nil, []obj{}},
		{"msg-rsv1-on-continuation", "RSV1 on a continuation frame fails the connection", "5.2",
			[]step{{false, 0x1, []byte("a"), nil}, {true, 0x40, []byte("b"), nil}}, 0, nil, protocolError("5.2"), []obj{failReply(1002)}},
		{"msg-invalid-utf8-text", "A text message that is not UTF-8 fails with 1007", "8.1",
			[]step{{true, 0x1, []byte{'a', 0xff, 'b'}, nil}}, 0, nil, errorExp(1007, levelShould, "8.1"), []obj{failReply(1007)}},
		{"msg-invalid-utf8-binary-ok", "The same bytes in a binary message are fine: only text must be UTF-8", "5.6",
			[]step{{true, 0x2, []byte{'a', 0xff, 'b'}, nil}}, 0, []msg{{"binary", "61ff62"}}, nil, []obj{}},
		{"msg-utf8-split-across-fragments", "A character split across fragments with a ping between them is valid", "5.6",
			[]step{{false, 0x1, []byte{0xe2, 0x82}, nil}, {true, 0x9, nil, nil}, {true, 0x0, []byte{0xac}, nil}}, 0,
			[]msg{{"text", text("€")}}, nil, []obj{emptyPong}},
	}
	for _, r := range receivers {
		for _, cs := range cases {
			var frames []any
			for _, s := range cs.steps {
				fr := frame{Fin: s.fin, Opcode: s.op, Key: keyFor(r), Payload: s.data, Length: s.length}
				if s.op == 0x40 { // not an opcode: marks "a continuation with RSV1 set"
					fr.Opcode, fr.Rsv = 0x0, 0x40
				}
				if s.length != nil {
					frames = append(frames, hx(fr.header()))
				} else if len(s.data) > 1004 {
					// The payload repeats every 251 bytes and the key every
					// 4, so the masked payload repeats every 1004.
					frames = append(frames, append([]any{hx(fr.header())}, periodic(fr.masked(), 1004)...))
				} else {
					frames = append(frames, fr.wire())
				}
			}
			in := obj{{"receiver", r}, {"frames", frames}}
			if cs.limit > 0 {
				in = append(in, kv{"message_limit", cs.limit})
			}
			msgs := []obj{}
			for _, m := range cs.msgs {
				msgs = append(msgs, obj{{"type", m.typ}, {"payload", m.data}})
			}
			exp := obj{{"messages", msgs}}
			exp = append(exp, cs.end...)
			if cs.replies != nil {
				exp = append(exp, kv{"replies", cs.replies})
			}
			lv, ok := levelOf[cs.id]
			if !ok {
				fail(fmt.Errorf("messages: case %s has no level", cs.id))
			}
			f.Vectors = append(f.Vectors, vector{cs.id + "-to-" + r, cs.desc + ", received by a " + r, cs.section, lv.level, lv.rule, in, exp, nil})
		}
	}
	// Masking in the wrong direction, as a sequence. §5.1: the receiver
	// MUST close the connection and MAY send 1002, so the close frame and
	// its code are wsanatomy's choice.
	maskReply := obj{{"opcode", 8}, {"close_code", 1002}, {"level", levelWsanatomy}, {"code_level", levelWsanatomy}}
	f.Vectors = append(f.Vectors,
		vector{"msg-unmasked-to-server", "An unmasked text frame from a client: the server closes the connection, here with 1002", "5.1", levelMust, qUnmasked,
			obj{{"receiver", "server"}, {"frames", []any{frame{Fin: true, Opcode: 0x1, Payload: []byte("hi")}.wire()}}},
			append(obj{{"messages", []obj{}}}, append(maskingError(), kv{"replies", []obj{maskReply}})...), nil},
		vector{"msg-masked-to-client", "A masked text frame from a server: the client closes the connection, here with 1002", "5.1", levelMust, qMasked,
			obj{{"receiver", "client"}, {"frames", []any{frame{Fin: true, Opcode: 0x1, Key: rfcKey, Payload: []byte("hi")}.wire()}}},
			append(obj{{"messages", []obj{}}}, append(maskingError(), kv{"replies", []obj{maskReply}})...), nil},
	)
	return f
}

type levelRule struct{ level, rule string }

// levelOf: each messages case's level and the RFC text it rests on.
var levelOf = map[string]levelRule{
	"msg-single-text":                    {levelMust, qUnfragmented},
	"msg-single-binary":                  {levelMust, qUnfragmented},
	"msg-empty-text":                     {levelMust, qUnfragmented},
	"msg-empty-binary":                   {levelMust, qUnfragmented},
	"msg-two-messages":                   {levelMust, qUnfragmented},
	"msg-fragmented-3":                   {levelMust, qFragmented},
	"msg-fragmented-binary":              {levelMust, qFragmented},
	"msg-fragmented-empty-fragments":     {levelMust, qFragmented},
	"msg-fragmented-all-empty":           {levelMust, qFragmented},
	"msg-many-fragments":                 {levelMust, qFragmented},
	"msg-ping-between-fragments":         {levelMust, qControlBetween},
	"msg-pong-between-fragments":         {levelMust, qUnsolicited},
	"msg-pings-between-every-fragment":   {levelMust, qControlBetween},
	"msg-close-between-fragments":        {levelMust, qCloseReply},
	"msg-ping-empty":                     {levelMust, qPing},
	"msg-ping-125":                       {levelMust, qPongData},
	"msg-ping-then-message":              {levelMust, qPing},
	"msg-close-normal":                   {levelMust, qCloseCode},
	"msg-close-empty":                    {levelMust, q1005},
	"msg-message-then-close":             {levelMust, qCloseCode},
	"msg-frames-after-close-ignored":     {levelMust, qCloseReply},
	"msg-continuation-first":             {levelWsanatomy, qFragmented},
	"msg-continuation-after-complete":    {levelWsanatomy, qFragmented},
	"msg-text-inside-message":            {levelWsanatomy, qInterleave},
	"msg-binary-inside-message":          {levelWsanatomy, qInterleave},
	"msg-reserved-opcode-inside-message": {levelMust, qOpcode},
	"msg-fragmented-ping":                {levelWsanatomy, qControl},
	"msg-ping-126":                       {levelWsanatomy, qControl},
	"msg-unfinished-message":             {levelMust, qFragmented},
	"msg-at-limit":                       {levelMust, qLimit},
	"msg-over-limit":                     {levelMust, qLimit},
	"msg-fragments-at-limit":             {levelMust, qLimit},
	"msg-fragments-over-limit":           {levelMust, qLimit},
	"msg-control-not-counted-in-limit":   {levelMust, qLimit},
	"msg-claim-2pow63-minus-1":           {levelMust, qLimit},
	"msg-claim-2pow63":                   {levelWsanatomy, qLength},
	"msg-large-70000":                    {levelMust, qLength},
	"msg-large-fragmented":               {levelMust, qFragmented},
	"msg-rsv1-on-continuation":           {levelMust, qRSV},
	"msg-invalid-utf8-text":              {levelMust, qUTF8},
	"msg-invalid-utf8-binary-ok":         {levelMust, qBinary},
	"msg-utf8-split-across-fragments":    {levelMust, qControlBetween},
}
