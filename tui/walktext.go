package tui

// The walkthrough's own screen text (its titles, status lines and hints;
// the steps' text is in package session, the keys' words in keys.go)
// speaks the screen's language through say, sayf and later (formtext.go),
// as the forms do; walkZh holds its Chinese, written for Chinese readers
// with the glossary's words. TestScreensSpeakChinese fails when a string
// has none.

// walkZh is the Chinese of the walkthrough screen's own text. The
// walkthrough is 分步讲解: it explains a real connection step by step.
var walkZh = map[string]string{
	"step %d/%d · %s": "第 %d/%d 步 · %s",
	"(running this exchange over the connection...)":                                     "（正在这条连接上执行这一步的交互……）",
	"%s: walk through the fields · %s %s: walk through the bytes":                        "%s：逐个查看字段 · %s %s：逐个查看字节",
	"%s: free play · %s: raw frame lab · %s: a fresh connection":                         "%s：自由发送 · %s：原始帧实验室 · %s：建立新连接",
	"The end of the walkthrough. %s: run it again from the start on a fresh connection.": "分步讲解到此结束。按 %s 在一条新连接上从头再来一遍。",
	"the connection is closed: %s starts a fresh one for this part of the walkthrough":   "连接已关闭：按 %s 为这一部分讲解建立新连接",
	"%s":                                   "%s",
	" wsanatomy  walkthrough %d/%d":        " wsanatomy  分步讲解 %d/%d",
	"connecting...":                        "连接中……",
	"● open":                               "● 已连接",
	"○ closed":                             "○ 已关闭",
	"◐ closing":                            "◐ 正在关闭",
	"s%d client %s ⇄ server %s":            "s%d 客户端 %s ⇄ 服务器 %s",
	"session %d: a fresh connection":       "会话 %d：一条新连接",
	"starting a fresh connection...":       "正在建立新连接……",
	"closing the connection...":            "正在关闭连接……",
	"✗ could not start a session: %s":      "✗ 无法建立会话：%s",
	"#%d: the message it starts, inflated": "#%d：以这一帧开头的消息（解压后）",

	// The plain walkthrough.
	"wsanatomy: the WebSocket protocol (RFC 6455), real connections, byte by byte":                   "wsanatomy：WebSocket 协议（RFC 6455），真实的连接，逐字节拆解",
	"A client and a server talk over TCP on 127.0.0.1. Every byte below is what went over the wire.": "客户端和服务器在 127.0.0.1 上通过 TCP 通信。下面的每一个字节都是线上（网络线路上）真实传输的内容。",
	"=== step %d/%d: %s": "=== 第 %d/%d 步：%s",
}
