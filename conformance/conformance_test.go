package conformance

import (
	"context"
	"strings"
	"testing"
)

// The codec's own server and client pass every case, OK or INFORMATIONAL
// where the RFC leaves the choice open.
func TestCodecServer(t *testing.T) {
	url := protocolEcho(t)
	results := RunServer(context.Background(), url, notBig(ForServers(All())), testConfig())
	checkVerdicts(t, results, plain(func(id string) Verdict {
		if informational[id] {
			return Informational
		}
		return OK
	}))
}

func TestCodecClient(t *testing.T) {
	results := RunClient(context.Background(), protocolClient, notBig(ForClients(All())), testConfig())
	checkVerdicts(t, results, plain(func(id string) Verdict {
		if informational[id] {
			return Informational
		}
		return OK
	}))
	// A client that passed ended its process cleanly after a closing
	// handshake, and with an error after failing the connection.
	for _, r := range results {
		if r.Verdict == Failed {
			continue
		}
		clean := r.ClientExit == "exit status 0"
		if (r.Ending == EndClean) != clean {
			t.Errorf("case %s ended %q, but the client reports %s", r.ID, r.Ending, r.ClientExit)
		}
	}
}

func TestSelect(t *testing.T) {
	all := All()
	got, err := Select(all, []string{"2.*", "7.1.?"}, []string{"2.1?"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	want := "2.1 2.2 2.3 2.4 2.5 2.6 2.7 2.8 2.9 7.1.1 7.1.2 7.1.3 7.1.4 7.1.5 7.1.6"
	if strings.Join(ids, " ") != want {
		t.Errorf("Select = %s\nwant %s", strings.Join(ids, " "), want)
	}
	if _, err := Select(all, []string{"["}, nil); err == nil {
		t.Error("a bad glob was accepted")
	}
}

// Every case says which rule it tests, and ids are unique.
func TestCasesNameTheirRule(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range All() {
		if seen[c.ID] {
			t.Errorf("case id %s is used twice", c.ID)
		}
		seen[c.ID] = true
		if !strings.HasPrefix(c.Rule, "§") {
			t.Errorf("case %s names no RFC section: %q", c.ID, c.Rule)
		}
	}
}

// A case that needs an extension the server does not accept is
// UNIMPLEMENTED, and its run never starts: the hook for the
// permessage-deflate cases (Autobahn's sections 12 and 13).
func TestExtensionNotAcceptedIsUnimplemented(t *testing.T) {
	url := protocolEcho(t)
	c := Case{ID: "12.test", Desc: "needs permessage-deflate", Rule: "§9.1", Extensions: "permessage-deflate",
		run: func(p *Peer) { t.Error("the case ran without the extension") }}
	r := RunServerCase(context.Background(), url, c, testConfig())
	if r.Verdict != Unimplemented || !strings.Contains(r.Detail, "permessage-deflate") {
		t.Errorf("verdict %s: %s; want UNIMPLEMENTED", r.Verdict, r.Detail)
	}
	if !strings.Contains(string(r.Exchange.Request), "Sec-WebSocket-Extensions: permessage-deflate") {
		t.Errorf("the offer is not in the request:\n%s", r.Exchange.Request)
	}
}
