package main

import (
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/testvectors"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

func init() { testvectors.FrameView = vectorFrameView }

// vectorFrameView draws a vector's frame with the walkthrough's renderers,
// so that `vectors --show` dissects it exactly as the frame view does.
func vectorFrameView(wire []byte, receiver string) string {
	f := render.ParseFrame(wire)
	if f.HeaderLen == 0 {
		return strings.Join(render.Explain(f, protocol.RoleClient, nil), "\n") + "\n"
	}
	from := protocol.RoleClient
	st := protocol.State{Role: protocol.RoleServer}
	if receiver == "client" {
		from, st.Role = protocol.RoleServer, protocol.RoleClient
	}
	theme := render.PlainTheme()
	var b strings.Builder
	b.WriteString(render.BitGrid(f, theme, render.FieldNone) + "\n")
	b.WriteString(render.FieldTable(f, theme, render.FieldNone, 100) + "\n")
	b.WriteString(render.HexDump(f, theme, render.FieldNone, -1, 64) + "\n")
	b.WriteString(render.HexLegend + "\n")
	b.WriteString(render.Unmask(f, theme, 100) + "\n")
	// The rule check here judges the header alone, as the first frame a
	// receiver sees; the run below judges it in context.
	v := protocol.CheckHeader(f.Header, st)
	b.WriteString(render.Wrap(strings.Join(render.Explain(f, from, v), " "), 100) + "\n")
	return b.String()
}
