package session

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Step is one screen of the guided walkthrough: it shows entry Pick of the
// entries its action produced. Every step is written in English (Title,
// Text) and in Simplified Chinese (TitleZh, TextZh); a test fails when a
// step has no Chinese. The text names no keys, so that the plain
// walkthrough can print it as it is; Hint says which keys the screen
// suggests beside it.
type Step struct {
	Title, Text     string
	TitleZh, TextZh string
	Pick            int
	Hint            Hint
}

// Hint is what the interactive screen suggests trying on a step, in the
// words and keys of its own key map.
type Hint int

const (
	NoHint     Hint = iota
	HintFields      // walk the fields of the bit grid and the bytes of the hex dump
	HintTry         // free play, the raw frame lab and a fresh connection
)

// In returns the step's title and text in lang: "zh" for Simplified
// Chinese, anything else for English.
func (s Step) In(lang string) (title, text string) {
	if lang == "zh" && s.TitleZh != "" && s.TextZh != "" {
		return s.TitleZh, s.TextZh
	}
	return s.Title, s.Text
}

// Action is one real exchange of the walkthrough. Action 0 is the opening
// handshake, done by [Start]; the others run with [Session.Do] and carry
// their index as tag, except those that Open a connection.
type Action struct {
	Name string
	Want int // entries the exchange produces
	Run  func(ctx context.Context, s *Session) error
	// Open, if set, makes the action a fresh connection whose client
	// offers permessage-deflate with these options: its entries are that
	// connection's opening handshake (see [Config.HandshakeTag]).
	Open  *protocol.CompressionOptions
	Steps []Step
}

// rfcMaskKey is the masking key of the RFC's examples (§5.7).
var rfcMaskKey = []byte{0x37, 0xfa, 0x21, 0x3d}

// sendAndEcho sends one message from the client, uncompressed whatever
// the connection negotiated, so that its bytes are those of RFC 6455.
func sendAndEcho(typ protocol.MessageType, data []byte) func(ctx context.Context, s *Session) error {
	return func(ctx context.Context, s *Session) error {
		return Send(ctx, s.Client, typ, data, 0, false)
	}
}

// sendCompressed sends "Hello" compressed from the client; the echo comes
// back compressed. The masking key is the RFC's, as in the plain "Hello".
func sendCompressed(ctx context.Context, s *Session) error {
	s.Keys.Next(rfcMaskKey)
	return Send(ctx, s.Client, protocol.TextMessage, []byte("Hello"), 0, true)
}

