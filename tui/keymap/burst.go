package keymap

import tea "github.com/charmbracelet/bubbletea"

// Burst splits keys that arrived in one read: Bubble Tea hands runes read
// together (a fast typist, tmux send-keys, a key held down on a slow
// terminal) to Update as one message, "jjj", which no binding matches. A
// screen takes them one by one, as if pressed apart. A paste is text,
// not keys, and stays whole, as does every other message.
func Burst(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return []tea.KeyMsg{msg}
	}
	out := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		out[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
	}
	return out
}

// Replay gives a screen the keys of a burst one by one, each through the
// screen's own Update, so a key that changes the screen's state (opens
// the source reader, say) decides where the keys after it go. ok is false
// when msg is a single key, which the screen then handles itself.
func Replay(m tea.Model, msg tea.KeyMsg) (next tea.Model, cmd tea.Cmd, ok bool) {
	ks := Burst(msg)
	if len(ks) < 2 {
		return m, nil, false
	}
	cmds := make([]tea.Cmd, 0, len(ks))
	next = m
	for _, k := range ks {
		next, cmd = next.Update(k)
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...), true
}
