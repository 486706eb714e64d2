package interop

// `wsanatomy proxy` between real peers: the Node.js ws client and server,
// and headless Chromium in front of `serve`. Byte taps on both legs check
// that every byte arrives unchanged, and the proxy's --json lines are
// compared with the frames those bytes hold.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// byteTap is a TCP forwarder that records, per connection, the bytes each
// way: it stands on one leg of the proxy and sees what the peers see.
type byteTap struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []*tappedConn
	wg     sync.WaitGroup
}

type tappedConn struct {
	mu         sync.Mutex
	up, down   bytes.Buffer // up: towards target; down: from target
	done       chan struct{}
	client, tg net.Conn
}

func (c *tappedConn) bytes() (up, down []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.up.Bytes()), bytes.Clone(c.down.Bytes())
}

func startTap(t *testing.T, target string) *byteTap {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &byteTap{ln: ln, target: target}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			tg, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil {
				c.Close()
				continue
			}
			tc := &tappedConn{done: make(chan struct{}), client: c, tg: tg}
			b.mu.Lock()
			b.conns = append(b.conns, tc)
			b.mu.Unlock()
			b.wg.Add(1)
			go func() {
				defer b.wg.Done()
				var pw sync.WaitGroup
				pipe := func(dst, src net.Conn, buf *bytes.Buffer) {
					defer pw.Done()
					p := make([]byte, 32<<10)
					for {
						n, err := src.Read(p)
						if n > 0 {
							tc.mu.Lock()
							buf.Write(p[:n])
							tc.mu.Unlock()
							if _, werr := dst.Write(p[:n]); werr != nil {
								break
							}
						}
						if err != nil {
							break
						}
					}
					if cw, ok := dst.(*net.TCPConn); ok {
						cw.CloseWrite()
					}
				}
				pw.Add(2)
				go pipe(tg, c, &tc.up)
				go pipe(c, tg, &tc.down)
				pw.Wait()
				c.Close()
				tg.Close()
				close(tc.done)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		b.mu.Lock()
		for _, c := range b.conns {
			c.client.Close()
			c.tg.Close()
		}
		b.mu.Unlock()
		b.wg.Wait()
	})
	return b
}

func (b *byteTap) addr() string { return b.ln.Addr().String() }

// first waits, boundedly, for the tap's first connection to end.
func (b *byteTap) first(t *testing.T) *tappedConn {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b.mu.Lock()
		var c *tappedConn
		if len(b.conns) > 0 {
			c = b.conns[0]
		}
		b.mu.Unlock()
		if c != nil {
			select {
			case <-c.done:
				return c
			case <-time.After(time.Until(deadline)):
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no connection through the tap ended in time")
	return nil
}

// proxyProc is a running `wsanatomy proxy --json`.
type proxyProc struct {
	cmd  *exec.Cmd
	addr string
	out  *boundedBuffer
	done chan struct{}
}

func startProxy(t *testing.T, upstream string) *proxyProc {
	t.Helper()
	bin := wsanatomyBinary(t)
	for attempt := 0; attempt < 3; attempt++ {
		p := &proxyProc{addr: freeAddr(t), out: &boundedBuffer{max: 64 << 20}, done: make(chan struct{})}
		p.cmd = exec.Command(bin, "proxy", "--json", "--listen", p.addr, "--upstream", upstream)
		p.cmd.Stdout = p.out
		stderr := &boundedBuffer{max: 16 << 10}
		p.cmd.Stderr = stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.cmd.Wait(); close(p.done) }()
		for i := 0; i < 300; i++ {
			if nc, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
				nc.Close()
				t.Cleanup(func() { p.stop(t) })
				return p
			}
			select {
			case <-p.done:
				i = 300
			case <-time.After(20 * time.Millisecond):
			}
		}
		p.cmd.Process.Kill()
		<-p.done
		t.Logf("proxy attempt %d did not come up:\n%s", attempt, stderr.String())
	}
	t.Fatal("wsanatomy proxy did not start")
	return nil
}

func (p *proxyProc) stop(t *testing.T) {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("proxy did not exit within 15s of SIGTERM")
	}
}

