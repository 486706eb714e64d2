package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// servePolicy is what serve accepts in an opening handshake: the
// subprotocols it speaks, the origins it trusts and the largest message.
// Every refusal is answered by the codec with the status the RFC names
// (403 for an origin, §10.2) and logged with its reason.
type servePolicy struct {
	subprotocols listFlag
	origins      listFlag
	maxMessage   int64
}

// register adds the policy's flags to fs.
func (p *servePolicy) register(fs *flag.FlagSet) {
	fs.Var(&p.subprotocols, "subprotocol", "subprotocols this server speaks, in its order of preference (comma-separated or repeated)")
	fs.Var(&p.origins, "origin", "origins allowed to connect, like http://localhost:3000 (comma-separated or repeated; default: any; * for any)")
	fs.Int64Var(&p.maxMessage, "max-message", 0, "largest message accepted, in bytes; a larger one fails the connection with 1009 (default 32 MiB)")
}

// check reports a policy that cannot work, in lang.
func (p *servePolicy) check(lang string) error {
	if p.maxMessage < 0 {
		return fmt.Errorf("%s", tr(lang, "--max-message must be positive", "--max-message 必须是正数"))
	}
	for _, o := range p.origins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf(tr(lang, "--origin %q is not an origin: write scheme://host[:port], like http://localhost:3000",
				"--origin %q 不是一个 Origin：应写成 scheme://host[:port]，例如 http://localhost:3000"), o)
		}
	}
	return nil
}

// apply sets the policy on the options of one handshake.
func (p *servePolicy) apply(opts *protocol.AcceptOptions) {
	opts.Subprotocols = p.subprotocols
	opts.CheckOrigin = p.checkOrigin
	if p.maxMessage > 0 {
		opts.MessageLimit = p.maxMessage
	}
}

// checkOrigin allows every origin with no list, or the ones listed.
// Origins compare as RFC 6454 §5 serialises them: scheme, host and port,
// case-insensitively.
func (p *servePolicy) checkOrigin(origin *url.URL, _ *http.Request) bool {
	if len(p.origins) == 0 {
		return true
	}
	got := strings.ToLower(origin.Scheme + "://" + origin.Host)
	for _, o := range p.origins {
		if o == "*" || strings.ToLower(strings.TrimSuffix(o, "/")) == got {
			return true
		}
	}
	return false
}

// subprotocolHint explains a handshake in which the client offered
// subprotocols and none was agreed: the codec rightly answers without one
// (§4.2.2 lets the server select none), but a browser then fails the
// connection, and its close event says only 1006. "" when there is
// nothing to explain.
func (p *servePolicy) subprotocolHint(offered, agreed string) string {
	if offered == "" || agreed != "" {
		return ""
	}
	speaks := "none (start serve with --subprotocol NAME)"
	if len(p.subprotocols) > 0 {
		speaks = strings.Join(p.subprotocols, ", ")
	}
	return fmt.Sprintf("no subprotocol agreed: the client offered %s, this server speaks %s; a browser fails such a connection (close code 1006)", offered, speaks)
}

// listFlag is a flag that takes a comma-separated list and may be
// repeated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
