package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/keymap"
)

// keyMap holds every binding of the screen, built from the shared key map
// (package tui/keymap) so that a key means here what it means on every
// other screen. [Model.bindings] sets which are enabled in the state on
// screen; the keys are matched, the footer drawn and the ? screen listed
// from that one copy, so none of them can name a key that does nothing.
type keyMap struct {
	lang string

	Next, Back            key.Binding // the walkthrough's steps
	Up, Down, First, Last key.Binding // the timeline's frames
	Field, FieldBack      key.Binding
	ByteNext, BytePrev    key.Binding
	PageUp, PageDown      key.Binding
	Code                  key.Binding
	Walk, Free, Lab, Edit key.Binding
	NewSession, Help      key.Binding
	Quit                  key.Binding
	Leave                 key.Binding // esc: out of a form, or back to the walkthrough
	LabSend               key.Binding // enter in the lab, outside its form

	// In a form.
	FormNext, FormPrev, FormChange, LabChange, Send key.Binding
	FormLeave                                       key.Binding

	// On the ? screen.
	HelpClose, HelpDown, HelpUp key.Binding
}

func newKeyMap(lang string) keyMap {
	lang = keymap.Lang(lang)
	km := keymap.New(lang)
	t := func(en string) string { return keyText(lang, en) }
	r := keymap.Relabel
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, t(h)))
	}
	return keyMap{
		lang:       lang,
		Next:       r(km.WithKeys(km.Next, "→/space/enter", "right", "l", " ", "enter"), t("next step")),
		Back:       r(km.Prev, t("previous step")),
		Up:         r(km.Up, t("previous frame")),
		Down:       r(km.Down, t("next frame")),
		First:      r(km.First, t("first frame")),
		Last:       r(km.Last, t("last frame")),
		Field:      r(km.Field, t("next field (bit grid) or header")),
		FieldBack:  r(km.FieldBack, t("previous field or header")),
		ByteNext:   r(km.Byte, t("next byte (hex)")),
		BytePrev:   r(km.ByteBack, t("previous byte (hex)")),
		PageUp:     r(km.PageUp, t("scroll the dissection up")),
		PageDown:   r(km.PageDown, t("scroll the dissection down")),
		Code:       r(km.Source, t("see the code of the field or header")),
		Walk:       b([]string{"w"}, "w", "walkthrough"),
		Free:       b([]string{"f"}, "f", "free play"),
		Lab:        b([]string{"r"}, "r", "raw frame lab"),
		Edit:       b([]string{"e"}, "e", "edit the form"),
		NewSession: b([]string{"n"}, "n", "fresh connection"),
		Help:       km.Help,
		Quit:       km.Quit,
		Leave:      r(km.Back, t("back to the walkthrough")),
		LabSend:    b([]string{"enter"}, "enter", "send the frame"),
		FormNext:   r(keymap.WithKeys(km.Field, "tab/↓", "tab", "down"), t("next form field")),
		FormPrev:   r(keymap.WithKeys(km.FieldBack, "shift+tab/↑", "shift+tab", "up"), t("previous form field")),
		FormChange: b([]string{"left", "right"}, "←/→", "change the choice"),
		LabChange:  b([]string{"left", "right", " "}, keymap.KeyLabel(lang, "←/→/space"), "change the choice or flip the bit"),
		Send:       b([]string{"enter"}, "enter", "send"),
		FormLeave:  r(km.Back, t("leave the form")),
		HelpClose:  km.Close,
		HelpDown:   km.Down,
		HelpUp:     km.Up,
	}
}

// fk is the key map whose key names the forms' own sentences use ("%s:
// edit the frame"), so that they name the keys the screen binds; a key's
// name is the same in every language.
var fk = newKeyMap("en")

// kn is the name a sentence gives b's keys.
func kn(b key.Binding) string { return b.Help().Key }

// bindings is the key map as it stands in the current state: a binding is
// enabled only when pressing it would do something now. Update matches
// keys against this copy (key.Matches ignores disabled bindings) and the
// footer and ? screen list it.
func (m Model) bindings() keyMap {
	k := m.stateKeys()
	top := 0
	if m.full {
		top = m.helpMaxTop(k)
	}
	k.HelpDown = keymap.On(k.HelpDown, m.full && m.helpTop < top)
	k.HelpUp = keymap.On(k.HelpUp, m.full && m.helpTop > 0)
	return k
}

