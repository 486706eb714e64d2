package main

// The words of the command line's help, in English and Chinese. Chinese
// keeps RFC terms, header names, flag names and values in English, as the
// glossary does.

const usage = `wsanatomy: see how the WebSocket protocol (RFC 6455) really works.

Usage:
  wsanatomy [--plain] [--lang en|zh]    the walkthrough: a live client and server, every bit on screen
                                        (--plain, output that is not a terminal, or TERM=dumb: annotated text)
  wsanatomy lessons [N] [--lang en|zh]  step through the protocol one idea at a time, with live demos
                                        and checks; --list lists them, N --plain prints lesson N
  wsanatomy source [FILE] [--field ID]  read the codec's annotated source; --field opens the code of
                                        a frame field or header; --list and --plain print it as text
  wsanatomy vectors [FILE|DIR...]       run RFC 6455 test vectors (the built-in ones, or JSON files)
                                        through the codec; --list lists them, --show ID dissects one
  wsanatomy serve [--addr ADDR]         an echo server for any WebSocket client (default 127.0.0.1:8080);
                                        http://ADDR/ is a demo page for a browser. --tui: a live screen
                                        of every connection and frame; --json: JSON lines on stdout;
                                        --log frame|message|off; --subprotocol LIST (preference order),
                                        --origin LIST (allowed origins), --max-message BYTES;
                                        --idle-timeout, --write-timeout, --close-timeout,
                                        --handshake-timeout and --heartbeat bound its clients
  wsanatomy dial [--echo] URL           a client: sends stdin lines as text messages, prints replies
                                        and the server's close code and reason (exit 1 unless 1000 or
                                        1001); --echo sends every message back; -H "Name: value",
                                        --subprotocol LIST, --origin URL, -v (every frame on stderr),
                                        --insecure (accept a self-signed wss:// certificate);
                                        --heartbeat pings the server and gives up if it stops answering
  wsanatomy proxy --upstream URL        an inspecting relay: clients connect to --listen ADDR (default
                                        127.0.0.1:8081), every byte goes to URL (ws:// or wss://)
                                        unchanged, and both directions are decoded and checked: on a
                                        live screen, or --plain lines, or --json lines; --insecure;
                                        compressed messages are shown inflated, up to --max-message BYTES
  wsanatomy check URL | --client CMD    conformance cases (Autobahn sections 1-7, 9, 10, 12 and 13, and
                                        the project's own) against an echo server, or a client command run
                                        once per case with {url} replaced; --show CASE dissects one case's
                                        exchange; --tui shows the report on a screen
  wsanatomy help [CMD]                  this text, or CMD's help (as does wsanatomy CMD --help)
  wsanatomy --version                   the version

Every command takes --lang en|zh for its help, messages and output (default from LC_ALL,
LC_MESSAGES, LANG). Output meant for tools (--json, serve's log lines) stays English.

Examples:
  wsanatomy serve --tui                                  then open http://127.0.0.1:8080/ in a browser
  wsanatomy dial -v ws://127.0.0.1:8080/                 type lines; ctrl+d closes with 1000
  wsanatomy proxy --upstream ws://127.0.0.1:9000/        then point your app at ws://127.0.0.1:8081/

Commands exit 2 on an unknown command or flag.
`

