package tui

import (
	"errors"
	"fmt"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// The screens of package tui (the walkthrough's own text, free play and
// the raw frame lab) speak the screen's language. Their English stays in
// the code where it is printed, passed through say, sayf or later; each
// screen's table maps those strings (or formats) to Simplified Chinese
// written for Chinese readers with the glossary's words: formsZh here for
// the forms, walkZh in walktext.go for the walkthrough. RFC
// field names (FIN, RSV1, opcode, MASK), opcode names (text, ping, close)
// and payload syntax the learner types (x*200, hex 48 65) stay as they
// are, as the Chinese lessons keep them. A string missing from both tables
// prints in English; TestScreensSpeakChinese fails when one is missing.

// say returns en in lang.
func say(lang, en string) string {
	if lang == "zh" {
		if s, ok := formsZh[en]; ok {
			return s
		}
		if s, ok := walkZh[en]; ok {
			return s
		}
	}
	return en
}

// sayf formats format, in lang, with args.
func sayf(lang, format string, args ...any) string {
	return fmt.Sprintf(say(lang, format), args...)
}

// phrase is a line a form shows later, kept as its English format and
// arguments so that it is drawn in the language of the screen that draws
// it. An error argument is said in that language too when the codec
// knows it as a broken rule.
type phrase struct {
	format string
	args   []any
}

// later keeps format and args for the screen to say.
func later(format string, args ...any) phrase { return phrase{format, args} }

func (p phrase) empty() bool { return p.format == "" }

// in says p in lang.
func (p phrase) in(lang string) string {
	if p.format == "" {
		return ""
	}
	args := make([]any, len(p.args))
	for i, a := range p.args {
		if err, ok := a.(error); ok {
			a = errText(lang, err)
		}
		args[i] = a
	}
	return sayf(lang, p.format, args...)
}

// errText says what went wrong: a broken rule with its RFC section, in
// lang; any other error as the codec words it.
func errText(lang string, err error) string {
	var v *protocol.Violation
	if errors.As(err, &v) {
		msg := render.PlainTheme().WithLang(lang).ViolationMsg(v)
		if v.RFC != "" && v.RFC != "6455" {
			return sayf(lang, "RFC %s §%s: %s", v.RFC, v.Section, msg)
		}
		return sayf(lang, "§%s: %s", v.Section, msg)
	}
	var fe formError
	if errors.As(err, &fe) {
		return fe.p.in(lang)
	}
	return err.Error()
}

// formError is an error of the forms' own, said in the screen's language.
type formError struct{ p phrase }

func (e formError) Error() string { return e.p.in("en") }

// formErr returns the error format says.
func formErr(format string, args ...any) error { return formError{later(format, args...)} }

// wrapIn wraps s to width columns the way lang is wrapped: Chinese may
// break between characters, never before closing punctuation.
func wrapIn(lang, s string, width int) string {
	return render.PlainTheme().WithLang(lang).Wrap(s, width)
}

// formsZh is the Simplified Chinese of every string the forms print,
// keyed by the English.
var formsZh = map[string]string{
	// Both forms.
	"RFC %s §%s: %s": "RFC %s §%s：%s",
	"§%s: %s":        "§%s：%s",
	"on":             "开",
	"off":            "关",

	// Free play.
	"free play": "自由发送",
	" · type a message and send it with enter; the codec checks everything": " · 输入一条消息，按 enter 发送；编解码器会逐项检查",
	"message: ":       "消息：",
	"from: ":          "发送方：",
	"type: ":          "类型：",
	"close code: ":    "关闭码：",
	"fragment size: ": "分片大小：",
	"compress: ":      "压缩：",
	"client":          "客户端",
	"server":          "服务器",
	"payload: text, x*200 = 200 x's, hex 48 65 · 0 = no fragmenting": "载荷：文本；x*200 即 200 个 x；hex 48 65 即原始字节 · 分片大小 0 即不分片",
	"%s: edit the form · %s: walkthrough · %s: raw frame lab":        "%s：编辑表单 · %s：分步讲解 · %s：原始帧实验室",
	"close code: not a number":                                       "关闭码：不是数字",
	"close code %d does not fit in 16 bits":                          "关闭码 %d 超出了 16 位能表示的范围",
	"sending...":                                                     "正在发送……",
	"sent":                                                           "已发送",
	"the codec refused: %s (the session goes on)":                    "编解码器拒绝发送：%s（会话仍在继续）",
	"the codec refused: %s (the session goes on); the connection is closed: %s, then %s starts a fresh one":                               "编解码器拒绝发送：%s（会话仍在继续）；连接已关闭：先按 %s，再按 %s 建立新连接",
	"the connection is closed: %s, then %s starts a fresh one":                                                                            "连接已关闭：先按 %s，再按 %s 建立新连接",
	"the fresh connection is still opening: wait a moment, then send again":                                                               "新连接还在建立中：请稍候再发送",
	"this connection did not negotiate permessage-deflate, so it cannot compress: turn compress off, or %s, then %s starts one that does": "这条连接没有协商 permessage-deflate，不能压缩：把压缩关掉，或者先按 %s，再按 %s 建立一条协商了压缩的连接",
	"(not negotiated on this connection)":                                                                                                 "（这条连接没有协商压缩）",
	"(the connection is closed: %s starts a fresh one)":                                                                                   "（连接已关闭：按 %s 建立新连接）",
	"(the connection is closed: %s, then %s starts a fresh one)":                                                                          "（连接已关闭：先按 %s，再按 %s 建立新连接）",
	"(connecting...)": "（正在连接……）",
	"payload: after \"hex \" come bytes as pairs of hex digits, such as hex 48 65": "载荷：“hex ”之后每两个十六进制数字表示一个字节，例如 hex 48 65",

	// The raw frame lab.
	"raw frame lab ":                         "原始帧实验室 ",
	"raw frame lab":                          "原始帧实验室",
	"preset ‹%d/%d %s›":                      "预设 ‹%d/%d %s›",
	"len form":                               "长度形式",
	"auto":                                   "自动",
	"len":                                    "长度",
	"key":                                    "掩码密钥",
	"payload: ":                              "载荷：",
	"bytes: ":                                "字节：",
	"bytes (edited): ":                       "字节（已手动修改）：",
	"length: %q is not auto or a number":     "长度：“%s”既不是 auto 也不是数字",
	"length %d does not fit the 7-bit form":  "长度 %d 超出了 7 位形式能表示的范围",
	"length %d does not fit the 16-bit form": "长度 %d 超出了 16 位形式能表示的范围",
	"masking key: want 4 hex bytes":          "掩码密钥：需要 4 个十六进制字节",
	"hex: odd number of digits or not hex":   "字节：十六进制数字的个数为奇数，或含有非十六进制字符",
	"edited by hand: %s, so the fields above do not describe them; %s sends these bytes exactly as typed": "已手动修改：%s，上面的字段无法表示这些字节；按 %s 会原样发送",
	"edited by hand: %s":                                                            "已手动修改：%s",
	"fewer than 2 bytes, not yet a frame header":                                    "不到 2 个字节，还不是帧头",
	"a header cut short: %d of its %d bytes":                                        "帧头不完整：应有 %[2]d 个字节，只有 %[1]d 个",
	"%d more bytes than the length field claims (another frame, or trailing bytes)": "比载荷长度字段声明的多出 %d 个字节（可能是下一帧，也可能是多余的字节）",
	"this connection did not negotiate permessage-deflate, so the server reads RSV1 as an unknown bit (§5.2); %s starts one that does": "这条连接没有协商 permessage-deflate，所以在服务器看来 RSV1 是没有定义含义的位（§5.2）；按 %s 建立一条协商了压缩的连接",
	"%s: next field · %s: toggle, change · type in len, key, payload or bytes · %s: send from the client · %s: leave":                  "%s：下一个字段 · %s：切换、修改 · 可在长度、掩码密钥、载荷或字节中输入 · %s：由客户端发送 · %s：离开表单",
	"%s: edit the frame · %s: send it · %s: fresh connection":                                                                          "%s：编辑帧 · %s：发送 · %s：新连接",
	"server's reaction: send a frame to see it":                                                                                        "服务器的反应：发送一个帧就能看到",
	"✗ the client could not send: %s":                                                                                                  "✗ 客户端没能发送：%s",
	"(%s: fresh connection)":                                                                                                           "（%s：新连接）",
	"✓ the server read a valid %s frame":                                                                                               "✓ 服务器读到一个有效的 %s 帧",
	"← close %d":                                                                                                                       "← close %d",
	"← close frame %s %q":                                                                                                              "← 关闭帧 %s %q",
	"← %s frame: the echo":                                                                                                             "← %s 帧：回显",
	"✕ %s TCP closed":                                                                                                                  "✕ %s关闭了 TCP 连接",
	"server's reaction: sending...":                                                                                                    "服务器的反应：正在发送……",
	"(no reaction yet: the server may be waiting for more bytes; TCP is a byte stream)":                                                "（还没有反应：服务器可能在等更多字节；TCP 是字节流）",
	"%s: start a fresh connection":                                                                                                     "%s：建立新连接",
	"%s: edit and send another":                                                                                                        "%s：修改后再发送一个",
	"reaction: ":                                                                                                                       "反应：",
	"server's reaction:":                                                                                                               "服务器的反应：",
	"no connection":                                                                                                                    "没有连接",
	"the fields would encode these bytes differently":                                                                                  "上面的字段编码出来的字节会与此不同",

	// Screen lines about the forms.
	"the frame you are building · %d bytes · not sent yet ": "正在构造的帧 · %d 字节 · 尚未发送 ",
	"waiting for the connection...":                         "正在等待连接……",

	// Preset names.
	"a correct frame":                       "一个正确的帧",
	"RSV1 set, no extension":                "RSV1 为 1，但未协商扩展",
	"reserved opcode 0x3":                   "保留的 opcode 0x3",
	"fragmented ping":                       "分片的 ping",
	"control frame with a 126-byte payload": "载荷 126 字节的 ping（控制帧）",
	"unmasked client frame":                 "未加掩码的客户端帧",
	"length not in minimal form":            "载荷长度不是最短形式",
	"64-bit length, top bit set":            "64 位长度的最高位为 1",
	"continuation, nothing to continue":     "延续帧，却没有可延续的消息",
	"close code 1005":                       "关闭码 1005",
	"invalid UTF-8 text":                    "无效的 UTF-8 文本",
	"RSV1 on a continuation frame":          "延续帧设置了 RSV1",
	"RSV1 on a ping":                        "ping 设置了 RSV1",
	"corrupt deflate data":                  "损坏的 DEFLATE 数据",
	"compression bomb":                      "压缩炸弹",
}
