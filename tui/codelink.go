package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/source"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// The link from the screen to the code: s on a frame field, a byte of the
// hex dump or a handshake header opens the annotated source reader
// (package tui/source) at the code that encodes and decodes it. The
// reader takes the whole screen; esc comes back to exactly where the
// learner was, since nothing of this screen changes meanwhile.

// codeTarget is the sourcebook ID that s opens for entry e (see
// views.CodeTarget, which the live screens use too).
func (m Model) codeTarget(e capture.Entry) (id string, ok bool) {
	return views.CodeTarget(e, m.frame, m.hs)
}

// codeTargetOK is codeTarget of the entry shown, if there is one.
func (m Model) codeTargetOK(e capture.Entry, have bool) (string, bool) {
	if !have {
		return "", false
	}
	return m.codeTarget(e)
}

// openCode opens the reader at id, building it the first time.
func (m *Model) openCode(id string) {
	rd, err := source.Embed(m.src, m.srcReady, m.keys.lang, nil, m.width, m.height, id)
	if err != nil {
		m.status = "✗ " + err.Error()
		return
	}
	m.src, m.srcReady, m.reading = rd, true, true
}

// readerUpdate routes a key or mouse message to the open reader. ctrl+c
// still quits the whole program.
func (m *Model) readerUpdate(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "ctrl+c" {
		return m.quit()
	}
	var cmd tea.Cmd
	m.src, cmd = m.src.Update(msg)
	return cmd
}
