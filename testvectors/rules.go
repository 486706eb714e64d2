package testvectors

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
)

// The rules a vector must follow beyond JSON types: which fields its group
// uses, which are required, and their ranges. README.md states the same
// rules; a change here must change it too.

var sectionRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)

// inputFields and expectFields list the fields each group (and handshake
// kind) may use. Anything else is an error rather than ignored: a field
// from another group is a sign the vector does not test what its author
// thinks.
var inputFields = map[string][]string{
	GroupFrames:                         {"receiver", "bytes", "in_message", "message_limit"},
	GroupMessages:                       {"receiver", "frames", "message_limit"},
	GroupUTF8:                           {"fragments"},
	GroupClose:                          {"payload"},
	GroupHandshake + "/" + KindAccept:   {"kind", "key"},
	GroupHandshake + "/" + KindRequest:  {"kind", "request", "protocols", "origins"},
	GroupHandshake + "/" + KindResponse: {"kind", "key", "response", "protocols"},
	GroupDeflate + "/" + KindOffer:      {"kind", "extensions"},
	GroupDeflate + "/" + KindResponse:   {"kind", "offer", "extensions"},
	GroupDeflate + "/" + KindMessages:   {"kind", "receiver", "agreed", "frames", "message_limit"},
}

var expectFields = map[string][]string{
	GroupFrames:                         {"frame", "error", "incomplete"},
	GroupMessages:                       {"messages", "error", "closed", "replies"},
	GroupUTF8:                           {"valid", "error"},
	GroupClose:                          {"closed", "error"},
	GroupHandshake + "/" + KindAccept:   {"accept"},
	GroupHandshake + "/" + KindRequest:  {"status", "preferred_status", "preferred_status_level", "sec_websocket_version", "header", "protocol"},
	GroupHandshake + "/" + KindResponse: {"ok", "header", "protocol"},
	GroupDeflate + "/" + KindOffer:      {"accepted", "params"},
	GroupDeflate + "/" + KindResponse:   {"ok"},
	GroupDeflate + "/" + KindMessages:   {"messages", "error", "closed", "replies"},
}

// checker collects the first problem found.
type checker struct{ err error }

func (c *checker) fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = &fieldError{field, fmt.Sprintf(format, args...)}
	}
}

func (c *checker) require(ok bool, field, format string, args ...any) {
	if !ok {
		c.fail(field, format, args...)
	}
}