const usageZh = `wsanatomy：看清 WebSocket 协议（RFC 6455）究竟是怎样工作的。

用法：
  wsanatomy [--plain] [--lang en|zh]    分步讲解：本机上的客户端和服务器实时对话，每一位都显示在屏幕上
                                        （加 --plain、输出不是终端或 TERM=dumb 时：打印带注解的文本）
  wsanatomy lessons [N] [--lang en|zh]  一课讲一个概念，带实时演示和小测验；
                                        --list 列出全部课程，N --plain 打印第 N 课
  wsanatomy source [FILE] [--field ID]  阅读编解码器的注解源码；--field 打开某个帧字段或
                                        握手头部的代码；--list 和 --plain 以文本打印
  wsanatomy vectors [FILE|DIR...]       用编解码器运行 RFC 6455 测试向量（内置的，或给定的
                                        JSON 文件）；--list 列出全部向量，--show ID 拆解其中一个
  wsanatomy serve [--addr ADDR]         回显服务器，任何 WebSocket 客户端都能连接（默认
                                        127.0.0.1:8080）；用浏览器打开 http://ADDR/ 可以看到
                                        演示页面。--tui：实时显示每个连接和每一帧；--json：在
                                        标准输出上逐行输出 JSON；--log frame|message|off；
                                        --subprotocol LIST（按偏好排序）、--origin LIST（允许的
                                        Origin）、--max-message BYTES；--idle-timeout、
                                        --write-timeout、--close-timeout、--handshake-timeout
                                        和 --heartbeat 为客户端设定时限
  wsanatomy dial [--echo] URL           客户端：把标准输入的每一行作为文本消息发出，打印回复，
                                        以及服务器给出的关闭码和关闭原因（不是 1000 或 1001 时
                                        退出状态为 1）；--echo 把收到的每条消息发回去；
                                        -H "Name: value"、--subprotocol LIST、--origin URL、
                                        -v（在标准错误上打印每一帧）、--insecure（接受自签名的
                                        wss:// 证书）；--heartbeat 定时 ping 服务器，收不到 pong
                                        就放弃这条连接
  wsanatomy proxy --upstream URL        检查流量的中继：客户端连接 --listen ADDR（默认
                                        127.0.0.1:8081），每个字节原样转发给 URL（ws:// 或
                                        wss://），两个方向都解码并检查：显示在实时屏幕上，或用
                                        --plain 逐行打印，或用 --json 逐行输出 JSON；--insecure；
                                        压缩的消息解压后显示，最多解压 --max-message BYTES
  wsanatomy check URL | --client CMD    一致性测试用例（Autobahn 第 1-7、9、10、12、13 节，以及
                                        本项目自己的用例）：测试一个回显服务器，或测试一个客户端
                                        命令（每个用例运行一次，{url} 换成实际地址）；--show CASE
                                        拆解一个用例的完整交互；--tui 在屏幕上显示报告
  wsanatomy help [CMD]                  本说明，或 CMD 的帮助（与 wsanatomy CMD --help 相同）
  wsanatomy --version                   版本

每个命令都接受 --lang en|zh，决定帮助、提示信息和输出的语言（默认取 LC_ALL、LC_MESSAGES、
LANG）。供工具读取的输出（--json、serve 的日志行）始终是英文。

示例：
  wsanatomy serve --tui                                  然后在浏览器中打开 http://127.0.0.1:8080/
  wsanatomy dial -v ws://127.0.0.1:8080/                 逐行输入；按 ctrl+d 以关闭码 1000 关闭连接
  wsanatomy proxy --upstream ws://127.0.0.1:9000/        然后让你的应用连接 ws://127.0.0.1:8081/

遇到未知的命令或选项时，退出状态为 2。
`

