package tui

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestPlainEveryField reads the plain walkthrough back: for every frame it
// decodes the bytes of the hex dump with protocol.DecodeHeader and checks
// that the field table shows each field with that value, and that the bit
// grid holds the frame's real bits.
func TestPlainEveryField(t *testing.T) {
	var out bytes.Buffer
	if err := WritePlain(&out, "en", PlainWidth); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
		"3. SHA-1     b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea",
		"4. base64    s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
		"matches the server's Sec-WebSocket-Accept",
		"0000  81 85 37 fa 21 3d 7f 9f 4d 51 58",
		"0x7f ^ 0x37 = 0x48 'H'",
		"server closed TCP first",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plain output lacks %q", want)
		}
	}
	sections := strings.Split(text, "\n--- ")[1:]
	frames := 0
	for _, sec := range sections {
		title, _, _ := strings.Cut(sec, "\n")
		if !strings.Contains(sec, "\n0000  ") {
			continue
		}
		frames++
		b := hexDumpBytes(t, sec)
		h, n, err := protocol.DecodeHeader(b)
		if err != nil {
			t.Errorf("%s: hex dump does not hold a header: %v", title, err)
			continue
		}
		bit := func(v bool) string {
			if v {
				return "1"
			}
			return "0"
		}
		want := map[string]string{
			"FIN": bit(h.Fin), "RSV1": bit(h.Rsv1), "RSV2": bit(h.Rsv2), "RSV3": bit(h.Rsv3),
			"opcode":      fmt.Sprintf("0x%X (%s)", uint8(h.Opcode), h.Opcode),
			"MASK":        bit(h.Masked),
			"payload len": fmt.Sprint(b[1] & 0x7F),
			"payload":     fmt.Sprintf("%d bytes", h.Length),
		}
		ext := n - 2
		if h.Masked {
			ext -= 4
		}
		switch ext {
		case 2:
			want["ext. payload len"] = fmt.Sprintf("%d (16-bit)", h.Length)
		case 8:
			want["ext. payload len"] = fmt.Sprintf("%d (64-bit)", h.Length)
		}
		if h.Masked {
			want["masking key"] = fmt.Sprintf("% x", h.MaskKey[:])
		}
		for name, v := range want {
			re := regexp.MustCompile(`(?m)^[ >] ` + regexp.QuoteMeta(name) + ` +` + regexp.QuoteMeta(v) + `( |$)`)
			if !re.MatchString(sec) {
				t.Errorf("%s: field %s should read %q", title, name, v)
			}
		}
		// The first row of the bit grid holds the first 32 bits.
		rows := regexp.MustCompile(`(?m)^\|([01 |]+)\|$`).FindAllStringSubmatch(sec, -1)
		if len(rows) == 0 {
			t.Errorf("%s: no bit grid", title)
			continue
		}
		bits := strings.NewReplacer("|", "", " ", "").Replace(rows[0][1])
		wantBits := ""
		for _, x := range b[:min(4, len(b))] {
			wantBits += fmt.Sprintf("%08b", x)
		}
		if bits != wantBits {
			t.Errorf("%s: bit grid row 0 is %s, bytes say %s", title, bits, wantBits)
		}
	}
	// 20 frames: Hello and echo, binary, 125, 126, 65536 (each with its
	// echo), 3 fragments + ping + pong + echo, ping + pong, close + close;
	// then compressed: Hello and echo twice with context takeover, and
	// twice without.
	if frames != 28 {
		t.Errorf("plain output dissects %d frames, want 28", frames)
	}
}

// hexDumpBytes reads the bytes of the hex dump in one section.
func hexDumpBytes(t *testing.T, sec string) []byte {
	var out []byte
	for _, m := range regexp.MustCompile(`(?m)^[0-9a-f]{4}  ((?:[0-9a-f]{2} ?)+)$`).FindAllStringSubmatch(sec, -1) {
		b, err := hex.DecodeString(strings.ReplaceAll(m[1], " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}
