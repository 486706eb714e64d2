package sourcebook

// The book in Chinese: the code and its comments stay English (they are
// the codec itself), but what the book adds around them, the section
// summaries and the chapter titles, is available in Simplified Chinese,
// written with the words of the project's glossary. RFC section titles
// stay as the RFC writes them. The tests fail when a summary or a chapter
// has no Chinese.

// SummaryIn returns the section's summary in lang ("zh" for Chinese, any
// other value for English).
func (s Section) SummaryIn(lang string) string {
	if lang == "zh" {
		if z, ok := zhSummaries[s.Num]; ok {
			return z
		}
	}
	return s.Summary
}

// TitleIn returns the chapter's title in lang.
func (c *Chapter) TitleIn(lang string) string {
	if z, ok := zhChapters[c.Title]; ok && lang == "zh" {
		return z[0]
	}
	return c.Title
}

// IntroIn returns the chapter's one-sentence introduction in lang.
func (c *Chapter) IntroIn(lang string) string {
	if z, ok := zhChapters[c.Title]; ok && lang == "zh" {
		return z[1]
	}
	return c.Intro
}

// zhChapters maps a chapter's English title to its Chinese title and
// introduction.
var zhChapters = map[string][2]string{
	"Overview":              {"概览", "这个包是什么，以及怎么读它。"},
	"The opening handshake": {"握手", "一个 HTTP 请求和一个 101 响应，把 TCP 连接变成 WebSocket 连接（§4）。"},
	"The frame header":      {"帧头", "每一帧都以 2 到 14 个字节开头，说明它是什么、有多长（§5.2）。"},
	"Masking":               {"掩码", "客户端用每帧新生成的随机掩码密钥与载荷做异或（§5.3）：先看可移植的 Go 代码，再看同样的事怎样一次做 16 到 32 个字节。"},
	"The rules of a header": {"帧头的规则", "能解码不等于合法：收到的帧头必须通过的各项检查。"},
	"Text is UTF-8":         {"文本是 UTF-8", "文本消息边到达边做 UTF-8 校验（§5.6、§8.1）。"},
	"Messages, fragmentation and control frames": {"消息、分片与控制帧", "一帧一帧地读写消息，中间穿插着 ping 和 pong（§5.4、§5.5）。"},
	"Closing":                 {"关闭连接", "关闭码与关闭握手（§5.5.1、§7）。"},
	"The connection":          {"连接", "把这一切串起来的 Conn，以及让程序看到每一帧的 observer。"},
	"Timeouts and heartbeats": {"超时与心跳", "一次读或写最多能等多久（无论是谁在读写），以及怎样发现一个不再响应的对端。"},
	otherChapter:              {"其他文件", "阅读顺序里还没有列出的文件。"},
	"Compression":             {"压缩", "permessage-deflate（RFC 7692）：如何协商；一个遵守约定窗口的 DEFLATE 压缩器；把压缩后的字节拆成字面量与回溯引用；以及它接入连接的各个位置。"},
}

