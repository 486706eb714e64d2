package main

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
)

// deflateFile: permessage-deflate (RFC 7692). Three kinds of vector:
//
//   - offer: the Sec-WebSocket-Extensions lines of a client's request, to
//     the server's decision (accept one offer, with the parameters of its
//     answer, or decline them all);
//   - response: a client's offer and the server's answer, to whether the
//     client goes on or fails the connection;
//   - messages: frames arriving on a connection that agreed on the given
//     permessage-deflate response (or on none), as in the messages group.
//
// No expected value comes from the codec under test. Negotiation results
// are written from the rules of RFC 7692 §7 in the tables below.
// Compressed payloads are either the example bytes of RFC 7692 §7.2.3,
// typed in from the RFC, or made here with compress/flate; every one is
// inflated here with compress/flate (with the 00 00 ff ff tail of §7.2.2
// appended, and the previous message as the window where context
// takeover applies), and the generator stops if that does not give the
// expected message, or, for corrupt data, if it does inflate.
func deflateFile() file {
	f := file{Group: "deflate", Description: "permessage-deflate (RFC 7692): negotiation offers and responses, compressed messages, RSV1 misuse, corrupt data and compression bombs"}
	add := func(id, desc, rfc, section, level, rule string, in, exp obj) {
		f.Vectors = append(f.Vectors, dvector{vector{id, desc, section, level, rule, in, exp, nil}, rfc})
	}

	// Offers, as the server reads them. The server's policy is the one
	// README.md gives for these vectors: accept the first offer it can
	// honour, limit nothing itself, and answer only what the offer asks
	// for. Declining a valid offer is always allowed (a server may support
	// no configuration at all), so accepting is wsanatomy's choice; an
	// offer RFC 7692 §7 says to decline MUST be declined.
	type offerCase struct {
		id, desc, section string
		lines             []string
		accept            bool
		params            map[string]string // the answer, when accepted
		level, rule       string
	}
	none := map[string]string{}
	offers := []offerCase{
		{"pmd-offer-plain", "A bare permessage-deflate offer is accepted with no parameters", "5",
			[]string{"permessage-deflate"}, true, none, levelWsanatomy, qPreference},
		{"pmd-offer-browser", "The browsers' offer, client_max_window_bits without a value, is accepted; the server need not limit the client's window", "7.1.2.2",
			[]string{"permessage-deflate; client_max_window_bits"}, true, none, levelWsanatomy, qPreference},
		{"pmd-offer-client-window-10", "client_max_window_bits=10: the client announces its window, and wsanatomy says it back", "7.1.2.2",
			[]string{"permessage-deflate; client_max_window_bits=10"}, true, map[string]string{"client_max_window_bits": "10"}, levelWsanatomy, qPreference},
		{"pmd-offer-client-window-quoted", "client_max_window_bits=\"10\" as a quoted-string is the same value", "7.1.2.2",
			[]string{"permessage-deflate; client_max_window_bits=\"10\""}, true, map[string]string{"client_max_window_bits": "10"}, levelWsanatomy, qPreference},
		{"pmd-offer-server-window-10", "server_max_window_bits=10: the answer must carry it, with 10 or less", "7.1.2.1",
			[]string{"permessage-deflate; server_max_window_bits=10"}, true, map[string]string{"server_max_window_bits": "10"}, levelWsanatomy, qServerWindow},
		{"pmd-offer-server-window-8", "server_max_window_bits=8, the smallest window, is accepted", "7.1.2.1",
			[]string{"permessage-deflate; server_max_window_bits=8"}, true, map[string]string{"server_max_window_bits": "8"}, levelWsanatomy, qServerWindow},
		{"pmd-offer-server-no-context", "server_no_context_takeover is accepted by saying it back", "7.1.1.1",
			[]string{"permessage-deflate; server_no_context_takeover"}, true, map[string]string{"server_no_context_takeover": ""}, levelWsanatomy, qPreference},
		{"pmd-offer-client-no-context", "client_no_context_takeover: wsanatomy says it back so that the answer shows the agreement", "7.1.1.2",
			[]string{"permessage-deflate; client_no_context_takeover"}, true, map[string]string{"client_no_context_takeover": ""}, levelWsanatomy, qPreference},
		{"pmd-offer-all-four", "All four parameters in one offer", "7.1",
			[]string{"permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11"}, true,
			map[string]string{"server_no_context_takeover": "", "client_no_context_takeover": "", "server_max_window_bits": "12", "client_max_window_bits": "11"}, levelWsanatomy, qPreference},
		{"pmd-offer-server-window-7", "server_max_window_bits=7 is below the range 8 to 15: declined", "7.1.2.1",
			[]string{"permessage-deflate; server_max_window_bits=7"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-server-window-16", "server_max_window_bits=16 is above the range 8 to 15: declined", "7.1.2.1",
			[]string{"permessage-deflate; server_max_window_bits=16"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-server-window-no-value", "server_max_window_bits without a value: declined", "7.1.2.1",
			[]string{"permessage-deflate; server_max_window_bits"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-server-window-not-number", "server_max_window_bits=abc: declined", "7.1.2.1",
			[]string{"permessage-deflate; server_max_window_bits=abc"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-client-window-7", "client_max_window_bits=7: declined", "7.1.2.2",
			[]string{"permessage-deflate; client_max_window_bits=7"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-client-window-16", "client_max_window_bits=16: declined", "7.1.2.2",
			[]string{"permessage-deflate; client_max_window_bits=16"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-no-context-with-value", "server_no_context_takeover=1: the parameter takes no value; declined", "7.1.1.1",
			[]string{"permessage-deflate; server_no_context_takeover=1"}, false, nil, levelMust, qDeclineInvalid},
		{"pmd-offer-duplicate", "server_no_context_takeover twice: declined", "7",
			[]string{"permessage-deflate; server_no_context_takeover; server_no_context_takeover"}, false, nil, levelMust, qDeclineDuplicate},
		{"pmd-offer-duplicate-window", "client_max_window_bits twice, with and without a value: declined", "7",
			[]string{"permessage-deflate; client_max_window_bits; client_max_window_bits=10"}, false, nil, levelMust, qDeclineDuplicate},
		{"pmd-offer-unknown-param", "An unknown parameter: declined", "7",
			[]string{"permessage-deflate; foo=bar"}, false, nil, levelMust, qDeclineUndefined},
		{"pmd-offer-unknown-extension", "Only an unknown extension is offered: no compression", "5",
			[]string{"x-webkit-deflate-frame"}, false, nil, levelWsanatomy, qPreference},
		{"pmd-offer-second-after-bad", "A bad offer then a bare one: the first is declined, the second accepted", "5",
			[]string{"permessage-deflate; server_max_window_bits=7, permessage-deflate"}, true, none, levelWsanatomy, qPreference},
		{"pmd-offer-first-preferred", "Two valid offers: the first, preferred, is accepted", "5",
			[]string{"permessage-deflate; server_no_context_takeover, permessage-deflate"}, true, map[string]string{"server_no_context_takeover": ""}, levelWsanatomy, qPreference},
		{"pmd-offer-two-lines", "Offers on two header lines: an unknown extension, then permessage-deflate", "5",
			[]string{"x-unknown", "permessage-deflate; client_no_context_takeover"}, true, map[string]string{"client_no_context_takeover": ""}, levelWsanatomy, qPreference},
		{"pmd-offer-all-bad", "Two offers, both invalid: no compression", "7",
			[]string{"permessage-deflate; server_max_window_bits=16, permessage-deflate; bogus"}, false, nil, levelMust, qDeclineInvalid},
	}
	for _, c := range offers {
		exp := obj{{"accepted", c.accept}}
		if c.accept {
			exp = append(exp, kv{"params", paramsObj(c.params)})
		}
		add(c.id, c.desc, "7692", c.section, c.level, c.rule, obj{{"kind", "offer"}, {"extensions", c.lines}}, exp)
	}

	// Responses, as the client checks them against its offer.
	browser := "permessage-deflate; client_max_window_bits"
	type respCase struct {
		id, desc, section string
		offer             string
		lines             []string
		ok                bool
		level, rule       string
	}
	resps := []respCase{
		{"pmd-resp-plain", "A bare permessage-deflate answer to the browsers' offer", "7.1", browser, []string{"permessage-deflate"}, true, levelWsanatomy, qPreference},
		{"pmd-resp-declined", "No Sec-WebSocket-Extensions at all: compression declined, the connection goes on", "5", browser, []string{}, true, levelWsanatomy, qPreference},
		{"pmd-resp-client-window-10", "The server limits the client's window to 10, which the offer allowed", "7.1.2.2", browser,
			[]string{"permessage-deflate; client_max_window_bits=10"}, true, levelWsanatomy, qPreference},
		{"pmd-resp-server-no-context-unasked", "The server adds server_no_context_takeover unasked, as it may", "7.1.1.1", browser,
			[]string{"permessage-deflate; server_no_context_takeover"}, true, levelWsanatomy, qPreference},
		{"pmd-resp-client-no-context-unasked", "The server asks for client_no_context_takeover", "7.1.1.2", browser,
			[]string{"permessage-deflate; client_no_context_takeover"}, true, levelWsanatomy, qPreference},
		{"pmd-resp-server-window-smaller", "server_max_window_bits=8 answering an offer of 10", "7.1.2.1", "permessage-deflate; server_max_window_bits=10; client_max_window_bits",
			[]string{"permessage-deflate; server_max_window_bits=8"}, true, levelWsanatomy, qServerWindow},
		{"pmd-resp-server-window-larger", "server_max_window_bits=12 answering an offer of 10: refused", "7.1.2.1", "permessage-deflate; server_max_window_bits=10; client_max_window_bits",
			[]string{"permessage-deflate; server_max_window_bits=12"}, false, levelMust, qClientUnsupported},
		{"pmd-resp-server-window-7", "server_max_window_bits=7 in the answer: refused", "7.1.2.1", "permessage-deflate; server_max_window_bits=10; client_max_window_bits",
			[]string{"permessage-deflate; server_max_window_bits=7"}, false, levelMust, qClientInvalid},
		{"pmd-resp-client-window-16", "client_max_window_bits=16 in the answer: refused", "7.1.2.2", browser,
			[]string{"permessage-deflate; client_max_window_bits=16"}, false, levelMust, qClientInvalid},
		{"pmd-resp-client-window-no-value", "client_max_window_bits without a value in the answer: refused", "7.1.2.2", browser,
			[]string{"permessage-deflate; client_max_window_bits"}, false, levelMust, qClientInvalid},
		{"pmd-resp-unknown-param", "An unknown parameter in the answer: refused", "7", browser,
			[]string{"permessage-deflate; foo"}, false, levelMust, qClientUndefined},
		{"pmd-resp-unknown-extension", "The answer names an extension that was not offered: refused", "7", browser,
			[]string{"x-webkit-deflate-frame"}, false, levelMust, qRespExt},
	}
	for _, c := range resps {
		rfc := "7692"
		if c.rule == qRespExt {
			rfc, c.section = "6455", "4.1"
		}
		add(c.id, c.desc, rfc, c.section, c.level, c.rule, obj{{"kind", "response"}, {"offer", c.offer}, {"extensions", c.lines}}, obj{{"ok", c.ok}})
	}

	// Messages.
	hello := []byte("Hello")
	rfcHello := []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}                          // RFC 7692 §7.2.3.1
	rfcHelloAgain := []byte{0xf2, 0x00, 0x11, 0x00, 0x00}                                 // §7.2.3.2, with "Hello" as the window
	rfcHelloStored := []byte{0x00, 0x05, 0x00, 0xfa, 0xff, 'H', 'e', 'l', 'l', 'o', 0x00} // §7.2.3.3: a stored block, then an empty one cut at its tail
	rfcHelloBFINAL := []byte{0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}                    // §7.2.3.4 style: BFINAL set, nothing after
	mustInflate(rfcHello, nil, hello)
	mustInflate(rfcHelloAgain, hello, hello)
	mustInflate(rfcHelloStored, nil, hello)
	mustInflate(rfcHelloBFINAL, nil, hello)
	mustInflate([]byte{0x00}, nil, nil)
	// §7.2.3.2's second message refers 5 bytes back into the previous
	// message; with no context takeover there is nothing there.
	mustNotInflate(rfcHelloAgain, nil)

	big := make([]byte, 10000)
	for i := range big {
		big[i] = "the quick brown fox jumps over the lazy dog "[i%44]
	}
	bigZ := compress(big)
	mustInflate(bigZ, nil, big)
	zeros := make([]byte, 1<<20)
	bombZ := compress(zeros)
	mustInflate(bombZ, nil, zeros)
	exactZ := compress(zeros[:65536])
	mustInflate(exactZ, nil, zeros[:65536])
	badUTF8Z := compress([]byte{'a', 0xff, 'b'})
	mustInflate(badUTF8Z, nil, []byte{'a', 0xff, 'b'})
	corrupt := []byte{0xff, 0xff, 0xff} // BTYPE 11, reserved (RFC 1951 §3.2.3)
	mustNotInflate(corrupt, nil)
	truncated := rfcHello[:2] // ends inside a block
	mustNotInflate(truncated, nil)

	type step struct {
		fin  bool
		rsv1 bool
		op   byte
		data []byte
	}
	type msg struct {
		typ  string
		data any
	}
	type msgCase struct {
		id, desc, rfc, section string
		agreed                 string // "" for no extension negotiated
		steps                  []step
		limit                  int64
		msgs                   []msg
		end                    obj
		replies                []obj
		level, rule            string
	}
	pmd := "permessage-deflate"
	// Stand-ins for the parameter that turns context takeover off for
	// the sender of the frames, or for the receiver, whose role the loop
	// below fills in.
	const senderNCT, receiverNCT = "sender-no-context-takeover", "receiver-no-context-takeover"
	failReply := func(code any) obj {
		return obj{{"opcode", 8}, {"close_code", code}, {"level", levelShould}, {"code_level", levelShould}}
	}
	emptyPong := obj{{"opcode", 10}, {"payload", ""}, {"level", levelMust}}
	halves := func(z []byte, n int) [][]byte { return [][]byte{z[:n], z[n:]} }
	bigParts := halves(bigZ, len(bigZ)/3)
	cases := []msgCase{
		{"pmd-msg-rfc-hello", "RFC 7692 §7.2.3.1: \"Hello\" compressed as f2 48 cd c9 c9 07 00", "7692", "7.2.3.1", pmd,
			[]step{{true, true, 0x1, rfcHello}}, 0, []msg{{"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-rfc-hello-twice", "RFC 7692 §7.2.3.2: with context takeover the second \"Hello\" is f2 00 11 00 00, a reference into the first", "7692", "7.2.3.2", pmd,
			[]step{{true, true, 0x1, rfcHello}, {true, true, 0x1, rfcHelloAgain}}, 0, []msg{{"text", text("Hello")}, {"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-rfc-hello-fragmented", "RFC 7692 §7.2.3.1: the compressed \"Hello\" in two frames, RSV1 on the first only", "7692", "7.2.3.1", pmd,
			[]step{{false, true, 0x1, rfcHello[:3]}, {true, false, 0x0, rfcHello[3:]}}, 0, []msg{{"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-rfc-hello-stored", "RFC 7692 §7.2.3.3: \"Hello\" in a DEFLATE block with no compression", "7692", "7.2.3.3", pmd,
			[]step{{true, true, 0x1, rfcHelloStored}}, 0, []msg{{"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-bfinal", "RFC 7692 §7.2.3.4: a message whose DEFLATE block has BFINAL set; the appended tail is never reached", "7692", "7.2.3.4", pmd,
			[]step{{true, true, 0x1, rfcHelloBFINAL}}, 0, []msg{{"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-empty", "An empty message compressed to the single byte 00 (an empty stored block whose tail was removed)", "7692", "7.2.2", pmd,
			[]step{{true, true, 0x2, []byte{0x00}}}, 0, []msg{{"binary", ""}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-uncompressed", "RSV1 clear on a compressing connection: the message is taken as it is", "7692", "6.1", pmd,
			[]step{{true, false, 0x1, hello}}, 0, []msg{{"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-mixed", "A compressed message, an uncompressed one, then the §7.2.3.2 reference into the first: the uncompressed message is not part of the window", "7692", "7.2.3.2", pmd,
			[]step{{true, true, 0x1, rfcHello}, {true, false, 0x2, []byte("xyz")}, {true, true, 0x1, rfcHelloAgain}}, 0,
			[]msg{{"text", text("Hello")}, {"binary", text("xyz")}, {"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-ping-between", "A ping between the two frames of a compressed message is answered; the message continues", "7692", "7.2.3.1", pmd,
			[]step{{false, true, 0x1, rfcHello[:3]}, {true, false, 0x9, nil}, {true, false, 0x0, rfcHello[3:]}}, 0,
			[]msg{{"text", text("Hello")}}, nil, []obj{emptyPong}, levelMust, qControlBetween},
		{"pmd-msg-large-fragmented", "10000 bytes of text compressed with compress/flate, sent in two frames", "7692", "7.2.2", pmd,
			[]step{{false, true, 0x1, bigParts[0]}, {true, false, 0x0, bigParts[1]}}, 0, []msg{{"text", text(string(big))}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-no-context-takeover", "No context takeover for the sender (server_no_context_takeover to a client, client_no_context_takeover to a server): two \"Hello\" messages each compressed alone", "7692", "7.1.1", senderNCT,
			[]step{{true, true, 0x1, rfcHello}, {true, true, 0x1, rfcHello}}, 0, []msg{{"text", text("Hello")}, {"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-other-direction-no-context", "No context takeover only for the receiver's own messages: the sender keeps its window, and §7.2.3.2's second \"Hello\" still inflates", "7692", "7.1.1", receiverNCT,
			[]step{{true, true, 0x1, rfcHello}, {true, true, 0x1, rfcHelloAgain}}, 0, []msg{{"text", text("Hello")}, {"text", text("Hello")}}, nil, []obj{}, levelMust, qDecompress},
		{"pmd-msg-rsv1-continuation", "RSV1 on a continuation frame fails the connection with 1002", "7692", "6", pmd,
			[]step{{false, true, 0x1, rfcHello[:3]}, {true, true, 0x0, rfcHello[3:]}}, 0, nil, errorExp7692(1002, "6"), []obj{failReply(1002)}, levelMust, qPMCompressedBit},
		{"pmd-msg-rsv1-continuation-uncompressed", "RSV1 on the continuation of an uncompressed message fails with 1002", "7692", "6", pmd,
			[]step{{false, false, 0x1, []byte("Hel")}, {true, true, 0x0, []byte("lo")}}, 0, nil, errorExp7692(1002, "6"), []obj{failReply(1002)}, levelMust, qPMCompressedBit},
		{"pmd-msg-rsv1-ping", "RSV1 on a ping fails the connection with 1002; no pong", "7692", "6", pmd,
			[]step{{true, true, 0x9, nil}}, 0, nil, errorExp7692(1002, "6"), []obj{failReply(1002)}, levelMust, qPMCompressedBit},
		{"pmd-msg-rsv1-close", "RSV1 on a close frame fails the connection with 1002", "7692", "6", pmd,
			[]step{{true, true, 0x8, []byte{0x03, 0xe8}}}, 0, nil, errorExp7692(1002, "6"), []obj{failReply(1002)}, levelMust, qPMCompressedBit},
		{"pmd-msg-rsv1-not-negotiated", "RSV1 on a text frame when no extension was negotiated fails with 1002", "6455", "5.2", "",
			[]step{{true, true, 0x1, rfcHello}}, 0, nil, errorExp(1002, levelShould, "5.2"), []obj{failReply(1002)}, levelMust, qRSV},
		{"pmd-msg-corrupt", "Compressed data that is not DEFLATE (block type 11) fails the connection; 1007 or 1002", "7692", "7.2.2", pmd,
			[]step{{true, true, 0x2, corrupt}}, 0, nil, errorExp7692([]int{1007, 1002}, "7.2.2"), []obj{failReply([]int{1007, 1002})}, levelMust, qValidated},
		{"pmd-msg-truncated", "A compressed message whose data ends inside a DEFLATE block, so the tail cannot complete it: wsanatomy fails the connection", "7692", "7.2.2", pmd,
			[]step{{true, true, 0x1, truncated}}, 0, nil, errorExp7692([]int{1007, 1002}, "7.2.2"), []obj{failReply([]int{1007, 1002})}, levelWsanatomy, qValidated},
		{"pmd-msg-reference-without-context", "With no context takeover for the sender, §7.2.3.2's reference to the previous message points at nothing: wsanatomy fails the connection", "7692", "7.1.1", senderNCT,
			[]step{{true, true, 0x1, rfcHello}, {true, true, 0x1, rfcHelloAgain}}, 0, []msg{{"text", text("Hello")}},
			errorExp7692([]int{1007, 1002}, "7.2.2"), []obj{failReply([]int{1007, 1002})}, levelWsanatomy, qValidated},
		{"pmd-msg-invalid-utf8", "A compressed text message that inflates to invalid UTF-8 fails with 1007", "6455", "8.1", pmd,
			[]step{{true, true, 0x1, badUTF8Z}}, 0, nil, errorExp(1007, levelShould, "8.1"), []obj{failReply(1007)}, levelMust, qUTF8},
		{"pmd-msg-bomb", fmt.Sprintf("A %d-byte compressed message inflating to 1 MiB against a 64 KiB limit fails with 1009", len(bombZ)), "6455", "10.4", pmd,
			[]step{{true, true, 0x2, bombZ}}, 65536, nil, errorExp(1009, levelShould, "10.4"), []obj{failReply(1009)}, levelMust, qLimit},
		{"pmd-msg-at-limit", "A compressed message inflating to exactly the 64 KiB limit is delivered", "6455", "10.4", pmd,
			[]step{{true, true, 0x2, exactZ}}, 65536, []msg{{"binary", repeated([]byte{0}, 65536)}}, nil, []obj{}, levelMust, qLimit},
	}
	for _, r := range receivers {
		for _, c := range cases {
			var frames []any
			for _, s := range c.steps {
				fr := frame{Fin: s.fin, Opcode: s.op, Key: keyFor(r), Payload: s.data}
				if s.rsv1 {
					fr.Rsv = 0x40
				}
				frames = append(frames, fr.wire())
			}
			in := obj{{"kind", "messages"}, {"receiver", r}}
			agreed := c.agreed
			if agreed == senderNCT || agreed == receiverNCT {
				sender := map[string]string{"client": "server", "server": "client"}[r]
				if agreed == receiverNCT {
					sender = r
				}
				agreed = pmd + "; " + sender + "_no_context_takeover"
			}
			if agreed != "" {
				in = append(in, kv{"agreed", agreed})
			}
			in = append(in, kv{"frames", frames})
			if c.limit > 0 {
				in = append(in, kv{"message_limit", c.limit})
			}
			msgs := []obj{}
			for _, m := range c.msgs {
				msgs = append(msgs, obj{{"type", m.typ}, {"payload", m.data}})
			}
			exp := append(obj{{"messages", msgs}}, c.end...)
			if c.replies != nil {
				exp = append(exp, kv{"replies", c.replies})
			}
			add(c.id+"-to-"+r, c.desc+", received by a "+r, c.rfc, c.section, c.level, c.rule, in, exp)
		}
	}
	return f
}

// dvector is a vector with the RFC its section and rule come from.
type dvector struct {
	vector
	RFC string `json:"rfc"`
}

func (v dvector) MarshalJSON() ([]byte, error) {
	o := obj{{"id", v.ID}, {"description", v.Description}, {"rfc", v.RFC}, {"section", v.Section}, {"level", v.Level}, {"rule", v.Rule}, {"input", v.Input}, {"expect", v.Expect}}
	return o.MarshalJSON()
}

// errorExp7692 is a failure under a rule of RFC 7692.
func errorExp7692(codes any, section string) obj {
	return obj{{"error", obj{{"close_code", codes}, {"code_level", levelShould}, {"rfc", "7692"}, {"section", section}}}}
}

// paramsObj writes an answer's parameters in the order of RFC 7692 §7.1.
func paramsObj(p map[string]string) obj {
	o := obj{}
	for _, name := range []string{"server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits", "client_max_window_bits"} {
		if v, ok := p[name]; ok {
			o = append(o, kv{name, v})
		}
	}
	if len(o) != len(p) {
		fail(fmt.Errorf("deflate: unknown parameter in %v", p))
	}
	return o
}

// compress is a message compressed the way RFC 7692 §7.2.1 describes:
// DEFLATE, flushed to a byte boundary (which ends in an empty stored
// block, 00 00 ff ff), with those 4 bytes removed.
func compress(b []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		fail(err)
	}
	w.Write(b)
	w.Flush()
	out := buf.Bytes()
	if !bytes.HasSuffix(out, []byte{0, 0, 0xff, 0xff}) {
		fail(fmt.Errorf("deflate: a flushed stream does not end in 00 00 ff ff"))
	}
	return bytes.Clone(out[:len(out)-4])
}

// inflate is RFC 7692 §7.2.2: append 00 00 ff ff and inflate, with dict
// as the window. A stream flushed but not final ends in
// io.ErrUnexpectedEOF once the tail's empty block is read: that is its end.
func inflate(payload, dict []byte) ([]byte, error) {
	in := append(bytes.Clone(payload), 0, 0, 0xff, 0xff)
	r := flate.NewReaderDict(bytes.NewReader(in), dict)
	out, err := io.ReadAll(r)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// Ended without a final block: fine only if the last thing read
		// was the tail's empty stored block, i.e. every byte was used
		// and the output stopped at a block boundary. Check it by
		// inflating again with one more empty final block: a stream cut
		// inside a block does not become valid that way.
		r2 := flate.NewReaderDict(bytes.NewReader(append(in, 0x03, 0x00)), dict)
		out2, err2 := io.ReadAll(r2)
		if err2 != nil {
			return out, err2
		}
		return out2, nil
	}
	return out, err
}

func mustInflate(payload, dict, want []byte) {
	got, err := inflate(payload, dict)
	if err != nil || !bytes.Equal(got, want) {
		fail(fmt.Errorf("deflate: % x inflates to %q (%v), want %q", payload, clip(got), err, clip(want)))
	}
}

func mustNotInflate(payload, dict []byte) {
	if got, err := inflate(payload, dict); err == nil {
		fail(fmt.Errorf("deflate: % x was meant to be corrupt but inflates to %q", payload, clip(got)))
	}
}

func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}