// Actions is the walkthrough, in order. Every step is a real exchange over
// the session's TCP connection.
var Actions = []Action{
	{Name: "handshake", Want: 2, Steps: []Step{
		{Pick: 0,
			Title:   "the opening handshake: the client's request",
			Text:    "A WebSocket connection starts as HTTP. The client sends a GET with Upgrade: websocket and a Sec-WebSocket-Key, a base64-encoded 16-byte nonce that MUST be selected randomly for each connection (§4.1). This walkthrough sends the RFC's sample value (§1.3) instead, so that you can check every step against the RFC.",
			TitleZh: "建立连接的握手：客户端的请求",
			TextZh:  "WebSocket 连接从 HTTP 开始。客户端发送一个 GET 请求，带上 Upgrade: websocket 和 Sec-WebSocket-Key。Sec-WebSocket-Key 是一个 16 字节一次性随机数（nonce）经 base64 编码后的值，每个连接都必须重新随机选取（§4.1）。本讲解发送的则是 RFC 中的示例值（§1.3），以便每一步都能与 RFC 逐项对照。"},
		{Pick: 1,
			Title:   "the server's 101 response and Sec-WebSocket-Accept",
			Text:    "The server answers 101 Switching Protocols. Its Sec-WebSocket-Accept is base64(SHA-1(key + GUID)): with it the server proves to the client that it received the client's WebSocket handshake (§1.3, §4.2.2). From the byte after this response on, both sides speak frames.",
			TitleZh: "服务器的 101 响应与 Sec-WebSocket-Accept",
			TextZh:  "服务器回复 101 Switching Protocols。它的 Sec-WebSocket-Accept 等于 base64(SHA-1(Sec-WebSocket-Key + GUID))：服务器借此向客户端证明，自己确实收到了客户端的 WebSocket 握手（§1.3、§4.2.2）。从这个响应之后的第一个字节起，双方收发的就都是帧了。"},
	}},
	{Name: "hello", Want: 2, Run: func(ctx context.Context, s *Session) error {
		s.Keys.Next(rfcMaskKey)
		return Send(ctx, s.Client, protocol.TextMessage, []byte("Hello"), 0, false)
	}, Steps: []Step{
		{Pick: 0, Hint: HintFields,
			Title:   "a masked text frame from the client",
			Text:    "The client sends the text message \"Hello\" in one frame. A client MUST mask every frame it sends to the server (§5.1), with a fresh, unpredictable key each time (§5.3); this walkthrough reuses the RFC's example key 37 fa 21 3d (§5.7), so the bytes are exactly 81 85 37 fa 21 3d 7f 9f 4d 51 58.",
			TitleZh: "客户端发出的带掩码的文本帧",
			TextZh:  "客户端用一帧发送文本消息“Hello”。客户端发给服务器的每一帧都必须加掩码（§5.1），而且每次都要重新选取一个不可预测的掩码密钥（§5.3）；本讲解沿用 RFC 示例（§5.7）里的掩码密钥 37 fa 21 3d，所以线上的字节恰好是 81 85 37 fa 21 3d 7f 9f 4d 51 58。"},
		{Pick: 1,
			Title:   "the server's echo, unmasked",
			Text:    "The echo server sends \"Hello\" back. A server MUST NOT mask any frame it sends to the client (§5.1), so this frame is 81 05 48 65 6c 6c 6f: the letters are right there on the wire.",
			TitleZh: "服务器的回显，不带掩码",
			TextZh:  "回显服务器把“Hello”发回来。服务器发给客户端的帧一律不得加掩码（§5.1），所以这一帧是 81 05 48 65 6c 6c 6f：字母原样出现在线上。"},
	}},
	{Name: "binary", Want: 2, Run: sendAndEcho(protocol.BinaryMessage, []byte{0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff}), Steps: []Step{
		{Pick: 0,
			Title:   "a binary message",
			Text:    "Opcode 0x2 marks a binary message: its payload is arbitrary binary data whose interpretation is up to the application alone, so it need not be UTF-8 (§5.6).",
			TitleZh: "二进制消息",
			TextZh:  "opcode 0x2 表示二进制消息：载荷是任意的二进制数据，含义完全由应用层决定，所以不必是 UTF-8（§5.6）。"},
	}},
	{Name: "len125", Want: 2, Run: sendAndEcho(protocol.TextMessage, bytes.Repeat([]byte("a"), 125)), Steps: []Step{
		{Pick: 0,
			Title:   "125 bytes: the largest 7-bit length",
			Text:    "Payload lengths 0 to 125 go straight into the 7-bit field (§5.2). 125 is the largest: 126 and 127 are markers.",
			TitleZh: "125 字节：7 位长度的最大值",
			TextZh:  "0 到 125 的载荷长度直接写在 7 位的载荷长度字段里（§5.2）。125 是最大值：126 和 127 是标记。"},
	}},
	{Name: "len126", Want: 2, Run: sendAndEcho(protocol.TextMessage, bytes.Repeat([]byte("b"), 126)), Steps: []Step{
		{Pick: 0,
			Title:   "126 bytes: the 16-bit extended length",
			Text:    "A length of 126 cannot be written in the 7-bit field itself (126 and 127 are the markers), so the 7-bit field holds the marker 126 and the next 2 bytes hold the length, in network byte order (big-endian) (§5.2). The minimal number of bytes MUST be used to encode a length, so 126 to 65535 always take exactly this form.",
			TitleZh: "126 字节：16 位扩展载荷长度",
			TextZh:  "长度 126 已不能直接写进 7 位字段（126、127 是保留的标记值），于是 7 位字段填标记 126，紧跟的 2 个字节按网络字节序（大端）存放长度（§5.2）。长度必须用最少的字节来编码，所以 126 到 65535 总是恰好用这种形式。"},
	}},
	{Name: "len65536", Want: 2, Run: sendAndEcho(protocol.BinaryMessage, bytes.Repeat([]byte{0x5a}, 65536)), Steps: []Step{
		{Pick: 0,
			Title:   "65536 bytes: the 64-bit extended length",
			Text:    "65536 is one more than 16 bits can hold, so the 7-bit field holds 127 and the next 8 bytes hold the length. The most significant bit of those 64 MUST be 0 (§5.2).",
			TitleZh: "65536 字节：64 位扩展载荷长度",
			TextZh:  "65536 比 16 位能表示的最大值还多 1，所以 7 位字段填 127，紧跟的 8 个字节存放长度。这 64 位的最高位必须是 0（§5.2）。"},
	}},
	{Name: "fragments", Want: 6, Run: func(ctx context.Context, s *Session) error {
		c := s.Client
		if err := c.WriteFrame(ctx, protocol.Header{Opcode: protocol.OpText}, []byte("Hel")); err != nil {
			return err
		}
		if err := c.Ping(ctx, []byte("between")); err != nil {
			return err
		}
		if err := c.WriteFrame(ctx, protocol.Header{Opcode: protocol.OpContinuation}, []byte("lo, wo")); err != nil {
			return err
		}
		return c.WriteFrame(ctx, protocol.Header{Fin: true, Opcode: protocol.OpContinuation}, []byte("rld"))
	}, Steps: []Step{
		{Pick: 0,
			Title:   "a fragmented message: the first fragment",
			Text:    "One message may be sent as several frames (§5.4). The first carries the message's opcode (text) with FIN clear.",
			TitleZh: "分片消息：第一个分片帧",
			TextZh:  "一条消息可以拆成几帧发送（§5.4）。第一帧带着这条消息的 opcode（text），FIN 为 0。"},
		{Pick: 1,
			Title:   "a ping between the fragments",
			Text:    "Control frames MAY be injected in the middle of a fragmented message (§5.4). Control frames themselves MUST NOT be fragmented, and their payload is 125 bytes or less (§5.5).",
			TitleZh: "分片之间的 ping",
			TextZh:  "控制帧可以（MAY）插在分片消息的中间（§5.4）。控制帧本身不得分片，载荷长度不得超过 125 字节（§5.5）。"},
		{Pick: 2,
			Title:   "the server answers the ping at once",
			Text:    "An endpoint that receives a ping MUST send a pong in response, unless it has already received a close frame, and SHOULD do so as soon as is practical (§5.5.2); the pong carries the ping's payload (§5.5.3). The server answers here in the middle of the client's message.",
			TitleZh: "服务器立即回复 ping",
			TextZh:  "收到 ping 的一端必须回复一个 pong（除非它已经收到过关闭帧），并且应当（SHOULD）尽快回复（§5.5.2）；pong 带回 ping 的载荷（§5.5.3）。这里服务器在客户端的消息还没发完时就回复了。"},
		{Pick: 3,
			Title:   "a continuation frame",
			Text:    "The middle fragment has opcode 0x0, continuation, and FIN clear (§5.4).",
			TitleZh: "延续帧",
			TextZh:  "中间的分片帧 opcode 为 0x0，即延续帧，FIN 为 0（§5.4）。"},
		{Pick: 4,
			Title:   "the last fragment, and the echo",
			Text:    "The last fragment has FIN set. The server has now read the whole message \"Hello, world\" and echoes it as one frame (the next entry).",
			TitleZh: "最后一个分片帧，以及回显",
			TextZh:  "最后一个分片帧的 FIN 为 1。服务器这时才读完整条消息“Hello, world”，并把它作为一帧回显（见下一条记录）。"},
	}},
	{Name: "ping", Want: 2, Run: func(ctx context.Context, s *Session) error {
		return s.Client.Ping(ctx, []byte("are you there?"))
	}, Steps: []Step{
		{Pick: 0,
			Title:   "ping",
			Text:    "A ping (opcode 0x9) MAY include application data (§5.5.2), 125 bytes or less like every control frame (§5.5). It may serve as a keepalive or to verify that the peer is still responsive (§5.5.2).",
			TitleZh: "ping",
			TextZh:  "ping 的 opcode 是 0x9，可以（MAY）带应用数据（§5.5.2）；和所有控制帧一样，载荷不超过 125 字节（§5.5）。ping 既可以用来保活（keepalive），也可以用来确认对端是否仍有响应（§5.5.2）。"},
		{Pick: 1,
			Title:   "pong",
			Text:    "The pong (opcode 0xA) carries exactly the ping's payload back (§5.5.3).",
			TitleZh: "pong",
			TextZh:  "pong（opcode 0xA）原样带回 ping 的载荷（§5.5.3）。"},
	}},
	{Name: "close", Want: 4, Run: func(ctx context.Context, s *Session) error {
		err := s.Client.Close(protocol.CloseNormal, "done, thanks")
		if !s.WaitClosed(3 * time.Second) {
			return fmt.Errorf("the TCP connection did not close in time")
		}
		return err
	}, Steps: []Step{
		{Pick: 0,
			Title:   "the closing handshake: the client's close frame",
			Text:    "To close, an endpoint sends a close frame (opcode 0x8). Its body is optional; if there is one, it starts with a 2-byte status code in network byte order, and a UTF-8 reason MAY follow (§5.5.1). This one carries 1000, normal closure (§7.4.1), and the reason \"done, thanks\". After sending a close frame, the client MUST NOT send any more data frames (§5.5.1).",
			TitleZh: "关闭握手：客户端的关闭帧",
			TextZh:  "要关闭连接，一端发送关闭帧（opcode 0x8）。关闭帧的载荷可有可无；如果有，前两个字节是按网络字节序排列的关闭码，后面可以（MAY）跟 UTF-8 编码的关闭原因（§5.5.1）。这一帧带的是 1000（正常关闭，§7.4.1）和关闭原因“done, thanks”。发出关闭帧之后，客户端不得再发送数据帧（§5.5.1）。"},
		{Pick: 1,
			Title:   "the server echoes the close",
			Text:    "An endpoint that receives a close frame and has not sent one MUST send a close frame in response, typically echoing the status code it received (§5.5.1): here 1000. Both sides have now sent and received a close frame, so each considers the WebSocket connection closed (§5.5.1).",
			TitleZh: "服务器回复关闭帧",
			TextZh:  "收到关闭帧而自己还没发过关闭帧的一端，必须回复一个关闭帧，通常会回显收到的关闭码（§5.5.1）：这里是 1000。现在双方都既发送过、也收到过关闭帧，于是都认为 WebSocket 连接已经关闭（§5.5.1）。"},
		{Pick: 2,
			Title:   "the server closes TCP first",
			Text:    "Once the connection is closed, the server MUST close the TCP connection immediately (§5.5.1). In most normal cases the server SHOULD close it first, so that it holds the TIME_WAIT state and not the client (§7.1.1). The client then sees the end of the stream.",
			TitleZh: "服务器先关闭 TCP",
			TextZh:  "连接关闭后，服务器必须立即关闭 TCP 连接（§5.5.1）。在大多数正常情况下，应当（SHOULD）由服务器先关闭，这样处于 TIME_WAIT 状态的是服务器而不是客户端（§7.1.1）。随后客户端读到了字节流的末尾（EOF）。"},
		{Pick: 3, Hint: HintTry,
			Title:   "the client's TCP connection ends",
			Text:    "The client SHOULD wait for the server to close TCP (§5.5.1): it saw the server close and closed its own side. That is the whole life of a WebSocket connection. Next: the same \"Hello\" compressed, on a fresh connection. To watch a real browser, run wsanatomy serve --tui and open http://127.0.0.1:8080/ for the demo page.",
			TitleZh: "客户端的 TCP 连接结束",
			TextZh:  "客户端应当（SHOULD）等服务器关闭 TCP（§5.5.1）：它看到服务器关闭后，也关闭了自己这一端。这就是一条 WebSocket 连接从建立到关闭的完整生命周期。接下来：在一条新连接上发送压缩后的同一个“Hello”。想看真实浏览器的流量，可以运行 wsanatomy serve --tui，再打开演示页面 http://127.0.0.1:8080/。"},
	}},
	{Name: "deflate", Want: 2, Open: &protocol.CompressionOptions{}, Steps: []Step{
		{Pick: 0,
			Title:   "compression: the client offers permessage-deflate",
			Text:    "A fresh connection, whose client offers compression in Sec-WebSocket-Extensions: permessage-deflate (RFC 7692 §5). The parameter client_max_window_bits without a value tells the server that this client can limit its own window if asked (§7.1.2.2). This is what Chromium offers.",
			TitleZh: "压缩：客户端提出 permessage-deflate",
			TextZh:  "这是一条新连接，它的客户端在 Sec-WebSocket-Extensions 中提出压缩：permessage-deflate（RFC 7692 §5）。不带值的 client_max_window_bits 参数告诉服务器，这个客户端在被要求时可以限制自己的窗口（§7.1.2.2）。Chromium 提出的正是这个。"},
		{Pick: 1,
			Title:   "the server accepts: the agreement",
			Text:    "The server accepts by naming the extension in its response (RFC 7692 §5; RFC 6455 §9.1), with parameters defined for a response; client_max_window_bits only if the offer had it (§7.1). With none, both directions keep context takeover (§7.1.1) and the largest window, 2^15 = 32768 bytes (§7.1.2). From now on RSV1 on a message's first frame means \"compressed\" (§6).",
			TitleZh: "服务器接受：协商结果",
			TextZh:  "服务器在响应中列出这个扩展，表示接受（RFC 7692 §5；RFC 6455 §9.1），并且只带为响应定义的参数；client_max_window_bits 只有在提议中出现过时才能带（§7.1）。这里一个参数也没有，所以两个方向都使用上下文接管（context takeover，§7.1.1，即默认行为），窗口取最大值 2^15 = 32768 字节（§7.1.2）。从现在起，消息第一帧上的 RSV1 表示“已压缩”（§6）。"},
	}},
	{Name: "deflate-hello", Want: 4, Run: sendCompressed, Steps: []Step{
		{Pick: 0,
			Title:   "\"Hello\" compressed: RSV1 in the bit grid",
			Text:    "The client sends \"Hello\" compressed. RSV1 is set: permessage-deflate's \"Per-Message Compressed\" bit (RFC 7692 §6). The payload is DEFLATE data, masked as usual; unmasked it is f2 48 cd c9 c9 07 00, the bytes of the example in RFC 7692 §7.2.3.1.",
			TitleZh: "压缩后的“Hello”：比特图里的 RSV1",
			TextZh:  "客户端发送压缩后的“Hello”。RSV1 被置为 1：这是 permessage-deflate 的“Per-Message Compressed”位（RFC 7692 §6）。载荷是 DEFLATE 数据，照常加掩码；去掉掩码后是 f2 48 cd c9 c9 07 00，正是 RFC 7692 §7.2.3.1 示例中的字节。"},
		{Pick: 1,
			Title:   "the compressed bytes, taken apart",
			Text:    "The server put back the 00 00 ff ff the sender left off (§7.2.1, §7.2.2) and inflated the bytes to \"Hello\". The token decoder shows what they say: a block of fixed Huffman codes with five literals, H e l l o; the last 00 begins the empty stored block of the sync flush. The first message has nothing earlier to point back to.",
			TitleZh: "拆开压缩后的字节",
			TextZh:  "服务器补回发送方省掉的 00 00 ff ff（§7.2.1、§7.2.2），把这些字节解压成“Hello”。token 解码器显示了这些字节表示什么：一个使用固定 Huffman 编码的块，含有 H e l l o 五个字面量（literal）；最后的 00 是同步刷新（sync flush）产生的那个空存储块（stored block）的开头。第一条消息之前没有任何内容可供回溯引用。"},
		{Pick: 2,
			Title:   "the server's echo, compressed with its own window",
			Text:    "The server compresses its echo with its own compressor: each direction has its own window (§7.1.1). Its first message is the same 7 bytes, unmasked on the wire this time.",
			TitleZh: "服务器的回显，用它自己的窗口压缩",
			TextZh:  "服务器用自己的压缩器压缩回显：每个方向各有自己的窗口（§7.1.1）。它的第一条消息也是这 7 个字节，只是这次在线上不带掩码。"},
	}},
	{Name: "deflate-hello-again", Want: 4, Run: sendCompressed, Steps: []Step{
		{Pick: 0,
			Title:   "\"Hello\" again: a shorter payload",
			Text:    "The same message again. With context takeover the client's compressor still holds the first \"Hello\" in its window, so the payload is now 4 bytes, 02 13 00 00. RFC 7692 §7.2.3.2 shows this case with zlib's 5 bytes, f2 00 11 00 00: a literal \"H\", then a copy of \"ello\".",
			TitleZh: "再发一次“Hello”：载荷更短",
			TextZh:  "再发一次同样的消息。有了上下文接管，客户端压缩器的窗口里还留着第一个“Hello”，所以载荷现在只有 4 个字节：02 13 00 00。RFC 7692 §7.2.3.2 用 zlib 的 5 个字节 f2 00 11 00 00 演示了这种情况：一个字面量“H”，再复制“ello”。"},
		{Pick: 1,
			Title:   "why it is shorter: one back-reference",
			Text:    "The token decoder shows the whole message as one back-reference: copy 5 bytes from 5 bytes back, which is in the previous message. A length and a distance take a few bits each, where five literals took 8 bits apiece. This is what context takeover buys, at the price of keeping the window in memory for the whole connection.",
			TitleZh: "为什么更短：一个回溯引用",
			TextZh:  "token 解码器把整条消息显示为一个回溯引用（back-reference）：回退 5 个字节、复制 5 个字节（距离 5，长度 5），被复制的内容就在上一条消息里。一个长度和一个距离各只占几位，而五个字面量每个要占 8 位。这就是上下文接管带来的好处，代价是整条连接存续期间都要在内存里保留窗口。"},
	}},
	{Name: "no-context", Want: 2, Open: &protocol.CompressionOptions{ClientNoContextTakeover: true, ServerNoContextTakeover: true}, Steps: []Step{
		{Pick: 0,
			Title:   "no context takeover: the offer",
			Text:    "Another fresh connection. This client offers client_no_context_takeover (it will empty its window after every message, §7.1.1.2) and asks for server_no_context_takeover (§7.1.1.1). Less memory kept per connection, more bytes on the wire.",
			TitleZh: "不做上下文接管：提议",
			TextZh:  "又一条新连接。这个客户端提出 client_no_context_takeover（它每发完一条消息就清空自己的窗口，§7.1.1.2），并请求 server_no_context_takeover（§7.1.1.1）。每条连接占用的内存更少，代价是线上传输的字节更多。"},
		{Pick: 1,
			Title:   "no context takeover: the answer",
			Text:    "A server accepts an offer of server_no_context_takeover by including the parameter in its response (§7.1.1.1). This one also includes client_no_context_takeover, which a server may do whether or not the offer had it (§7.1.1.2), so the agreement shows both: each side empties its window after every message it sends.",
			TitleZh: "不做上下文接管：应答",
			TextZh:  "服务器在响应中带上 server_no_context_takeover 参数，就表示接受了这一请求（§7.1.1.1）。这个服务器还在响应里带上了 client_no_context_takeover；无论提议里有没有这个参数，服务器都可以带上它（§7.1.1.2），所以协商结果里两者都有：每一方每发完一条消息都清空自己的窗口。"},
	}},
	{Name: "no-context-hello", Want: 8, Run: func(ctx context.Context, s *Session) error {
		if err := sendCompressed(ctx, s); err != nil {
			return err
		}
		if !s.waitEntries(s.currentTag(), 4, 5*time.Second) {
			return fmt.Errorf("the first \"Hello\" was not echoed in time")
		}
		return sendCompressed(ctx, s)
	}, Steps: []Step{
		{Pick: 4,
			Title:   "no context takeover: \"Hello\" twice",
			Text:    "\"Hello\" twice again. The second costs 7 bytes, f2 48 cd c9 c9 07 00, just like the first: the client emptied its window after the first message, as agreed.",
			TitleZh: "不做上下文接管：两次“Hello”",
			TextZh:  "再发两次“Hello”。第二次也是 7 个字节 f2 48 cd c9 c9 07 00，和第一次一样：按照约定，客户端发完第一条消息后清空了窗口。"},
		{Pick: 5,
			Title:   "no context takeover: nothing to point back to",
			Text:    "The token decoder finds five literals and no back-reference: the window was empty when this message started. Compare with the 4 bytes the same message took with context takeover.",
			TitleZh: "不做上下文接管：没有可回溯引用的内容",
			TextZh:  "token 解码器只找到五个字面量，没有回溯引用：这条消息开始时窗口是空的。对比一下，同一条消息在上下文接管下只用了 4 个字节。"},
	}},
}

