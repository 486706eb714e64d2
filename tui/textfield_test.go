package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestSampleReplacedByTyping: free play opens with a sample message; the
// first key typed replaces it instead of appending ("Hello, WebSocketHi"
// was sent before), backspace clears it, and a value set to edit (a lab
// preset) is appended to.
func TestSampleReplacedByTyping(t *testing.T) {
	m := send(newModel(), keys("f", "H", "i")...)
	if got := m.free.msg.Value(); got != "Hi" {
		t.Errorf("free play message after typing Hi = %q, want %q", got, "Hi")
	}
	m = send(newModel(), keys("f", "backspace", "x")...)
	if got := m.free.msg.Value(); got != "x" {
		t.Errorf("after backspace and x = %q, want %q", got, "x")
	}
	if got := newFreePlay().msg.Value(); got != "Hello, WebSocket" {
		t.Errorf("untouched sample = %q, want it sent as it is", got)
	}
	f := newTextField("sample", 20)
	f.SetValue("81 05")
	f, _ = f.Update(keys("a")[0].(tea.KeyMsg))
	if got := f.Value(); got != "81 05a" {
		t.Errorf("a value set to edit: typing gives %q, want %q", got, "81 05a")
	}
}
