package main

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
)

// The §1.3 example: key "dGhlIHNhbXBsZSBub25jZQ==" ("the sample nonce")
// gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", copied from the RFC text.
const (
	rfcKey13    = "dGhlIHNhbXBsZSBub25jZQ=="
	rfcAccept13 = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
	acceptGUID  = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
)

// accept is §4.2.2 item 5.4: base64(SHA-1(key + GUID)), the key as sent.
func accept(key string) string {
	sum := sha1.Sum([]byte(key + acceptGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// crlf turns a request written with "\n" into HTTP's "\r\n" line ends.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// request builds a client request from the standard one by replacing,
// adding ("Name: value") or removing ("Name:" with no value) header lines.
func request(firstLine string, changes ...string) string {
	headers := []string{
		"Host: server.example.com",
		"Upgrade: websocket",
		"Connection: Upgrade",
		"Sec-WebSocket-Key: " + rfcKey13,
		"Sec-WebSocket-Version: 13",
	}
	for _, c := range changes {
		name, _, _ := strings.Cut(c, ":")
		replaced := false
		for i, h := range headers {
			if hn, _, _ := strings.Cut(h, ":"); strings.EqualFold(hn, name) {
				headers[i], replaced = c, true
			}
		}
		if !replaced {
			headers = append(headers, c)
		}
	}
	var kept []string
	for _, h := range headers {
		if !strings.HasSuffix(h, ":") {
			kept = append(kept, h)
		}
	}
	return crlf(firstLine + "\n" + strings.Join(kept, "\n") + "\n\n")
}

func response(status string, changes ...string) string {
	headers := []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + rfcAccept13}
	for _, c := range changes {
		name, _, _ := strings.Cut(c, ":")
		replaced := false
		for i, h := range headers {
			if hn, _, _ := strings.Cut(h, ":"); strings.EqualFold(hn, name) {
				headers[i], replaced = c, true
			}
		}
		if !replaced {
			headers = append(headers, c)
		}
	}
	var kept []string
	for _, h := range headers {
		if !strings.HasSuffix(h, ":") {
			kept = append(kept, h)
		}
	}
	return crlf(status + "\n" + strings.Join(kept, "\n") + "\n\n")
}

func handshakeFile() file {
	if accept(rfcKey13) != rfcAccept13 {
		fail(fmt.Errorf("the SHA-1 of this generator disagrees with RFC 6455 §1.3"))
	}
	f := file{Group: "handshake", Description: "Opening handshake: accept values, requests a server must accept or refuse, responses a client must accept or refuse"}
	add := func(id, desc, section, level, rule string, in, exp obj) {
		f.Vectors = append(f.Vectors, vector{id, desc, section, level, rule, in, exp, nil})
	}

	// Keys to accept values.
	add("hs-accept-rfc-1.3", "The key of RFC 6455 §1.3 gives the accept value printed there", "1.3", levelMust, qAccept,
		obj{{"kind", "accept"}, {"key", rfcKey13}}, obj{{"accept", rfcAccept13}})
	for i, key := range []string{
		"AAAAAAAAAAAAAAAAAAAAAA==",
		"/////////////////////w==",
		"AQIDBAUGBwgJCgsMDQ4PEA==",
		"x3JJHMbDL1EzLkh9GBhXDw==",
		"MDEyMzQ1Njc4OWFiY2RlZg==",
		"dGhlIHNhbXBsZSBub25jZQ", // no padding: hashed as sent
	} {
		add(fmt.Sprintf("hs-accept-%d", i+1), fmt.Sprintf("Accept value for the key %q, hashed exactly as sent", key), "4.2.2", levelMust, qAccept,
			obj{{"kind", "accept"}, {"key", key}}, obj{{"accept", accept(key)}})
	}

	// Requests, as the server reads them (§4.2.1).
	get := "GET /chat HTTP/1.1"
	type req struct {
		id, desc, section string
		text              string
		protocols         []string
		origins           []string
		status            int
		header            string
		protocol          *string
	}
	none, chat := "", "chat"
	reqs := []req{
		{"hs-req-rfc", "The request of §1.2 without its optional headers is accepted", "4.2.1", request(get), nil, nil, 101, "", nil},
		{"hs-req-upgrade-case", "\"Upgrade: WebSocket\" is accepted: the value is case-insensitive", "4.2.1", request(get, "Upgrade: WebSocket"), nil, nil, 101, "", nil},
		{"hs-req-connection-list", "\"Connection: keep-alive, Upgrade\", as browsers send it, is accepted", "4.2.1", request(get, "Connection: keep-alive, Upgrade"), nil, nil, 101, "", nil},
		{"hs-req-connection-lowercase", "\"Connection: upgrade\" is accepted: the token is case-insensitive", "4.2.1", request(get, "Connection: upgrade"), nil, nil, 101, "", nil},
		{"hs-req-header-names-lowercase", "Header names in lower case are accepted", "4.2.1",
			crlf(get + "\nhost: server.example.com\nupgrade: websocket\nconnection: Upgrade\nsec-websocket-key: " + rfcKey13 + "\nsec-websocket-version: 13\n\n"), nil, nil, 101, "", nil},
		{"hs-req-http-1.0", "An HTTP/1.0 request is refused (wsanatomy answers 400)", "4.2.1", request("GET /chat HTTP/1.0"), nil, nil, 400, "", nil},
		{"hs-req-post", "A POST request is refused (wsanatomy answers 400): the handshake is a GET", "4.2.1", request("POST /chat HTTP/1.1"), nil, nil, 400, "", nil},
		{"hs-req-no-host", "A request without Host is refused (wsanatomy answers 400)", "4.2.1", request(get, "Host:"), nil, nil, 400, "Host", nil},
		{"hs-req-no-upgrade", "A request without Upgrade is refused (wsanatomy answers 400)", "4.2.1", request(get, "Upgrade:"), nil, nil, 400, "Upgrade", nil},
		{"hs-req-upgrade-h2c", "\"Upgrade: h2c\" is refused (wsanatomy answers 400)", "4.2.1", request(get, "Upgrade: h2c"), nil, nil, 400, "Upgrade", nil},
		{"hs-req-no-connection", "A request without Connection is refused (wsanatomy answers 400)", "4.2.1", request(get, "Connection:"), nil, nil, 400, "Connection", nil},
		{"hs-req-connection-keep-alive", "\"Connection: keep-alive\" without Upgrade is refused (wsanatomy answers 400)", "4.2.1", request(get, "Connection: keep-alive"), nil, nil, 400, "Connection", nil},
		{"hs-req-no-key", "A request without Sec-WebSocket-Key is refused (wsanatomy answers 400)", "4.2.1", request(get, "Sec-WebSocket-Key:"), nil, nil, 400, "Sec-WebSocket-Key", nil},
		{"hs-req-key-15-bytes", "A key that decodes to 15 bytes is refused (wsanatomy answers 400)", "4.2.1", request(get, "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"), nil, nil, 400, "Sec-WebSocket-Key", nil},
		{"hs-req-key-17-bytes", "A key that decodes to 17 bytes is refused (wsanatomy answers 400)", "4.2.1", request(get, "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA="), nil, nil, 400, "Sec-WebSocket-Key", nil},
		{"hs-req-key-not-base64", "A key that is not base64 is refused (wsanatomy answers 400)", "4.2.1", request(get, "Sec-WebSocket-Key: not base64 at all!!!!!"), nil, nil, 400, "Sec-WebSocket-Key", nil},
		{"hs-req-no-version", "A request without Sec-WebSocket-Version is refused (wsanatomy answers 400)", "4.2.1", request(get, "Sec-WebSocket-Version:"), nil, nil, 400, "Sec-WebSocket-Version", nil},
		{"hs-req-version-8", "Version 8, an earlier draft, is refused by wsanatomy, which understands only 13, with \"Sec-WebSocket-Version: 13\" and 426", "4.4", request(get, "Sec-WebSocket-Version: 8"), nil, nil, 426, "Sec-WebSocket-Version", nil},
		{"hs-req-version-14", "Version 14 is refused with \"Sec-WebSocket-Version: 13\" (wsanatomy answers 426)", "4.4", request(get, "Sec-WebSocket-Version: 14"), nil, nil, 426, "Sec-WebSocket-Version", nil},
		{"hs-req-origin-allowed", "An Origin the server allows is accepted", "10.2", request(get, "Origin: http://example.com"), nil, []string{"http://example.com"}, 101, "", nil},
		{"hs-req-origin-refused", "An Origin the server does not allow is refused, with 403 as §10.2 recommends", "10.2", request(get, "Origin: http://evil.example"), nil, []string{"http://example.com"}, 403, "Origin", nil},
		{"hs-req-no-origin", "A request with no Origin (not from a browser) is accepted even with an origin list", "10.2", request(get), nil, []string{"http://example.com"}, 101, "", nil},
		{"hs-req-protocol-chosen", "The server picks \"chat\", the subprotocol both sides speak", "4.2.2", request(get, "Sec-WebSocket-Protocol: chat, superchat"), []string{"chat"}, nil, 101, "", &chat},
		{"hs-req-protocol-server-preference", "Offered \"superchat, chat\", the server prefers \"chat\" and picks it", "4.2.2", request(get, "Sec-WebSocket-Protocol: superchat, chat"), []string{"chat", "superchat"}, nil, 101, "", &chat},
		{"hs-req-protocol-none-shared", "No subprotocol in common: accepted with none", "4.2.2", request(get, "Sec-WebSocket-Protocol: mqtt"), []string{"chat"}, nil, 101, "", &none},
		{"hs-req-protocol-not-offered", "The client offers none: accepted with none", "4.2.2", request(get), []string{"chat"}, nil, 101, "", &none},
		{"hs-req-protocol-two-headers", "Subprotocols offered in two header lines count together", "4.2.1", request(get, "Sec-WebSocket-Protocol: mqtt", "Sec-WebSocket-Protocol: chat"), []string{"chat"}, nil, 101, "", &chat},
	}
	// The request helper replaces a header of the same name; build the
	// two-header request by hand.
	reqs[len(reqs)-1].text = crlf(get + "\nHost: server.example.com\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: " + rfcKey13 +
		"\nSec-WebSocket-Version: 13\nSec-WebSocket-Protocol: mqtt\nSec-WebSocket-Protocol: chat\n\n")
	// A refusal is a MUST, with "an appropriate error code (such as 400 Bad
	// Request)" (§4.2.1): any 4xx. The exact code is wsanatomy's choice,
	// except for an origin the server refuses, where §10.2 says it SHOULD
	// be 403. Refusing version 8 is wsanatomy's choice too: §4.2.2 asks a
	// server to refuse a version it does not understand, and a server that
	// also speaks the older draft version 8 may accept it.
	for _, r := range reqs {
		in := obj{{"kind", "request"}, {"request", r.text}}
		if r.protocols != nil {
			in = append(in, kv{"protocols", r.protocols})
		}
		if r.origins != nil {
			in = append(in, kv{"origins", r.origins})
		}
		level, rule := levelMust, qAcceptReply
		var exp obj
		if r.status == 101 {
			exp = obj{{"status", 101}}
			if r.protocol != nil {
				exp = append(exp, kv{"protocol", *r.protocol})
				rule = qSubprotocol
			}
			if r.origins != nil {
				rule = qOriginMay
			}
		} else {
			prefLevel := levelWsanatomy
			rule = qBadRequest
			switch {
			case r.status == 403:
				prefLevel, rule = levelShould, qOriginRefuse
			case r.status == 426:
				rule = qVersion
			}
			if r.id == "hs-req-version-8" {
				level = levelWsanatomy
			}
			exp = obj{{"status", "4xx"}, {"preferred_status", r.status}, {"preferred_status_level", prefLevel}}
			if r.status == 426 {
				exp = append(exp, kv{"sec_websocket_version", "13"})
			}
			exp = append(exp, kv{"header", r.header})
		}
		add(r.id, r.desc, r.section, level, rule, in, exp)
	}

	// Responses, as the client checks them (§4.1, the list after "If the
	// server's response is validated as provided for above").
	ok101 := "HTTP/1.1 101 Switching Protocols"
	type resp struct {
		id, desc, text string
		protocols      []string
		ok             bool
		header         string
		protocol       *string
	}
	resps := []resp{
		{"hs-resp-rfc", "The response of §1.3 to its key is accepted", response(ok101), nil, true, "", nil},
		{"hs-resp-upgrade-case", "\"Upgrade: WebSocket\" is accepted: case-insensitive", response(ok101, "Upgrade: WebSocket"), nil, true, "", nil},
		{"hs-resp-connection-case", "\"Connection: upgrade\" is accepted: case-insensitive", response(ok101, "Connection: upgrade"), nil, true, "", nil},
		{"hs-resp-status-200", "Status 200 is refused: the status must be 101", response("HTTP/1.1 200 OK"), nil, false, "", nil},
		{"hs-resp-status-426", "Status 426 is refused on its status line", response("HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13"), nil, false, "", nil},
		{"hs-resp-no-upgrade", "A response without Upgrade is refused", response(ok101, "Upgrade:"), nil, false, "Upgrade", nil},
		{"hs-resp-upgrade-wrong", "\"Upgrade: h2c\" is refused", response(ok101, "Upgrade: h2c"), nil, false, "Upgrade", nil},
		{"hs-resp-no-connection", "A response without Connection is refused", response(ok101, "Connection:"), nil, false, "Connection", nil},
		{"hs-resp-no-accept", "A response without Sec-WebSocket-Accept is refused", response(ok101, "Sec-WebSocket-Accept:"), nil, false, "Sec-WebSocket-Accept", nil},
		{"hs-resp-accept-wrong", "An accept value for another key is refused", response(ok101, "Sec-WebSocket-Accept: "+accept("AAAAAAAAAAAAAAAAAAAAAA==")), nil, false, "Sec-WebSocket-Accept", nil},
		{"hs-resp-accept-of-decoded-key", "An accept value hashed from the decoded key, not the key as sent, is refused", response(ok101, "Sec-WebSocket-Accept: "+accept("the sample nonce")), nil, false, "Sec-WebSocket-Accept", nil},
		{"hs-resp-accept-case", "The accept value compared case-insensitively is wrong: it must match exactly", response(ok101, "Sec-WebSocket-Accept: "+strings.ToLower(rfcAccept13)), nil, false, "Sec-WebSocket-Accept", nil},
		{"hs-resp-extension-not-offered", "An extension the client did not offer is refused", response(ok101, "Sec-WebSocket-Extensions: permessage-deflate"), nil, false, "Sec-WebSocket-Extensions", nil},
		{"hs-resp-protocol-not-offered", "A subprotocol the client did not offer is refused", response(ok101, "Sec-WebSocket-Protocol: chat"), nil, false, "Sec-WebSocket-Protocol", nil},
		{"hs-resp-protocol-offered", "A subprotocol the client offered is accepted", response(ok101, "Sec-WebSocket-Protocol: chat"), []string{"superchat", "chat"}, true, "", &chat},
		{"hs-resp-protocol-none", "No subprotocol chosen though some were offered: wsanatomy goes on with none", response(ok101), []string{"chat"}, true, "", &none},
		{"hs-resp-protocol-two", "Two subprotocols chosen at once are refused", response(ok101, "Sec-WebSocket-Protocol: chat, superchat"), []string{"chat", "superchat"}, false, "Sec-WebSocket-Protocol", nil},
	}
	for _, r := range resps {
		level, rule := levelMust, respRule[r.id]
		if rule == "" {
			fail(fmt.Errorf("handshake: response case %s has no rule", r.id))
		}
		if r.id == "hs-resp-protocol-none" {
			// The server may answer with no subprotocol (§4.2.2), and §4.1
			// does not make the client fail then; nor does it oblige a
			// client whose application needs one to go on. wsanatomy goes
			// on; browsers, following the WebSocket API, fail.
			level = levelWsanatomy
		}
		in := obj{{"kind", "response"}, {"key", rfcKey13}, {"response", r.text}}
		if r.protocols != nil {
			in = append(in, kv{"protocols", r.protocols})
		}
		exp := obj{{"ok", r.ok}}
		if !r.ok {
			exp = append(exp, kv{"header", r.header})
		}
		if r.protocol != nil {
			exp = append(exp, kv{"protocol", *r.protocol})
		}
		add(r.id, r.desc, "4.1", level, rule, in, exp)
	}
	return f
}

// respRule: the §4.1 rule each response case rests on; all but one are a
// MUST of the client.
var respRule = map[string]string{
	"hs-resp-rfc":                   qRespValidated,
	"hs-resp-upgrade-case":          qRespUpgrade,
	"hs-resp-connection-case":       qRespConn,
	"hs-resp-status-200":            qResp101,
	"hs-resp-status-426":            qResp101,
	"hs-resp-no-upgrade":            qRespUpgrade,
	"hs-resp-upgrade-wrong":         qRespUpgrade,
	"hs-resp-no-connection":         qRespConn,
	"hs-resp-no-accept":             qRespAccept,
	"hs-resp-accept-wrong":          qRespAccept,
	"hs-resp-accept-of-decoded-key": qRespAccept,
	"hs-resp-accept-case":           qRespAccept,
	"hs-resp-extension-not-offered": qRespExt,
	"hs-resp-protocol-not-offered":  qRespProtocol,
	"hs-resp-protocol-offered":      qRespProtocol,
	"hs-resp-protocol-none":         qProtocolNull,
	"hs-resp-protocol-two":          qRespProtocol,
}
