package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// closeFile: close frame payloads, sent masked by a client to a server, and
// how the server reacts. RFC 6455 puts the rules on status codes on the
// sender ("MUST NOT be set as a status code in a Close control frame by an
// endpoint", §7.4.1); what a receiver does with a code it should never
// have been sent is left open, so refusing those is wsanatomy's choice
// (the level "wsanatomy"), as it is Autobahn's:
//
//	empty payload            accepted, reported as 1005         MUST       §7.1.5
//	1 byte                   1002: a status code is 2 bytes    wsanatomy  §5.5.1
//	0-999                    1002: "not used"                  wsanatomy  §7.4.2
//	1000-1003, 1007-1011     accepted: defined codes           MUST       §7.4.1
//	1004                     1002: "Reserved"                  wsanatomy  §7.4.1
//	1005, 1006, 1015         1002: never sent in a frame       wsanatomy  §7.4.1
//	1012-1014                accepted: registered with IANA    wsanatomy  §11.7
//	1016-2999                1002: not yet defined             wsanatomy  §7.4.2
//	3000-3999, 4000-4999     accepted                          MUST       §7.4.2
//	5000-65535               1002: in no range of §7.4.2       wsanatomy  §7.4.2
//	reason not UTF-8         1007                              MUST       §8.1
//	payload over 125 bytes   1002: control frame too long      wsanatomy  §5.5
func closeFile() file {
	f := file{Group: "close", Description: "Close frame payloads: every class of status code, 1-byte payloads and reasons that are not UTF-8"}
	add := func(id, desc, section, level, rule string, payload any, exp obj) {
		f.Vectors = append(f.Vectors, vector{id, desc, section, level, rule, obj{{"payload", payload}}, exp, nil})
	}
	accepted := func(code int, reason string) obj {
		return obj{{"closed", obj{{"code", code}, {"reason", reason}}}}
	}
	codeHex := func(code int) string { return hex.EncodeToString(binary.BigEndian.AppendUint16(nil, uint16(code))) }

	add("close-empty", "Empty close payload: no status code, reported as 1005", "7.1.5", levelMust, q1005, "", accepted(1005, ""))
	for _, b := range []string{"00", "03", "e8", "ff"} {
		add("close-1-byte-"+b, fmt.Sprintf("Close payload of one byte %s: too short for a status code", b), "5.5.1", levelWsanatomy, qCloseBody, b, protocolError("5.5.1"))
	}

	type class struct {
		codes       []int
		ok          bool
		section     string
		what        string
		level, rule string
	}
	classes := []class{
		{[]int{0, 1, 999}, false, "7.4.2", "in 0-999, which are not used", levelWsanatomy, q0999},
		{[]int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011}, true, "7.4.1", "defined by RFC 6455", levelMust, qCloseCode},
		{[]int{1004}, false, "7.4.1", "reserved", levelWsanatomy, q1004},
		{[]int{1005}, false, "7.4.1", "never sent in a close frame", levelWsanatomy, q1005Reserved},
		{[]int{1006}, false, "7.4.1", "never sent in a close frame", levelWsanatomy, q1006Reserved},
		{[]int{1015}, false, "7.4.1", "never sent in a close frame", levelWsanatomy, q1015Reserved},
		{[]int{1012, 1013, 1014}, true, "11.7", "registered with IANA", levelWsanatomy, q1000to2999},
		{[]int{1016, 1100, 2000, 2999}, false, "7.4.2", "reserved for the protocol but undefined", levelWsanatomy, q1000to2999},
		{[]int{3000, 3500, 3999}, true, "7.4.2", "for libraries and frameworks", levelMust, q3000to3999},
		{[]int{4000, 4500, 4999}, true, "7.4.2", "for private use", levelMust, q4000to4999},
		{[]int{5000, 32768, 65535}, false, "7.4.2", "outside every range RFC 6455 defines", levelWsanatomy, qCloseBody},
	}
	for _, c := range classes {
		for _, code := range c.codes {
			id := fmt.Sprintf("close-code-%d", code)
			if c.ok {
				add(id, fmt.Sprintf("Close code %d, %s: accepted", code, c.what), c.section, c.level, c.rule, codeHex(code), accepted(code, ""))
				add(id+"-with-reason", fmt.Sprintf("Close code %d with a reason: accepted with its reason", code), c.section, c.level, c.rule,
					[]any{codeHex(code), obj{{"text", "reason"}}}, accepted(code, "reason"))
			} else {
				add(id, fmt.Sprintf("Close code %d, %s: wsanatomy fails the connection", code, c.what), c.section, c.level, c.rule, codeHex(code), protocolError(c.section))
			}
		}
	}

	// Reasons.
	add("close-reason-utf8", "Close 1000 with a UTF-8 reason \"κόσμε\": accepted", "5.5.1", levelMust, qCloseCode,
		[]any{"03e8", obj{{"text", "κόσμε"}}}, accepted(1000, "κόσμε"))
	long := make([]byte, 123)
	for i := range long {
		long[i] = 'a' + byte(i%26)
	}
	add("close-reason-123", "Close 1000 with a 123-byte reason: 125 bytes, the most a control frame holds", "5.5", levelMust, qControl,
		[]any{"03e8", obj{{"text", string(long)}}}, accepted(1000, string(long)))
	add("close-reason-124", "Close 1000 with a 124-byte reason: 126 bytes, the sender broke the control frame limit", "5.5", levelWsanatomy, qControl,
		[]any{"03e8", obj{{"text", string(long) + "z"}}}, protocolError("5.5"))
	for _, c := range []struct{ name, hex, what string }{
		{"ff", "ff", "an impossible byte"},
		{"lone-continuation", "80", "a lone continuation byte"},
		{"overlong", "c0 af", "an overlong '/'"},
		{"surrogate", "ed a0 80", "a UTF-16 surrogate"},
		{"above-10ffff", "f4 90 80 80", "a code point above U+10FFFF"},
		{"truncated", "48 69 e2 82", "a truncated character at its end"},
	} {
		add("close-reason-invalid-"+c.name, fmt.Sprintf("Close 1000 whose reason holds %s: invalid UTF-8 is 1007", c.what), "8.1", levelMust, qUTF8,
			"03e8 "+c.hex, errorExp(1007, levelShould, "8.1"))
	}
	return f
}
