package views

import (
	"fmt"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
)

// The dissection speaks its theme's language (render.Theme.WithLang): the
// renderers of package render translate what they draw, and the titles,
// headings and hints drawn here pass through say or sayf, with zh below
// holding their Simplified Chinese. RFC field and header names, opcode
// names and FIN stay in English, as the Chinese lessons keep them. A
// string missing from zh prints in English; TestDissectSpeaksChinese
// fails when one the walkthrough shows is missing.

// say returns en in lang.
func say(lang, en string) string {
	if lang == "zh" {
		if s, ok := zh[en]; ok {
			return s
		}
	}
	return en
}

// sayf formats format, in lang, with args.
func sayf(lang, format string, args ...any) string {
	return fmt.Sprintf(say(lang, format), args...)
}

// closeCode names a close code in lang: "1000 (normal closure)".
func closeCode(lang string, c protocol.CloseCode) string { return lessons.CloseCodeName(lang, c) }

var zh = map[string]string{
	// Entry titles.
	"client → server":                       "客户端 → 服务器",
	"server → client":                       "服务器 → 客户端",
	"#%d · %s · opening handshake request":  "#%d · %s · 握手请求",
	"#%d · %s · opening handshake response": "#%d · %s · 握手响应",
	"no FIN": "无 FIN",
	"#%d · %s · %s · %s · %d bytes on the wire": "#%d · %s · %s · %s · 线上 %d 字节",
	" · REFUSED": " · 被拒绝",
	"#%d · %s · %d bytes written by hand (raw frame lab)":                  "#%d · %s · 手写的 %d 字节（原始帧实验室）",
	"#%d · %s · one read of %d bytes from TCP":                             "#%d · %s · 从 TCP 读到的 %d 字节",
	"#%d · %s · compressed %s message · %d bytes on the wire, %d inflated": "#%d · %s · 压缩的 %s 消息 · 线上 %d 字节，解压后 %d 字节",

	// The end of a connection.
	"client":                                 "客户端",
	"server":                                 "服务器",
	"%s closed TCP after the peer closed it": "%s在对端关闭后关闭了 TCP",
	"%s closed TCP first":                    "%s先关闭了 TCP",
	"; received no close frame (1006, abnormal closure)": "；没有收到关闭帧（1006，异常关闭）",
	"; received close %s":                                "；收到关闭码 %s",
	"; sent no close frame":                              "；没有发送关闭帧",
	"; sent a close frame with no code":                  "；发送了不带关闭码的关闭帧",
	"; sent close %s":                                    "；发送了关闭码 %s",
	"§7.1.1: the server should close the TCP connection first, so it holds the TIME_WAIT state.": "§7.1.1：应当由服务器先关闭 TCP 连接，这样处于 TIME_WAIT 状态的是服务器。",

	// Section headings.
	"fields":                             "字段",
	"bytes":                              "字节",
	"unmasking":                          "去掩码",
	"why":                                "为什么",
	"Sec-WebSocket-Accept, step by step": "Sec-WebSocket-Accept 的计算步骤",
	"inflated payload":                   "解压后的载荷",
	"Sec-WebSocket-Extensions: permessage-deflate (RFC 7692)": "Sec-WebSocket-Extensions：permessage-deflate（RFC 7692）",
	"refused: ": "已拒绝：",

	// Sec-WebSocket-Extensions: what each offer and parameter means.
	"the header breaks the grammar of RFC 6455 §9.1: ": "这个头部不符合 RFC 6455 §9.1 的语法：",
	"offer %d: %s": "提议 %d：%s",
	"accepted: %s": "接受：%s",
	"  an extension this codec does not know":                                             "  这个编解码器不认识的扩展",
	"  no parameters: context takeover both ways, windows of 2^15 bytes (§7.1.1, §7.1.2)": "  没有参数：两个方向都做上下文接管，窗口都是 2^15 字节（§7.1.1、§7.1.2）",
	": ":                  "：",
	"declined: %s (%s)":   "拒绝：%s（%s）",
	"no context takeover": "不做上下文接管",
	"context takeover":    "上下文接管",
	"agreed: client → server %s, window 2^%d; server → client %s, window 2^%d. RSV1 now marks a compressed message (§6).":      "协商结果：客户端 → 服务器%s，窗口 2^%d；服务器 → 客户端%s，窗口 2^%d。从现在起 RSV1 标记压缩过的消息（§6）。",
	"nothing agreed: frames stay as RFC 6455 defines them, and RSV1 stays a violation (§5.2)":                                  "没有达成协议：帧保持 RFC 6455 定义的样子，RSV1 仍然算违规（§5.2）",
	"the client asks the server to empty its compression window after every message (RFC 7692 §7.1.1.1)":                       "客户端请求服务器每发完一条消息就清空压缩窗口（RFC 7692 §7.1.1.1）",
	"the server will empty its window after every message: nothing it sends points back into an earlier message (§7.1.1.1)":    "服务器每发完一条消息就清空窗口：它发出的内容不会回溯引用之前的消息（§7.1.1.1）",
	"a hint that the client will not use context takeover: it empties its window after every message (§7.1.1.2)":               "提示客户端不会使用上下文接管：它每发完一条消息就清空窗口（§7.1.1.2）",
	"the server prevents the client from using context takeover: the client empties its window after every message (§7.1.1.2)": "服务器不让客户端使用上下文接管：客户端每发完一条消息就清空窗口（§7.1.1.2）",
	"the client asks the server to keep its window to 2^%s bytes (§7.1.2.1)":                                                   "客户端请求服务器把窗口限制在 2^%s 字节以内（§7.1.2.1）",
	"the server's window is at most 2^%s bytes (§7.1.2.1)":                                                                     "服务器的窗口最多 2^%s 字节（§7.1.2.1）",
	"the client can limit its own window if the server asks it to (§7.1.2.2)":                                                  "服务器要求时，客户端可以限制自己的窗口（§7.1.2.2）",
	"the client will keep its window to 2^%s bytes (§7.1.2.2)":                                                                 "客户端会把窗口限制在 2^%s 字节以内（§7.1.2.2）",
	"the client's window must be at most 2^%s bytes (§7.1.2.2)":                                                                "客户端的窗口必须不超过 2^%s 字节（§7.1.2.2）",
	"a parameter permessage-deflate does not define: an offer with it must be declined (§7.1)":                                 "permessage-deflate 没有定义的参数：带它的提议必须拒绝（§7.1）",

	// The cursor and the way to the code.
	"» selected: %s = %s (byte %s)":                  "» 已选中：%s = %s（第 %s 字节）",
	"» hex cursor: byte %d = 0x%02x = %08b":          "» 十六进制光标：第 %d 字节 = 0x%02x = %08b",
	"» %s: see the code for %s":                      "» %s：查看 %s 的代码",
	"» tab: pick a field · %s: see the code for %s":  "» tab：选择字段 · %s：查看 %s 的代码",
	"» tab: pick a header · %s: see the code for %s": "» tab：选择头部 · %s：查看 %s 的代码",
	"  » %s: see the code for %s · tab: next header": "  » %s：查看 %s 的代码 · tab：下一个头部",

	"The message it starts, inflated and taken apart into literals and back-references, is the \"infl.\" entry after its last frame.": "这一帧开始的消息解压后，拆成字面量（literal）和回溯引用（back-reference），就是它最后一帧之后那条“infl.”记录。",
	"These bytes went out through WriteRaw, past every check of the encoder. The next entries show how the server read them.":         "这些字节通过 WriteRaw 发出，绕过了编码器的所有检查。后面的记录显示服务器是怎样读取它们的。",
}
