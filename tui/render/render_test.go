package render

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a frame the tests render, with who sent it and what the
// receiver found wrong, if anything.
type sample struct {
	name string
	wire []byte
	from protocol.Role
	v    *protocol.Violation
}

// frame builds a frame with the codec's header encoder.
func frame(h protocol.Header, payload []byte) []byte {
	h.Length = uint64(len(payload))
	wire := protocol.AppendHeader(nil, h)
	p := append([]byte(nil), payload...)
	if h.Masked {
		protocol.Mask(h.MaskKey, 0, p)
	}
	return append(wire, p...)
}

// codecViolation is the violation the codec finds in b, sent by from: the
// screens show the codec's own sentences, so the samples use them too.
func codecViolation(b []byte, from protocol.Role) *protocol.Violation {
	h, n, err := protocol.DecodeHeader(b)
	if err != nil {
		panic(err)
	}
	if v := protocol.CheckHeader(h, protocol.State{Role: from.Peer()}); v != nil {
		return v
	}
	_, _, v := protocol.ParseClosePayload(b[n:])
	return v
}

func samples() []sample {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	closeBody, err := protocol.AppendClosePayload(nil, protocol.CloseNormal, "bye")
	if err != nil {
		panic(err)
	}
	big := bytes.Repeat([]byte("a"), 65536)
	// 5 bytes in the 16-bit form: not minimal, which §5.2 forbids.
	nonMinimal := []byte{0x82, 0x7e, 0x00, 0x05, 1, 2, 3, 4, 5}
	return []sample{
		// RFC 6455 §5.7: a single-frame masked text message, "Hello".
		{"hello_masked", []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}, protocol.RoleClient, nil},
		{"hello_unmasked", []byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}, protocol.RoleServer, nil},
		{"len126", frame(protocol.Header{Fin: true, Opcode: protocol.OpBinary}, bytes.Repeat([]byte{7}, 126)), protocol.RoleServer, nil},
		{"len126_masked", frame(protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, MaskKey: key}, bytes.Repeat([]byte("x"), 126)), protocol.RoleClient, nil},
		{"len65536", frame(protocol.Header{Fin: true, Opcode: protocol.OpText}, big), protocol.RoleServer, nil},
		{"len65536_masked", frame(protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, MaskKey: key}, big), protocol.RoleClient, nil},
		{"close_1000", frame(protocol.Header{Fin: true, Opcode: protocol.OpClose, Masked: true, MaskKey: key}, closeBody), protocol.RoleClient, nil},
		{"close_empty", frame(protocol.Header{Fin: true, Opcode: protocol.OpClose}, nil), protocol.RoleServer, nil},
		{"close_bad", frame(protocol.Header{Fin: true, Opcode: protocol.OpClose}, []byte{0x03}), protocol.RoleServer,
			codecViolation(frame(protocol.Header{Fin: true, Opcode: protocol.OpClose}, []byte{0x03}), protocol.RoleServer)},
		{"ping", frame(protocol.Header{Fin: true, Opcode: protocol.OpPing, Masked: true, MaskKey: key}, []byte("hi")), protocol.RoleClient, nil},
		{"pong_1", frame(protocol.Header{Fin: true, Opcode: protocol.OpPong}, []byte("h")), protocol.RoleServer, nil},
		{"first_fragment", frame(protocol.Header{Opcode: protocol.OpText, Masked: true, MaskKey: key}, []byte("Hel")), protocol.RoleClient, nil},
		{"middle_fragment", frame(protocol.Header{Opcode: protocol.OpContinuation}, []byte{0xff, 0x00}), protocol.RoleServer, nil},
		{"last_fragment", frame(protocol.Header{Fin: true, Opcode: protocol.OpContinuation, Masked: true, MaskKey: key}, []byte("lo")), protocol.RoleClient, nil},
		{"rsv1_unmasked_client", frame(protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpText}, []byte("Hi")), protocol.RoleClient,
			codecViolation(frame(protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpText}, []byte("Hi")), protocol.RoleClient)},
		{"masked_server", frame(protocol.Header{Fin: true, Opcode: protocol.OpText, Masked: true, MaskKey: key}, []byte("Hi")), protocol.RoleServer, nil},
		{"reserved_opcode", frame(protocol.Header{Fin: true, Opcode: protocol.Opcode(0x3)}, nil), protocol.RoleServer,
			codecViolation(frame(protocol.Header{Fin: true, Opcode: protocol.Opcode(0x3)}, nil), protocol.RoleServer)},
		{"non_minimal", nonMinimal, protocol.RoleServer, codecViolation(nonMinimal, protocol.RoleServer)},
		{"top_bit", []byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1}, protocol.RoleServer, nil},
		{"truncated", []byte{0x81, 0xfe, 0x01}, protocol.RoleClient, nil},
		{"short_payload", []byte{0x82, 0x0a, 1, 2, 3}, protocol.RoleServer, nil},
	}
}

