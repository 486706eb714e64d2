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
}

var expectFields = map[string][]string{
	GroupFrames:                         {"frame", "error", "incomplete"},
	GroupMessages:                       {"messages", "error", "closed", "replies"},
	GroupUTF8:                           {"valid", "error"},
	GroupClose:                          {"closed", "error"},
	GroupHandshake + "/" + KindAccept:   {"accept"},
	GroupHandshake + "/" + KindRequest:  {"status", "header", "protocol"},
	GroupHandshake + "/" + KindResponse: {"ok", "header", "protocol"},
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
// present in its input and expect objects.
func checkVector(group string, v *Vector, in, ex map[string]bool) error {
	c := &checker{}
	c.require(v.Description != "" && !strings.ContainsAny(v.Description, "\r\n"), "description", "want one non-empty line")
	c.require(sectionRE.MatchString(v.Section), "section", "want an RFC 6455 section number like \"5.2\", got %q", v.Section)
	key := group
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
	if c.err != nil {
		return c.err
	}
	switch key {
	case GroupFrames:
		checkReceiver(c, v.Input.Receiver)
		c.require(in["bytes"], "input.bytes", "required")
		checkLimit(c, v.Input.MessageLimit)
		checkFramesExpect(c, v.Expect, ex)
	case GroupMessages:
		checkReceiver(c, v.Input.Receiver)
		c.require(len(v.Input.Frames) > 0, "input.frames", "want at least one frame")
		checkLimit(c, v.Input.MessageLimit)
		checkMessagesExpect(c, v.Expect, ex)
	case GroupUTF8:
		c.require(len(v.Input.Fragments) > 0, "input.fragments", "want at least one fragment")
		exactlyOne(c, ex, "valid", "error")
		if ex["valid"] {
			c.require(*v.Expect.Valid, "expect.valid", "want true; an invalid text is written as \"error\"")
		}
		if ex["error"] {
			checkError(c, v.Expect.Error, true)
		}
	case GroupClose:
		c.require(in["payload"], "input.payload", "required (\"\" for an empty close frame)")
		exactlyOne(c, ex, "closed", "error")
		if ex["closed"] {
			checkClosed(c, "expect.closed", v.Expect.Closed)
		}
		if ex["error"] {
			checkError(c, v.Expect.Error, false)
		}
	case GroupHandshake + "/" + KindAccept:
		c.require(v.Input.Key != "", "input.key", "required")
		c.require(v.Expect.Accept != "", "expect.accept", "required")
	case GroupHandshake + "/" + KindRequest:
		c.require(v.Input.Request != "", "input.request", "required")
		switch v.Expect.Status {
		case 101:
			c.require(!ex["header"], "expect.header", "only for a refused request (status other than 101)")
		case 400, 403, 426:
			c.require(ex["header"], "expect.header", "required when the request is refused: the header that is wrong, or \"\" for the request line")
			c.require(!ex["protocol"], "expect.protocol", "only for an accepted request (status 101)")
		default:
			c.fail("expect.status", "want 101, 400, 403 or 426, got %d", v.Expect.Status)
		}
	case GroupHandshake + "/" + KindResponse:
		c.require(validKey(v.Input.Key), "input.key", "want the key the client sent: base64 of 16 bytes, got %q", v.Input.Key)
		c.require(v.Input.Response != "", "input.response", "required")
		c.require(ex["ok"], "expect.ok", "required")
		if ex["ok"] && *v.Expect.OK {
			c.require(!ex["header"], "expect.header", "only for a refused response (ok false)")
		} else if ex["ok"] {
			c.require(ex["header"], "expect.header", "required when the response is refused: the header that is wrong, or \"\" for the status line")
			c.require(!ex["protocol"], "expect.protocol", "only for an accepted response (ok true)")
		}
	}
	return c.err
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

func exactlyOne(c *checker, ex map[string]bool, names ...string) {
	n := 0
	for _, k := range names {
		if ex[k] {
			n++
		}
	}
	c.require(n == 1, "expect", "want exactly one of %s", strings.Join(names, ", "))
}

func checkReceiver(c *checker, r string) {
	c.require(r == "client" || r == "server", "input.receiver", "want \"client\" or \"server\" (the endpoint that receives the bytes), got %q", r)
}

func checkLimit(c *checker, limit *int64) {
	if limit != nil {
		c.require(*limit > 0, "input.message_limit", "want a positive number of bytes, got %d; leave it out for no limit", *limit)
	}
}

func checkFramesExpect(c *checker, e Expect, ex map[string]bool) {
	exactlyOne(c, ex, "frame", "error", "incomplete")
	switch {
	case ex["incomplete"]:
		c.require(*e.Incomplete, "expect.incomplete", "want true")
	case ex["error"]:
		checkError(c, e.Error, false)
	case ex["frame"]:
		f := e.Frame
		for _, req := range []struct {
			name string
			ok   bool
		}{{"fin", f.Fin != nil}, {"rsv1", f.Rsv1 != nil}, {"rsv2", f.Rsv2 != nil}, {"rsv3", f.Rsv3 != nil},
			{"opcode", f.Opcode != nil}, {"masked", f.Masked != nil}, {"length", f.Length != nil}} {
			c.require(req.ok, "expect.frame."+req.name, "required")
		}
		if c.err != nil {
			return
		}
		c.require(*f.Opcode >= 0 && *f.Opcode <= 15, "expect.frame.opcode", "want 0-15, got %d", *f.Opcode)
		if *f.Masked {
			c.require(f.MaskKey != nil && len(*f.MaskKey) == 8 && isHex(*f.MaskKey), "expect.frame.mask_key", "want 8 hex digits when masked is true")
		} else {
			c.require(f.MaskKey == nil, "expect.frame.mask_key", "only when masked is true")
		}
		if f.Payload != nil {
			c.require(uint64(len(*f.Payload)) == *f.Length, "expect.frame.payload", "is %d bytes but length says %d", len(*f.Payload), *f.Length)
		}
	}
}

func checkMessagesExpect(c *checker, e Expect, ex map[string]bool) {
	c.require(ex["messages"], "expect.messages", "required ([] when no message is delivered)")
	c.require(!(ex["error"] && ex["closed"]), "expect", "want at most one of error and closed")
	if ex["messages"] {
		for i, m := range *e.Messages {
			f := fmt.Sprintf("expect.messages[%d]", i)
			c.require(m.Type == "text" || m.Type == "binary", f+".type", "want \"text\" or \"binary\", got %q", m.Type)
			c.require(m.Payload != nil, f+".payload", "required")
		}
	}
	if ex["error"] {
		checkError(c, e.Error, false)
	}
	if ex["closed"] {
		checkClosed(c, "expect.closed", e.Closed)
	}
	if ex["replies"] {
		for i, r := range *e.Replies {
			f := fmt.Sprintf("expect.replies[%d]", i)
			c.require(r.Opcode != nil && *r.Opcode >= 0 && *r.Opcode <= 15, f+".opcode", "want 0-15")
			if r.Opcode == nil {
				continue
			}
			if *r.Opcode == 8 {
				c.require(r.CloseCode != nil && r.Payload == nil, f, "a close reply has close_code and no payload")
			} else {
				c.require(r.Payload != nil && r.CloseCode == nil, f, "a non-close reply has payload and no close_code")
			}
		}
	}
}

func checkError(c *checker, e *ErrorExpect, utf8 bool) {
	c.require(e.CloseCode != nil && *e.CloseCode >= 1000 && *e.CloseCode <= 4999, "expect.error.close_code", "want a close code 1000-4999")
	c.require(sectionRE.MatchString(e.Section), "expect.error.section", "want an RFC 6455 section number like \"5.2\", got %q", e.Section)
	if utf8 {
		c.require(e.At != nil && *e.At >= 0, "expect.error.at", "required for utf8 vectors: the byte index where validation fails")
	} else {
		c.require(e.At == nil, "expect.error.at", "only for utf8 vectors")
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