// checkVector applies the rules of v's group. in and ex are the keys
// present in its input and expect objects, allowed those of each entry of
// its allowed list.
func checkVector(group string, v *Vector, in, ex map[string]bool, allowed []map[string]bool) error {
	c := &checker{}
	c.require(v.Description != "" && !strings.ContainsAny(v.Description, "\r\n"), "description", "want one non-empty line")
	c.require(sectionRE.MatchString(v.Section), "section", "want an RFC 6455 section number like \"5.2\", got %q", v.Section)
	c.require(v.RFC == "" || v.RFC == RFC6455 || v.RFC == RFC7692, "rfc", "want \"6455\" or \"7692\", got %q", v.RFC)
	key := group
	if group == GroupDeflate {
		switch v.Input.Kind {
		case KindOffer, KindResponse, KindMessages:
			key += "/" + v.Input.Kind
		default:
			c.fail("input.kind", "want offer, response or messages, got %q", v.Input.Kind)
			return c.err
		}
	}
	if group == GroupHandshake {
		switch v.Input.Kind {
		case KindAccept, KindRequest, KindResponse:
			key += "/" + v.Input.Kind
		default:
			c.fail("input.kind", "want accept, request or response, got %q", v.Input.Kind)
			return c.err
		}
	}
	allowedOnly(c, "input", in, inputFields[key], key)
	allowedOnly(c, "expect", ex, expectFields[key], key)
	for i, a := range allowed {
		allowedOnly(c, fmt.Sprintf("allowed[%d]", i), a, expectFields[key], key)
	}
	if c.err != nil {
		return c.err
	}
	switch key {
	case GroupFrames:
		checkReceiver(c, v.Input.Receiver)
		c.require(in["bytes"], "input.bytes", "required")
		checkLimit(c, v.Input.MessageLimit)
	case GroupMessages:
		checkReceiver(c, v.Input.Receiver)
		c.require(len(v.Input.Frames) > 0, "input.frames", "want at least one frame")
		checkLimit(c, v.Input.MessageLimit)
	case GroupUTF8:
		c.require(len(v.Input.Fragments) > 0, "input.fragments", "want at least one fragment")
	case GroupClose:
		c.require(in["payload"], "input.payload", "required (\"\" for an empty close frame)")
	case GroupDeflate + "/" + KindOffer:
		c.require(in["extensions"], "input.extensions", "required: the Sec-WebSocket-Extensions lines of the request")
	case GroupDeflate + "/" + KindResponse:
		c.require(v.Input.Offer != "", "input.offer", "required: the client's permessage-deflate offer")
		c.require(in["extensions"], "input.extensions", "required: the Sec-WebSocket-Extensions lines of the response ([] for none)")
	case GroupDeflate + "/" + KindMessages:
		checkReceiver(c, v.Input.Receiver)
		c.require(!in["agreed"] || v.Input.Agreed != "", "input.agreed", "want the agreed permessage-deflate response, or leave it out for none")
		c.require(len(v.Input.Frames) > 0, "input.frames", "want at least one frame")
		checkLimit(c, v.Input.MessageLimit)
	case GroupHandshake + "/" + KindAccept:
		c.require(v.Input.Key != "", "input.key", "required")
	case GroupHandshake + "/" + KindRequest:
		c.require(v.Input.Request != "", "input.request", "required")
	case GroupHandshake + "/" + KindResponse:
		c.require(validKey(v.Input.Key), "input.key", "want the key the client sent: base64 of 16 bytes, got %q", v.Input.Key)
		c.require(v.Input.Response != "", "input.response", "required")
	}
	checkExpect(c, key, "expect", v.Expect, ex)
	for i, a := range v.Allowed {
		checkExpect(c, key, fmt.Sprintf("allowed[%d]", i), a, allowed[i])
	}
	c.require(contains(levels, v.Level), "level", "want MUST, SHOULD or wsanatomy: how firmly RFC 6455 binds the expected result, got %q", v.Level)
	c.require(strings.TrimSpace(v.Rule) != "", "rule", "want the RFC 6455 text the level rests on, quoted verbatim")
	c.require(v.Allowed == nil || len(v.Allowed) > 0, "allowed", "want at least one alternative result, or leave the field out")
	return c.err
}