// jsonLine is the part of a --json line these tests read.
type jsonLine struct {
	Conn    int     `json:"conn"`
	Dir     string  `json:"dir"`
	Kind    string  `json:"kind"`
	Head    string  `json:"head"`
	Fin     *bool   `json:"fin"`
	Rsv1    bool    `json:"rsv1"`
	Opcode  string  `json:"opcode"`
	Masked  bool    `json:"masked"`
	MaskKey string  `json:"mask_key"`
	Length  *uint64 `json:"length"`
	Text    *string `json:"text"`
	Hex     string  `json:"hex"`
	// A compressed message once inflated (kind "message").
	InflatedText *string `json:"inflated_text"`
	InflatedHex  string  `json:"inflated_hex"`
	CloseCode    uint16  `json:"close_code"`
	Reason       string  `json:"reason"`
	Note         string  `json:"note"`
	Violation    *struct {
		Section string `json:"section"`
		Code    uint16 `json:"code"`
	} `json:"violation"`
}

// lines parses the proxy's output and returns the lines of the
// connection whose request was for path, after waiting (boundedly) for
// the line that says the pair ended. (The readiness probe is a connection
// too, with no request at all.)
func (p *proxyProc) lines(t *testing.T, path string) []jsonLine {
	t.Helper()
	for i := 0; i < 1000; i++ {
		byConn := map[int][]jsonLine{}
		conn, ended := 0, false
		sc := bufio.NewScanner(strings.NewReader(p.out.String()))
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var j jsonLine
			if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
				t.Fatalf("proxy wrote a line that is not JSON: %.200q: %v", sc.Text(), err)
			}
			byConn[j.Conn] = append(byConn[j.Conn], j)
			if j.Kind == "handshake" && strings.HasPrefix(j.Head, "GET "+path+" ") {
				conn = j.Conn
			}
			if conn != 0 && j.Conn == conn && (j.Kind == "closed" || (j.Kind == "note" && strings.Contains(j.Note, "ended"))) {
				ended = true
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("reading the proxy's output: %v", err)
		}
		if ended {
			return byConn[conn]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the proxy never reported the end of the connection to %s:\n%s", path, tail(p.out.String(), 4000))
	return nil
}

// frameSummary is a frame as both the bytes and the JSON describe it.
func frameSummary(fin, rsv1 bool, op string, masked bool, key string, length uint64, payload string) string {
	return strings.Join([]string{boolStr(fin), boolStr(rsv1), op, boolStr(masked), key, jsonNumber(length), payload}, " ")
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }

// decodeLeg decodes the bytes of one direction after its handshake head
// with the codec, as the frames the JSON should list.
func decodeLeg(t *testing.T, b []byte, receiver protocol.Role) []string {
	t.Helper()
	i := bytes.Index(b, []byte("\r\n\r\n"))
	if i < 0 {
		t.Fatalf("no handshake head in %d bytes", len(b))
	}
	fr := protocol.NewFrameReader(bytes.NewReader(b[i+4:]), receiver)
	fr.Keep = 64 << 10
	var out []string
	for {
		ev, err := fr.Next()
		if ev != nil {
			key := ""
			if ev.Header.Masked {
				key = hex.EncodeToString(ev.Header.MaskKey[:])
			}
			out = append(out, frameSummary(ev.Header.Fin, ev.Header.Rsv1, ev.Header.Opcode.String(), ev.Header.Masked, key, ev.Header.Length, hex.EncodeToString(ev.Unmasked)))
		}
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decoding a leg: %v", err)
		}
	}
}

// jsonFrames lists the frames of one direction in the JSON.
func jsonFrames(t *testing.T, lines []jsonLine, dir string) []string {
	var out []string
	for _, j := range lines {
		if j.Kind != "frame" || j.Dir != dir {
			continue
		}
		payload := j.Hex
		if j.Text != nil {
			payload = hex.EncodeToString([]byte(*j.Text))
		}
		out = append(out, frameSummary(*j.Fin, j.Rsv1, j.Opcode, j.Masked, j.MaskKey, *j.Length, payload))
	}
	return out
}

