package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// violationFormats returns every format the codec makes a violation from:
// the literal format of each violationf call, and the formats wireRule
// returns for close codes. It reads the codec's own source.
func violationFormats(t *testing.T) map[string]token.Position {
	t.Helper()
	names, err := fs.Glob(protocol.Source, "*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]token.Position{}
	lit := func(e ast.Expr) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			if s, err := strconv.Unquote(b.Value); err == nil {
				out[s] = fset.Position(b.Pos())
			}
		}
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := fs.ReadFile(protocol.Source, name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "violationf" || id.Name == "deflateViolation") && len(n.Args) >= 3 {
					lit(n.Args[2])
				}
			case *ast.FuncDecl:
				if n.Name.Name == "wireRule" {
					ast.Inspect(n.Body, func(m ast.Node) bool {
						if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == 2 {
							lit(r.Results[1])
						}
						return true
					})
				}
			}
			return true
		})
	}
	return out
}

// TestEveryViolationHasChinese fails when the codec has a violation
// sentence with no Chinese, or zh has one the codec no longer makes.
func TestEveryViolationHasChinese(t *testing.T) {
	formats := violationFormats(t)
	if len(formats) < 15 {
		t.Fatalf("found only %d violation formats in the codec: the search is broken", len(formats))
	}
	for f, pos := range formats {
		if _, ok := zhViolations[f]; !ok {
			t.Errorf("%s: violation %q has no Chinese in zhViolations", pos, f)
		}
	}
	for en := range zhViolations {
		if _, ok := formats[en]; !ok {
			t.Errorf("zhViolations has %q, which the codec no longer makes", en)
		}
	}
}

// Violations the codec really makes read in Chinese, with its numbers and
// Chinese names for length forms and close codes, and English stays
// English.
func TestViolationInChinese(t *testing.T) {
	st := protocol.State{Role: protocol.RoleServer}
	nonMinimal := protocol.Header{Fin: true, Opcode: protocol.OpBinary, Masked: true, Length: 5, LengthForm: protocol.Length16Bit}
	_, _, closeV := protocol.ParseClosePayload([]byte{0x03, 0xed}) // 1005
	tests := []struct {
		v      *protocol.Violation
		en, zh string
	}{
		{protocol.CheckHeader(nonMinimal, st), "payload length 5 is sent in the 7+16-bit form; the minimal form is 7-bit",
			"载荷长度 5 用的是 7+16 位形式，而最短的形式是 7 位"},
		{closeV, "close code 1005 MUST NOT be set in a close frame: it only reports a situation to the application",
			"关闭码 1005 不得（MUST NOT）写进关闭帧：它只用来向应用报告一种情况"},
		{protocol.CheckHeader(protocol.Header{Fin: false, Opcode: protocol.OpPing, Masked: true}, st),
			"ping frame has FIN clear: control frames must not be fragmented", "ping 帧的 FIN 为 0：控制帧不得分片"},
	}
	for _, tt := range tests {
		if tt.v == nil {
			t.Fatalf("no violation for %q", tt.en)
		}
		if got := PlainTheme().ViolationMsg(tt.v); got != tt.en {
			t.Errorf("English: %q, want %q", got, tt.en)
		}
		if got := PlainTheme().WithLang("zh").ViolationMsg(tt.v); got != tt.zh {
			t.Errorf("Chinese: %q, want %q", got, tt.zh)
		}
	}
	if got := PlainTheme().WithLang("zh").CloseCode(protocol.CloseProtocolError); got != "1002（协议错误）" {
		t.Errorf("close code: %q", got)
	}
}

// A fragment of "你好" cut inside a character is UTF-8 cut at the frame's
// edges, not bad text; bytes no cut can explain are not UTF-8.
func TestCutUTF8(t *testing.T) {
	for _, tt := range []struct {
		p   []byte
		cut bool
	}{
		{[]byte{0xe4, 0xbd}, true},                    // 你 begun
		{[]byte{0xa0, 0xe5, 0xa5}, true},              // 你 ended, 好 begun
		{[]byte{0xbd}, true},                          // the last byte of 好
		{[]byte("caf\xc3\x28"), false},                // c3 cannot be followed by 28
		{[]byte{0xed, 0xa0, 0x80}, false},             // a UTF-16 surrogate
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x41}, false}, // too many continuation bytes
	} {
		if got := cutUTF8(tt.p); got != tt.cut {
			t.Errorf("cutUTF8(% x) = %v, want %v", tt.p, got, tt.cut)
		}
	}
	if q := quoteIn("en", []byte{0xe4, 0xbd}, 20); q != "(2 bytes of UTF-8 text cut at the frame's edges)" {
		t.Errorf("quote of a cut fragment: %q", q)
	}
}

// A fragmented ping is not told that control frames may go between
// fragments: it breaks the rule that allows it.
func TestExplainFragmentedControlFrame(t *testing.T) {
	h := protocol.Header{Opcode: protocol.OpPing, Masked: true, Length: 2}
	f := ParseFrame(append(protocol.AppendHeader(nil, h), 1, 2))
	v := protocol.CheckHeader(h, protocol.State{Role: protocol.RoleServer})
	all := strings.Join(Explain(f, protocol.RoleClient, v), "\n")
	if strings.Contains(all, "may go between") || !strings.Contains(all, "MUST NOT be fragmented") {
		t.Errorf("fragmented ping explained as:\n%s", all)
	}
}

// A rule of permessage-deflate is cited with its RFC: a bare "§6.1" would
// send the reader to RFC 6455's section 6.1, which is about sending data.
func TestExplainNamesRFC7692(t *testing.T) {
	h := protocol.Header{Fin: true, Rsv1: true, Opcode: protocol.OpPing, Masked: true, Length: 2}
	f := ParseFrame(append(protocol.AppendHeader(nil, h), 1, 2))
	v := protocol.CheckHeader(h, protocol.State{Role: protocol.RoleServer, AllowedRSV: 0x40, Deflate: true})
	if v == nil || v.RFC != "7692" {
		t.Fatalf("RSV1 on a ping with permessage-deflate: violation %+v, want one of RFC 7692", v)
	}
	for lang, want := range map[string]string{"en": "REFUSED by the receiver (RFC 7692 §" + v.Section + ")", "zh": "接收方拒收（RFC 7692 §" + v.Section + "）"} {
		all := strings.Join(Theme{}.WithLang(lang).Explain(f, protocol.RoleClient, v), "\n")
		if !strings.Contains(all, want) {
			t.Errorf("%s: want %q in:\n%s", lang, want, all)
		}
	}
}