// checkExpect applies a group's rules to one result: the vector's expect
// or one of its allowed alternatives. at names it in errors.
func checkExpect(c *checker, key, at string, e Expect, ex map[string]bool) {
	switch key {
	case GroupFrames:
		checkFramesExpect(c, at, e, ex)
	case GroupMessages, GroupDeflate + "/" + KindMessages:
		checkMessagesExpect(c, at, e, ex)
	case GroupDeflate + "/" + KindOffer:
		c.require(ex["accepted"], at+".accepted", "required")
		if ex["accepted"] {
			c.require(*e.Accepted == ex["params"], at+".params", "required when an offer is accepted (the answer's parameters), and only then")
		}
	case GroupDeflate + "/" + KindResponse:
		c.require(ex["ok"], at+".ok", "required")
	case GroupUTF8:
		exactlyOne(c, at, ex, "valid", "error")
		if ex["valid"] {
			c.require(*e.Valid, at+".valid", "want true; an invalid text is written as \"error\"")
		}
		if ex["error"] {
			checkError(c, at, e.Error, true)
		}
	case GroupClose:
		exactlyOne(c, at, ex, "closed", "error")
		if ex["closed"] {
			checkClosed(c, at+".closed", e.Closed)
		}
		if ex["error"] {
			checkError(c, at, e.Error, false)
		}
	case GroupHandshake + "/" + KindAccept:
		c.require(e.Accept != "", at+".accept", "required")
	case GroupHandshake + "/" + KindRequest:
		switch {
		case e.Status == nil:
			c.fail(at+".status", "required: 101, or \"4xx\" for a refusal")
		case !e.Status.Any:
			for _, k := range []string{"header", "preferred_status", "preferred_status_level", "sec_websocket_version"} {
				c.require(!ex[k], at+"."+k, "only for a refused request (status \"4xx\")")
			}
		default:
			c.require(ex["header"], at+".header", "required when the request is refused: the header that is wrong, or \"\" for the request line")
			c.require(!ex["protocol"], at+".protocol", "only for an accepted request (status 101)")
			c.require(ex["preferred_status"] == ex["preferred_status_level"], at+".preferred_status_level", "preferred_status and preferred_status_level go together")
			if e.PreferredStatus != nil {
				c.require(*e.PreferredStatus >= 400 && *e.PreferredStatus <= 499, at+".preferred_status", "want a 4xx status, got %d", *e.PreferredStatus)
				c.require(e.PreferredStatusLevel == LevelShould || e.PreferredStatusLevel == LevelWsanatomy, at+".preferred_status_level", "want SHOULD or wsanatomy, got %q", e.PreferredStatusLevel)
			}
		}
	case GroupHandshake + "/" + KindResponse:
		c.require(ex["ok"], at+".ok", "required")
		if ex["ok"] && *e.OK {
			c.require(!ex["header"], at+".header", "only for a refused response (ok false)")
		} else if ex["ok"] {
			c.require(ex["header"], at+".header", "required when the response is refused: the header that is wrong, or \"\" for the status line")
			c.require(!ex["protocol"], at+".protocol", "only for an accepted response (ok true)")
		}
	}
}

