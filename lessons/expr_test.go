package lessons

import (
	"testing"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// TestExpressionsMatchRFC pins the expressions to values printed in RFC
// 6455 itself, so a wrong helper cannot agree with a wrong codec.
func TestExpressionsMatchRFC(t *testing.T) {
	tests := []struct{ expr, want string }{
		// §1.3 and §4.2.2: the sample nonce and its accept value.
		{`accept "dGhlIHNhbXBsZSBub25jZQ=="`, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="},
		{`acceptconcat "dGhlIHNhbXBsZSBub25jZQ=="`, "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"},
		// §1.3: "0xb3 0x7a 0x4f 0x2c 0xc0 0x62 0x4f 0x16 0x90 0xf6 0x46 0x06 0xcf 0x38 0x59 0x45 0xb2 0xbe 0xc4 0xea"
		{`acceptsha1 "dGhlIHNhbXBsZSBub25jZQ=="`, "b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea"},
		// §5.7 examples.
		{`frame text "Hello" unmasked`, "81 05 48 65 6c 6c 6f"},
		{`frame text "Hello" masked 37fa213d`, "81 85 37 fa 21 3d 7f 9f 4d 51 58"},
		{`frame text "Hel" unmasked nofin`, "01 03 48 65 6c"},
		{`frame continuation "lo" unmasked`, "80 02 6c 6f"},
		{`frame ping "Hello" unmasked`, "89 05 48 65 6c 6c 6f"},
		{`frame pong "Hello" masked "37 fa 21 3d"`, "8a 85 37 fa 21 3d 7f 9f 4d 51 58"},
		{`frame text "Hi" masked 01020304 rsv1`, "c1 82 01 02 03 04 49 6b"},
		{`mask "Hello" 37fa213d`, "7f 9f 4d 51 58"},
		{`xor 7f 37`, "48"},
		// §5.2 length encodings and §5.7's 256-byte and 64 KiB examples.
		{`headersize 125 unmasked`, "2"},
		{`headersize 126 unmasked`, "4"},
		{`headersize 256 unmasked`, "4"},
		{`headersize 65535 unmasked`, "4"},
		{`headersize 65536 unmasked`, "10"},
		{`headersize 65536 masked`, "14"},
		{`headersize 300 masked`, "8"},
		{`lenfield 125`, "125"},
		{`lenfield 126`, "126"},
		{`lenfield 65536`, "127"},
		{`lenform 65535`, "7+16-bit"},
		{`minheader`, "2"},
		{`maxheader`, "14"},
		{`maxcontrol`, "125"},
		{`maxreason`, "123"},
		{`framesize 5 masked`, "11"},
		{`closepayload 1000 "bye"`, "03 e8 62 79 65"},
		{`closecode 1006`, "1006 (abnormal closure)"},
		{`opcode ping`, "0x9"},
		{`opname 0xA`, "pong"},
		{`opname 0`, "continuation"},
		{`hex "你"`, "e4 bd a0"},
		{`bytes "你好"`, "6"},
		{`runes "你好"`, "2"},
		{`utf8bad "48 65 c3"`, "-1"}, // incomplete but not yet invalid
		{`utf8bad "48 c3 28"`, "2"},  // 0x28 cannot continue 0xc3
		{`utf8bad "ed a0 80"`, "1"},  // a UTF-16 surrogate
		{`utf8state "e4 bd"`, "no invalid byte, only an unfinished character"},
		{`utf8state "e4 bd a0"`, "valid UTF-8"},
		{`utf8state "48 c3 28"`, "invalid UTF-8 at index 2"},
		{`rule "89 7e 00 c8" server`, "§5.1"}, // MASK clear from a client, checked first
		{`rule "89 fe 00 c8 01 02 03 04" server`, "§5.5"},
		{`rulecode "81 05" server`, "1002"},
		// RFC 7692 §7.2.3.1: "Hello" in one fixed-Huffman block, BFINAL
		// clear, 00 00 ff ff removed: "0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00".
		{`deflate "Hello"`, "f2 48 cd c9 c9 07 00"},
		{`deflatelen "Hello"`, "7"},
		{`deflatetokens "Hello"`, `literal "Hello"`},
		// §7.2.3.2 without context takeover: "into the same bytes".
		{`deflate "Hello" "Hello" nocontext`, "f2 48 cd c9 c9 07 00"},
		// With it, the RFC's zlib bytes "0xf2 0x00 0x11 0x00 0x00" are a
		// literal and a copy; this codec's are one copy of the whole
		// message, one byte shorter.
		{`inflate "Hello" "f2 00 11 00 00"`, "Hello"},
		{`tokens "Hello" "f2 00 11 00 00"`, `literal "H", match (length 4, distance 5)`},
		{`deflatetokens "Hello" "Hello"`, "match (length 5, distance 5)"},
		{`deflatelen "Hello" "Hello"`, "4"},
	}
	for _, tt := range tests {
		got, err := evalExpr(tt.expr)
		if err != nil {
			t.Errorf("{{%s}}: %v", tt.expr, err)
			continue
		}
		if got != tt.want {
			t.Errorf("{{%s}} = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestExpressionErrors(t *testing.T) {
	for _, expr := range []string{
		`nosuch`, `accept`, `headersize 300`, `headersize 300 maybe`, `mask "Hi" 37fa`,
		`frame text "Hi" masked`, `frame text "Hi" unmasked 01020304`, `frame bogus "Hi" unmasked`,
		`closepayload 1006 ""`, `xor 7f`, `rule "81 85 01 02 03 04 00 00 00 00 00" server`,
		`"unterminated`,
	} {
		if v, err := evalExpr(expr); err == nil {
			t.Errorf("{{%s}} = %q, want an error", expr, v)
		}
	}
	if _, err := expand("a {{accept"); err == nil {
		t.Error("unclosed {{ accepted")
	}
	got, err := expand(`x {{xor 7f 37}} y {{opname 1}} z`)
	if err != nil || got != "x 48 y text z" {
		t.Errorf("expand = %q, %v", got, err)
	}
}

// Names that an expression computes are said in the lesson's language;
// every other value is the same in both.
func TestExpressionsInChinese(t *testing.T) {
	for expr, want := range map[string]string{
		`closecode 1006`:                  "1006（异常关闭）",
		`closecode 1005`:                  "1005（未收到关闭码）",
		`closecode 3001`:                  "3001（供库、框架和应用使用）",
		`lenform 125`:                     "7 位",
		`utf8state "e4 bd"`:               "没有无效字节，只是最后一个字符还没结束",
		`utf8state "48 c3 28"`:            "下标 2 处是无效的 UTF-8",
		`deflatetokens "Hello"`:           "字面量 “Hello”",
		`tokens "Hello" "f2 00 11 00 00"`: "字面量 “H”，匹配（长度 4，距离 5）",
		`deflatetokens "Hello" "Hello"`:   "匹配（长度 5，距离 5）",
		`lenform 65536`:                   "7+64 位",
		`headersize 300 masked`:           "8",
	} {
		if got, err := evalExprIn("zh", expr); err != nil || got != want {
			t.Errorf("zh {{%s}} = %q, %v; want %q", expr, got, err, want)
		}
	}
}

// Every name the codec can give a close code has a Chinese name.
func TestEveryCloseCodeNameInChinese(t *testing.T) {
	for c := 0; c <= 5001; c++ {
		name := protocol.CloseCode(c).Name()
		if _, ok := zhCloseNames[name]; !ok {
			t.Fatalf("close code %d: no Chinese for %q", c, name)
		}
	}
	for _, f := range []protocol.LengthForm{protocol.Length7Bit, protocol.Length16Bit, protocol.Length64Bit} {
		if LengthFormName("zh", f) == f.String() {
			t.Errorf("length form %s has no Chinese name", f)
		}
	}
}
