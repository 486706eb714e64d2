package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/wsanatomy/wsanatomy/lessons"
	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

func runDial(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("dial", stderr)
	echoMode := fs.Bool("echo", false, "send every received message back until the server closes")
	heartbeat := fs.Duration("heartbeat", 0, "ping the server this often and give up if it does not answer (0: off)")
	heartbeatTimeout := fs.Duration("heartbeat-timeout", 10*time.Second, "with --heartbeat: how long a pong may take")
	origin := fs.String("origin", "", "Origin header to send")
	compress := fs.Bool("compress", false, "offer permessage-deflate (RFC 7692) and compress messages if the server agrees")
	var subprotocols listFlag
	fs.Var(&subprotocols, "subprotocol", "subprotocols to offer, in order of preference (comma-separated or repeated)")
	var headers headerFlag
	fs.Var(&headers, "H", `an extra request header, like -H "Authorization: Bearer x" (repeatable)`)
	verbose := fs.Bool("v", false, "print the handshake and every frame both ways on stderr, as serve logs them")
	insecure := fs.Bool("insecure", false, "accept any certificate from a wss:// server (self-signed, for local testing only)")
	addLangFlag(fs, "this help and the messages (-v's frame lines stay English)")
	valued := []string{"--origin", "-origin", "--subprotocol", "-subprotocol", "-H", "--H",
		"--heartbeat", "-heartbeat", "--heartbeat-timeout", "-heartbeat-timeout", "--lang", "-lang"}
	args = reorderFlags(args, valued...)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("dial", lang, "dial needs exactly one URL, like ws://127.0.0.1:8080/", "dial 需要且只需要一个 URL，例如 ws://127.0.0.1:8080/")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	opts := &protocol.DialOptions{Origin: *origin, Subprotocols: subprotocols, Header: headers.h}
	if *insecure {
		opts.TLSConfig = &tls.Config{InsecureSkipVerify: true}
	}
	var observers []protocol.Observer
	if *verbose {
		observers = append(observers, verboseObserver(stderr))
	}
	if *heartbeat < 0 || *heartbeatTimeout <= 0 {
		return usagef("dial", lang, "--heartbeat must be 0 (off) or positive, and --heartbeat-timeout positive",
			"--heartbeat 必须是 0（不发心跳）或正数，--heartbeat-timeout 必须是正数")
	}
	if *compress {
		opts.Compression = &protocol.CompressionOptions{}
		observers = append(observers, func(e protocol.Event) {
			if h, ok := e.(*protocol.HandshakeEvent); ok && !h.Request && h.Err == nil {
				logNegotiation(stderr, h.Time.Format("15:04:05.000"), "server", h.Negotiation)
			}
		})
	}
	if len(observers) > 0 {
		opts.Observer = func(e protocol.Event) {
			for _, o := range observers {
				o(e)
			}
		}
	}
	c, err := protocol.Dial(ctx, fs.Arg(0), opts)
	if err != nil {
		return fmt.Errorf("%s%w", tr(lang, "dial: ", "dial 失败："), err)
	}
	if *heartbeat > 0 {
		hbCtx, stopHB := context.WithCancel(context.Background())
		hbDone := make(chan struct{})
		go func() {
			defer close(hbDone)
			// A missed pong closes the connection; the read that ends
			// then returns the heartbeat's error, which dial reports.
			c.Heartbeat(hbCtx, *heartbeat, *heartbeatTimeout)
		}()
		defer func() { stopHB(); <-hbDone }()
	}
	if *echoMode {
		return echoUntilDone(ctx, c, stderr, lang)
	}
	return chat(ctx, c, stdin, stdout, stderr, lang)
}

// echoUntilDone is dial --echo: it sends every message back until the
// server closes, or until SIGINT or SIGTERM; then it closes with 1000 and
// waits, within the close timeout, for the server's answer, so that the
// server sees a closing handshake and not a vanished client (1006). The
// server's close code and reason are reported as in chat mode.
func echoUntilDone(ctx context.Context, c *protocol.Conn, stderr io.Writer, lang string) error {
	_, err := echo(ctx, c)
	if err == nil {
		if pc := c.PeerClose(); pc != nil {
			return reportClose(stderr, pc, lang)
		}
		return nil
	}
	if ctx.Err() != nil {
		// Interrupted: the read stopped at a known place, so the
		// connection is still sound. Close it properly.
		c.Close(protocol.CloseNormal, "")
		pc := c.PeerClose()
		if pc == nil {
			return errors.New(tr(lang, "dial: interrupted; the server did not answer our close frame in time",
				"dial 被中断：服务器没有及时回应我们发出的关闭帧"))
		}
		return reportClose(stderr, pc, lang)
	}
	c.CloseNow()
	return reportClose(stderr, err, lang)
}

// verboseObserver prints what the client sends and receives, one line
// each, on w: the handshake with its offers and answers, every frame, the
// end of TCP.
func verboseObserver(w io.Writer) protocol.Observer {
	var mu sync.Mutex
	start := time.Now()
	return func(ev protocol.Event) {
		e, ok := capture.FromEvent(protocol.RoleClient, ev, start)
		if !ok {
			return
		}
		e.Conn = 1
		mu.Lock()
		fmt.Fprintln(w, views.Line(e, start))
		mu.Unlock()
	}
}

// headerFlag collects -H "Name: value" headers.
type headerFlag struct{ h http.Header }

func (f *headerFlag) String() string { return "" }

func (f *headerFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("want \"Name: value\", got %q", v)
	}
	if f.h == nil {
		f.h = http.Header{}
	}
	f.h.Add(name, strings.TrimSpace(value))
	return nil
}

