package source

// The reader's own words in Simplified Chinese. The book it shows is the
// codec's source, whose comments stay English; the reader says so in
// Chinese (the help screen) and puts the chapter titles and the summaries
// of the RFC sections each file cites in the reader's language
// (sourcebook.Section.SummaryIn). The English stays in the code where it
// is used, and tr maps it; a test fails when a string passed to tr has
// no Chinese.

// tr returns the text of en in lang.
func tr(lang, en string) string {
	if lang == "zh" {
		if s, ok := zh[en]; ok {
			return s
		}
	}
	return en
}

func (m Model) tr(en string) string { return tr(m.lang, en) }

// langOf reduces a language to the two the reader speaks.
func langOf(lang string) string {
	if lang == "zh" {
		return "zh"
	}
	return "en"
}

var zh = map[string]string{
	// The title bar, the contents and the status line.
	" wsanatomy source":                " wsanatomy 注解源码",
	"file %d/%d ":                      "第 %d/%d 个文件 ",
	"Contents":                         "目录",
	"%s: choose · %s: open · %s: back": "%s：选择 · %s：打开 · %s：返回",
	"   %-20s %4d lines":               "   %-20s %4d 行",
	"Frame fields and handshake headers: the code behind each": "帧字段与握手头部：各自背后的代码",
	"   %-24s %d places":                "   %-24s %d 处",
	"no field or header %q; known: %s":  "没有名为 %q 的字段或头部；已知的有：%s",
	"%s: no code is marked for it":      "%s：没有代码被标注为与它相关",
	"/%s: match %d of %d":               "/%s：第 %d 个匹配，共 %d 个",
	"/%s: no match":                     "/%s：没有匹配",
	"%s: place %d of %d, %s:%d %s (%s)": "%s：第 %d 处，共 %d 处，%s:%d %s（%s）",

	// The help screen.
	"The reader shows protocol/, the codec this program runs, as a book.":     "阅读器把 protocol/（本程序实际运行的编解码器）排成一本书来展示。",
	"Left: the comments, as prose. Right: the code they explain.":             "左边是注释，排成正文；右边是它们解释的代码。",
	"The comments are the code's own and stay in English.":                    "代码注释是源码的一部分，保持英文原样；章节标题和 RFC 章节摘要是中文。",
	"▸ FIN marks the code that encodes or decodes a frame field or header;":   "▸ FIN 标出编码或解码某个帧字段或头部的代码；",
	"↳ names an RFC 6455 section; each file ends with the sections it cites.": "↳ 指向 RFC 6455 的某一节；每个文件末尾列出它引用的各节及摘要。",
	"%s: the contents, then every frame field and handshake header: %s":       "%s：目录；目录后面列出每个帧字段和握手头部，按 %s",
	"shows the code that encodes and decodes it, %s the other places.":        "打开编码和解码它的代码，按 %s 跳到其他位置。",

	// Plain output.
	"The protocol package, in reading order (wsanatomy source FILE --plain prints one):": "protocol 包，按阅读顺序排列（wsanatomy source FILE --plain 打印其中一个文件）：",
	"   %-20s %4d lines  %s":      "   %-20s %4d 行  %s",
	"fields: ":                    "字段与头部：",
	"Chapter %d. %s: protocol/%s": "第 %d 章 %s：protocol/%s",

	// The sections a file cites, at its end.
	"RFC 6455 sections cited in %s": "%s 引用的 RFC 6455 章节",
	"§%s (not in RFC 6455)":         "§%s（RFC 6455 中没有这一节）",

	// Key help.
	"up":                           "向上",
	"down":                         "向下",
	"page up":                      "上一页",
	"page down":                    "下一页",
	"top of file":                  "文件开头",
	"end of file":                  "文件末尾",
	"next file":                    "下一个文件",
	"previous file":                "上一个文件",
	"contents":                     "目录",
	"open":                         "打开",
	"back":                         "返回",
	"search":                       "搜索",
	"next match or field link":     "下一个匹配或字段位置",
	"previous match or field link": "上一个匹配或字段位置",
	"reading":                      "阅读",
	"files":                        "文件",
	"search and links":             "搜索与链接",
	"anywhere":                     "随处可用",
}