// stateKeys is bindings without the ? screen's scrolling, which depends on
// the length of the ? screen, which lists stateKeys.
func (m Model) stateKeys() keyMap {
	k := m.keys
	walking := m.mode == modeWalk
	form := m.formFocused()
	e, have := m.shown()
	n := len(m.tl.entries)
	frame := have && (e.Kind == capture.KindFrame || e.Kind == capture.KindRaw) && len(e.Wire) > 0
	fields := frame || (have && m.hs.CanPick(e))
	_, code := m.codeTargetOK(e, have)

	// At the last step → runs the walkthrough again (restartWalk).
	k.Next = keymap.On(k.Next, walking)
	k.Back = keymap.On(k.Back, walking && m.walk.step > 0)
	k.Up = keymap.On(k.Up, m.tl.sel > 0)
	k.First = keymap.On(k.First, m.tl.sel > 0)
	k.Down = keymap.On(k.Down, m.tl.sel < n-1)
	k.Last = keymap.On(k.Last, m.tl.sel < n-1)
	k.Field = keymap.On(k.Field, fields)
	k.FieldBack = keymap.On(k.FieldBack, fields)
	k.ByteNext = keymap.On(k.ByteNext, frame && m.frame.CanMoveByte(e, 1))
	k.BytePrev = keymap.On(k.BytePrev, frame && m.frame.CanMoveByte(e, -1))
	k.PageUp = keymap.On(k.PageUp, !m.detail.AtTop())
	k.PageDown = keymap.On(k.PageDown, !m.detail.AtBottom())
	k.Code = keymap.On(k.Code, code)
	k.Walk = keymap.On(k.Walk, !walking)
	k.Free = keymap.On(k.Free, m.mode != modeFree)
	k.Lab = keymap.On(k.Lab, m.mode != modeLab)
	k.Edit = keymap.On(k.Edit, m.mode == modeFree || m.mode == modeLab)
	k.LabSend = keymap.On(k.LabSend, m.mode == modeLab)
	k.Leave = keymap.On(k.Leave, !walking)
	if form {
		// The form has the keys: of the screen's keys only ctrl+c works.
		for _, b := range []*key.Binding{&k.Next, &k.Back, &k.Up, &k.Down, &k.First, &k.Last, &k.Field, &k.FieldBack,
			&k.ByteNext, &k.BytePrev, &k.PageUp, &k.PageDown, &k.Code, &k.Walk, &k.Free, &k.Lab, &k.Edit,
			&k.NewSession, &k.Help, &k.Leave, &k.LabSend} {
			b.SetEnabled(false)
		}
		k.Quit = keymap.WithKeys(k.Quit, "ctrl+c", "ctrl+c")
	}
	// ←/→ change a choice field, not a text field, where they move the
	// cursor; in the lab, space flips a bit as → does.
	free := form && m.mode == modeFree
	lab := form && m.mode == modeLab
	k.FormChange = keymap.On(k.FormChange, free && (m.free.focus == freeSender || m.free.focus == freeType || m.free.focus == freeCompress))
	k.LabChange = keymap.On(k.LabChange, lab && m.lab.focus <= labForm)
	for _, b := range []*key.Binding{&k.FormNext, &k.FormPrev, &k.Send, &k.FormLeave} {
		b.SetEnabled(form)
	}
	return k
}

