package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os/signal"
	"sync"
	"syscall"

	"github.com/wsanatomy/wsanatomy/protocol"
	"github.com/wsanatomy/wsanatomy/relay"
	"github.com/wsanatomy/wsanatomy/tui/capture"
	"github.com/wsanatomy/wsanatomy/tui/live"
	"github.com/wsanatomy/wsanatomy/tui/views"
)

// proxyConfig is what the proxy command line asks for.
type proxyConfig struct {
	listen, upstream string
	plain, json      bool
	insecure         bool
	// maxMessage is the decode limit for compressed messages (0: the
	// relay's default).
	maxMessage int64
	lang       string // of the messages: "en" or "zh"
}

func runProxy(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("proxy", stderr)
	var cfg proxyConfig
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8081", "address to listen on")
	fs.StringVar(&cfg.upstream, "upstream", "", "the server: ws://HOST:PORT/ or wss://HOST:PORT/")
	fs.BoolVar(&cfg.plain, "plain", false, "one line per frame instead of the screen")
	fs.BoolVar(&cfg.json, "json", false, "one JSON object per frame, for piping")
	fs.BoolVar(&cfg.insecure, "insecure", false, "accept any certificate from a wss:// upstream (self-signed, for local testing only)")
	fs.Int64Var(&cfg.maxMessage, "max-message", 0, "largest compressed message inflated for display, in bytes; one that inflates past it is flagged (RFC 6455 §10.4) and forwarded all the same (default 16 MiB)")
	addLangFlag(fs, "this help, the messages and the live screen (--plain and --json lines stay English)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	lang, err := flagLang(fs, args)
	if err != nil {
		return err
	}
	cfg.lang = lang
	if cfg.maxMessage < 0 {
		return usagef("proxy", lang, "--max-message must be positive", "--max-message 必须是正数")
	}
	if fs.NArg() > 0 || cfg.upstream == "" || (cfg.plain && cfg.json) {
		return usagef("proxy", lang, "proxy needs --upstream ws://HOST:PORT/ (and at most one of --plain, --json)",
			"proxy 需要 --upstream ws://HOST:PORT/（--plain 和 --json 最多选一个）")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if !cfg.plain && !cfg.json && !isTerminal(stdout) {
		cfg.plain = true // as the walkthrough does: text when output is not a terminal
	}
	return proxyMain(ctx, cfg, stdout, stderr, nil)
}

// proxyMain runs the relay until ctx ends (or the screen is quit). ready,
// if set, receives the listening address.
func proxyMain(ctx context.Context, cfg proxyConfig, stdout, stderr io.Writer, ready chan<- string) error {
	u, err := protocol.ParseURL(cfg.upstream)
	if err != nil {
		return usagef("proxy", cfg.lang, "--upstream: %v", "--upstream 有误：%v", err)
	}
	lim := capture.Limits{}
	if cfg.plain || cfg.json {
		// The lines are the output; the store only needs the summaries.
		lim.PerConn, lim.All = 16, 16
		lim.Payload = 64 << 10
	}
	st := capture.NewStore(lim)
	rcfg := relay.Config{Upstream: u, Store: st, InflateLimit: cfg.maxMessage}
	if cfg.insecure {
		rcfg.TLSConfig = &tls.Config{InsecureSkipVerify: true}
	}
	r, err := relay.New(rcfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return fmt.Errorf("%s%w", tr(cfg.lang, "proxy: ", "proxy 无法监听："), err)
	}
	start := st.Start()
	switch {
	case cfg.json:
		st.SetTap(func(e capture.Entry) { stdout.Write(views.MarshalLine(e, start)) })
	case cfg.plain:
		st.SetTap(func(e capture.Entry) { fmt.Fprintln(stdout, views.Line(e, start)) })
	}
	title := fmt.Sprintf("proxy ws://%s/ → %s", ln.Addr(), u)
	fmt.Fprintf(stderr, tr(cfg.lang, "wsanatomy: %s; point your client at ws://%s/ (ctrl+c stops it)\n",
		"wsanatomy：%s；让客户端连接 ws://%s/（ctrl+c 停止）\n"), title, ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var serveErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		serveErr = r.Serve(ctx, ln)
		cancel()
	}()
	if !cfg.plain && !cfg.json {
		if err := live.Run(ctx, st, live.Options{Title: title, Lang: cfg.lang}); err != nil {
			cancel()
			wg.Wait()
			return err
		}
		cancel()
	}
	<-ctx.Done()
	wg.Wait()
	return serveErr
}
