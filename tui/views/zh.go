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
	"no FIN": "未置 FIN",
	"#%d · %s · %s · %s · %d bytes on the wire": "#%d · %s · %s · %s · 线上 %d 字节",
	" · REFUSED": " · 被拒绝",
	"#%d · %s · %d bytes written by hand (raw frame lab)":                  "#%d · %s · 手写的 %d 字节（原始帧实验室）",
	"#%d · %s · one read of %d bytes from TCP":                             "#%d · %s · 从 TCP 一次读到的 %d 字节",
	"#%d · %s · compressed %s message · %d bytes on the wire, %d inflated": "#%d · %s · 压缩的 %s 消息 · 线上 %d 字节，解压后 %d 字节",

	// The end of a connection.
	"client":                                 "客户端",
	"server":                                 "服务器",
	"%s closed TCP after the peer closed it": "%s在对端关闭后关闭了 TCP",
	"%s closed TCP first":                    "%s先关闭了 TCP",
	"; received no close frame (1006, abnormal closure)": "；没有收到关闭帧（1006，异常关闭）",
	"; received close %s":                                "；收到的关闭帧带关闭码 %s",
	"; sent no close frame":                              "；没有发送关闭帧",
	"; sent a close frame with no code":                  "；发送了不带关闭码的关闭帧",
	"; sent close %s":                                    "；发出的关闭帧带关闭码 %s",
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
	"accepted: %s": "已接受：%s",
	"  an extension this codec does not know":                                             "  这个编解码器不认识的扩展",
	"  no parameters: context takeover both ways, windows of 2^15 bytes (§7.1.1, §7.1.2)": "  没有参数：两个方向都做上下文接管，窗口都是 2^15 字节（§7.1.1、§7.1.2）",
	": ":                  "：",
	"declined: %s (%s)":   "未接受：%s（%s）",
	"no context takeover": "不做上下文接管",
	"context takeover":    "上下文接管",
	"agreed: client → server %s, window 2^%d; server → client %s, window 2^%d. RSV1 now marks a compressed message (§6).":      "协商结果：客户端 → 服务器：%s，窗口 2^%d；服务器 → 客户端：%s，窗口 2^%d。从现在起 RSV1 标记压缩过的消息（§6）。",
	"nothing agreed: frames stay as RFC 6455 defines them, and RSV1 stays a violation (§5.2)":                                  "未协商出任何扩展：帧格式与 RFC 6455 的定义相同，置位 RSV1 仍属违规（§5.2）",
	"the client asks the server to empty its compression window after every message (RFC 7692 §7.1.1.1)":                       "客户端请求服务器每发完一条消息就清空压缩窗口（RFC 7692 §7.1.1.1）",
	"the server will empty its window after every message: nothing it sends points back into an earlier message (§7.1.1.1)":    "服务器每发完一条消息就清空窗口：它发出的内容不会回溯引用之前的消息（§7.1.1.1）",
	"a hint that the client will not use context takeover: it empties its window after every message (§7.1.1.2)":               "客户端提示自己不会使用上下文接管：它每发完一条消息就清空窗口（§7.1.1.2）",
	"the server prevents the client from using context takeover: the client empties its window after every message (§7.1.1.2)": "服务器不让客户端使用上下文接管：客户端每发完一条消息就清空窗口（§7.1.1.2）",
	"the client asks the server to keep its window to 2^%s bytes (§7.1.2.1)":                                                   "客户端请求服务器把窗口限制在 2^%s 字节以内（§7.1.2.1）",
	"the server's window is at most 2^%s bytes (§7.1.2.1)":                                                                     "服务器的窗口最多 2^%s 字节（§7.1.2.1）",
	"the client can limit its own window if the server asks it to (§7.1.2.2)":                                                  "服务器要求时，客户端可以限制自己的窗口（§7.1.2.2）",
	"the client will keep its window to 2^%s bytes (§7.1.2.2)":                                                                 "客户端会把窗口限制在 2^%s 字节以内（§7.1.2.2）",
	"the client's window must be at most 2^%s bytes (§7.1.2.2)":                                                                "客户端的窗口必须不超过 2^%s 字节（§7.1.2.2）",
	"a parameter permessage-deflate does not define for an offer: the server must decline this offer (§7.1)":                   "permessage-deflate 没有为提议定义的参数：服务器必须拒绝这个提议（§7.1）",
	"a parameter permessage-deflate does not define for a response: the client must fail the WebSocket connection (§7.1)":      "permessage-deflate 没有为响应定义的参数：客户端必须使 WebSocket 连接失败（§7.1）",

	// The cursor and the way to the code.
	"» selected: %s = %s (byte %s)":                 "» 已选中：%s = %s（字节下标 %s）",
	"» hex cursor: byte %d = 0x%02x = %08b":         "» 十六进制光标：字节下标 %d = 0x%02x = %08b",
	"» %s: see the code for %s":                     "» %s：查看 %s 的代码",
	"» %s: pick a field · %s: see the code for %s":  "» %s：选择字段 · %s：查看 %s 的代码",
	"» %s: pick a header · %s: see the code for %s": "» %s：选择头部 · %s：查看 %s 的代码",
	"  » %s: see the code for %s · %s: next header": "  » %s：查看 %s 的代码 · %s：下一个头部",

	"The message it starts, inflated and taken apart into literals and back-references, is the \"infl.\" entry after its last frame.": "以这一帧开头的消息，解压并拆分为字面量（literal）和回溯引用（back-reference）后，显示在它最后一帧之后的那条“infl.”记录里。",
	"These bytes went out through WriteRaw, past every check of the encoder. The next entries show how the server read them.":         "这些字节通过 WriteRaw 发出，绕过了编码器的所有检查。后面的记录显示服务器是怎样读取它们的。",

	// A compressed message (RFC 7692), taken apart.
	"text":                    "文本",
	"binary":                  "二进制",
	"stored (no compression)": "存储块（不压缩）",
	"fixed Huffman codes":     "固定 Huffman 编码",
	"dynamic Huffman codes":   "动态 Huffman 编码",
	"reserved type 3":         "保留的类型 3",
	"A compressed %s message from the %s: %d bytes of DEFLATE data on the wire (RSV1 on its first frame) inflate to %d bytes.": "%[2]s发来的压缩%[1]s消息：线路上 %[3]d 字节的 DEFLATE 数据（第一帧置了 RSV1），解压后 %[4]d 字节。",
	"on the wire (payload unmasked, frames joined)": "线路上的字节（已去掩码，各帧拼接）",
	"+ 00 00 ff ff: the end of the sync flush, left off by the sender (RFC 7692 §7.2.1) and put back by the receiver before inflating (§7.2.2)": "+ 00 00 ff ff：同步刷新（sync flush）的结尾，发送方省略（RFC 7692 §7.2.1），接收方解压前补回（§7.2.2）",
	"inflated": "解压结果",
	"what the compressed bytes say (DEFLATE, RFC 1951)": "压缩字节的含义（DEFLATE，RFC 1951）",
	"the token decoder refused these bytes: ":           "DEFLATE 符号解码器拒绝了这些字节（原文）：",
	", BFINAL set":             "，BFINAL 已置位",
	"block %d at bit %d: %s%s": "块 %d，起始位偏移 %d：%s%s",
	"  literals  %s  (%s, each sent as its own code)":                                 "  字面量 %s（%s，每个字节各用一个码字）",
	"  stored    %s  (%s, as they are)":                                               "  存储块 %s（%s，原样存放）",
	"earlier in this message":                                                         "来自本消息前面的部分",
	"from earlier messages (the window)":                                              "来自之前的消息（窗口）",
	"partly from earlier messages":                                                    "部分来自之前的消息",
	"  copy      %s  (length %d, distance %d: %s)":                                    "  复制 %s（长度 %d，距离 %d：%s）",
	"  … %d more pieces":                                                              "  …… 还有 %d 段",
	"%s as literals, %d copied by back-references (%d of them from earlier messages)": "%s为字面量，%d 字节由回溯引用复制（其中 %d 字节来自之前的消息）",
	"%s as literals, %d copied by back-references":                                    "%s为字面量，%d 字节由回溯引用复制",
	"Context takeover: the %s keeps its window of the last %d bytes (2^%d) from message to message (RFC 7692 §7.1.1), so a message may point back into earlier ones. This one started with %d bytes of earlier messages in its window.": "上下文接管：%s在消息之间保留最近 %d 字节（2^%d）的窗口（RFC 7692 §7.1.1），因此一条消息可以回头引用之前的消息。这条消息开始时，窗口里有 %d 字节来自之前的消息。",
	"No context takeover: %s was agreed (RFC 7692 §%s), so the %s empties its window after every message. Nothing can be copied from earlier messages, and a repeat costs as much as the first time.":                                   "不做上下文接管：握手中约定了 %s（RFC 7692 §%s），所以%s每发完一条消息就清空窗口。无法从之前的消息复制任何内容，重复发送的消息和第一次占用同样多的字节。",
	"%d of the %d bytes were copied from earlier messages: that is why the message takes only %d bytes on the wire.":                                                                                                                    "%[2]d 字节中有 %[1]d 字节复制自之前的消息，所以这条消息在线路上只占 %[3]d 字节。",
	"Nothing repeated within reach, and the sender stored bytes as they are: a stored block costs its header (3 bits, then LEN and NLEN, 2 bytes each) and nothing per byte (RFC 1951 §3.2.4).":                                         "可回溯的范围内没有重复的内容，发送方把字节原样存放：存储块只有块头的开销（3 位，再加各占 2 字节的 LEN 和 NLEN），每个字节本身不增加开销（RFC 1951 §3.2.4）。",
	"Nothing repeated within reach, so every byte went as a literal: DEFLATE's fixed codes give 8 or 9 bits to a byte, plus the block's header and end.":                                                                                "可回溯的范围内没有重复的内容，所以每个字节都作为字面量发送：DEFLATE 的固定编码每个字节要 8 或 9 位，再加上块头和块尾。",
	"Nothing repeated within reach, so every byte went as a literal, coded with the Huffman codes the block itself defines.":                                                                                                            "可回溯的范围内没有重复的内容，所以每个字节都作为字面量发送，用这个块自己定义的 Huffman 编码表示。",
	"1 byte":   "1 字节",
	"%d bytes": "%d 字节",

	// Timeline rows.
	"%s#%-3d %s raw   by hand %6s %7s":     "%s#%-3d %s raw   手写    %6s %7s",
	"%s#%-3d %s %-5s inflated %s→%s %7s%s": "%s#%-3d %s %-5s 解压 %s→%s %7s%s",
	"%s#%-3d %s read  TCP     %6s %7s":     "%s#%-3d %s 读取  TCP     %6s %7s",
	"%s#%-3d ✕ %s TCP closed":              "%s#%-3d ✕ %s TCP 已关闭",
	"%s#%-3d ✕ %s closed TCP first":        "%s#%-3d ✕ %s先关闭 TCP",
}
