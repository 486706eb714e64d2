package render

import (
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// The renderers speak English unless their Theme says otherwise. The
// English text stays in the code where it is used; zh maps each English
// string (or format) to its Simplified Chinese version, written for
// Chinese readers with the words of the project's glossary. RFC field and
// header names (FIN, RSV1, opcode, MASK, Sec-WebSocket-Key) and opcode
// names stay in English in both languages, as the Chinese lessons keep
// them. A string missing from zh prints in English; a test fails when one
// is missing.

// WithLang returns t speaking lang: "zh" for Simplified Chinese, anything
// else for English. The zero Theme speaks English.
func (t Theme) WithLang(lang string) Theme {
	t.lang = ""
	if lang == "zh" {
		t.lang = "zh"
	}
	return t
}

// Lang returns the theme's language, "en" or "zh".
func (t Theme) Lang() string {
	if t.lang == "" {
		return "en"
	}
	return t.lang
}

// tr returns the text of en in lang.
func tr(lang, en string) string {
	if lang == "zh" {
		if s, ok := zh[en]; ok {
			return s
		}
	}
	return en
}

func (t Theme) tr(en string) string { return tr(t.lang, en) }

// Wrap breaks s into lines of at most width columns in the theme's
// language. English breaks at spaces, exactly as [Wrap] does; Chinese,
// which has no spaces, may also break between characters, never before
// closing punctuation (the wrapper of package lessons), and counts a
// Chinese character as the two columns a terminal draws.
func (t Theme) Wrap(s string, width int) string { return wrapIn(t.lang, s, width) }

func wrapIn(lang, s string, width int) string {
	if lang != "zh" {
		return Wrap(s, width)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = lessons.Wrap(l, width)
	}
	return strings.Join(lines, "\n")
}

// HexLegend explains the tags under a hex dump, in the theme's language.
func (t Theme) HexLegend() string { return t.tr(HexLegend) }

// Quote is [Quote] in the theme's language.
func (t Theme) Quote(p []byte, n int) string { return quoteIn(t.lang, p, n) }

// cols is the number of terminal columns s takes: a Chinese character
// takes two.
func cols(s string) int { return lessons.Width(s) }

// pad pads s with spaces to w columns; a wider s is left as it is.
func pad(s string, w int) string {
	if n := cols(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// zh is the Simplified Chinese for every English string the renderers
// print, keyed by the English.
var zh = map[string]string{
	// Field names (Name, ShortName, bit grid labels). FIN, RSV1-3, opcode
	// and MASK keep their RFC names.
	"payload len":                  "载荷长度",
	"ext. payload len":             "扩展载荷长度",
	"extended payload length":      "扩展载荷长度",
	"extended payload length (16)": "扩展载荷长度（16 位）",
	"extended payload length (64)": "扩展载荷长度（64 位）",
	"masking key":                  "掩码密钥",
	"payload":                      "载荷",
	"payload (masked)":             "载荷（已掩码）",
	"ext. length bytes":            "扩展载荷长度",
	"masking key bytes":            "掩码密钥",
	"payload bytes":                "载荷",
	"%s %d-%d":                     "%s下标 %d-%d",

	// Field values.
	"%d (%d-bit)": "%d（%d 位）",
	"%d bytes":    "%d 字节",
	"7-bit":       "7 位",
	"7+16-bit":    "7+16 位",
	"7+64-bit":    "7+64 位",

	// Field meanings.
	"last frame of its message":                 "所在消息的最后一帧",
	"more frames of this message follow (§5.4)": "这条消息后面还有帧（§5.4）",
	"set, but no extension gives it a meaning: the receiver must fail the connection (§5.2)":                                                                                                                                   "被置为 1，但已协商的扩展都没有定义它的含义：接收方必须使 WebSocket 连接失败（§5.2）",
	"set: permessage-deflate was agreed, and this message's payload is compressed (RFC 7692 §6)":                                                                                                                               "被置为 1：握手中已协商 permessage-deflate，这条消息的载荷是压缩过的（RFC 7692 §6）",
	"RSV1 is set on the first frame of a message on a connection that negotiated permessage-deflate: the payload is compressed, and the receiver inflates the whole message after its last frame (RFC 7692 §6, §6.2, §7.2.2).": "这条连接协商了 permessage-deflate，消息的第一帧置了 RSV1：载荷是压缩过的，接收方收到最后一帧后再解压整条消息（RFC 7692 §6、§6.2、§7.2.2）。",
	"reserved; 0 unless an extension says otherwise (§5.2)":                                                                                                                                                                    "保留位；除非扩展另有定义，否则为 0（§5.2）",
	"the payload is XORed with the masking key (§5.3)":                                                                                                                                                                         "载荷已与掩码密钥逐字节异或（§5.3）",
	"the payload is sent as is (§5.1)":                                                                                  "载荷原样发送，没有掩码（§5.1）",
	"126 is a marker: the next 2 bytes hold the length (16-bit)":                                                        "126 是个标记：真正的长度在后面 2 个字节里（16 位）",
	"127 is a marker: the next 8 bytes hold the length (64-bit)":                                                        "127 是个标记：真正的长度在后面 8 个字节里（64 位）",
	"%d fits in 7 bits (0-125): no extended length":                                                                     "%d 不超过 125，7 位字段可以直接表示：没有扩展载荷长度",
	"32 random bits, fresh for each frame (§5.3)":                                                                       "32 位随机数，每一帧都重新生成（§5.3）",
	"%d of %d bytes arrived before the receiver stopped reading":                                                        "接收方停止读取之前，%[2]d 字节中只到了 %[1]d 字节",
	"continuation: more payload of the message in progress (§5.4)":                                                      "延续帧：正在传输的那条消息的后续载荷（§5.4）",
	"text: the message is UTF-8 text (§5.6)":                                                                            "文本：消息内容是 UTF-8 文本（§5.6）",
	"binary: any bytes; the application decides (§5.6)":                                                                 "二进制：任意字节，含义由应用决定（§5.6）",
	"close: starts or answers the closing handshake (§5.5.1)":                                                           "close：发起或回应关闭握手（§5.5.1）",
	"ping: the peer must answer with a pong, unless it has already received a close frame (§5.5.2)":                     "ping：对端必须回一个 pong，除非它已收到关闭帧（§5.5.2）",
	"pong: answers a ping, or a one-way heartbeat (§5.5.3)":                                                             "pong：回应 ping，也可以单独发送，作为单向心跳（§5.5.3）",
	"reserved: no meaning without an extension; the receiver must fail the connection (§5.2)":                           "保留：没有扩展定义就没有含义；接收方必须使 WebSocket 连接失败（§5.2）",
	"the top bit of the 64-bit length is set, which §5.2 forbids":                                                       "64 位长度的最高位是 1，这是 §5.2 禁止的",
	"%d would fit in the %s form: this form is not minimal, which §5.2 forbids":                                         "%d 用 %s形式就能表示：这里用的不是最短形式，这是 §5.2 禁止的",
	"%d is more than 125 but at most 65535: the 16-bit form is the shortest that fits (§5.2 requires the minimal form)": "%d 大于 125、不超过 65535：16 位形式是能表示它的最短形式（§5.2 要求用最短形式）",
	"%d is more than 65535: only the 64-bit form fits (its top bit must be 0, §5.2)":                                    "%d 大于 65535：只有 64 位形式能表示（最高位必须为 0，§5.2）",
	"close body breaks a rule: ":                                                                                        "关闭帧的载荷违反了规则：",
	"empty close body: no status code (reported as 1005)":                                                               "关闭帧的载荷为空：没有关闭码（上报为 1005）",
	"close code %s, reason %q":                                                                                          "关闭码 %s，关闭原因 %q",
	"(%d bytes of UTF-8 text cut at the frame's edges)":                                                                 "（%d 字节，是在帧边界处被截断的 UTF-8 文本）",
	"(%d bytes of DEFLATE data)":                                                                                        "（%d 字节 DEFLATE 压缩数据）",
	"(%d bytes, not UTF-8 text)":                                                                                        "（%d 字节，不是 UTF-8 文本）",
	"(%d bytes of binary)":                                                                                              "（%d 字节二进制数据）",
	"  %d bytes: not enough for a header":                                                                               "  %d 字节：不够一个帧头",

	// Explain.
	"%d bytes are not a whole header yet: a receiver waits for the rest (TCP is a byte stream).":                                                                                                    "%d 字节还凑不成完整的帧头：接收方会等剩下的字节到来（TCP 是字节流）。",
	"Client to server, so masked (§5.1): a fresh random key per frame, so that a script cannot choose the bytes a confused proxy sees (§10.3). Masking is not encryption: the key is in the frame.": "客户端发往服务器，所以加了掩码（§5.1）：每一帧用一个新的随机掩码密钥，脚本就无法决定那些不懂 WebSocket 的代理在线路上看到的字节（§10.3）。掩码不是加密：掩码密钥就写在帧里。",
	"Client to server but NOT masked: §5.1 says the server must close the connection.":                                                                                                              "客户端发往服务器，却没有加掩码：按 §5.1，服务器必须关闭连接。",
	"Server to client but masked: §5.1 says the client must close the connection.":                                                                                                                  "服务器发往客户端，却加了掩码：按 §5.1，客户端必须关闭连接。",
	"Server to client, so not masked (§5.1): only client frames are masked.":                                                                                                                        "服务器发往客户端，所以不加掩码（§5.1）：只有客户端发出的帧才加掩码。",
	"A control frame (opcode %s has its top bit set): a payload of at most 125 bytes, never fragmented (§5.5).":                                                                                     "这是控制帧（opcode %s 的最高位为 1）：载荷最多 125 字节，且不能分片（§5.5）。",
	"A control frame (opcode %s has its top bit set) with FIN clear: control frames MUST NOT be fragmented (§5.5).":                                                                                 "这是控制帧（opcode %s 的最高位为 1），但 FIN 为 0：控制帧不得（MUST NOT）分片（§5.5）。",
	"A control frame (opcode %s has its top bit set): a payload of at most 125 bytes, never fragmented, so it may go between the fragments of a message (§5.5).":                                    "这是控制帧（opcode %s 的最高位为 1）：载荷最多 125 字节，且不能分片，所以可以插在一条消息的分片帧之间（§5.5）。",
	"A continuation frame with FIN set: the last fragment of its message (§5.4).":                                                                                                                   "FIN 为 1 的延续帧：所在消息的最后一个分片帧（§5.4）。",
	"A continuation frame with FIN clear: a middle fragment; more follow (§5.4).":                                                                                                                   "FIN 为 0 的延续帧：位于中间的分片帧，后面还有（§5.4）。",
	"The first fragment of a %s message: FIN is 0, so continuation frames follow (§5.4).":                                                                                                           "一条%s消息的第一个分片帧：FIN 为 0，所以后面会跟着延续帧（§5.4）。",
	"A whole %s message in one frame: FIN is 1 and the opcode is not continuation (0x0).":                                                                                                           "一帧装下一整条%s消息：FIN 为 1，opcode 也不是 0x0（延续帧）。",
	"Length %d fits in the 7-bit field, so the header is %d bytes.":                                                                                                                                 "长度 %d 放得进 7 位字段，所以帧头是 %d 字节。",
	"Length %d needs the 16-bit extended length (7-bit field = 126); the header is %d bytes.":                                                                                                       "长度 %d 要用 16 位的扩展载荷长度（7 位字段 = 126）；帧头是 %d 字节。",
	"Length %d needs the 64-bit extended length (7-bit field = 127); the header is %d bytes.":                                                                                                       "长度 %d 要用 64 位的扩展载荷长度（7 位字段 = 127）；帧头是 %d 字节。",
	"REFUSED by the receiver (%s): %s. It fails the connection with close code %s.":                                                                                                                 "接收方拒收（%s）：%s。随即以关闭码 %s使 WebSocket 连接失败。",

	// Bit grid.
	"(16 bits a row here; the RFC's figure has 32: a wider terminal shows it)": "（这里每行 16 位；RFC 的图每行 32 位，终端宽一些就能看到）",
	"  ... %d more payload bytes (see the hex dump)":                           "  ... 还有 %d 字节载荷（见十六进制转储）",
	"  (too few bytes for a complete header: the receiver waits for more)":     "  （字节太少，凑不成完整的帧头：接收方会继续等）",

	// Hex dump.
	HexLegend:                            "hd=FIN、RSV1-3、opcode  ln=MASK、载荷长度  xl=扩展载荷长度  mk=掩码密钥  pl=载荷",
	"      ... %d more bytes, %d in all": "      ... 还有 %d 字节，共 %d 字节",

	// Unmask.
	"no complete header, so no payload to unmask":                                                                    "帧头不完整，所以没有可以去掩码的载荷",
	"not masked, and the payload is empty":                                                                           "没有掩码，载荷也是空的",
	"not masked (MASK=0): the bytes on the wire are the payload":                                                     "没有掩码（MASK=0）：线路上的字节就是载荷",
	"masked with %s, but the payload is empty: nothing to XOR":                                                       "掩码密钥是 %s，但载荷为空：没有要异或的字节",
	"masked with %s, but none of the %d payload bytes was read (the receiver stopped at the header): nothing to XOR": "掩码密钥是 %s，但 %d 字节的载荷一个也没有读（接收方读完帧头就停下了）：没有要异或的字节",
	"not masked; none of the %d payload bytes was read (the receiver stopped at the header)":                         "没有掩码；%d 字节的载荷一个也没有读（接收方读完帧头就停下了）",
	"masked (wire)": "线路上（已掩码）",
	"unmasked":      "去掩码后",
	"key[i % 4]":    "掩码密钥[i % 4]",
	"byte i of the payload is XORed with byte i mod 4 of the key, counting from 0 (§5.3); XOR again to unmask": "载荷下标为 i 的字节与掩码密钥下标为 i mod 4 的字节做异或（下标从 0 数起，§5.3）；再异或一次即可还原",

	// Opening handshake.
	"required: the server's host, optionally followed by :port when the port is not the default (§4.1 item 4, §4.2.1 item 2)":    "必需：服务器的主机名；端口不是默认端口时，可以再加上“:端口”（§4.1 第 4 条、§4.2.1 第 2 条）",
	"must hold the token \"websocket\", any case (§4.1 item 5, §4.2.1)":                                                          "必须含有 token “websocket”（大小写不限，§4.1 第 5 条、§4.2.1）",
	"must include the token \"Upgrade\", any case (§4.1 item 6, §4.2.1)":                                                         "必须含有 token “Upgrade”（大小写不限，§4.1 第 6 条、§4.2.1）",
	"16 random bytes, base64: a fresh nonce per connection (§4.1 item 7)":                                                        "16 个随机字节的 base64 编码：每条连接一个新的一次性随机数（nonce，§4.1 第 7 条）",
	"must be 13 (§4.1 item 9); a server that does not speak it refuses with an HTTP error and lists its versions (§4.2.2, §4.4)": "必须是 13（§4.1 第 9 条）；不支持该版本的服务器以 HTTP 错误拒绝，并列出自己支持的版本（§4.2.2、§4.4）",
	"the versions this server speaks (§4.4)":                                                                                     "这个服务器支持的版本（§4.4）",
	"base64(SHA-1(key + GUID)): proves a WebSocket server read this request (§4.2.2)":                                            "base64(SHA-1(Sec-WebSocket-Key + GUID))：证明服务器理解了这次 WebSocket 握手（§4.2.2）",
	"subprotocols offered, or the one chosen (§4.1 item 10, §11.3.4)":                                                            "客户端提供的子协议，或服务器选中的那一个（§4.1 第 10 条、§11.3.4）",
	"extensions offered or accepted, e.g. permessage-deflate (§9)":                                                               "提供或接受的扩展，例如 permessage-deflate（§9）",
	"sent by browsers; the server may refuse origins it does not trust (§4.1 item 8, §10.2)":                                     "浏览器会发送；服务器可以拒绝它不信任的源（§4.1 第 8 条、§10.2）",
	"ordinary HTTP; WebSocket ignores it":                                                                                        "普通的 HTTP 头部；WebSocket 不理会它",
	"ordinary HTTP":                                                                                                              "普通的 HTTP 头部",
	"the request line: method GET, HTTP/1.1 or later (§4.1 items 2-3)":                                                           "请求行：方法是 GET，版本是 HTTP/1.1 或更高（§4.1 第 2-3 条）",
	"101: the server agrees to switch protocols; WebSocket frames follow (§4.2.2)":                                               "101：服务器同意协议升级；接下来就是 WebSocket 帧（§4.2.2）",
	"not 101: no WebSocket connection; the client handles the response as HTTP, such as a 401 or a redirect (§4.1)":              "不是 101：没有建立 WebSocket 连接；客户端按普通 HTTP 处理这个响应，例如 401 或重定向（§4.1）",
	"an ordinary HTTP header": "普通的 HTTP 头部",
	"an empty line (CRLF CRLF) ends the head; frames start right after it":      "空行（CRLF CRLF）表示头部结束；紧接着就是帧",
	"an empty line (CRLF CRLF) ends the head; an ordinary HTTP body may follow": "空行（CRLF CRLF）表示头部结束；后面可能跟着普通的 HTTP 消息体",
	"(empty line)": "（空行）",

	// Sec-WebSocket-Accept, step by step.
	"5. check": "5. 核对",
	"matches the server's Sec-WebSocket-Accept: ":                             "与服务器发来的 Sec-WebSocket-Accept 一致：",
	"the server sent no Sec-WebSocket-Accept":                                 "服务器没有发送 Sec-WebSocket-Accept",
	"does NOT match the server's ":                                            "与服务器发来的值不一致：",
	"The key is used as sent, not base64-decoded; the GUID is fixed by §1.3.": "Sec-WebSocket-Key 按收到的字符串原样拼接，不先做 base64 解码；GUID 是 §1.3 规定的固定值。",

	// A 101 response's Upgrade and Connection: the server's duty and the client's check.
	"the server MUST send \"websocket\" (§4.2.2 item 5); the client MUST fail the connection if it is missing or not \"websocket\", any case (§4.1, its checks of the response, item 2)": "服务器必须发送 “websocket”（§4.2.2 第 5 条）；缺少该头部或值不是 “websocket”（大小写不限）时，客户端必须使连接失败（§4.1 中客户端检查响应的第 2 条）",
	"the server MUST send \"Upgrade\" (§4.2.2 item 5); the client MUST fail the connection if it lacks the token \"Upgrade\", any case (§4.1, its checks of the response, item 3)":       "服务器必须发送 “Upgrade”（§4.2.2 第 5 条）；不含 token “Upgrade”（大小写不限）时，客户端必须使连接失败（§4.1 中客户端检查响应的第 3 条）",
}
