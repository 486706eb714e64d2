package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// closeFile: close frame payloads, sent masked by a client to a server, to
// the reaction RFC 6455 demands.
//
//	empty payload            accepted, reported as 1005 "no status"     §7.1.5
//	1 byte                   1002: a status code is 2 bytes            §5.5.1
//	0-999                    1002: "not used"                          §7.4.2
//	1000-1003, 1007-1011     accepted: defined codes                   §7.4.1
//	1004                     1002: "Reserved"                          §7.4.1
//	1005, 1006, 1015         1002: "MUST NOT be set as a status code
//	                         in a Close control frame by an endpoint"  §7.4.1
//	1012-1014                accepted: registered with IANA (§11.7)
//	1016-2999                1002: reserved for this protocol and its
//	                         extensions, not yet defined               §7.4.2
//	3000-3999, 4000-4999     accepted: libraries and private use       §7.4.2
//	5000-65535               1002: no range of §7.4.2 holds them       §7.4.2
//	reason not UTF-8         1007                                      §8.1
//	payload over 125 bytes   1002: control frame too long              §5.5
func closeFile() file {
	f := file{Group: "close", Description: "Close frame payloads: every class of status code, 1-byte payloads and reasons that are not UTF-8"}
	add := func(id, desc, section string, payload any, exp obj) {
		f.Vectors = append(f.Vectors, vector{id, desc, section, obj{{"payload", payload}}, exp})
	}
	accepted := func(code int, reason string) obj {
		return obj{{"closed", obj{{"code", code}, {"reason", reason}}}}
	}
	codeHex := func(code int) string { return hex.EncodeToString(binary.BigEndian.AppendUint16(nil, uint16(code))) }

	add("close-empty", "Empty close payload: no status code, reported as 1005", "7.1.5", "", accepted(1005, ""))
	for _, b := range []string{"00", "03", "e8", "ff"} {
		add("close-1-byte-"+b, fmt.Sprintf("Close payload of one byte %s: too short for a status code", b), "5.5.1", b, errorExp(1002, "5.5.1"))
	}

	type class struct {
		codes   []int
		ok      bool
		section string
		what    string
	}
	classes := []class{
		{[]int{0, 1, 999}, false, "7.4.2", "in 0-999, which are not used"},
		{[]int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011}, true, "7.4.1", "defined by RFC 6455"},
		{[]int{1004}, false, "7.4.1", "reserved"},
		{[]int{1005, 1006, 1015}, false, "7.4.1", "never sent in a close frame"},
		{[]int{1012, 1013, 1014}, true, "11.7", "registered with IANA"},
		{[]int{1016, 1100, 2000, 2999}, false, "7.4.2", "reserved for the protocol but undefined"},
		{[]int{3000, 3500, 3999}, true, "7.4.2", "for libraries and frameworks"},
		{[]int{4000, 4500, 4999}, true, "7.4.2", "for private use"},
		{[]int{5000, 32768, 65535}, false, "7.4.2", "outside every range RFC 6455 defines"},
	}
	for _, c := range classes {
		for _, code := range c.codes {
			id := fmt.Sprintf("close-code-%d", code)
			if c.ok {
				add(id, fmt.Sprintf("Close code %d, %s: accepted", code, c.what), c.section, codeHex(code), accepted(code, ""))
				add(id+"-with-reason", fmt.Sprintf("Close code %d with a reason: accepted with its reason", code), c.section,
					[]any{codeHex(code), obj{{"text", "reason"}}}, accepted(code, "reason"))
			} else {
				add(id, fmt.Sprintf("Close code %d, %s: protocol error", code, c.what), c.section, codeHex(code), errorExp(1002, c.section))
			}
		}
	}

	// Reasons.
	add("close-reason-utf8", "Close 1000 with a UTF-8 reason \"κόσμε\": accepted", "5.5.1",
		[]any{"03e8", obj{{"text", "κόσμε"}}}, accepted(1000, "κόσμε"))
	long := make([]byte, 123)
	for i := range long {
		long[i] = 'a' + byte(i%26)
	}
	add("close-reason-123", "Close 1000 with a 123-byte reason: 125 bytes, the most a control frame holds", "5.5",
		[]any{"03e8", obj{{"text", string(long)}}}, accepted(1000, string(long)))
	add("close-reason-124", "Close 1000 with a 124-byte reason: 126 bytes, over the control frame limit", "5.5",
		[]any{"03e8", obj{{"text", string(long) + "z"}}}, errorExp(1002, "5.5"))
	for _, c := range []struct{ name, hex, what string }{
		{"ff", "ff", "an impossible byte"},
		{"lone-continuation", "80", "a lone continuation byte"},
		{"overlong", "c0 af", "an overlong '/'"},
		{"surrogate", "ed a0 80", "a UTF-16 surrogate"},
		{"above-10ffff", "f4 90 80 80", "a code point above U+10FFFF"},
		{"truncated", "48 69 e2 82", "a truncated character at its end"},
	} {
		add("close-reason-invalid-"+c.name, fmt.Sprintf("Close 1000 whose reason holds %s: invalid UTF-8 is 1007", c.what), "8.1",
			"03e8 "+c.hex, errorExp(1007, "8.1"))
	}
	return f
}