// checkLegs compares the two legs byte for byte and the proxy's frames
// with the frames in those bytes.
func checkLegs(t *testing.T, front, back *tappedConn, lines []jsonLine) {
	t.Helper()
	fUp, fDown := front.bytes()
	bUp, bDown := back.bytes()
	if !bytes.Equal(fUp, bUp) {
		t.Errorf("client to server: the client sent %d bytes, the server received %d, not the same", len(fUp), len(bUp))
	}
	if !bytes.Equal(fDown, bDown) {
		t.Errorf("server to client: the server sent %d bytes, the client received %d, not the same", len(bDown), len(fDown))
	}
	for _, leg := range []struct {
		dir      string
		b        []byte
		receiver protocol.Role
	}{{"client->server", fUp, protocol.RoleServer}, {"server->client", bDown, protocol.RoleClient}} {
		want := decodeLeg(t, leg.b, leg.receiver)
		got := jsonFrames(t, lines, leg.dir)
		if len(want) == 0 {
			t.Errorf("%s: no frames", leg.dir)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the proxy reported %d frames, the bytes hold %d, or they differ", leg.dir, len(got), len(want))
			for i := 0; i < max(len(got), len(want)); i++ {
				var g, w string
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Logf("first difference at frame %d:\n got %.200s\nwant %.200s", i, g, w)
					break
				}
			}
		}
	}
	t.Logf("%d bytes client to server and %d server to client, identical on both legs; %d lines", len(fUp), len(fDown), len(lines))
}

// startNodeEcho starts `node ws_peer.js echo` and returns its address and
// a function that waits for its report of how the connection closed.
func startNodeEcho(t *testing.T, node string, args ...string) (string, func() string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	cmd := exec.CommandContext(ctx, node, append([]string{"ws_peer.js", "echo"}, args...)...)
	cmd.Dir = "node"
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var port string
	if sc.Scan() {
		port, _ = strings.CutPrefix(sc.Text(), "listening ")
	}
	if port == "" {
		cancel()
		cmd.Wait()
		t.Fatal("the ws echo server did not start")
	}
	var once sync.Once
	var rest string
	wait := func() string {
		once.Do(func() {
			var lines []string
			for sc.Scan() {
				lines = append(lines, sc.Text())
			}
			cmd.Wait()
			rest = strings.Join(lines, "\n")
		})
		return rest
	}
	t.Cleanup(func() { cancel(); wait() })
	return "127.0.0.1:" + port, wait
}

// TestProxyNodeToNode: Node ws client -> proxy -> Node ws echo server.
func TestProxyNodeToNode(t *testing.T) {
	node := nodeWith(t, "ws")
	srv, waitSrv := startNodeEcho(t, node)
	back := startTap(t, srv)
	px := startProxy(t, "ws://"+back.addr()+"/")
	front := startTap(t, px.addr)
	runNode(t, node, 90*time.Second, "ws_peer.js", "client", "ws://"+front.addr()+"/node-through-proxy")
	t.Logf("server: %s", waitSrv())
	lines := px.lines(t, "/node-through-proxy")
	checkLegs(t, front.first(t), back.first(t), lines)
	var closes []string
	for _, j := range lines {
		if j.Kind == "frame" && j.Opcode == "close" {
			closes = append(closes, j.Dir+" "+jsonNumber(uint64(j.CloseCode))+" "+j.Reason)
		}
	}
	if want := []string{"client->server 4000 node says bye", "server->client 4000 node says bye"}; strings.Join(closes, "|") != strings.Join(want, "|") {
		t.Errorf("close frames %q, want %q", closes, want)
	}
}

// TestProxyNodeToNodeDeflate: Node ws client -> proxy -> Node ws echo
// server, both compressing every message (perMessageDeflate, context
// takeover both ways). Every byte still arrives unchanged, and each
// message the proxy shows inflated, both ways, is the message the server
// read: its type, its length and the hash of its first 64 KiB.
func TestProxyNodeToNodeDeflate(t *testing.T) {
	node := nodeWith(t, "ws")
	srv, waitSrv := startNodeEcho(t, node, "deflate")
	back := startTap(t, srv)
	px := startProxy(t, "ws://"+back.addr()+"/")
	front := startTap(t, px.addr)
	runNode(t, node, 90*time.Second, "ws_peer.js", "client", "ws://"+front.addr()+"/node-deflate", "permessage-deflate")
	var want []string
	for _, l := range strings.Split(waitSrv(), "\n") {
		if f := strings.Fields(l); len(f) == 4 && f[0] == "message" {
			op := "text"
			if f[1] == "1" {
				op = "binary"
			}
			want = append(want, op+" "+f[2]+" "+f[3])
		}
	}
	lines := px.lines(t, "/node-deflate")
	checkLegs(t, front.first(t), back.first(t), lines)
	got := map[string][]string{}
	for _, j := range lines {
		if j.Kind == "frame" && j.Violation != nil {
			t.Errorf("the proxy flagged a %s %s frame from a correct peer: §%s", j.Dir, j.Opcode, j.Violation.Section)
		}
		if j.Kind != "message" {
			continue
		}
		if j.Violation != nil {
			t.Errorf("the proxy flagged a %s message: §%s", j.Dir, j.Violation.Section)
		}
		p := []byte(j.InflatedHex)
		if j.InflatedText != nil {
			p = []byte(*j.InflatedText)
		} else if b, err := hex.DecodeString(j.InflatedHex); err == nil {
			p = b
		}
		sum := sha256.Sum256(p)
		got[j.Dir] = append(got[j.Dir], j.Opcode+" "+jsonNumber(*j.Length)+" "+hex.EncodeToString(sum[:]))
	}
	if len(want) < 300 {
		t.Fatalf("the server reported %d messages", len(want))
	}
	for _, dir := range []string{"client->server", "server->client"} {
		if strings.Join(got[dir], "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the proxy inflated %d messages, the server read %d, or they differ", dir, len(got[dir]), len(want))
			for i := range min(len(got[dir]), len(want)) {
				if got[dir][i] != want[i] {
					t.Logf("first difference at message %d: got %s, want %s", i, got[dir][i], want[i])
					break
				}
			}
		}
	}
	t.Logf("%d messages inflated each way, equal to what the server read", len(want))
}

