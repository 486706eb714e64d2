package checkui

import "github.com/wsanatomy/wsanatomy/conformance"

// texts are the report's own words in one language. The Chinese is
// written for Chinese readers with the project's glossary; RFC terms, the
// verdicts (Autobahn's vocabulary, which reports are compared in) and the
// cases' descriptions and rules (which quote RFC 6455 verbatim) stay in
// English. A test fails when a Chinese text is missing.
type texts struct {
	lang                      string // "en" or "zh", as keymap.Lang gives it
	server, client            string // "against %s", "client %s"
	colon                     string // after a label
	running                   string // "%d of %d · %s"
	now                       string // "running %s"
	done                      string // "%d cases · %s"
	summary                   string // "%d passed, %d failed"
	filterOn                  string // "failed only (%d of %d)"
	waiting, noFailed         string
	tiny                      string
	verdictLabel, peer, rule  string
	also, clientExit, took    string
	exchange, noExchange      string
	partial, nothingSelected  string
	helpTitle, helpVerdicts   string
	helpList, helpCase        string
	helpAnywhere              string
	verdictWords              map[conformance.Verdict]string
	sections                  map[string]string // section key -> title
	sectionOther, sectionMore string
}

var english = texts{
	lang:            "en",
	server:          "against %s",
	colon:           ": ",
	client:          "client %s",
	running:         "%d of %d · %s",
	now:             "running %s",
	done:            "%d cases · %s",
	summary:         "%d passed, %d failed",
	filterOn:        "failed only: %d of %d",
	waiting:         "no verdict yet: the first cases are running",
	noFailed:        "no case failed",
	tiny:            "enlarge the terminal",
	verdictLabel:    "verdict",
	peer:            "peer",
	rule:            "rule",
	also:            "also",
	clientExit:      "client",
	took:            "took %s; %s",
	exchange:        "exchange",
	noExchange:      "nothing was recorded: the case never got a connection",
	partial:         "the recording ended inside this frame",
	nothingSelected: "select an entry of the exchange",
	helpTitle:       "keys",
	helpVerdicts:    "verdicts (Autobahn's words; only FAILED is a failure)",
	helpList:        "the list of cases",
	helpCase:        "a case: its rule, what the peer did, and its exchange",
	helpAnywhere:    "on both screens",
	verdictWords: map[conformance.Verdict]string{
		conformance.OK:            "did what the RFC requires and recommends",
		conformance.NonStrict:     "kept every MUST but not a SHOULD; not a failure",
		conformance.Informational: "the RFC leaves this to the implementation; not a failure",
		conformance.Unimplemented: "an optional extension the peer did not agree to; not a failure",
		conformance.Failed:        "broke a MUST of the RFC, or did not answer in time",
	},
	sections: map[string]string{
		"1":  "framing",
		"2":  "pings and pongs",
		"3":  "reserved bits",
		"4":  "opcodes",
		"5":  "fragmentation",
		"6":  "UTF-8 handling",
		"7":  "close handling",
		"9":  "limits and performance",
		"10": "miscellaneous",
		"12": "permessage-deflate: payloads",
		"13": "permessage-deflate: parameters",
		"B":  "masking, length forms and limits",
	},
	sectionOther: "section %s",
	sectionMore:  "section %s · %s",
}

var chinese = texts{
	lang:            "zh",
	server:          "被测服务器 %s",
	colon:           "：",
	client:          "被测客户端命令 %s",
	running:         "第 %d / %d 个 · 已用 %s",
	now:             "正在运行 %s",
	done:            "共 %d 个用例 · 用时 %s",
	summary:         "通过 %d 个，失败 %d 个",
	filterOn:        "只看失败：%d / %d",
	waiting:         "还没有结果，前几个用例正在运行",
	noFailed:        "没有失败的用例",
	tiny:            "请把终端窗口放大",
	verdictLabel:    "结论",
	peer:            "对端",
	rule:            "规则",
	also:            "另外",
	clientExit:      "客户端",
	took:            "用时 %s；%s",
	exchange:        "交互过程",
	noExchange:      "没有记录（这个用例没能建立连接）",
	partial:         "记录在这一帧中途结束",
	nothingSelected: "请选择交互过程中的一项",
	helpTitle:       "按键",
	helpVerdicts:    "结论（沿用 Autobahn 的说法；只有 FAILED 算失败）",
	helpList:        "用例列表",
	helpCase:        "单个用例：规则、对端的表现和交互过程",
	helpAnywhere:    "两个界面通用",
	verdictWords: map[conformance.Verdict]string{
		conformance.OK:            "符合 RFC 的要求（MUST）和建议（SHOULD）",
		conformance.NonStrict:     "遵守了所有 MUST，但没做到某条 SHOULD；不算失败",
		conformance.Informational: "RFC 把这一点留给实现自行决定；不算失败",
		conformance.Unimplemented: "对端没有同意这个可选扩展；不算失败",
		conformance.Failed:        "违反了 RFC 的某条 MUST，或没有按时应答",
	},
	sections: map[string]string{
		"1":  "帧结构",
		"2":  "ping 与 pong",
		"3":  "保留位",
		"4":  "操作码（opcode）",
		"5":  "分片",
		"6":  "UTF-8 处理",
		"7":  "关闭处理",
		"9":  "大小限制与性能",
		"10": "其他",
		"12": "permessage-deflate：不同载荷",
		"13": "permessage-deflate：不同参数",
		"B":  "掩码、长度编码与限制",
	},
	sectionOther: "第 %s 节",
	sectionMore:  "第 %s 节 · %s",
}

// textsFor returns the texts of lang: "zh" for Simplified Chinese,
// anything else for English.
func textsFor(lang string) texts {
	if lang == "zh" {
		return chinese
	}
	return english
}

// ending says how a case's connection ended, in the texts' language.
func (t texts) ending(e conformance.Ending) string {
	zh := t.lang == "zh"
	switch e {
	case conformance.EndClean:
		if zh {
			return "先完成关闭握手，再关闭 TCP 连接"
		}
		return "a closing handshake, then TCP closed"
	case conformance.EndFailed:
		if zh {
			return "对端按用例的预期使连接失败（Fail the WebSocket Connection）"
		}
		return "the peer failed the connection, as the case wanted"
	}
	if zh {
		return "用例在关闭握手之前就停止了"
	}
	return "the case stopped before a closing handshake"
}
