package views

import (
	"fmt"
	"math/bits"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
)

// ShortOp names an opcode in at most five letters, for the timeline.
func ShortOp(op protocol.Opcode) string {
	switch op {
	case protocol.OpContinuation:
		return "cont"
	case protocol.OpText:
		return "text"
	case protocol.OpBinary:
		return "bin"
	case protocol.OpClose:
		return "close"
	case protocol.OpPing:
		return "ping"
	case protocol.OpPong:
		return "pong"
	}
	return fmt.Sprintf("op%X", uint8(op))
}

// ShortSize says a length in at most six columns. A hand-made frame can
// claim up to 2^64-1 bytes; those show as a power of two.
func ShortSize(n uint64) string {
	switch {
	case n < 100000:
		return fmt.Sprintf("%dB", n)
	case n < 100000<<10:
		return fmt.Sprintf("%dK", n>>10)
	case n < 100000<<20:
		return fmt.Sprintf("%dM", n>>20)
	}
	return fmt.Sprintf("≥2^%d", bits.Len64(n)-1)
}

func ShortTime(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("+%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("+%.2fs", d.Seconds())
	}
	return fmt.Sprintf("+%dm", int(d.Minutes()))
}

// EntryRowIn is one timeline row in lang ("zh" for Simplified Chinese):
// arrow, opcode, FIN, MASK, length, time. The words of a row are
// translated, its opcode names, FIN and M are not.
func EntryRowIn(e capture.Entry, sel bool, lang string) string {
	mark := "  "
	if sel {
		mark = "▸ "
	}
	arrow := e.Dir.Arrow()
	switch e.Kind {
	case capture.KindHandshake:
		first, _, _ := strings.Cut(string(e.Handshake.Raw), "\r\n")
		first = strings.TrimPrefix(first, "HTTP/1.1 ") // "101 Switching Protocols" fits
		return fmt.Sprintf("%s#%-3d %s %s", mark, e.Seq, arrow, first)
	case capture.KindFrame:
		fin, m, bad := "   ", " ", ""
		if e.Header.Fin {
			fin = "FIN"
		}
		if e.Header.Masked {
			m = "M"
		}
		if e.Violation != nil {
			bad = " ✗" + violationSection(e.Violation)
		}
		return fmt.Sprintf("%s#%-3d %s %-5s %s %s %6s %7s%s", mark, e.Seq, arrow, ShortOp(e.Header.Opcode), fin, m,
			ShortSize(e.Header.Length), ShortTime(e.At), bad)
	case capture.KindRaw:
		return sayf(lang, "%s#%-3d %s raw   by hand %6s %7s", mark, e.Seq, arrow, ShortSize(uint64(len(e.Wire))), ShortTime(e.At))
	case capture.KindMessage:
		bad := ""
		if e.Violation != nil {
			bad = " ✗" + violationSection(e.Violation)
		}
		return sayf(lang, "%s#%-3d %s %-5s inflated %s→%s %7s%s", mark, e.Seq, arrow, ShortOp(e.Header.Opcode),
			ShortSize(uint64(e.WireSize)), ShortSize(e.Header.Length), ShortTime(e.At), bad)
	case capture.KindRead:
		return sayf(lang, "%s#%-3d %s read  TCP     %6s %7s", mark, e.Seq, arrow, ShortSize(uint64(len(e.Wire))), ShortTime(e.At))
	case capture.KindClosed:
		role := say(lang, "client")
		if e.Dir == capture.ServerToClient {
			role = say(lang, "server")
		}
		format := "%s#%-3d ✕ %s TCP closed"
		if e.Closed.ClosedTCPFirst {
			format = "%s#%-3d ✕ %s closed TCP first"
		}
		return sayf(lang, format, mark, e.Seq, role)
	}
	return fmt.Sprintf("%s── %s", mark, e.Note)
}

// Fit pads or cuts s to w display columns. A Chinese character takes
// two columns, and is never cut in half. A line that is cut ends with
// "…", so that a reader knows there was more (a rule cut mid-word looked
// like a bug); trailing spaces or rule (─) cut off are not text and show
// no "…".
func Fit(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w && ansi.StringWidth(strings.TrimRight(ansi.Strip(s), " ─")) <= w {
		s = ansi.Truncate(s, w, "")
	} else if n > w {
		s = ansi.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(0, w-n))
}

// Box makes s exactly h lines of exactly w columns: long lines are cut,
// short ones padded, missing lines added, so that panes placed side by
// side line up whatever their content.
func Box(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = Fit(l, w)
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return strings.Join(lines, "\n")
}

// JoinColumns puts a and b side by side as boxes of h lines, wa and wb
// columns wide, with a vertical rule between them.
func JoinColumns(a, b string, wa, wb, h int) string {
	la, lb := strings.Split(Box(a, wa, h), "\n"), strings.Split(Box(b, wb, h), "\n")
	out := make([]string, h)
	for i := range out {
		out[i] = la[i] + "│" + lb[i]
	}
	return strings.Join(out, "\n")
}

// violationSection cites the rule a violation broke, as "§5.2". A rule of
// permessage-deflate also names its RFC, "§6 (RFC 7692)": everywhere else
// on screen a bare "§" means RFC 6455, where §6 and §7.2.2 are about
// something else. The RFC goes last so that a narrow row cut short still
// shows the mark and the section.
func violationSection(v *protocol.Violation) string {
	if v.RFC != "" && v.RFC != "6455" {
		return "§" + v.Section + " (RFC " + v.RFC + ")"
	}
	return "§" + v.Section
}