// FlatStep locates a walkthrough step: its action and its step within.
type FlatStep struct {
	Action int
	Step
}

// Steps returns every step of the walkthrough in order.
func Steps() []FlatStep {
	var out []FlatStep
	for i, a := range Actions {
		for _, st := range a.Steps {
			out = append(out, FlatStep{Action: i, Step: st})
		}
	}
	return out
}

// Part returns the action that opened the connection action runs on: the
// last action up to it that Opens one, or 0, the first connection's
// opening handshake. The actions of one part share a connection, and a
// later one may depend on an earlier one (context takeover).
func Part(action int) int {
	for i := min(action, len(Actions)-1); i > 0; i-- {
		if Actions[i].Open != nil {
			return i
		}
	}
	return 0
}

// currentTag is the tag of the action running now.
func (s *Session) currentTag() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tag
}

// RunWalk runs the whole walkthrough from a session started with cfg,
// opening a fresh connection for each action that asks for one. It
// returns every session it started, for the caller to close, even on
// error.
func RunWalk(ctx context.Context, cfg Config) ([]*Session, error) {
	s, err := Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	all := []*Session{s}
	for i := 1; i < len(Actions); i++ {
		if o := Actions[i].Open; o != nil {
			c := cfg
			c.ID, c.SampleNonce, c.Compression, c.HandshakeTag = s.ID+1, false, o, i
			if s, err = Start(ctx, c); err != nil {
				return all, err
			}
			all = append(all, s)
			continue
		}
		if err := s.RunAction(i); err != nil {
			return all, err
		}
	}
	return all, nil
}

// RunAction runs walkthrough action i and waits for its entries.
func (s *Session) RunAction(i int) error {
	a := Actions[i]
	if a.Open != nil {
		return fmt.Errorf("walkthrough step %q opens a fresh connection: start one with Config.Compression", a.Name)
	}
	err := <-s.Do(i, func(ctx context.Context, s *Session) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := a.Run(ctx, s); err != nil {
			return err
		}
		if !s.waitEntries(i, a.Want, 5*time.Second) {
			return fmt.Errorf("walkthrough step %q: the exchange did not complete", a.Name)
		}
		return nil
	})
	return err
}
