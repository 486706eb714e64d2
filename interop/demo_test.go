package interop

// Headless Chromium loads `wsanatomy serve`'s demo page, connects, sends
// text and binary, and closes with 3000 and a reason; serve runs with
// --json, and the test compares what serve captured with what the page
// did and reported.

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestBrowserDemoPage(t *testing.T) {
	node := nodeWith(t, "playwright-core")
	chromium := chromiumPath(t)
	bin := wsanatomyBinary(t)
	addr := freeAddr(t)
	out := &boundedBuffer{max: 1 << 20}
	errOut := &boundedBuffer{max: 64 << 10}
	cmd := exec.Command(bin, "serve", "--json", "--addr", addr)
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	p := &serveProc{cmd: cmd, addr: addr, stderr: errOut, done: done}
	t.Cleanup(func() { p.stop(t) })
	for i := 0; ; i++ {
		if nc, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			nc.Close()
			break
		}
		if i == 300 {
			t.Fatalf("serve did not start:\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	nodeCmd := exec.CommandContext(ctx, node, "demo.js", chromium, "http://"+addr+"/")
	nodeCmd.Dir = "node"
	res, err := nodeCmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo.js: %v\n%s", err, res)
	}
	var page struct{ Protocol, Extensions, Closeinfo, Log string }
	lines := strings.Split(strings.TrimSpace(string(res)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &page); err != nil {
		t.Fatalf("demo.js printed %q: %v", res, err)
	}
	t.Logf("the page reported: protocol %s, extensions %s, close event %s", page.Protocol, page.Extensions, page.Closeinfo)

	// What serve captured, once it has recorded the end of TCP.
	type line struct {
		Dir, Kind, Head, Opcode, Hex, Reason, MaskKey string
		Text                                          *string
		InflatedHex                                   string  `json:"inflated_hex"`
		InflatedText                                  *string `json:"inflated_text"`
		Fin                                           *bool
		Masked, Rsv1                                  bool
		CloseCode                                     uint16 `json:"close_code"`
		Length                                        *uint64
		Violation                                     any
	}
	var got []line
	for i := 0; i < 500; i++ {
		got = got[:0]
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			var l line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("serve --json wrote %q: %v", sc.Text(), err)
			}
			l.MaskKey = ""
			got = append(got, l)
		}
		if len(got) > 0 && got[len(got)-1].Kind == "closed" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(got) < 2 || got[0].Kind != "handshake" || got[1].Kind != "handshake" {
		t.Fatalf("serve captured no handshake:\n%s", out.String())
	}
	req, resp := got[0].Head, got[1].Head
	for _, want := range []string{"GET /demo HTTP/1.1", "Origin: http://" + addr, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: ", "permessage-deflate"} {
		// net/http parsed the request before serve saw it, so header
		// names come canonicalised: compare without case.
		if !strings.Contains(strings.ToLower(req), strings.ToLower(want)) {
			t.Errorf("the browser's request as serve captured it lacks %q:\n%s", want, req)
		}
	}
	if !strings.HasPrefix(resp, "HTTP/1.1 101 ") {
		t.Errorf("response: %q", resp)
	}
	// The extensions the page reports are the ones in serve's response.
	agreed := ""
	for _, l := range strings.Split(resp, "\r\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && strings.EqualFold(k, "Sec-WebSocket-Extensions") {
			agreed = v
		}
	}
	if want, _ := json.Marshal(agreed); page.Extensions != string(want) {
		t.Errorf("the page reports extensions %s, serve's response agreed to %q", page.Extensions, agreed)
	}

	// Each data frame, and each compressed message once inflated: what
	// each side sent, whether or not permessage-deflate compressed it.
	var frames []string
	var serverReason string
	for _, l := range got[2:] {
		if l.Kind == "message" {
			payload := l.InflatedHex
			if l.InflatedText != nil {
				payload = *l.InflatedText
			}
			frames = append(frames, l.Dir+" "+l.Opcode+" inflated "+payload)
			continue
		}
		if l.Kind != "frame" {
			continue
		}
		if l.Violation != nil {
			t.Errorf("serve flagged a browser frame: %+v", l)
		}
		payload := l.Hex
		if l.Text != nil {
			payload = *l.Text
		}
		if l.Opcode == "close" {
			payload = strings.TrimSpace(strings.Join([]string{jsonString(l.CloseCode), l.Reason}, " "))
			if l.Dir == "server->client" {
				serverReason = l.Reason
			}
		}
		masked := "unmasked"
		if l.Masked {
			masked = "masked"
		}
		if l.Rsv1 {
			// Compressed: the message line after it says what it holds.
			if agreed == "" {
				t.Errorf("RSV1 set with no extension agreed: %+v", l)
			}
			continue
		}
		frames = append(frames, strings.Join([]string{l.Dir, l.Opcode, masked, payload}, " "))
	}
	// With compression, a message may go compressed (its frame is left
	// out above and its inflated message counts) or as it is: either way
	// each side's messages must be these.
	norm := func(s string) string {
		s = strings.Replace(s, " masked ", " ", 1)
		s = strings.Replace(s, " unmasked ", " ", 1)
		return strings.Replace(s, " inflated ", " ", 1)
	}
	want := []string{
		"client->server text masked Hello from the demo page",
		"server->client text unmasked Hello from the demo page",
		"client->server binary masked deadbeef00ff",
		"server->client binary unmasked deadbeef00ff",
		"client->server close masked 3000 demo says bye",
		"server->client close unmasked " + strings.TrimSpace("3000 "+serverReason),
	}
	var gotN, wantN []string
	for _, f := range frames {
		gotN = append(gotN, norm(f))
	}
	for _, f := range want {
		wantN = append(wantN, norm(f))
	}
	if strings.Join(gotN, "\n") != strings.Join(wantN, "\n") {
		t.Errorf("what serve captured (extensions agreed: %q):\n%s\nwant:\n%s", agreed, strings.Join(frames, "\n"), strings.Join(want, "\n"))
	}
	if agreed == "" && strings.Join(frames, "\n") != strings.Join(want, "\n") {
		t.Errorf("frames serve captured:\n%s\nwant:\n%s", strings.Join(frames, "\n"), strings.Join(want, "\n"))
	}
	t.Logf("serve captured, extensions agreed %q:\n%s", agreed, strings.Join(frames, "\n"))
	// The close event the page saw is the server's close frame.
	wantClose := "code 3000, reason " + jsonQuote(serverReason) + ", wasClean true"
	if page.Closeinfo != wantClose {
		t.Errorf("the page's close event: %q, want %q", page.Closeinfo, wantClose)
	}
	if last := got[len(got)-1]; last.Kind != "closed" {
		t.Errorf("serve did not record the end of TCP")
	}
}

func jsonString(n uint16) string { b, _ := json.Marshal(n); return string(b) }
func jsonQuote(s string) string  { b, _ := json.Marshal(s); return string(b) }
