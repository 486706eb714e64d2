package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/testvectors"
	"github.com/wsanatomy/wsanatomy/tui/render"
)

func init() { testvectors.FrameView = frameView }

// runVectors is `wsanatomy vectors [--list | --show ID] [FILE|DIR...]`.
// With no paths it uses the embedded vectors. It exits 0 when every
// vector passed, 1 when one failed or a file could not be loaded.
func runVectors(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vectors", stderr)
	show := fs.String("show", "", "print one vector, the dissection of its bytes and its result")
	list := fs.Bool("list", false, "list every vector, grouped by file: its level (MUST, SHOULD, or choice: behaviour the RFC leaves open, chosen by this project; \"wsanatomy\" in the JSON), its id and its description, in full")
	addLangFlag(fs, "this help, the messages, --list, --show and the report's own words (not its last line)")
	args = reorderFlags(args, "--show", "-show", "--lang", "-lang")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	if *list && *show != "" {
		return usagef("vectors", lang, "--list and --show go one at a time", "--list 和 --show 不能同时使用")
	}
	var set *testvectors.Set
	if fs.NArg() == 0 {
		set, err = testvectors.Default()
	} else {
		set, err = testvectors.Load(fs.Args()...)
	}
	if err != nil {
		return err
	}
	width := outputWidth(stdout)
	switch {
	case *list:
		if !isTerminal(stdout) {
			width = 0 // into a pipe or a file, every description in full
		}
		set.List(stdout, lang, width)
		return nil
	case *show != "":
		ctx := context.Background()
		text, err := testvectors.ShowIn(ctx, set, *show, lang, width)
		if err != nil {
			return err
		}
		fmt.Fprint(stdout, text)
		if v, _ := set.Find(*show); v != nil && !testvectors.RunVector(ctx, v).Pass {
			return exitError(1) // the vector fails, as its last line says
		}
		return nil
	}
	rep := testvectors.Run(context.Background(), set)
	rep.PrintIn(stdout, lang)
	if rep.Failed() > 0 {
		return exitError(1)
	}
	return nil
}

// outputWidth is the width of the terminal w is, or 80 when it is not one.
func outputWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && isTerminal(w) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			return max(cols, 20) // narrower, nothing fits; let the terminal fold
		}
	}
	return 80
}

// vectorFrameView draws a frame in English at 100 columns, for check
// --show.
func vectorFrameView(wire []byte, receiver string) string {
	return frameView(wire, receiver, "en", 100)
}

// frameView draws a vector's frame with the walkthrough's renderers, in
// lang and for width columns, so that `vectors --show` dissects it exactly
// as the frame view does.
func frameView(wire []byte, receiver, lang string, width int) string {
	theme := render.PlainTheme().WithLang(lang)
	f := render.ParseFrame(wire)
	if f.HeaderLen == 0 {
		return theme.Wrap(strings.Join(theme.Explain(f, protocol.RoleClient, nil), "\n"), width) + "\n"
	}
	from := protocol.RoleClient
	st := protocol.State{Role: protocol.RoleServer}
	if receiver == "client" {
		from, st.Role = protocol.RoleServer, protocol.RoleClient
	}
	var b strings.Builder
	b.WriteString(render.BitGridFor(f, theme, render.FieldNone, width) + "\n")
	b.WriteString(render.FieldTable(f, theme, render.FieldNone, width) + "\n")
	b.WriteString(render.HexDumpFor(f, theme, render.FieldNone, -1, 64, width) + "\n")
	b.WriteString(theme.Wrap(theme.HexLegend(), width) + "\n")
	b.WriteString(render.Unmask(f, theme, width) + "\n")
	// The rule check here judges the header alone, as the first frame a
	// receiver sees; the run below judges it in context.
	v := protocol.CheckHeader(f.Header, st)
	b.WriteString(theme.Wrap(strings.Join(theme.Explain(f, from, v), " "), width) + "\n")
	return b.String()
}
