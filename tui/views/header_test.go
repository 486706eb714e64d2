package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

// TestPickedHeaderHintAfterItsNote: the line saying what s opens goes
// under the picked header's whole note, in colour as in plain text: a
// note that wraps is not cut in two by it (in colour, its wrapped lines
// start with the colour's escape code, not with the indent).
func TestPickedHeaderHintAfterItsNote(t *testing.T) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI256)
	t.Cleanup(func() { lipgloss.SetColorProfile(old) })
	raw := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
	e := capture.Entry{Kind: capture.KindHandshake, Dir: capture.ServerToClient, Handshake: &protocol.HandshakeEvent{Raw: raw}}
	for _, theme := range []render.Theme{render.PlainTheme(), render.ColorTheme(), render.ColorTheme().WithLang("zh")} {
		for _, width := range []int{60, 80, 120} {
			for _, h := range render.HeaderSources(raw) {
				v := HandshakeView{Header: h.ID}.View(e, theme, width, true)
				lines := strings.Split(ansi.Strip(v), "\n")
				for i, l := range lines {
					if !strings.HasPrefix(l, "  » ") {
						continue
					}
					if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    ") {
						t.Errorf("%d columns, %s picked: the hint cuts its note:\n%s", width, h.ID, strings.Join(lines, "\n"))
					}
				}
			}
		}
	}
}