// commandHelp is each command's usage line and what it does, in English
// and Chinese; writeCommandHelp adds the flags from the command's flag
// set, so the help cannot miss one.
var commandHelp = map[string][2]string{
	"serve": {
		"wsanatomy serve [--addr ADDR] [--tui|--json] [--log frame|message|off] [--subprotocol LIST] [--origin LIST] [--max-message N] [--lang en|zh]\n\n" +
			"An echo server for any WebSocket client; a plain GET of / gets a demo page for a browser.\n" +
			"--lang sets the language of this help, of the messages and of the --tui screen; the log lines\n" +
			"and --json are data for tools and stay English.",
		"wsanatomy serve [--addr ADDR] [--tui|--json] [--log frame|message|off] [--subprotocol LIST] [--origin LIST] [--max-message N] [--lang en|zh]\n\n" +
			"回显服务器，任何 WebSocket 客户端都能连接；对 / 发普通的 GET 请求会得到一个供浏览器使用的演示页面。\n" +
			"--lang 决定本帮助、提示信息和 --tui 屏幕的语言；日志行和 --json 是给工具读的数据，始终是英文。",
	},
	"dial": {
		"wsanatomy dial [--echo] [-v] [-H \"Name: value\"] [--subprotocol LIST] [--origin URL] [--compress] [--heartbeat DURATION] [--heartbeat-timeout DURATION] [--insecure] [--lang en|zh] URL\n\n" +
			"A client: sends stdin lines as text messages and prints the replies, then the server's close code and reason;\n" +
			"exits 1 unless the close was 1000 or 1001. URL is ws://host:port/path or wss://...\n" +
			"--lang sets the language of this help and of the messages; -v's frame lines stay English.",
		"wsanatomy dial [--echo] [-v] [-H \"Name: value\"] [--subprotocol LIST] [--origin URL] [--compress] [--heartbeat DURATION] [--heartbeat-timeout DURATION] [--insecure] [--lang en|zh] URL\n\n" +
			"客户端：把标准输入的每一行作为文本消息发出并打印回复，最后打印服务器给出的关闭码和关闭原因；\n" +
			"关闭码不是 1000 或 1001 时退出状态为 1。URL 形如 ws://host:port/path 或 wss://...\n" +
			"--lang 决定本帮助和提示信息的语言；-v 输出的逐帧日志始终是英文。",
	},
	"proxy": {
		"wsanatomy proxy --upstream URL [--listen ADDR] [--plain|--json] [--insecure] [--max-message N] [--lang en|zh]\n\n" +
			"An inspecting relay: clients connect to --listen, every byte goes to URL unchanged, and both directions are\n" +
			"decoded and checked. With permessage-deflate agreed, each compressed message is also shown inflated, with\n" +
			"each direction's own context. --lang sets the language of this help, of the messages and of the live\n" +
			"screen; --plain and --json lines stay English.",
		"wsanatomy proxy --upstream URL [--listen ADDR] [--plain|--json] [--insecure] [--max-message N] [--lang en|zh]\n\n" +
			"检查流量的中继：客户端连接 --listen 的地址，每个字节原样转发给 URL，两个方向都解码并检查。\n" +
			"协商了 permessage-deflate 时，每条压缩的消息还会按各自方向的上下文解压后显示。\n" +
			"--lang 决定本帮助、提示信息和实时屏幕的语言；--plain 和 --json 的输出行始终是英文。",
	},
	"source": {
		"wsanatomy source [FILE] [--field ID] [--list] [--plain] [--lang en|zh]\n\n" +
			"Read the codec's annotated source: each comment beside the code it explains, and the RFC 6455 sections each\n" +
			"file cites.",
		"wsanatomy source [FILE] [--field ID] [--list] [--plain] [--lang en|zh]\n\n" +
			"阅读编解码器的注解源码：每段注释都在它解释的代码旁边，并列出每个文件引用的 RFC 6455 章节。",
	},
	"check": {
		"wsanatomy check URL | --client 'COMMAND {url}' [flags]\n\n" +
			"Runs the conformance cases (Autobahn sections 1-7, 9, 10, 12 and 13, and the project's own) against the echo\n" +
			"server at URL (ws://), or against a client command run once per case with {url} replaced. Each case\n" +
			"gets a verdict (OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED), the RFC rule it tests and what\n" +
			"the peer did; the run ends with \"N passed, M failed\" and exits 1 if any case FAILED. A server that\n" +
			"cannot be reached at all, or that refuses every opening handshake (a 404 or 403, a plain web server:\n" +
			"a client expects 101, RFC 6455 §4.1), is not tested at all: check says so once, naming the status line\n" +
			"it answered, and exits 3 (2 is a mistake in the command line). One that accepts some handshakes gets\n" +
			"a verdict per case.\n\n" +
			"The output is text unless --tui is given, even on a terminal, because scripts and CI read it. --tui shows the\n" +
			"report on a screen: progress, the cases by section (f: failed only), and each case's rule and exchange in the\n" +
			"walkthrough's frame and handshake views; the text summary and exit status follow when the screen closes.\n" +
			"--lang sets the language of this help, of the messages and of the --tui screen; the text report and --json\n" +
			"stay English, and so do the cases' own words on the screen (a case's title, the rule it quotes, what the\n" +
			"peer did), which are data.",
		"wsanatomy check URL | --client 'COMMAND {url}' [选项]\n\n" +
			"运行一致性测试用例（Autobahn 第 1-7、9、10、12、13 节，以及本项目自己的用例）：测试 URL（ws://）\n" +
			"处的回显服务器，或测试一个客户端命令（每个用例运行一次，{url} 换成实际地址）。每个用例得到一个结论\n" +
			"（OK、NON-STRICT、INFORMATIONAL、UNIMPLEMENTED、FAILED），并给出它检验的 RFC 规则和对端的实际行为；\n" +
			"最后一行是“N passed, M failed”，只要有用例 FAILED，退出状态就是 1。服务器根本连不上，或者拒绝了每一次\n" +
			"握手（回复 404、403，或者只是普通的 Web 服务器；客户端要求的是 101，RFC 6455 §4.1）时，什么也测不到：\n" +
			"check 只报告一次原因（拒绝时给出服务器回复的状态行），退出状态为 3（2 表示命令行有误）。只接受部分握手的\n" +
			"服务器仍然逐个用例给出结论。\n\n" +
			"不加 --tui 时，即使在终端上，输出也是纯文本，方便脚本和 CI 读取。--tui 在屏幕上显示报告：\n" +
			"运行进度、按节排列的用例（f：只看失败的），以及每个用例的规则和交互（用分步讲解的帧视图和握手视图展示）；\n" +
			"关闭屏幕后再输出文本摘要和退出状态。\n" +
			"--lang 决定本帮助、提示信息和 --tui 屏幕的语言；文本报告和 --json 始终是英文。屏幕上用例自带的文字\n" +
			"（用例标题、引用的 RFC 规则原文、对端的实际行为）是数据，也保持英文。",
	},
	"vectors": {
		"wsanatomy vectors [--list | --show ID] [--lang en|zh] [FILE|DIR...]\n\n" +
			"Runs RFC 6455 test vectors through wsanatomy's codec: the built-in ones, or the JSON files given (a\n" +
			"directory means its *.json files). Exits 1 if any vector fails. The last line is \"N passed, M failed\"\n" +
			"in both languages, for scripts; --lang sets the language of everything else this command writes\n" +
			"(a vector's own description and rule, and the codec's messages, are data and stay English).",
		"wsanatomy vectors [--list | --show ID] [--lang en|zh] [FILE|DIR...]\n\n" +
			"用 wsanatomy 的编解码器运行 RFC 6455 测试向量：内置的，或给定的 JSON 文件（给目录时运行其中的\n" +
			"*.json 文件）。只要有向量未通过，退出状态就是 1。最后一行在两种语言下都是“N passed, M failed”，\n" +
			"供脚本读取；其余输出的语言由 --lang 决定（向量自带的描述、规则原文和编解码器的报错都是数据，保持英文）。",
	},
	"lessons": {
		"wsanatomy lessons [N] [--list] [--plain] [--lang en|zh] [--ascii] [--reset]\n\n" +
			"Step through the protocol one idea at a time: each lesson runs its demos on a live loopback connection\n" +
			"and dissects the frames, with checks along the way. Without a terminal, N prints lesson N as text.",
		"wsanatomy lessons [N] [--list] [--plain] [--lang en|zh] [--ascii] [--reset]\n\n" +
			"一课讲一个概念，逐步学习协议：每课的演示都在本机回环连接上实时运行，逐帧拆解，中间穿插小测验。\n" +
			"输出不是终端时，给出 N 即以纯文本打印第 N 课。",
	},
}

