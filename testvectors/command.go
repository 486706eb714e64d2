package testvectors

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/wsanatomy/wsanatomy/lessons"
)

// List writes every vector of the set, grouped by file: its level, its
// id and its description. With width > 0 (a terminal) each description is
// wrapped under its column; with width 0 it is written in full on the
// vector's line, for a pipe or a file. An id too long for its column goes
// on a line of its own, so that the columns stay aligned. lang is the
// language of the list's own words; a vector's description is data and
// stays as written.
func (s *Set) List(w io.Writer, lang string, width int) {
	n := 0
	levelw := 0
	for _, l := range levels {
		levelw = max(levelw, lessons.Width(LevelWord(lang, l)))
	}
	levelw = max(levelw, lessons.Width(say(lang, "level")))
	for i, f := range s.Files {
		if i > 0 {
			fmt.Fprintln(w)
		}
		head := fmt.Sprintf(say(lang, "%s (group %s, %d vectors): %s"), f.Name, f.Group, len(f.Vectors), f.Description)
		if width > 0 {
			head = lessons.Wrap(head, width)
		}
		fmt.Fprintln(w, head)
		// The id column fits the file's ids; on a terminal, up to a third
		// of the line.
		idw := lessons.Width(say(lang, "id"))
		for _, v := range f.Vectors {
			idw = max(idw, len(v.ID))
		}
		if width > 0 {
			idw = min(idw, max(10, width/3))
		}
		titleCol := 2 + levelw + 2 + idw + 2
		fmt.Fprintln(w, strings.TrimRight("  "+padWidth(say(lang, "level"), levelw)+"  "+padWidth(say(lang, "id"), idw)+"  "+say(lang, "description"), " "))
		for _, v := range f.Vectors {
			n++
			lead := "  " + padWidth(LevelWord(lang, v.Level), levelw) + "  "
			if len(v.ID) > idw {
				fmt.Fprintln(w, lead+v.ID)
				lead = strings.Repeat(" ", titleCol)
			} else {
				lead += padWidth(v.ID, idw) + "  "
			}
			if width <= 0 || width-titleCol < 20 {
				fmt.Fprintln(w, lead+v.Description)
				continue
			}
			fmt.Fprintln(w, strings.Join(wrapWords(lead, strings.Repeat(" ", titleCol), v.Description, width), "\n"))
		}
	}
	fmt.Fprintf(w, "\n"+say(lang, "%d vectors in %d files; --show ID dissects one")+"\n", n, len(s.Files))
	legend := say(lang, "choice = wsanatomy's own choice where RFC 6455 leaves it open (level \"wsanatomy\" in the JSON)")
	if width > 0 {
		legend = lessons.Wrap(legend, width)
	}
	fmt.Fprintln(w, legend)
}

// LevelWord is how a level reads on screen: MUST and SHOULD as the RFC
// writes them; the level "wsanatomy" (the RFC leaves it open, and this is
// wsanatomy's choice) as "choice", which does not read like the program's
// name. The JSON keeps "wsanatomy".
func LevelWord(lang, level string) string {
	if level == LevelWsanatomy {
		return say(lang, "choice")
	}
	return level
}

// padWidth pads s with spaces to width columns.
func padWidth(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-lessons.Width(s)))
}

// say is the Chinese of the command's own English words when lang is
// "zh"; the words of vectors (descriptions, rules, results) are data and
// stay English.
func say(lang, en string) string {
	if lang == "zh" {
		if zh, ok := zhWords[en]; ok {
			return zh
		}
	}
	return en
}

