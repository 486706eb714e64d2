package live

import "fmt"

// The live screen speaks the language of its Options. Its English stays
// in the code where it is drawn, passed through say or sayf; liveZh maps
// each of those strings (or formats) to Simplified Chinese, with the words
// of the project's glossary. Header names (Origin), opcode names and close
// codes as numbers stay as they are. The dissection of an entry speaks
// through render.Theme.WithLang. A string missing here prints in English;
// TestLiveSpeaksChinese fails when one is missing.

// say returns en in lang.
func say(lang, en string) string {
	if lang == "zh" {
		if s, ok := liveZh[en]; ok {
			return s
		}
	}
	return en
}

// sayf formats format, in lang, with args.
func sayf(lang, format string, args ...any) string {
	return fmt.Sprintf(say(lang, format), args...)
}

// liveZh is the Simplified Chinese of every string the live screen draws
// itself, keyed by the English.
var liveZh = map[string]string{
	// A terminal too small for panes.
	", ":                            "，",
	"enlarge the terminal · q quit": "请把终端放大 · q 退出",

	// The header (and the tiny screen's counts).
	"%d conn":   "%d 个连接",
	"%d conns":  "%d 个连接",
	"%d open":   "其中 %d 个已连接",
	"%d frame":  "%d 帧",
	"%d frames": "%d 帧",

	// The connection list.
	"connections (%d)": "连接（%d）",
	" · %s: %s":        " · %s：%s",
	"no connection yet: point a browser or `wsanatomy dial` at it": "还没有连接：让浏览器或 wsanatomy dial 连到这里",
	"peer":        "对端",
	"path":        "路径",
	"protocol":    "子协议",
	"extensions":  "扩展",
	"state":       "状态",
	"→ fr/B":      "→ 帧/字节",
	"← fr/B":      "← 帧/字节",
	"close → / ←": "关闭码 →/←",
	"refused %d":  "HTTP %d",
	"handshake":   "握手中",
	"open":        "已连接",
	"closing":     "关闭中",
	"closed":      "已关闭",
	"refused":     "已拒绝",

	// The timeline.
	"timeline of all connections":   "所有连接的时间线",
	"timeline of #%d":               "#%d 的时间线",
	" · last %d (%d older dropped)": " · 最近 %d 条（更早的 %d 条已丢弃）",
	"nothing yet":                   "还没有内容",

	// The detail.
	"detail":                              "详情",
	"(the first %d of %d bytes are kept)": "（%[2]d 字节中只保留了前 %[1]d 字节）",
	"the end of the connection":           "连接结束",

	// The help screen's note.
	"Each connection keeps its last 2,000 entries (the timeline says how many were dropped), and only the newest entries keep their payloads (4 KiB each, 32 MiB in all), so memory stays bounded; the counts and close codes of a connection cover everything.": "每个连接只保留最近 2000 条记录（时间线会说明丢弃了多少条），而且只有最新的记录保留载荷（每条 4 KiB，总共 32 MiB），所以内存占用有上限；连接的计数和关闭码则涵盖全部流量。",
}