// flagsZh is the Chinese description of every flag, by command; "*" holds
// the ones every command shares. A test fails when a flag has none.
var flagsZh = map[string]map[string]string{
	"*": {
		"lang": "帮助、提示信息和输出使用的语言：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
	},
	"wsanatomy": {
		"plain": "以带注解的文本打印分步讲解",
		"lang":  "分步讲解及其提示信息的语言：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
	},
	"serve": {
		"lang":              "本帮助、提示信息和 --tui 屏幕的语言（日志和 --json 始终是英文）：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
		"addr":              "监听的地址",
		"handshake-timeout": "等待客户端发来握手请求的最长时间",
		"idle-timeout":      "客户端这么久没有发来一个完整的帧就断开它；0 表示不限",
		"write-timeout":     "向客户端写数据时，阻塞这么久仍写不出去就断开它（说明它没有在读取）",
		"close-timeout":     "关闭握手每一步的最长等待时间",
		"heartbeat":         "每隔这么久 ping 一次每个客户端，不回 pong 的就断开；0 表示不发心跳",
		"heartbeat-timeout": "配合 --heartbeat：pong 最多可以等多久",
		"no-compression":    "拒绝 permessage-deflate（RFC 7692）；默认是接受的",
		"tui":               "用实时屏幕显示连接、时间线和帧，代替日志",
		"json":              "把每次握手、每一帧和每次关闭以每行一个 JSON 对象写到标准输出",
		"log":               "日志显示每个连接的哪些内容：frame（每帧一行）、message（每条消息一行）或 off：不显示",
		"subprotocol":       "本服务器支持的子协议，按偏好排序（逗号分隔，或重复给出）",
		"origin":            "允许连接的 Origin，例如 http://localhost:3000（逗号分隔，或重复给出；不给时不限制，* 也表示不限制）",
		"max-message":       "接受的最大消息字节数；超过时以 1009 使连接失败（默认 32 MiB）",
	},
	"dial": {
		"lang":              "本帮助和提示信息的语言（-v 输出的逐帧日志始终是英文）：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
		"echo":              "把收到的每条消息发回去，直到服务器关闭连接",
		"heartbeat":         "每隔这么久 ping 一次服务器，收不到 pong 就放弃这条连接；0 表示不发心跳",
		"heartbeat-timeout": "配合 --heartbeat：pong 最多可以等多久",
		"origin":            "要发送的 Origin 头部",
		"compress":          "提议 permessage-deflate（RFC 7692），服务器同意后压缩消息",
		"subprotocol":       "提议的子协议，按偏好排序（逗号分隔，或重复给出）",
		"H":                 `额外的请求头部，例如 -H "Authorization: Bearer x"（可重复）`,
		"v":                 "在标准错误上打印握手和双向的每一帧，格式与 serve 的日志相同",
		"insecure":          "接受 wss:// 服务器的任何证书（自签名证书，仅用于本地测试）",
	},
	"proxy": {
		"lang":        "本帮助、提示信息和实时屏幕的语言（--plain 和 --json 的输出行始终是英文）：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
		"listen":      "监听的地址",
		"upstream":    "上游服务器：ws://HOST:PORT/ 或 wss://HOST:PORT/",
		"plain":       "每帧打印一行，代替实时屏幕",
		"json":        "每帧输出一个 JSON 对象，便于用管道交给其他程序处理",
		"insecure":    "接受 wss:// 上游的任何证书（自签名证书，仅用于本地测试）",
		"max-message": "为显示而解压的压缩消息的最大字节数；解压后超过它的消息会被标出（RFC 6455 §10.4），照样转发（默认 16 MiB）",
	},
	"check": {
		"lang":           "本帮助、提示信息和 --tui 屏幕的语言（文本报告和 --json 始终是英文）：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
		"client":         "测试一个客户端：每个用例运行一次这个命令，{url} 换成实际地址",
		"cases":          "只运行 id 匹配其中某个通配模式的用例（逗号分隔，例如 6.*,7.1.?）",
		"exclude":        "跳过 id 匹配其中某个通配模式的用例（逗号分隔，例如 9.*）",
		"timeout":        "每次等待对端应答的最长时间",
		"case-limit":     "单个用例的最长运行时间",
		"limit":          "整轮测试的最长运行时间",
		"fail-fast-wait": "6.4 这类用例发出无效的 UTF-8 之后，留给对端使连接失败的时间；超时后再发送剩余部分",
		"parallel":       "同时运行的用例数；1 表示逐个运行，与 Autobahn 相同",
		"json":           "另外把报告以 JSON 写入这个文件",
		"show":           "只运行一个用例并显示它的交互：握手和逐帧拆解",
		"quiet":          "只列出结论不是 OK 的用例",
		"tui":            "在屏幕上显示报告：运行进度、按节排列的用例及其结论，以及每个用例的规则和交互的拆解（默认仍是文本，供脚本和 CI 使用）",
	},
	"source": {
		"list":  "打印章节和文件列表",
		"plain": "以纯文本打印注解源码",
		"field": "打开某个帧字段或握手头部的代码（FIN、opcode、Sec-WebSocket-Key 等）",
		"width": "--plain 输出的行宽",
		"lang":  "阅读器界面文字和 RFC 摘要的语言：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）；代码注释保持英文",
	},
	"vectors": {
		"lang": "本帮助、提示信息、--list、--show 以及报告里本命令自己的文字所用的语言（报告最后一行除外）：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
		"list": "按文件分组列出每个向量：约束级别（MUST、SHOULD，或“自选”，即 RFC 没有规定、由本项目自行选择的行为，JSON 中写作 wsanatomy）、id 和完整的说明",
		"show": "打印一个向量、其字节的拆解和运行结果",
	},
	"lessons": {
		"lang":  "课程、本帮助和提示信息的语言：en 或 zh（默认取 LC_ALL、LC_MESSAGES、LANG）",
		"list":  "列出课程，不进入界面",
		"plain": "以文本打印第 N 课，演示照常运行并拆解",
		"reset": "清除学习进度（已完成的课程、已通过的小测验）",
		"ascii": "用 ASCII 字符画线和标记，适合把框线字符显示成双倍宽度的终端",
	},
}