// zhSummaries is the Chinese of summaries, section by section.
var zhSummaries = map[string]string{
	"1":      "WebSocket 为什么存在：给 Web 应用一条双向通道，省去在 HTTP 上轮询的开销。",
	"1.2":    "协议分两部分：先是一次与 HTTP 兼容的握手，然后是承载消息的帧流。",
	"1.3":    "客户端发送一个随机的 key；服务器把 key 和固定的 GUID 拼接后求 SHA-1，再做 base64 编码，放进 Sec-WebSocket-Accept 返回，以此证明它理解了握手。",
	"1.4":    "任何一方发送关闭帧，另一方回一个关闭帧，然后关闭 TCP；发出关闭帧之后，这一端不再发送数据帧。",
	"1.7":    "WebSocket 运行在 TCP 之上，只在握手时借用 HTTP；收到 101 响应之后，字节流里是帧，不再是 HTTP。",
	"1.9":    "子协议（比如某个聊天协议）运行在 WebSocket 之上：客户端列出若干名字，服务器选一个或一个都不选。",
	"3":      "WebSocket URL：ws://（默认端口 80）和 wss://（默认端口 443，TLS），包含主机、路径和查询，但不能带片段标识符（#fragment）。",
	"4":      "握手：一个 HTTP Upgrade 请求和一个 101 响应，把一条 HTTP 连接变成 WebSocket 连接。",
	"4.1":    "客户端发送什么（GET、Host、Upgrade、Connection、新生成的随机 Sec-WebSocket-Key、版本 13、Origin（浏览器必须发送）、可选的子协议），以及它如何检查服务器的响应。",
	"4.2":    "服务器必须检查请求中的哪些内容，以及它回复什么。",
	"4.2.1":  "服务器检查客户端请求的清单：HTTP/1.1（或更高版本）的 GET 请求、Host、Upgrade: websocket、Connection: Upgrade、base64 解码后为 16 字节的 key 和版本 13。",
	"4.2.2":  "服务器的响应：101 Switching Protocols，带上 Upgrade、Connection、计算出的 Sec-WebSocket-Accept，以及至多一个选定的子协议。",
	"11.3.1": "Sec-WebSocket-Key 的注册：请求中只能有一个，内容是 base64 编码的 16 字节一次性随机数（nonce）。",
	"11.3.3": "Sec-WebSocket-Accept 的注册：服务器响应中只能有一个，用来确认服务器理解并接受了这次 WebSocket 握手。",
	"11.3.5": "Sec-WebSocket-Version 的注册：请求中恰好一个；响应中可以列出多个版本。",
	"4.4":    "服务器不支持客户端的版本时，必须在 Sec-WebSocket-Version 中列出自己支持的版本；状态码是一个 HTTP 错误（本节的例子是 400，§4.2.2 举的例子是 426）。",
	"5":      "数据帧格式：握手之后，所有内容都以帧的形式传输。",
	"5.1":    "客户端发出的每一帧都加掩码，服务器从不加掩码。收到掩码方式不对的帧，接收方必须关闭连接。",
	"5.2":    "逐位看帧头：FIN、三个保留位、4 位 opcode、MASK 位、7 位载荷长度及其 16 位和 64 位扩展，然后是掩码密钥。",
	"5.3":    "掩码把载荷的每个字节与 4 字节掩码密钥中的一个字节做异或；掩码密钥每一帧都重新生成且不可预测，脚本就无法决定代理看到的字节。",
	"5.4":    "一条消息可以拆成多个帧：第一帧带 opcode，其余是延续帧，最后一帧 FIN 为 1。控制帧可以插在中间；除非有扩展允许，不同消息的帧不能交错。",
	"5.5":    "控制帧（close、ping、pong）的 opcode 是 0x8-0xF，载荷最多 125 字节，并且不能分片。",
	"5.5.1":  "关闭帧可以带一个 2 字节的关闭码和一个 UTF-8 关闭原因。收到关闭帧、自己还没发过的一方要回一个；发出关闭帧之后不再发送数据帧。",
	"5.5.2":  "收到 ping 的一端必须回一个 pong；ping 可以携带应用数据。",
	"5.5.3":  "pong 用相同的数据回应 ping，也可以不经请求单独发送，作为单向心跳，不需要回应。",
	"5.6":    "数据帧：文本（opcode 0x1，UTF-8）和二进制（0x2）；消息的类型由它第一帧的 opcode 决定。",
	"5.7":    "帧的十六进制示例：未加掩码和加掩码的“Hello”、分片消息、ping 和 pong，以及 256 字节和 64 KiB 载荷的长度编码。",
	"5.8":    "扩展、保留位与保留 opcode：协议如何扩展。",
	"6":      "发送和接收数据：一端把消息变成帧、再把帧还原成消息的步骤。",
	"6.1":    "发送：把数据组成帧，客户端还要加掩码，并遵守分片规则，留意连接是否已在关闭。",
	"6.2":    "接收：读帧、去掩码、重组分片帧，把完整的消息交给上层。",
	"7":      "关闭连接：关闭握手、TCP 的关闭，以及出错时该报告什么。",
	"7.1.1":  "关闭 TCP：应当由服务器先关闭，这样处于 TIME_WAIT 状态的是服务器而不是客户端。",
	"7.1.2":  "发起关闭握手，就是发送一个关闭帧，可以带关闭码和关闭原因。",
	"7.1.5":  "应用看到的关闭码：对端关闭帧里的那个；关闭帧里没有关闭码时是 1005；根本没收到关闭帧时是 1006。",
	"7.1.7":  "使 WebSocket 连接失败：连接已建立时应当先发一个带合适关闭码的关闭帧，然后关闭 TCP；之后不再处理对端的任何数据。",
	"7.4":    "关闭码说明连接为什么关闭。",
	"7.4.1":  "已定义的关闭码：1000 正常关闭，1001 端点离开，1002 协议错误，1003 不支持的数据类型，1007 帧载荷数据无效，1008 违反策略，1009 消息过大，1010 缺少必需的扩展，1011 服务器内部错误；1005、1006 和 1015 绝不能写进关闭帧。",
	"7.4.2":  "关闭码的范围：1000 以下不使用，1000-2999 留给协议本身及其扩展，3000-3999 供库、框架和应用使用（直接向 IANA 注册），4000-4999 私有使用。",
	"8.1":    "本应按 UTF-8 解读的数据（例如文本消息、关闭原因）被发现不是有效的 UTF-8 时，必须使 WebSocket 连接失败；文本消息的情形用关闭码 1007。",
	"9.1":    "扩展由客户端在 Sec-WebSocket-Extensions 中提出，由服务器选择；没有提出过的扩展不能使用。",
	"10.2":   "浏览器会发送 Origin，服务器应当拒绝它不信任的源（origin），否则任何网页都能带着访问者的 cookie 连上来。",
	"10.3":   "客户端为什么加掩码：不可预测的掩码让恶意脚本无法夹带会迷惑缓存代理的字节。",
	"10.4":   "实现应当限制帧和消息的大小，以免对端耗尽它的内存。",
	"11.7":   "IANA 的关闭码注册表，在 RFC 之后又加入了一些关闭码（1012-1014）。",
	"11.8":   "IANA 的 opcode 注册表：已定义 0x0-0x2 和 0x8-0xA，其余保留。",
}

