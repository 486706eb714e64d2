package lessons

import (
	"fmt"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// The codec names close codes and length forms in English. A Chinese
// lesson or screen shows the same names in Chinese, from here, so the
// lessons and the screens that dissect frames say them with one set of
// words (the glossary's, in the design folder). The numbers and the RFC's
// own terms stay as they are.

// zhCloseNames translates [protocol.CloseCode.Name].
var zhCloseNames = map[string]string{
	"normal closure":             "正常关闭",
	"going away":                 "端点离开",
	"protocol error":             "协议错误",
	"unsupported data":           "不支持的数据类型",
	"reserved":                   "保留",
	"no status received":         "未收到关闭码",
	"abnormal closure":           "异常关闭",
	"invalid frame payload data": "帧载荷数据无效",
	"policy violation":           "违反策略",
	"message too big":            "消息过大",
	"mandatory extension":        "缺少必需的扩展",
	"internal error":             "服务器内部错误",
	"service restart":            "服务重启",
	"try again later":            "稍后重试",
	"bad gateway":                "网关错误",
	"TLS handshake failure":      "TLS 握手失败",
	"not used":                   "不使用的范围",
	"reserved for the protocol":  "保留给协议本身",
	"library or framework use":   "供库、框架和应用使用",
	"private use":                "私有使用",
	"out of range":               "超出已定义的范围",
}

// zhLengthForms translates [protocol.LengthForm.String].
var zhLengthForms = map[string]string{
	"7-bit":    "7 位",
	"7+16-bit": "7+16 位",
	"7+64-bit": "7+64 位",
}

// utf8States are the words of {{utf8state}}: what the UTF-8 validator
// makes of some bytes, in each language.
var utf8States = map[string]map[string]string{
	"en": {
		"valid":      "valid UTF-8",
		"unfinished": "no invalid byte, only an unfinished character",
		"invalid":    "invalid UTF-8 at index %d",
	},
	"zh": {
		"valid":      "有效的 UTF-8",
		"unfinished": "没有无效字节，只是最后一个字符还没结束",
		"invalid":    "下标 %d 处是无效的 UTF-8",
	},
}

// utf8Words returns the words for a validator's verdict in lang.
func utf8Words(lang, verdict string) string {
	if m, ok := utf8States[lang]; ok {
		return m[verdict]
	}
	return utf8States["en"][verdict]
}

// CloseCodeName returns a close code's number and name in lang: "1002
// (protocol error)" in English, "1002（协议错误）" in Chinese.
func CloseCodeName(lang string, c protocol.CloseCode) string {
	if lang == "zh" {
		if name, ok := zhCloseNames[c.Name()]; ok {
			return fmt.Sprintf("%d（%s）", uint16(c), name)
		}
	}
	return c.String()
}

// LengthFormName returns the name of a payload length encoding in lang:
// "7+16-bit" in English, "7+16 位" in Chinese.
func LengthFormName(lang string, f protocol.LengthForm) string {
	if lang == "zh" {
		if s, ok := zhLengthForms[f.String()]; ok {
			return s
		}
	}
	return f.String()
}
