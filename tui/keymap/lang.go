package keymap

import "fmt"

// T returns the shared help text en in lang. Only the words of the shared
// bindings and the help screen's own lines are here; each screen keeps the
// Chinese of its own keys in its own package. A test fails when a text of
// New has no Chinese.
func T(lang, en string) string {
	if lang == "zh" {
		if s, ok := zh[en]; ok {
			return s
		}
	}
	return en
}

var zh = map[string]string{
	"next":           "下一个",
	"previous":       "上一个",
	"down":           "向下",
	"up":             "向上",
	"next field":     "下一个字段",
	"previous field": "上一个字段",
	"next byte":      "下一个字节",
	"previous byte":  "上一个字节",
	"see the code":   "查看代码",
	"scroll down":    "向下滚动",
	"scroll up":      "向上滚动",
	"first":          "第一个",
	"last":           "最后一个",
	"help":           "帮助",
	"back":           "返回",
	"quit":           "退出",
	"close the help": "关闭帮助",

	// The help screen's title line and its way back.
	"keys":            "按键",
	"%s: back":        "%s：返回",
	" · ":             " · ",
	"%s: scroll":      "%s：滚动",
	"↓ %d more lines": "↓ 还有 %d 行",

	"Only the keys that act here now are listed; the others appear where they work.": "这里只列出此刻起作用的按键；其余按键会在它们起作用的地方列出。",

	"esc closes this help first, then leaves a form or a sub-view, then the screen; q quits wsanatomy from every screen.": "esc 先关闭帮助，再离开表单或子视图，最后离开当前界面；在任何界面按 q 都会退出 wsanatomy。",

	"esc closes this help first, then leaves a form or a sub-view; on this screen itself it does nothing. q quits wsanatomy from every screen.": "esc 先关闭帮助，再离开表单或子视图；在这个界面本身按 esc 不起作用。在任何界面按 q 都会退出 wsanatomy。",
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
