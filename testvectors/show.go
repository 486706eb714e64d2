package testvectors

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
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
	} else if near := s.nearest(id, 3); len(near) > 0 {
		msg += "; the closest ids: " + strings.Join(near, ", ") + " (vectors --list lists them all)"
	}
	return nil, fmt.Errorf("%s", msg)
}

// nearest returns up to n ids closest to id by edit distance, closest
// first: a typo's suggestions.
func (s *Set) nearest(id string, n int) []string {
	type scored struct {
		id string
		d  int
	}
	var all []scored
	for _, f := range s.Files {
		for _, v := range f.Vectors {
			all = append(all, scored{v.ID, editDistance(id, v.ID)})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []string
	for _, sc := range all[:min(n, len(all))] {
		out = append(out, sc.id)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (ids are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// FrameView, if set, draws one frame the way the walkthrough's frame view
// does (bit grid, field table, hex dump, unmasking, explanation), in lang
// and for width columns; Show then prints it under the compact dissection
// of each frame a vector holds. receiver is "client" or "server". The
// program sets it: this package sits below the TUI and cannot import its
// renderers.
var FrameView func(wire []byte, receiver, lang string, width int) string

// Show is [ShowIn] in English, 100 columns wide.
func Show(ctx context.Context, set *Set, id string) (string, error) {
	return ShowIn(ctx, set, id, "en", 100)
}

// ShowIn returns one vector as plain text: its fields, the dissection of
// the bytes it holds, and what happens when it runs. Its own words are in
// lang and its prose is wrapped to width columns; the vector's JSON and
// the HTTP heads it holds are printed as they are.
func ShowIn(ctx context.Context, set *Set, id, lang string, width int) (string, error) {
	v, err := set.Find(id)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n%s\n%s\n", fitLines(fmt.Sprintf("%s  (%s, %s)", v.ID, v.File.Name, v.File.Group), width), lessons.Wrap(v.Description, width),
		lessons.Wrap(fmt.Sprintf(say(lang, "RFC %s §%s: %q"), v.RFCNumber(), v.Section, v.Rule), width))
	sb.WriteString(showLevels(v, lang, width))
	sb.WriteString("\n")
	js, _ := json.MarshalIndent(struct {
		Input   Input    `json:"input"`
		Expect  Expect   `json:"expect"`
		Allowed []Expect `json:"allowed,omitempty"`
	}{v.Input, v.Expect, v.Allowed}, "", "  ")
	fmt.Fprintf(&sb, "%s\n\n", js)
	dissection := dissectVector(v, lang, width)
	if v.File.Group != GroupHandshake {
		// The HTTP heads of a handshake vector are printed as they are.
		dissection = fitLines(dissection, width)
	}
	sb.WriteString(dissection)
	if FrameView != nil {
		var frames []Bytes
		switch v.File.Group {
		case GroupFrames:
			frames = []Bytes{v.Input.Bytes}
		case GroupMessages:
			frames = v.Input.Frames
		}
		for i, f := range frames {
			fmt.Fprintf(&sb, "\n"+say(lang, "── frame view, input frame %d of %d ──")+"\n%s", i+1, len(frames), fitLines(FrameView(f, v.Input.Receiver, lang, width), width))
		}
	}
	res := RunVector(ctx, v)
	labelled := func(label, text string) {
		sb.WriteString(hanging(label, text, width))
	}
	sb.WriteString("\n")
	labelled(say(lang, "expected: "), res.Expected)
	labelled(say(lang, "actual:   "), res.Actual)
	if res.Detail != "" {
		labelled(say(lang, "codec:    "), res.Detail)
	}
	if res.Pass {
		sb.WriteString(say(lang, "PASS") + "\n")
	} else {
		labelled(say(lang, "FAIL: "), res.Why)
	}
	return sb.String(), nil
}

// showLevels says how firmly RFC 6455 binds each expected field: the
// rule quoted above may be a MUST on the sender while what the receiver
// does is wsanatomy's choice, and a close code only a SHOULD.
func showLevels(v *Vector, lang string, width int) string {
	fls := FieldLevels(v)
	fw := 0
	for _, fl := range fls {
		fw = max(fw, lessons.Width(fl.Name(lang)))
	}
	var sb strings.Builder
	sb.WriteString(say(lang, "levels of the expected fields:") + "\n")
	choice := false
	for _, fl := range fls {
		level := LevelWord(lang, fl.Level)
		if fl.Informative {
			level = say(lang, "informative: wsanatomy's own report, not compared by other runners")
		}
		choice = choice || fl.Level == LevelWsanatomy && !fl.Informative
		sb.WriteString(fitLines("  "+padWidth(fl.Name(lang), fw)+"  "+level, width) + "\n")
	}
	if choice {
		sb.WriteString(lessons.Wrap(say(lang, "choice = wsanatomy's own choice where RFC 6455 leaves it open (level \"wsanatomy\" in the JSON)"), width) + "\n")
	}
	return sb.String()
}

// hanging is label and text wrapped to width, the lines after the first
// indented under the text.
func hanging(label, text string, width int) string {
	ind := strings.Repeat(" ", lessons.Width(label))
	lines := strings.Split(lessons.Wrap(text, max(20, width-len(ind))), "\n")
	return label + strings.Join(lines, "\n"+ind) + "\n"
}

// dissectVector explains the bytes of a vector in the terms of its group.
func dissectVector(v *Vector, lang string, width int) string {
	var sb strings.Builder
	in := v.Input
	switch v.File.Group {
	case GroupFrames:
		sb.WriteString(dissectFrames(in.Bytes, lang))
	case GroupMessages:
		for i, f := range in.Frames {
			fmt.Fprintf(&sb, say(lang, "input frame %d:")+"\n", i+1)
			sb.WriteString(indent(dissectFrames(f, lang)))
		}
	case GroupUTF8:
		at := 0
		for i, frag := range in.Fragments {
			// Bytes are counted from 0, as the RFC's figures count them.
			if len(frag) == 1 {
				fmt.Fprintf(&sb, say(lang, "fragment %d, message byte %d: % x")+"\n", i+1, at, []byte(frag))
			} else {
				fmt.Fprintf(&sb, say(lang, "fragment %d, message bytes %d-%d: % x")+"\n", i+1, at, at+len(frag)-1, []byte(frag))
			}
			at += len(frag)
		}
		if e := v.Expect.Error; e != nil {
			s := fmt.Sprintf(say(lang, "the text can no longer be valid from index %d of the message, where wsanatomy fails (the RFC asks only that the connection fail, not at which byte)"), *e.At)
			if *e.At == at {
				s += say(lang, " (the end: the text stops inside a character)")
			}
			sb.WriteString(lessons.Wrap(s, width) + "\n")
		}
	case GroupClose:
		p := in.Payload
		switch len(p) {
		case 0:
			sb.WriteString(say(lang, "close payload: empty (no status code; the receiver reports 1005)") + "\n")
		case 1:
			fmt.Fprintf(&sb, say(lang, "close payload: 1 byte, % x: too short for a 2-byte status code")+"\n", []byte(p))
		default:
			if len(p) == 2 {
				fmt.Fprintf(&sb, say(lang, "close payload: status code bytes % x = %d, no reason bytes")+"\n", []byte(p[:2]), binary.BigEndian.Uint16(p))
				break
			}
			fmt.Fprintf(&sb, say(lang, "close payload: status code bytes % x = %d, reason bytes % x")+"\n", []byte(p[:2]), binary.BigEndian.Uint16(p), []byte(p[2:]))
		}
	case GroupHandshake:
		for _, text := range []string{in.Request, in.Response} {
			if text != "" {
				sb.WriteString(strings.ReplaceAll(text, "\r\n", "␍␊\n"))
				sb.WriteString("\n")
			}
		}
		if in.Key != "" {
			sb.WriteString(fitLines(fmt.Sprintf(say(lang, "key %q + GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11, SHA-1, base64"), in.Key), width) + "\n")
		}
	}
	return sb.String()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}