var (
	request = []byte("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n" +
		"Sec-WebSocket-Version: 13\r\nX-Custom: 1\r\n\r\n")
	response = []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
	refused = []byte("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n")
)

// dissect renders everything tui/render draws for s, at width columns.
func dissect(s sample, t Theme, width int) string {
	f := ParseFrame(s.wire)
	var b strings.Builder
	section := func(name, body string) { fmt.Fprintf(&b, "== %s\n%s\n", name, body) }
	section("BitGrid", BitGrid(f, t, FieldNone))
	section("BitGridFor", BitGridFor(f, t, FieldMaskKey, width))
	section("FieldTable", FieldTable(f, t, FieldOpcode, width))
	section("HexDump", HexDumpFor(f, t, FieldPayload, 3, HexLimit, width))
	section("HexLegend", t.Wrap(t.HexLegend(), width))
	section("Unmask", Unmask(f, t, width))
	var ex []string
	for _, s := range t.Explain(f, s.from, s.v) {
		ex = append(ex, t.Wrap(s, width))
	}
	section("Explain", strings.Join(ex, "\n"))
	return b.String()
}

func handshakes(t Theme, width int) string {
	var b strings.Builder
	for _, raw := range [][]byte{request, response, refused} {
		b.WriteString(Handshake(raw, t, width) + "\n\n")
	}
	steps := protocol.ComputeAcceptSteps("dGhlIHNhbXBsZSBub25jZQ==")
	for _, got := range []string{steps.Accept, "", "wrong="} {
		b.WriteString(AcceptStepsFor(steps, got, t, width) + "\n\n")
	}
	b.WriteString(AcceptSteps(steps, steps.Accept, t) + "\n")
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui/render -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s (run go test ./tui/render -update if the change is meant)\ngot:\n%s", name, path, got)
	}
}

// TestGoldenEnglish pins the English output of every renderer.
func TestGoldenEnglish(t *testing.T) {
	for _, width := range []int{60, 80, 120} {
		var b strings.Builder
		for _, s := range samples() {
			fmt.Fprintf(&b, "######## %s\n%s\n", s.name, dissect(s, PlainTheme(), width))
		}
		golden(t, fmt.Sprintf("frames_en_%d", width), b.String())
		golden(t, fmt.Sprintf("handshake_en_%d", width), handshakes(PlainTheme(), width))
	}
}

// TestGoldenChinese pins the Chinese output, and checks that no line is
// wider than the width it was drawn for, in terminal columns (a Chinese
// character takes two): the 32-bit grid is GridWidth wide whatever the
// width, everything else fits the width.
func TestGoldenChinese(t *testing.T) {
	zhT := PlainTheme().WithLang("zh")
	for _, width := range []int{60, 80, 120} {
		var b strings.Builder
		for _, s := range samples() {
			out := dissect(s, zhT, width)
			fmt.Fprintf(&b, "######## %s\n%s\n", s.name, out)
			checkWidth(t, s.name+" grid", BitGrid(ParseFrame(s.wire), zhT, FieldNone), GridWidth)
			section := ""
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "== ") {
					section = l
					continue
				}
				if section != "== BitGrid" && cols(l) > width {
					t.Errorf("%s at %d, %s: line of %d columns: %q", s.name, width, section, cols(l), l)
				}
			}
		}
		golden(t, fmt.Sprintf("frames_zh_%d", width), b.String())
		hs := handshakes(zhT, width)
		golden(t, fmt.Sprintf("handshake_zh_%d", width), hs)
		// The last block is AcceptSteps, drawn for 100 columns.
		hs = hs[:strings.LastIndex(strings.TrimRight(hs, "\n"), "\n\n")]
		checkWidth(t, fmt.Sprintf("handshake at %d", width), hs, width)
	}
}

// joinLines undoes wrapping: each line break and the indent after it go.
func joinLines(s string) string {
	return regexp.MustCompile(`\n *`).ReplaceAllString(s, "")
}

