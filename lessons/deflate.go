package lessons

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wsanatomy/wsanatomy/protocol"
)

// Compression facts come from a real connection
//
// {{deflate "Hello" "Hello"}} is the payload of the last of those messages
// as a client sends it on a connection that negotiated permessage-deflate
// (RFC 7692): a client and a server shake hands over an in-memory pipe,
// the client sends every message, and the codec's observer reports the
// bytes that went over the wire. So the lesson's bytes are those the
// connection's own send path produces: compressor, sync flush, the
// 00 00 ff ff removed (§7.2.1). A trailing word "nocontext" offers
// client_no_context_takeover, so that every message starts from an empty
// window.

// compressedPayloads returns the wire payload (unmasked) of each message
// the client sends compressed, in order.
func compressedPayloads(msgs []string, takeover bool) ([][]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cn, sn := net.Pipe()
	defer cn.Close()
	defer sn.Close()
	var mu sync.Mutex
	var out [][]byte
	observe := func(ev protocol.Event) {
		if m, ok := ev.(*protocol.MessageEvent); ok && m.Dir == protocol.Sent {
			mu.Lock()
			out = append(out, m.Compressed)
			mu.Unlock()
		}
	}
	served := make(chan error, 1)
	go func() {
		srv, err := protocol.AcceptConn(ctx, sn, &protocol.AcceptOptions{Compression: &protocol.CompressionOptions{Threshold: -1}})
		if err != nil {
			served <- err
			return
		}
		defer srv.CloseNow()
		for range msgs {
			if _, _, err := srv.ReadMessage(ctx); err != nil {
				served <- err
				return
			}
		}
		served <- nil
	}()
	u, err := protocol.ParseURL("ws://lesson.invalid/")
	if err != nil {
		return nil, err
	}
	opts := &protocol.DialOptions{Options: protocol.Options{Observer: observe},
		Compression: &protocol.CompressionOptions{Threshold: -1, ClientNoContextTakeover: !takeover}}
	c, err := protocol.ClientHandshake(ctx, cn, u, opts)
	if err != nil {
		return nil, err
	}
	defer c.CloseNow()
	if c.Deflate() == nil {
		return nil, errors.New("permessage-deflate was not negotiated")
	}
	for _, m := range msgs {
		if err := c.WriteMessage(ctx, protocol.TextMessage, []byte(m)); err != nil {
			return nil, err
		}
	}
	if err := <-served; err != nil {
		return nil, fmt.Errorf("the server could not read the messages: %w", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(out) != len(msgs) {
		return nil, fmt.Errorf("the observer saw %d compressed messages, want %d", len(out), len(msgs))
	}
	return out, nil
}

// deflateArgs reads MESSAGE... [nocontext].
func deflateArgs(args []string) (msgs []string, takeover bool, err error) {
	takeover = true
	if n := len(args); n > 0 && args[n-1] == "nocontext" {
		args, takeover = args[:n-1], false
	}
	if len(args) == 0 {
		return nil, false, errors.New(`want "MESSAGE"... [nocontext]`)
	}
	return args, takeover, nil
}

func lastPayload(args []string) ([]byte, error) {
	msgs, takeover, err := deflateArgs(args)
	if err != nil {
		return nil, err
	}
	out, err := compressedPayloads(msgs, takeover)
	if err != nil {
		return nil, err
	}
	return out[len(out)-1], nil
}

// exprDeflate: the last message's payload in hex.
func exprDeflate(args []string) (string, error) {
	b, err := lastPayload(args)
	return spacedHex(b), err
}

// exprDeflateLen: its length in bytes.
func exprDeflateLen(args []string) (string, error) {
	b, err := lastPayload(args)
	return fmt.Sprint(len(b)), err
}

// exprInflate: {{inflate WINDOW HEX}} is what the compressed payload HEX
// inflates to, after the earlier messages WINDOW (protocol's token
// decoder, which tests check against compress/flate).
func exprInflate(args []string) (string, error) {
	dec, err := decodeArgs(args)
	if err != nil {
		return "", err
	}
	return string(dec.Inflated), nil
}

// exprTokens: {{tokens WINDOW HEX}} lists the literals and back-references
// of the payload: literal "H", match (length 4, distance 5); in a Chinese
// lesson 字面量 “H”，匹配（长度 4，距离 5）.
func exprTokens(lang string, args []string) (string, error) {
	dec, err := decodeArgs(args)
	if err != nil {
		return "", err
	}
	w := tokenWords["en"]
	if lang == "zh" {
		w = tokenWords["zh"]
	}
	quote := func(b []byte) string {
		// Chinese text quotes with “”, unless the bytes need Go's escapes.
		q := strconv.Quote(string(b))
		if lang == "zh" && q == `"`+string(b)+`"` {
			return "“" + string(b) + "”"
		}
		return q
	}
	var parts []string
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			parts = append(parts, fmt.Sprintf(w.literal, quote(lit)))
			lit = nil
		}
	}
	for _, t := range dec.Tokens {
		switch t.Kind {
		case protocol.TokenLiteral:
			lit = append(lit, dec.Inflated[t.Offset:t.Offset+t.Length]...)
		case protocol.TokenStored:
			flush()
			parts = append(parts, fmt.Sprintf(w.stored, quote(dec.Inflated[t.Offset:t.Offset+t.Length])))
		case protocol.TokenMatch:
			flush()
			parts = append(parts, fmt.Sprintf(w.match, t.Length, t.Distance))
		}
	}
	flush()
	return strings.Join(parts, w.sep), nil
}

// tokenWords are the words {{tokens}} and {{deflatetokens}} list tokens
// with, in each language (the glossary's: 字面量 for a literal).
var tokenWords = map[string]struct{ literal, stored, match, sep string }{
	"en": {"literal %s", "stored %s", "match (length %d, distance %d)", ", "},
	"zh": {"字面量 %s", "存储块 %s", "匹配（长度 %d，距离 %d）", "，"},
}

// exprDeflateTokens: {{deflatetokens "Hello" "Hello"}} lists the tokens of
// the last message as the client compressed it, its window being the
// earlier messages (none with nocontext).
func exprDeflateTokens(lang string, args []string) (string, error) {
	msgs, takeover, err := deflateArgs(args)
	if err != nil {
		return "", err
	}
	b, err := lastPayload(args)
	if err != nil {
		return "", err
	}
	window := ""
	if takeover {
		window = strings.Join(msgs[:len(msgs)-1], "")
	}
	return exprTokens(lang, []string{window, spacedHex(b)})
}

func decodeArgs(args []string) (*protocol.DeflateDecoding, error) {
	if len(args) != 2 {
		return nil, errors.New(`want "WINDOW" "HEX"`)
	}
	b, err := parseHex(args[1])
	if err != nil {
		return nil, err
	}
	return protocol.DecodeDeflate([]byte(args[0]), b, 1<<20)
}
