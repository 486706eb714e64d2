package lessons

import (
	"slices"
	"sort"
	"unicode/utf8"
)

// ZhTerms are the Chinese terms of the project's glossary (the design
// folder's glossary.md) and a few words every screen uses, longest first. Each is one word to a Chinese
// reader: the wrapper never breaks a line inside one (掩码|密钥 would read
// as two words), and the checks of Chinese text (package internal/zhcheck)
// hold every wrapped string to that.
var ZhTerms = sortedTerms(
	"握手", "关闭握手", "协议升级",
	"帧", "消息", "数据帧", "控制帧", "延续帧", "关闭帧",
	"分片", "分片帧", "载荷", "有效载荷", "载荷长度", "扩展载荷长度",
	"掩码", "掩码密钥", "操作码", "保留位", "关闭码", "关闭原因",
	"心跳", "子协议", "扩展", "全双工", "字节流", "持久连接", "长轮询",
	"中间设备", "代理", "缓存投毒", "校验", "测试向量", "注解源码",
	// Words the screens use on every line, which read as nonsense cut in
	// two (服务|器).
	"服务器", "客户端", "浏览器", "连接", "字节", "协议", "压缩", "解压",
)

func init() {
	// A close code's short Chinese name (异常关闭, 协议错误) is one term
	// too; longer ones (不支持的数据类型) read as phrases and may break,
	// which a narrow screen needs.
	var names []string
	for _, n := range zhCloseNames {
		if utf8.RuneCountInString(n) <= 4 {
			names = append(names, n)
		}
	}
	ZhTerms = sortedTerms(append(ZhTerms, names...)...)
}

func sortedTerms(ts ...string) []string {
	var out []string
	for _, t := range ts {
		if utf8.RuneCountInString(t) > 1 && isWideString(t) {
			out = append(out, t) // one character cannot be split
		}
	}
	sort.Strings(out) // the same order on every run, whatever the map's
	sort.SliceStable(out, func(i, j int) bool {
		return utf8.RuneCountInString(out[i]) > utf8.RuneCountInString(out[j])
	})
	return slices.Compact(out)
}

// isWideString reports whether every rune of s is a wide (Chinese)
// character.
func isWideString(s string) bool {
	for _, r := range s {
		if !isWide(r) {
			return false
		}
	}
	return true
}

// termAt returns the length in bytes of the longest glossary term that s
// starts with, or 0.
func termAt(s string) int {
	for _, t := range ZhTerms {
		if len(s) >= len(t) && s[:len(t)] == t {
			return len(t)
		}
	}
	return 0
}
