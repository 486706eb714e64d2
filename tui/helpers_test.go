package tui

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/session"
)

// updating reports whether -update was given. The flag itself is defined
// by teatest's golden package, which this test binary links.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestMain(m *testing.M) {
	// Golden files hold plain text: the ASCII profile drops every colour,
	// exactly as NO_COLOR does.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// counterRand is a reproducible stand-in for crypto/rand: 0, 1, 2, ...
type counterRand struct{ n byte }

func (c *counterRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
		c.n += 37
	}
	return len(p), nil
}

var (
	walkOnce    sync.Once
	walkEntries []capture.Entry
	walkErr     error
)

var hostPort = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// recordedWalk runs the whole walkthrough once over real TCP with
// reproducible keys, and returns its entries with times and ports fixed,
// so that views of it can be compared with golden files.
func recordedWalk(t testing.TB) []capture.Entry {
	t.Helper()
	walkOnce.Do(func() {
		q := capture.NewQueue()
		all, err := session.RunWalk(t.Context(), session.Config{ID: 1, Queue: q, SampleNonce: true, Rand: &counterRand{}})
		for _, s := range all {
			s.Close()
		}
		if err != nil {
			walkErr = err
			return
		}
		for _, e := range q.Drain() {
			e.At = time.Duration(e.Seq) * 150 * time.Microsecond
			if e.Handshake != nil {
				hs := *e.Handshake
				hs.Raw = hostPort.ReplaceAll(hs.Raw, []byte("127.0.0.1:40311"))
				e.Handshake = &hs
			}
			walkEntries = append(walkEntries, e)
		}
	})
	if walkErr != nil {
		t.Fatal(walkErr)
	}
	return walkEntries
}

// recordedModel is a screen of w x h showing the recorded walkthrough,
// with no live session.
func recordedModel(t testing.TB, w, h int) Model {
	m := newModel()
	m.connInfo = "s1 client :53122 ⇄ server :40311"
	entries := recordedWalk(t)
	for _, e := range entries {
		if _, ok := m.walk.ran[e.Tag]; !ok && e.Tag >= 0 {
			m.walk.ran[e.Tag] = e.Conn
		}
	}
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h}, entriesMsg(entries))
	return m
}

// send feeds messages to the model's Update, ignoring commands.
func send(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

// keys turns key names into key messages.
func keys(names ...string) []tea.Msg {
	var out []tea.Msg
	for _, n := range names {
		switch n {
		case "space":
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		case "enter":
			out = append(out, tea.KeyMsg{Type: tea.KeyEnter})
		case "tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyTab})
		case "shift+tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyShiftTab})
		case "left":
			out = append(out, tea.KeyMsg{Type: tea.KeyLeft})
		case "right":
			out = append(out, tea.KeyMsg{Type: tea.KeyRight})
		case "up":
			out = append(out, tea.KeyMsg{Type: tea.KeyUp})
		case "down":
			out = append(out, tea.KeyMsg{Type: tea.KeyDown})
		case "esc":
			out = append(out, tea.KeyMsg{Type: tea.KeyEsc})
		case "ctrl+u":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlU})
		case "backspace":
			out = append(out, tea.KeyMsg{Type: tea.KeyBackspace})
		case "ctrl+c":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlC})
		default:
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(n)})
		}
	}
	return out
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run %s -update)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
	if bytes.Contains([]byte(got), []byte("\x1b[")) {
		t.Errorf("%s: escape sequences in an ASCII-profile view", name)
	}
}
