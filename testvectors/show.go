package testvectors

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Find returns the vector with the given id.
func (s *Set) Find(id string) (*Vector, error) {
	var ids []string
	for _, f := range s.Files {
		for _, v := range f.Vectors {
			if v.ID == id {
				return v, nil
			}
			if strings.Contains(v.ID, id) {
				ids = append(ids, v.ID)
			}
		}
	}
	msg := fmt.Sprintf("no vector has id %q", id)
	if len(ids) > 0 {
		sort.Strings(ids)
		if len(ids) > 8 {
			ids = append(ids[:8], "...")
		}
		msg += "; ids containing it: " + strings.Join(ids, ", ")
	}
	return nil, fmt.Errorf("%s", msg)
}

// FrameView, if set, draws one frame the way the walkthrough's frame view
// does (bit grid, field table, hex dump, unmasking, explanation); Show then
// prints it under the compact dissection of each frame a vector holds.
// receiver is "client" or "server". The program sets it: this package sits
// below the TUI and cannot import its renderers.
var FrameView func(wire []byte, receiver string) string

// Show returns one vector as plain text: its fields, the dissection of the
// bytes it holds, and what happens when it runs.
func Show(ctx context.Context, set *Set, id string) (string, error) {
	v, err := set.Find(id)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s  (%s, %s)\n%s\nRFC %s §%s, level %s: %q\n\n", v.ID, v.File.Name, v.File.Group, v.Description, v.RFCNumber(), v.Section, v.Level, v.Rule)
	js, _ := json.MarshalIndent(struct {
		Input   Input    `json:"input"`
		Expect  Expect   `json:"expect"`
		Allowed []Expect `json:"allowed,omitempty"`
	}{v.Input, v.Expect, v.Allowed}, "", "  ")
	fmt.Fprintf(&sb, "%s\n\n", js)
	sb.WriteString(dissectVector(v))
	if FrameView != nil {
		var frames []Bytes
		switch v.File.Group {
		case GroupFrames:
			frames = []Bytes{v.Input.Bytes}
		case GroupMessages:
			frames = v.Input.Frames
		}
		for i, f := range frames {
			fmt.Fprintf(&sb, "\n── frame view, input frame %d of %d ──\n%s", i+1, len(frames), FrameView(f, v.Input.Receiver))
		}
	}
	res := RunVector(ctx, v)
	fmt.Fprintf(&sb, "\nexpected: %s\nactual:   %s\n", res.Expected, res.Actual)
	if res.Detail != "" {
		fmt.Fprintf(&sb, "codec:    %s\n", res.Detail)
	}
	if res.Pass {
		sb.WriteString("PASS\n")
	} else {
		fmt.Fprintf(&sb, "FAIL: %s\n", res.Why)
	}
	return sb.String(), nil
}

// dissectVector explains the bytes of a vector in the terms of its group.
func dissectVector(v *Vector) string {
	var sb strings.Builder
	in := v.Input
	switch v.File.Group {
	case GroupFrames:
		sb.WriteString(dissectFrames(in.Bytes))
	case GroupMessages:
		for i, f := range in.Frames {
			fmt.Fprintf(&sb, "input frame %d:\n", i+1)
			sb.WriteString(indent(dissectFrames(f)))
		}
	case GroupUTF8:
		at := 0
		for i, frag := range in.Fragments {
			fmt.Fprintf(&sb, "fragment %d, message bytes %d-%d: % x\n", i+1, at, at+len(frag)-1, []byte(frag))
			at += len(frag)
		}
		if e := v.Expect.Error; e != nil {
			fmt.Fprintf(&sb, "the text can no longer be valid from message byte %d, where wsanatomy fails (the RFC asks only that the connection fail)", *e.At)
			if *e.At == at {
				sb.WriteString(" (the end: the text stops inside a character)")
			}
			sb.WriteString("\n")
		}
	case GroupClose:
		p := in.Payload
		switch len(p) {
		case 0:
			sb.WriteString("close payload: empty (no status code; the receiver reports 1005)\n")
		case 1:
			fmt.Fprintf(&sb, "close payload: 1 byte, % x: too short for a 2-byte status code\n", []byte(p))
		default:
			fmt.Fprintf(&sb, "close payload: status code bytes % x = %d, reason bytes % x\n", []byte(p[:2]), binary.BigEndian.Uint16(p), []byte(p[2:]))
		}
	case GroupHandshake:
		for _, text := range []string{in.Request, in.Response} {
			if text != "" {
				sb.WriteString(strings.ReplaceAll(text, "\r\n", "␍␊\n"))
				sb.WriteString("\n")
			}
		}
		if in.Key != "" {
			fmt.Fprintf(&sb, "key %q + GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11, SHA-1, base64\n", in.Key)
		}
	}
	return sb.String()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}
