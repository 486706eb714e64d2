package render

import (
	"strings"
	"testing"
)

// A 101 response's Upgrade and Connection are the server's duty (§4.2.2
// item 5) and the client's check (§4.1's list for the response, items
// 2-3), not the request's rules (§4.1 items 5-6, §4.2.1).
func TestHandshakeResponseNotesCiteTheResponseRules(t *testing.T) {
	req := "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
	notes := func(raw, lang string) map[string]string {
		m := map[string]string{}
		for _, l := range annotateHandshake(lang, []byte(raw)) {
			name, _, _ := strings.Cut(l.Text, ":")
			m[name] = l.Note
		}
		return m
	}
	rq, rs := notes(req, ""), notes(resp, "")
	for name, item := range map[string]string{"Upgrade": "item 2", "Connection": "item 3"} {
		if !strings.Contains(rq[name], "§4.1 item") || !strings.Contains(rq[name], "§4.2.1") {
			t.Errorf("request %s: %q, want the request's rule (§4.1, §4.2.1)", name, rq[name])
		}
		n := rs[name]
		if !strings.Contains(n, "§4.2.2 item 5") || !strings.Contains(n, "response, "+item) || strings.Contains(n, "§4.2.1") {
			t.Errorf("response %s: %q, want §4.2.2 item 5 and §4.1's response check %s", name, n, item)
		}
		zh := notes(resp, "zh")[name]
		if !strings.Contains(zh, "§4.2.2 第 5 条") || zh == n {
			t.Errorf("response %s in Chinese: %q", name, zh)
		}
	}
}