// footerKeys returns the mode's keys and the tail that is never cut. The
// footer's words are shorter than the ? screen's.
func (m Model) footerKeys() (body, tail []key.Binding) {
	k := m.bindings()
	t := func(en string) string { return keyText(k.lang, en) }
	short := keymap.Relabel
	frame := []key.Binding{short(k.Down, t("frame")), short(k.Field, t("field")), short(k.Code, t("code")), short(k.ByteNext, t("byte"))}
	tail = []key.Binding{k.Help, k.Quit}
	switch {
	case m.mode == modeFree && m.free.focused:
		return []key.Binding{short(k.FormNext, t("next field")), k.FormChange, k.Send}, []key.Binding{k.FormLeave}
	case m.mode == modeLab && m.lab.focused:
		return []key.Binding{short(k.FormNext, t("next field")), short(k.LabChange, t("change")), short(k.Send, t("send"))}, []key.Binding{k.FormLeave}
	case m.mode == modeFree:
		return append([]key.Binding{short(k.Edit, t("edit")), short(k.NewSession, t("new connection"))}, append(frame, k.Walk, k.Lab, short(k.Leave, t("back")))...), tail
	case m.mode == modeLab:
		return append([]key.Binding{short(k.Edit, t("edit")), short(k.LabSend, t("send")), short(k.NewSession, t("new connection"))},
			append(frame, k.Walk, k.Free, short(k.Leave, t("back")))...), tail
	}
	next := short(k.Next, t("next step"))
	next.SetHelp(keymap.KeyLabel(k.lang, "→/space"), next.Help().Desc)
	// ← shows the previous step. Its word is not "back", which every
	// screen gives esc (here, free play's and the lab's way back to the
	// walkthrough). It is kept short ("previous", not "previous step"): at
	// 80 columns the longer word would push ← itself off the line.
	return append([]key.Binding{next, short(k.Back, t("previous"))}, append(frame, k.Free, k.Lab)...), tail
}

// groups is the ? screen: every binding that works in the state under it,
// by what it works on.
func (m Model) groups(k keyMap) []keymap.Group {
	t := func(en string) string { return keyText(k.lang, en) }
	return []keymap.Group{
		{Title: t("walkthrough (w)"), Bindings: []key.Binding{k.Next, k.Back}},
		{Title: t("timeline and frame"), Bindings: []key.Binding{k.Up, k.Down, k.First, k.Last, k.Field, k.FieldBack,
			k.ByteNext, k.BytePrev, k.Code, k.PageUp, k.PageDown}},
		{Title: t("free play (f) and raw frame lab (r)"), Bindings: []key.Binding{k.Edit, k.LabSend}},
		{Title: t("in a form"), Bindings: []key.Binding{k.FormNext, k.FormPrev, k.FormChange, k.LabChange, k.Send, k.FormLeave}},
		{Title: t("anywhere"), Bindings: []key.Binding{k.Walk, k.Free, k.Lab, k.NewSession, k.Leave, k.Help, k.Quit}},
	}
}

// keyText is the Chinese of the screen's key help.
func keyText(lang, en string) string {
	if lang == "zh" {
		if s, ok := keysZh[en]; ok {
			return s
		}
	}
	return en
}