// TestProxyFlagsAndForwardsMalformed: a client that sends an unmasked
// frame through the proxy is flagged (§5.1), and the frame still reaches
// the Node server, which fails the connection with 1002.
func TestProxyFlagsAndForwardsMalformed(t *testing.T) {
	node := nodeWith(t, "ws")
	srv, waitSrv := startNodeEcho(t, node)
	back := startTap(t, srv)
	px := startProxy(t, "ws://"+back.addr()+"/")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := protocol.Dial(ctx, "ws://"+px.addr+"/bad", nil)
	if err != nil {
		t.Fatal(err)
	}
	bad := []byte{0x81, 0x03, 'b', 'a', 'd'}
	if err := c.WriteRaw(bad); err != nil {
		t.Fatal(err)
	}
	_, _, rerr := c.ReadMessage(ctx)
	c.CloseNow()
	var ce *protocol.CloseError
	if !errors.As(rerr, &ce) || ce.Code != protocol.CloseProtocolError {
		t.Errorf("the client read %v, want the server's close 1002", rerr)
	}
	// ws fails the connection with 1002 and reports the rule; its close
	// event then says 1006, since the client never sent a close frame.
	if got := waitSrv(); !strings.Contains(got, "MASK must be set") {
		t.Errorf("node server: %q, want it to refuse the unmasked frame", got)
	}
	up, _ := back.first(t).bytes()
	if !bytes.Contains(up, bad) {
		t.Errorf("the malformed frame did not reach the server")
	}
	var flagged bool
	for _, j := range px.lines(t, "/bad") {
		if j.Kind == "frame" && j.Dir == "client->server" && j.Violation != nil && j.Violation.Section == "5.1" && j.Violation.Code == 1002 {
			flagged = true
		}
	}
	if !flagged {
		t.Errorf("the proxy did not flag the unmasked frame with §5.1:\n%s", tail(px.out.String(), 3000))
	}
}

// TestProxyBrowserToServe: Chromium -> proxy -> `wsanatomy serve`.
func TestProxyBrowserToServe(t *testing.T) {
	node := nodeWith(t, "playwright-core")
	chromium := chromiumPath(t)
	srv := startServe(t)
	back := startTap(t, srv.addr)
	px := startProxy(t, "ws://"+back.addr()+"/")
	front := startTap(t, px.addr)
	// serve accepts Chromium's permessage-deflate offer: the proxy
	// forwards the compressed frames as they are.
	runNode(t, node, 120*time.Second, "browser.js", chromium, "ws://"+front.addr()+"/browser-through-proxy", "permessage-deflate")
	lines := px.lines(t, "/browser-through-proxy")
	checkLegs(t, front.first(t), back.first(t), lines)
	if len(lines) == 0 || lines[0].Kind != "handshake" || !strings.Contains(lines[0].Head, "permessage-deflate") {
		t.Errorf("the browser's request as the proxy saw it lacks its permessage-deflate offer")
	}
	// Compressed frames (RSV1) are not judged as text: a correct browser
	// and server break no rule.
	for _, j := range lines {
		if j.Violation != nil {
			t.Errorf("the proxy flagged a %s %s frame from a correct peer: §%s", j.Dir, j.Opcode, j.Violation.Section)
		}
	}
}
