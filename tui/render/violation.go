package render

import (
	"fmt"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// The codec says what a broken rule was in English ([protocol.Violation]
// Msg). A Chinese screen says it in Chinese: zhViolations maps each format
// the codec uses to its Chinese, and the Chinese is formatted with the
// violation's own arguments, so the numbers are the codec's. Opcode names
// stay in English, as everywhere; length forms and close codes are named
// in Chinese (package lessons holds those names, shared with the
// lessons). A format missing here prints in English; a test fails when
// the codec has one that is missing.

// ViolationMsg returns what v says was wrong, in the theme's language.
func (t Theme) ViolationMsg(v *protocol.Violation) string { return violationIn(t.lang, v) }

// CloseCode names a close code in the theme's language, for instance
// "1002 (protocol error)" or "1002（协议错误）".
func (t Theme) CloseCode(c protocol.CloseCode) string { return lessons.CloseCodeName(t.Lang(), c) }

func violationIn(lang string, v *protocol.Violation) string {
	cn, ok := zhViolations[v.Format]
	if lang != "zh" || !ok {
		return v.Msg
	}
	args := make([]any, len(v.Args))
	for i, a := range v.Args {
		switch a := a.(type) {
		case protocol.LengthForm:
			args[i] = lessons.LengthFormName(lang, a)
		case protocol.CloseCode:
			args[i] = lessons.CloseCodeName(lang, a)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(cn, args...)
}

// zhViolations is the Chinese of every violation format of the codec,
// keyed by the English format.
var zhViolations = map[string]string{
	// §5.1, §5.2: bits, opcodes, masking, lengths.
	"RSV%d is set but no extension was negotiated that defines it":        "RSV%d 被置为 1，但没有协商任何定义它的扩展",
	"opcode 0x%X is reserved":                                             "opcode 0x%X 是保留值",
	"frame from the client is not masked; a client must mask every frame": "客户端发来的帧没有加掩码；客户端发出的每一帧都必须加掩码",
	"frame from the server is masked; a server must not mask":             "服务器发来的帧加了掩码；服务器不得加掩码",
	"64-bit payload length has its most significant bit set":              "64 位载荷长度的最高位是 1",
	"payload length %d is sent in the %s form; the minimal form is %s":    "载荷长度 %d 用的是 %s形式，而最短的形式是 %s",

	// §5.4, §5.5: fragments and control frames.
	"%s frame has FIN clear: control frames must not be fragmented": "%s 帧的 FIN 为 0：控制帧不得分片",
	"control frame payload is %d bytes, at most %d allowed":         "控制帧的载荷有 %d 字节，最多只允许 %d 字节",
	"%s payload is %d bytes, at most %d allowed":                    "%s 帧的载荷有 %d 字节，最多只允许 %d 字节",
	"continuation frame with no message in progress":                "收到延续帧，但没有正在传输的消息",
	"new %s frame while a fragmented message is still in progress":  "上一条分片消息还没有结束，又开始了一条新的 %s 消息",

	// §10.4: size limits.
	"message would be %d bytes, more than the limit of %d":           "这条消息将达到 %d 字节，超过了 %d 字节的上限",
	"compressed message inflates to more than the limit of %d bytes": "压缩消息解压后超过了 %d 字节的上限",

	// RFC 7692: permessage-deflate.
	"RSV1 is set on a %s frame; permessage-deflate never compresses control frames":              "%s 帧的 RSV1 被置为 1；permessage-deflate 从不压缩控制帧",
	"RSV1 is set on a continuation frame; it marks only the first frame of a compressed message": "延续帧的 RSV1 被置为 1；RSV1 只标记压缩消息的第一帧",
	"compressed data does not inflate: %s":                                                       "压缩数据无法解压：%s",

	// §5.5.1, §7.4: close frames.
	"%s frame after a close frame":                                                                   "对端已经发过关闭帧，之后又发来了 %s 帧",
	"close frame payload is 1 byte: a status code needs 2":                                           "关闭帧的载荷只有 1 个字节：关闭码需要 2 个字节",
	"close code %d MUST NOT be set in a close frame: it only reports a situation to the application": "关闭码 %d 不得（MUST NOT）写进关闭帧：它只用来向应用报告一种情况",
	"close code %d is reserved: no meaning is defined for it yet":                                    "关闭码 %d 是保留值：目前还没有定义含义",
	"close code %d is in 0-999, a range that is not used":                                            "关闭码 %d 在 0-999 之间，这个范围不使用",
	"close code %d is in 1000-2999, kept for future specifications, and none defines it yet":         "关闭码 %d 在 1000-2999 之间，这个范围留给今后的规范，目前还没有规范定义它",
	"close code %d is above 4999, outside every range the RFC defines":                               "关闭码 %d 大于 4999，不在 RFC 定义的任何范围内",

	// §8.1: UTF-8.
	"close reason is not valid UTF-8":                                     "关闭原因不是有效的 UTF-8",
	"text message is not valid UTF-8 at index %d of the message":          "文本消息在下标 %d 处（从 0 数起）出现了无效的 UTF-8",
	"text message is not valid UTF-8 at index %d of the inflated message": "文本消息解压后在下标 %d 处（从 0 数起）出现了无效的 UTF-8",
	"text message ends in the middle of a UTF-8 character":                "文本消息在一个 UTF-8 字符的中间结束了",
}