// TitleIn returns the field's short description in lang.
func (f Field) TitleIn(lang string) string {
	if z, ok := zhFieldTitles[f.ID]; ok && lang == "zh" {
		return z
	}
	return f.Title
}

// zhFieldTitles is the Chinese of each field's Title, by ID.
var zhFieldTitles = map[string]string{
	FieldFIN:         "FIN：消息的最后一帧",
	FieldRSV1:        "RSV1：留给扩展的保留位",
	FieldRSV2:        "RSV2：留给扩展的保留位",
	FieldRSV3:        "RSV3：留给扩展的保留位",
	FieldOpcode:      "opcode：帧的类型",
	FieldMask:        "MASK：载荷是否加了掩码",
	FieldPayloadLen:  "载荷长度（7 位）",
	FieldExtLen16:    "扩展载荷长度（16 位）",
	FieldExtLen64:    "扩展载荷长度（64 位）",
	FieldMaskingKey:  "掩码密钥",
	FieldPayload:     "载荷数据及其掩码",
	HeaderHost:       "Host 头部",
	HeaderUpgrade:    "Upgrade 头部",
	HeaderConnection: "Connection 头部",
	HeaderKey:        "Sec-WebSocket-Key 头部",
	HeaderVersion:    "Sec-WebSocket-Version 头部",
	HeaderOrigin:     "Origin 头部",
	HeaderProtocol:   "Sec-WebSocket-Protocol 头部",
	HeaderExtensions: "Sec-WebSocket-Extensions 头部",
	HeaderAccept:     "Sec-WebSocket-Accept 头部",
}