func allowedOnly(c *checker, obj string, keys map[string]bool, allowed []string, key string) {
	for _, k := range sortedKeys(keys) {
		if !contains(allowed, k) {
			c.fail(obj+"."+k, "not used by %s vectors (allowed: %s)", key, strings.Join(allowed, ", "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func exactlyOne(c *checker, at string, ex map[string]bool, names ...string) {
	n := 0
	for _, k := range names {
		if ex[k] {
			n++
		}
	}
	c.require(n == 1, at, "want exactly one of %s", strings.Join(names, ", "))
}

func checkReceiver(c *checker, r string) {
	c.require(r == "client" || r == "server", "input.receiver", "want \"client\" or \"server\" (the endpoint that receives the bytes), got %q", r)
}

func checkLimit(c *checker, limit *int64) {
	if limit != nil {
		c.require(*limit > 0, "input.message_limit", "want a positive number of bytes, got %d; leave it out for no limit", *limit)
	}
}

func checkFramesExpect(c *checker, at string, e Expect, ex map[string]bool) {
	exactlyOne(c, at, ex, "frame", "error", "incomplete")
	switch {
	case ex["incomplete"]:
		c.require(*e.Incomplete, at+".incomplete", "want true")
	case ex["error"]:
		checkError(c, at, e.Error, false)
	case ex["frame"]:
		f := e.Frame
		for _, req := range []struct {
			name string
			ok   bool
		}{{"fin", f.Fin != nil}, {"rsv1", f.Rsv1 != nil}, {"rsv2", f.Rsv2 != nil}, {"rsv3", f.Rsv3 != nil},
			{"opcode", f.Opcode != nil}, {"masked", f.Masked != nil}, {"length", f.Length != nil}} {
			c.require(req.ok, at+".frame."+req.name, "required")
		}
		if c.err != nil {
			return
		}
		c.require(*f.Opcode >= 0 && *f.Opcode <= 15, at+".frame.opcode", "want 0-15, got %d", *f.Opcode)
		if *f.Masked {
			c.require(f.MaskKey != nil && len(*f.MaskKey) == 8 && isHex(*f.MaskKey), at+".frame.mask_key", "want 8 hex digits when masked is true")
		} else {
			c.require(f.MaskKey == nil, at+".frame.mask_key", "only when masked is true")
		}
		if f.Payload != nil {
			c.require(uint64(len(*f.Payload)) == *f.Length, at+".frame.payload", "is %d bytes but length says %d", len(*f.Payload), *f.Length)
		}
	}
}

func checkMessagesExpect(c *checker, at string, e Expect, ex map[string]bool) {
	c.require(ex["messages"], at+".messages", "required ([] when no message is delivered)")
	c.require(!(ex["error"] && ex["closed"]), at, "want at most one of error and closed")
	if ex["messages"] {
		for i, m := range *e.Messages {
			f := fmt.Sprintf("%s.messages[%d]", at, i)
			c.require(m.Type == "text" || m.Type == "binary", f+".type", "want \"text\" or \"binary\", got %q", m.Type)
			c.require(m.Payload != nil, f+".payload", "required")
		}
	}
	if ex["error"] {
		checkError(c, at, e.Error, false)
	}
	if ex["closed"] {
		checkClosed(c, at+".closed", e.Closed)
	}
	if ex["replies"] {
		for i, r := range *e.Replies {
			f := fmt.Sprintf("%s.replies[%d]", at, i)
			c.require(r.Opcode != nil && *r.Opcode >= 0 && *r.Opcode <= 15, f+".opcode", "want 0-15")
			c.require(contains(levels, r.Level), f+".level", "want MUST, SHOULD or wsanatomy: how firmly RFC 6455 asks for this frame")
			if r.Opcode == nil {
				continue
			}
			if *r.Opcode == 8 {
				c.require(r.CloseCode != nil && r.Payload == nil, f, "a close reply has close_code and no payload")
				checkCodes(c, f+".close_code", r.CloseCode, 1000, 65535)
				c.require(contains(levels, r.CodeLevel), f+".code_level", "want MUST, SHOULD or wsanatomy: how firmly RFC 6455 fixes the close code")
			} else {
				c.require(r.Payload != nil && r.CloseCode == nil && r.CodeLevel == "", f, "a non-close reply has payload, and no close_code or code_level")
			}
		}
	}
}

func checkError(c *checker, at string, e *ErrorExpect, utf8 bool) {
	checkCodes(c, at+".error.close_code", e.CloseCode, 1000, 4999)
	c.require(contains(levels, e.CodeLevel), at+".error.code_level", "want MUST, SHOULD or wsanatomy: how firmly RFC 6455 fixes the close code, got %q", e.CodeLevel)
	c.require(sectionRE.MatchString(e.Section), at+".error.section", "want an RFC 6455 section number like \"5.2\", got %q", e.Section)
	c.require(e.RFC == "" || e.RFC == RFC6455 || e.RFC == RFC7692, at+".error.rfc", "want \"6455\" or \"7692\", got %q", e.RFC)
	if utf8 {
		c.require(e.At != nil && *e.At >= 0, at+".error.at", "required for utf8 vectors: the byte index where validation fails")
	} else {
		c.require(e.At == nil, at+".error.at", "only for utf8 vectors")
	}
}

// checkCodes checks a set of close codes: at least one, each in range.
func checkCodes(c *checker, field string, codes CodeSet, lo, hi int) {
	c.require(len(codes) > 0, field, "want a close code %d-%d, or a non-empty array of them", lo, hi)
	for _, n := range codes {
		c.require(n >= lo && n <= hi, field, "want close codes %d-%d, got %d", lo, hi, n)
	}
}

func checkClosed(c *checker, field string, e *ClosedExpect) {
	c.require(e.Code != nil && *e.Code >= 0 && *e.Code <= 65535, field+".code", "want a close code 0-65535")
	c.require(e.Reason != nil, field+".reason", "required (\"\" for none)")
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// validKey reports whether key is the base64 of 16 bytes. A response vector
// needs one: the runner makes the client send exactly that key.
func validKey(key string) bool {
	b, err := base64.StdEncoding.DecodeString(key)
	return err == nil && len(b) == 16
}