// zhWords holds the Chinese of every sentence passed to say; a test
// checks that each one used has an entry.
var zhWords = map[string]string{
	"%s (group %s, %d vectors): %s":                  "%s（%s 组，%d 个向量）：%s",
	"%d vectors in %d files; --show ID dissects one": "共 %[2]d 个文件、%[1]d 个测试向量；--show ID 拆解其中一个",
	"level":       "级别",
	"id":          "id",
	"description": "说明",
	"choice":      "自选",
	"choice = wsanatomy's own choice where RFC 6455 leaves it open (level \"wsanatomy\" in the JSON)": "自选 = RFC 6455 未作规定、由 wsanatomy 自行选择（JSON 中的级别为 \"wsanatomy\"）",

	// show
	"RFC %s §%s: %q":                 "RFC %s §%s 的规则：%q",
	"levels of the expected fields:": "各预期字段的约束级别：",
	"informative: wsanatomy's own report, not compared by other runners": "仅供参考：wsanatomy 自己的报告，其他运行器不比较",
	"close payload: status code bytes % x = %d, no reason bytes":         "关闭帧载荷：关闭码字节 % x = %d，没有关闭原因字节",
	"the kind of result (%s)":                 "结果的类别（%s）",
	"replies[%s], a frame of opcode %s: sent": "replies[%s]，opcode 为 %s 的帧：发出",
	"input frame %d:":                         "输入帧 %d：",
	"── frame view, input frame %d of %d ──":  "── 帧视图，输入帧 %d/%d ──",
	"expected: ":                            "预期：",
	"actual:   ":                            "实际：",
	"codec:    ":                            "编解码器：",
	"PASS":                                  "通过",
	"FAIL: ":                                "未通过：",
	"fragment %d, message bytes %d-%d: % x": "分片 %d，消息下标 %d-%d：% x",
	"fragment %d, message byte %d: % x":     "分片 %d，消息下标 %d：% x",
	"the text can no longer be valid from index %d of the message, where wsanatomy fails (the RFC asks only that the connection fail, not at which byte)": "从消息下标 %d 处起，这段文本已不可能是有效的 UTF-8，wsanatomy 在这里使连接失败（RFC 只要求使连接失败，并未规定在哪个字节失败）",
	" (the end: the text stops inside a character)":                     "（即末尾：文本停在一个字符的中间）",
	"close payload: empty (no status code; the receiver reports 1005)":  "关闭帧载荷：空（没有关闭码；接收方上报 1005）",
	"close payload: 1 byte, % x: too short for a 2-byte status code":    "关闭帧载荷：1 字节，% x：放不下 2 字节的关闭码",
	"close payload: status code bytes % x = %d, reason bytes % x":       "关闭帧载荷：关闭码字节 % x = %d，关闭原因字节 % x",
	"key %q + GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11, SHA-1, base64": "Sec-WebSocket-Key %q 拼接 GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11，计算 SHA-1，再做 base64 编码",

	// dissection
	"frame %d, at byte %d: %s":             "第 %d 帧，从下标 %d 开始：%s",
	"incomplete header (%d bytes)":         "帧头不完整（%d 字节）",
	"%s, %d-byte header, payload %d bytes": "%s，帧头 %d 字节，载荷 %d 字节",
	" (only %d present)":                   "（实际只有 %d 字节）",
	"byte":                                 "下标",
	"bytes":                                "下标",
	"length":                               "载荷长度",
	"last frame of its message":            "所在消息的最后一帧",
	"more frames follow":                   "后面还有帧",
	"set: needs a negotiated extension (§5.2)": "已设置：只有协商了为它定义含义的扩展时才允许（§5.2）",
	"clear": "未设置",
	"payload is masked (client to server, §5.3)":      "载荷已加掩码（客户端发往服务器，§5.3）",
	"payload is not masked":                           "载荷未加掩码",
	"the length is in the next 2 bytes":               "长度在后面 2 个字节里",
	"the length is in the next 8 bytes":               "长度在后面 8 个字节里",
	"(the rest of the header is missing)":             "（帧头的其余部分缺失）",
	"16-bit length = %d":                              "16 位长度 = %d",
	"64-bit length = %d":                              "64 位长度 = %d",
	"  (most significant bit set: forbidden by §5.2)": "（最高位为 1：§5.2 禁止）",
	"masking key":                                     "掩码密钥",
	"payload":                                         "载荷",
	"(empty)":                                         "（空）",
	"unmasked":                                        "去掩码后",
	"as text":                                         "作为文本",
	"close code":                                      "关闭码",
	"%d, reason %q":                                   "%d，关闭原因 %q",
	"% x … (%d more bytes)":                           "% x …（还有 %d 字节）",

	// report
	"%s (%s: %s)": "%s（%s 组：%s）",
	"FAIL":        "未通过",
	"expected:":   "预期：",
	"actual:":     "实际：",
	"why:":        "原因：",
	"codec:":      "编解码器：",
	"%d passed, %d failed (the next line says it for scripts)": "通过 %d 个，失败 %d 个（下一行用英文重复这一结果，供脚本读取）",
}

// hangingIndent matches a line's lead: its indent, and a label followed by
// two or more spaces ("  payload     "), under whose end a long line's
// continuation goes.
var hangingIndent = regexp.MustCompile(`^( *)(\S[^ ]*(?: [^ ]+)*?  +)?`)

// fitLines breaks each line of text wider than width columns at spaces
// (and inside a word only when the word alone is too wide), indenting the
// continuation under the line's value, so that a long hex run or close
// reason stays readable in a narrow terminal.
func fitLines(text string, width int) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if lessons.Width(l) <= width {
			out = append(out, l)
			continue
		}
		m := hangingIndent.FindStringSubmatch(l)
		lead, ind := m[0], lessons.Width(m[0])
		if m[2] == "" || ind > width/2 {
			// No label, or one too wide to hang under: continue two
			// columns in from the line's indent.
			lead, ind = m[1], len(m[1])+2
		}
		out = append(out, wrapWords(lead, strings.Repeat(" ", ind), l[len(lead):], width)...)
	}
	return strings.Join(out, "\n")
}

// wrapWords lays the words of s out after first on the first line and
// after indent on the others, in lines of at most width columns.
func wrapWords(first, indent, s string, width int) []string {
	var out []string
	line, used, empty := first, lessons.Width(first), true
	newLine := func() {
		out = append(out, strings.TrimRight(line, " "))
		line, used, empty = indent, lessons.Width(indent), true
	}
	for _, w := range strings.Fields(s) {
		ww := lessons.Width(w)
		if !empty && used+1+ww > width {
			newLine()
		}
		if !empty {
			line += " "
			used++
		}
		// A word wider than the room left is cut where the line ends.
		for used+ww > width {
			cut, n := 0, 0
			for j, r := range w {
				if used+n+lessons.RuneWidth(r) > width {
					cut = j
					break
				}
				n += lessons.RuneWidth(r)
			}
			if cut == 0 {
				break // not even one character fits: let the terminal fold it
			}
			line += w[:cut]
			w, ww = w[cut:], ww-n
			newLine()
		}
		line += w
		used += ww
		empty = false
	}
	return append(out, strings.TrimRight(line, " "))
}