var keysZh = map[string]string{
	"next step":                           "下一步",
	"previous step":                       "上一步",
	"previous frame":                      "上一帧",
	"next frame":                          "下一帧",
	"first frame":                         "第一帧",
	"last frame":                          "最后一帧",
	"next field (bit grid) or header":     "下一个字段（比特图）或头部",
	"previous field or header":            "上一个字段或头部",
	"next byte (hex)":                     "下一个字节（十六进制）",
	"previous byte (hex)":                 "上一个字节（十六进制）",
	"scroll the dissection up":            "解析面板向上滚动",
	"scroll the dissection down":          "解析面板向下滚动",
	"see the code of the field or header": "查看该字段或头部的代码",
	"walkthrough":                         "分步讲解",
	"free play":                           "自由发送",
	"raw frame lab":                       "原始帧实验室",
	"edit the form":                       "编辑表单",
	"fresh connection":                    "新建连接",
	"back to the walkthrough":             "回到分步讲解",
	"send the frame":                      "发送这一帧",
	"next form field":                     "表单的下一项",
	"previous form field":                 "表单的上一项",
	"change the choice":                   "切换选项",
	"change the choice or flip the bit":   "切换选项或翻转这一位",
	"send":                                "发送",
	"leave the form":                      "离开表单",
	"frame":                               "帧",
	"field":                               "字段",
	"code":                                "代码",
	"byte":                                "字节",
	"more":                                "更多",
	"next field":                          "下一项",
	"change":                              "切换",
	"edit":                                "编辑",
	"new connection":                      "新连接",
	"back":                                "返回",
	"previous":                            "上一步", // the walkthrough footer's ←: the previous step
	"walkthrough (w)":                     "分步讲解（w）",
	"timeline and frame":                  "时间线与帧",
	"free play (f) and raw frame lab (r)": "自由发送（f）与原始帧实验室（r）",
	"in a form":                           "在表单中",
	"anywhere":                            "随处可用",
	// The ? screen's notes.
	"Everything on screen comes from a real connection: a server on 127.0.0.1 and a client talking over TCP through wsanatomy's codec. The timeline lists every frame both ways (→ client to server, ← server to client); the rest of the screen dissects the selected one: bit grid, fields, hex dump, unmasking and why.": "屏幕上的一切都来自一条真实的连接：127.0.0.1 上的服务器和客户端通过 TCP、用 wsanatomy 的编解码器通信。时间线列出双向的每一帧（→ 客户端发往服务器，← 服务器发往客户端）；屏幕其余部分解析选中的那一帧：比特图、字段、十六进制转储、去掩码过程，以及为什么这样设计。",
	"Walkthrough (%s): %s runs the next real exchange; %s goes back a step. When the connection has closed, %s opens a fresh one.": "分步讲解（%s）：%s 运行下一次真实的交互；%s 回到上一步。连接关闭之后，按 %s 新建一条连接。",
	"Free play (%s): the form opens with the cursor in the message, on a dim sample that what you type replaces. Type it, %s to the sender and the type and change them with %s (text, binary, ping, pong, close with a code and the message as reason), give a fragment size if you like, turn compress on with %s to send text and binary compressed (permessage-deflate, RFC 7692: a connection started with %s negotiates it), %s sends. A 200-byte ping is x*200; raw bytes are hex 48 65. What the codec refuses is shown and the session goes on. %s leaves the form, so letters are keys again; %s goes back in.": "自由发送（%s）：表单打开时光标在消息一栏，栏里暗色的是示例文字，一输入就会被替换。输入消息，用 %s 移到发送方和类型，用 %s 切换（text、binary、ping、pong，以及带关闭码、以消息为关闭原因的 close）；需要的话填写分片大小；用 %s 打开压缩，text 和 binary 就会压缩发送（permessage-deflate，RFC 7692：按 %s 新建的连接会协商它）；按 %s 发送。200 字节的 ping 写作 x*200；原始字节写作 hex 48 65。编解码器拒绝的内容会显示出来，会话照常继续。按 %s 离开表单，字母键就恢复为快捷键；按 %s 回到表单。",
	"Raw frame lab (%s): pick a preset with %s, %s to a bit and toggle it with %s, or type hex in bytes; %s sends the exact bytes from the client and the server's reaction appears: the rule broken with its RFC section, its close frame, the connection ending. %s then starts a fresh connection. Presets: %s.":                                                                                                                                                                                                                                                                                                       "原始帧实验室（%s）：用 %s 选择预设，用 %s 移到某一位并用 %s 翻转它，或者直接在 bytes 一栏输入十六进制；按 %s 由客户端原样发送这些字节，随后显示服务器的反应：违反的规则及其 RFC 章节、它发出的关闭帧、连接的结束。之后按 %s 新建连接。预设：%s。",
	"Linked panes: %s picks a field in the bit grid and its bytes light up (CAPS tags in the hex dump); %s and %s walk the hex dump and select the field of each byte. On a handshake, %s picks a header.":                                                                                                                                                                                                                                                                                                                                                                                                                "联动窗格：%s 在比特图中选择一个字段，它的字节随之高亮（十六进制转储中的大写标签）；%s 和 %s 逐个字节走过十六进制转储，并选中每个字节所属的字段。选中握手记录时，%s 选择一个头部。",
	"See the code: %s opens the annotated source reader at the code of protocol/ that encodes and decodes the selected field, the field of the byte under the hex cursor, or the handshake header under the cursor (the first one when none is picked). In the reader, %s and %s step through every place that handles it; %s comes back here, exactly where you were.":                                                                                                                                                                                                                                                   "查看代码：%s 打开注解源码，定位到 protocol/ 中编码和解码所选字段的代码；也可以是十六进制光标下那个字节所属的字段，或光标下的握手头部（没有选择时取第一个）。在阅读器里，%s 和 %s 逐个跳到处理它的每一处代码；按 %s 回到这里，恰好是你离开时的位置。",
	"The mouse wheel scrolls the pane under the pointer; NO_COLOR=1 turns colour off.": "鼠标滚轮滚动指针下的窗格；NO_COLOR=1 关闭颜色。",
}