// reportClose says how the connection ended, on stderr, and turns it into
// the exit status: 0 only for a clean close with 1000 (normal) or 1001
// (going away); the server's code and reason are printed either way, so
// a refusal such as 1008 with its reason is never silent.
func reportClose(stderr io.Writer, err error, lang string) error {
	var ce *protocol.CloseError
	if err == nil || !errors.As(err, &ce) || ce.Code == protocol.CloseAbnormalClosure {
		if err == nil {
			return nil
		}
		return fmt.Errorf("%s%w", tr(lang, "dial: ", "dial 失败："), err)
	}
	var line string
	if lang == "zh" {
		line = fmt.Sprintf("wsanatomy：连接已关闭；服务器在关闭帧里给出的关闭码是 %s", lessons.CloseCodeName(lang, ce.Code))
		if ce.Reason != "" {
			line += fmt.Sprintf("，关闭原因 %q", ce.Reason)
		}
	} else {
		line = fmt.Sprintf("wsanatomy: closed; the server's close frame said %s", ce.Code)
		if ce.Reason != "" {
			line += fmt.Sprintf(" %q", ce.Reason)
		}
	}
	fmt.Fprintln(stderr, line)
	if ce.Code == protocol.CloseNormal || ce.Code == protocol.CloseGoingAway {
		return nil
	}
	return exitError(1)
}

// chat sends each line of stdin as a text message and prints what arrives.
// A line that is not UTF-8 goes as a binary message, since a text message
// must be UTF-8 (§5.6). At the end of stdin it closes with 1000 and waits,
// for a bounded time, for the server's close.
func chat(ctx context.Context, c *protocol.Conn, stdin io.Reader, stdout, stderr io.Writer, lang string) error {
	readErr := make(chan error, 1)
	go func() {
		for {
			typ, msg, err := c.ReadMessage(context.Background())
			if err != nil {
				readErr <- err
				return
			}
			if typ == protocol.TextMessage {
				fmt.Fprintf(stdout, "%s\n", printable(string(msg)))
			} else {
				fmt.Fprintf(stdout, "[binary, %d bytes] % x\n", len(msg), msg)
			}
		}
	}()
	lines := make(chan []byte)
	scanErr := make(chan error, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64<<10), maxLine)
		for sc.Scan() {
			select {
			case lines <- append([]byte(nil), sc.Bytes()...):
			case <-ctx.Done():
				return
			}
		}
		if err := sc.Err(); err != nil {
			scanErr <- fmt.Errorf(tr(lang, "reading stdin: %w (lines are limited to %d MiB)", "读取标准输入出错：%w（每行最多 %d MiB）"), err, maxLine>>20)
		}
	}()
	// finish closes with code and waits for the server's answer, giving up
	// after the close timeout or a second interrupt.
	finish := func(code protocol.CloseCode, cause error) error {
		if err := c.StartClose(code, ""); err != nil && cause != nil {
			// Our close frame could not go (a write cut in the middle of
			// a frame leaves no way to send one): no answer will come, so
			// report what went wrong now.
			c.CloseNow()
			return cause
		}
		select {
		case err := <-readErr:
			if cause != nil {
				return cause
			}
			return reportClose(stderr, err, lang)
		case <-time.After(2 * protocol.DefaultCloseTimeout):
			c.CloseNow()
			if cause != nil {
				return cause
			}
			return errors.New(tr(lang, "dial: the server did not answer our close frame; closed TCP",
				"dial：服务器没有回应我们发出的关闭帧，已关闭 TCP 连接"))
		}
	}
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				var cause error
				select {
				case err := <-scanErr:
					cause = fmt.Errorf("%s%w", tr(lang, "dial: ", "dial 失败："), err)
				default:
				}
				// Send our close, but keep printing what arrives until the
				// server answers it.
				return finish(protocol.CloseNormal, cause)
			}
			typ := protocol.TextMessage
			if !utf8.Valid(line) {
				typ = protocol.BinaryMessage
				fmt.Fprintf(stderr, tr(lang, "wsanatomy: a line of %d bytes is not UTF-8, so it goes as a binary message (§5.6)\n",
					"wsanatomy：有一行（%d 字节）不是有效的 UTF-8，因此作为二进制消息发送（§5.6）\n"), len(line))
			}
			if err := c.WriteMessage(ctx, typ, line); err != nil {
				if ctx.Err() != nil {
					// Say what was cut: "context canceled" alone does not
					// tell that the server had stopped taking our data.
					err = fmt.Errorf(tr(lang, "interrupted while sending a %d-byte message (the server was not taking it): %w",
						"发送一条 %d 字节的消息时被中断（服务器没有接收）：%w"), len(line), err)
				}
				return finish(protocol.CloseGoingAway, fmt.Errorf("%s%w", tr(lang, "dial: ", "dial 失败："), err))
			}
		case err := <-readErr:
			return reportClose(stderr, err, lang)
		case <-ctx.Done():
			// ctrl+c: a normal close (1000), answered within the bound.
			return finish(protocol.CloseNormal, nil)
		}
	}
}

// maxLine is the longest line of stdin that dial sends.
const maxLine = 16 << 20

// printable escapes control characters in text from the server, so that a
// message cannot drive the terminal with escape sequences.
func printable(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)) }

// reorderFlags moves flags before positional arguments, so that both
// "dial --echo URL" and "dial URL --echo" work. valued names the flags that
// take a value as the next argument.
func reorderFlags(args []string, valued ...string) []string {
	takesValue := make(map[string]bool, len(valued))
	for _, v := range valued {
		takesValue[v] = true
	}
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if takesValue[a] && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