func checkWidth(t *testing.T, name, s string, width int) {
	t.Helper()
	for _, l := range strings.Split(s, "\n") {
		if cols(l) > width {
			t.Errorf("%s: line of %d columns, more than %d: %q", name, cols(l), width, l)
		}
	}
}

// TestChineseValues checks that the Chinese dissections hold the frame's
// real values, and no English but the RFC's names, the payload and the
// codec's own violation messages.
func TestChineseValues(t *testing.T) {
	zhT := PlainTheme().WithLang("zh")
	want := map[string][]string{
		"hello_masked": {"37 fa 21 3d", `"Hello"`, "0x7f ^ 0x37 = 0x48 'H'", "7f 9f 4d 51 58", "48 65 6c 6c 6f",
			"5 字节", "帧头是 6 字节", "客户端发往服务器，所以加了掩码", "掩码密钥下标 0-1", "载荷下标 0-1", "还有 3 字节载荷",
			"0x1 (text)", "一帧装下一整条文本消息"},
		"len126":               {"126（16 位）", "126 是个标记", "帧头是 4 字节", "16 位形式是能表示它的最短形式", "扩展载荷长度（16 位）", "还有 66 字节，共 130 字节"},
		"len65536":             {"65536（64 位）", "127 是个标记", "帧头是 10 字节", "只有 64 位形式能表示", "扩展载荷长度下标 0-1", "扩展载荷长度下标 2-5"},
		"len65536_masked":      {"帧头是 14 字节", "掩码密钥下标 2-3", "还有 65534 字节载荷"},
		"close_1000":           {"关闭码 1000", `关闭原因 "bye"`, "这是控制帧（opcode 0x8 的最高位为 1）"},
		"close_empty":          {"没有掩码，载荷也是空的", "帧头是 2 字节"},
		"close_bad":            {"关闭帧的载荷违反了规则：", "接收方拒收（§5.5.1）：关闭帧的载荷只有 1 个字节：关闭码需要 2 个字节。", "1002（协议错误）"},
		"rsv1_unmasked_client": {"被置为 1，但已协商的扩展都没有定义它的含义", "客户端发往服务器，却没有加掩码", "接收方拒收（§5.2）：RSV1 被置为 1，但没有协商任何定义它的扩展"},
		"masked_server":        {"服务器发往客户端，却加了掩码"},
		"reserved_opcode":      {"保留：没有扩展定义就没有含义"},
		"non_minimal":          {"5 用 7 位形式就能表示", "这里用的不是最短形式"},
		"top_bit":              {"64 位长度的最高位是 1"},
		"truncated":            {"3 字节还凑不成完整的帧头", "字节太少，凑不成完整的帧头", "帧头不完整", "3 字节：不够一个帧头"},
		"short_payload":        {"接收方停止读取之前，10 字节中只到了 3 字节"},
		"first_fragment":       {"一条文本消息的第一个分片帧", "这条消息后面还有帧"},
		"middle_fragment":      {"FIN 为 0 的延续帧", "（2 字节，不是 UTF-8 文本）", "没有掩码（MASK=0）"},
		"last_fragment":        {"FIN 为 1 的延续帧"},
		"pong_1":               {"pong：回应 ping"},
		"ping":                 {"ping：对端必须回一个 pong", `"hi"`},
	}
	english := regexp.MustCompile(`\b(the|bytes?|is|of|and|more|payload|masked|key|length|frame)\b`)
	seen := map[string]bool{}
	for _, s := range samples() {
		out := dissect(s, zhT, 80)
		for _, w := range want[s.name] {
			if !strings.Contains(joinLines(out), w) {
				t.Errorf("%s: Chinese dissection lacks %q:\n%s", s.name, w, out)
			}
		}
		seen[s.name] = true
		// The codec's own sentences are said in Chinese too.
		rest := regexp.MustCompile(`\n *`).ReplaceAllString(out, " ")
		if m := english.FindString(rest); m != "" {
			t.Errorf("%s: English word %q left in the Chinese dissection:\n%s", s.name, m, out)
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("no sample %s", name)
		}
	}
	hs := handshakes(zhT, 80)
	for _, w := range []string{"请求行：方法是 GET", "101：服务器同意协议升级", "不是 101：没有建立 WebSocket 连接", "（空行）",
		"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "5. 核对", "服务器没有发送 Sec-WebSocket-Accept", "与服务器发来的值不一致：wrong="} {
		if !strings.Contains(hs, w) {
			t.Errorf("Chinese handshake lacks %q:\n%s", w, hs)
		}
	}
}
