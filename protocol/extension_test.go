package protocol

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseExtensions(t *testing.T) {
	p := func(name, value string, has, quoted bool) ExtensionParam {
		return ExtensionParam{Name: name, Value: value, HasValue: has, Quoted: quoted}
	}
	for _, tc := range []struct {
		name   string
		values []string
		want   []Extension
		rule   string // the rule an error must name; "" for success
	}{
		{"one", []string{"permessage-deflate"}, []Extension{{Name: "permessage-deflate"}}, ""},
		{"chromium's offer", []string{"permessage-deflate; client_max_window_bits"},
			[]Extension{{Name: "permessage-deflate", Params: []ExtensionParam{p("client_max_window_bits", "", false, false)}}}, ""},
		{"several offers in order", []string{"permessage-deflate; server_max_window_bits=10, permessage-deflate"},
			[]Extension{{Name: "permessage-deflate", Params: []ExtensionParam{p("server_max_window_bits", "10", true, false)}}, {Name: "permessage-deflate"}}, ""},
		{"quoted value unescaped", []string{`x; a="1\0"; b = 2 ;c`},
			[]Extension{{Name: "x", Params: []ExtensionParam{p("a", "10", true, true), p("b", "2", true, false), p("c", "", false, false)}}}, ""},
		{"several header lines are one list (§9.1)", []string{"foo", "bar; baz=2"},
			[]Extension{{Name: "foo"}, {Name: "bar", Params: []ExtensionParam{p("baz", "2", true, false)}}}, ""},
		{"empty elements of the # rule are skipped", []string{" , foo ,, "}, []Extension{{Name: "foo"}}, ""},
		{"tabs are linear white space", []string{"foo;\tbar"}, []Extension{{Name: "foo", Params: []ExtensionParam{p("bar", "", false, false)}}}, ""},
		{"no header line is an empty list", nil, nil, ""},

		{"empty value", []string{""}, nil, "extension-list"},
		{"only commas", []string{" , ,"}, nil, "extension-list"},
		{"no name", []string{"; foo"}, nil, "extension-token"},
		{"separator in name", []string{"per/message"}, nil, "extension-list"},
		{"no parameter after ;", []string{"foo;"}, nil, "extension-param"},
		{"no value after =", []string{"foo; bar="}, nil, "extension-param"},
		{"quoted value not a token", []string{`foo; bar="a b"`}, nil, "extension-param"},
		{"unterminated quote", []string{`foo; bar="15`}, nil, "quoted-string"},
		{"backslash at end", []string{`foo; bar="15\`}, nil, "quoted-string"},
		{"control character in quotes", []string{"foo; bar=\"1\x015\""}, nil, "quoted-string"},
		{"two names without comma", []string{"foo bar"}, nil, "extension-list"},
		{"second line malformed", []string{"foo", "=bar"}, nil, "extension-token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseExtensions(tc.values)
			if tc.rule != "" {
				var se *ExtensionSyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("got %v, %v; want an error breaking %s", got, err, tc.rule)
				}
				if se.Rule != tc.rule || !strings.Contains(err.Error(), tc.rule) {
					t.Fatalf("error %q names rule %q, want %q", err, se.Rule, tc.rule)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
			// What the writer writes, the parser reads back the same.
			if len(got) > 0 {
				again, err := ParseExtensions([]string{FormatExtensions(got)})
				if err != nil || !reflect.DeepEqual(again, got) {
					t.Fatalf("round trip of %q: %#v, %v", FormatExtensions(got), again, err)
				}
			}
		})
	}
}

func FuzzParseExtensions(f *testing.F) {
	for _, s := range []string{"permessage-deflate; client_max_window_bits", `a; b="c", d`, "x;y=1;z", `q="\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exts, err := ParseExtensions([]string{s})
		if err != nil {
			return
		}
		// Anything accepted is written back in a form that parses to the
		// same list.
		again, err := ParseExtensions([]string{FormatExtensions(exts)})
		if err != nil || !reflect.DeepEqual(again, exts) {
			t.Fatalf("%q -> %q -> %#v, %v", s, FormatExtensions(exts), again, err)
		}
	})
}

// TestNegotiateDeflateServer is the server's answer to each kind of offer:
// the response header, or the reason every offer was declined.
func TestNegotiateDeflateServer(t *testing.T) {
	agreed := func(snct, cnct bool, sbits, cbits int) *DeflateAgreement {
		return &DeflateAgreement{ServerNoContextTakeover: snct, ClientNoContextTakeover: cnct, ServerMaxWindowBits: sbits, ClientMaxWindowBits: cbits}
	}
	for _, tc := range []struct {
		name     string
		offer    string
		opts     CompressionOptions
		response string // "" when declined
		agreed   *DeflateAgreement
		declined []string // a word each declined offer's reason must contain
	}{
		{"bare offer", "permessage-deflate", CompressionOptions{}, "permessage-deflate", agreed(false, false, 15, 15), nil},
		{"chromium's offer", "permessage-deflate; client_max_window_bits", CompressionOptions{}, "permessage-deflate", agreed(false, false, 15, 15), nil},
		{"server_no_context_takeover", "permessage-deflate; server_no_context_takeover", CompressionOptions{},
			"permessage-deflate; server_no_context_takeover", agreed(true, false, 15, 15), nil},
		{"client_no_context_takeover", "permessage-deflate; client_no_context_takeover", CompressionOptions{},
			"permessage-deflate; client_no_context_takeover", agreed(false, true, 15, 15), nil},
		{"server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10", CompressionOptions{},
			"permessage-deflate; server_max_window_bits=10", agreed(false, false, 10, 15), nil},
		{"server_max_window_bits quoted", `permessage-deflate; server_max_window_bits="9"`, CompressionOptions{},
			"permessage-deflate; server_max_window_bits=9", agreed(false, false, 9, 15), nil},
		{"server_max_window_bits lowered by policy", "permessage-deflate; server_max_window_bits=12", CompressionOptions{ServerMaxWindowBits: 9},
			"permessage-deflate; server_max_window_bits=9", agreed(false, false, 9, 15), nil},
		{"server window policy unsaid when not offered", "permessage-deflate", CompressionOptions{ServerMaxWindowBits: 9},
			"permessage-deflate", agreed(false, false, 15, 15), nil},
		{"client_max_window_bits=8", "permessage-deflate; client_max_window_bits=8", CompressionOptions{},
			"permessage-deflate; client_max_window_bits=8", agreed(false, false, 15, 8), nil},
		{"client window set by server", "permessage-deflate; client_max_window_bits", CompressionOptions{ClientMaxWindowBits: 10},
			"permessage-deflate; client_max_window_bits=10", agreed(false, false, 15, 10), nil},
		{"client window: the smaller wins", "permessage-deflate; client_max_window_bits=9", CompressionOptions{ClientMaxWindowBits: 12},
			"permessage-deflate; client_max_window_bits=9", agreed(false, false, 15, 9), nil},
		{"all four", "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=11; client_max_window_bits=12", CompressionOptions{},
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=11; client_max_window_bits=12", agreed(true, true, 11, 12), nil},
		{"policy imposes no context takeover", "permessage-deflate", CompressionOptions{ServerNoContextTakeover: true, ClientNoContextTakeover: true},
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover", agreed(true, true, 15, 15), nil},

		{"server_max_window_bits=7", "permessage-deflate; server_max_window_bits=7", CompressionOptions{}, "", nil, []string{"server_max_window_bits"}},
		{"server_max_window_bits=16", "permessage-deflate; server_max_window_bits=16", CompressionOptions{}, "", nil, []string{"server_max_window_bits"}},
		{"server_max_window_bits=010", "permessage-deflate; server_max_window_bits=010", CompressionOptions{}, "", nil, []string{"leading zeros"}},
		{"server_max_window_bits without value", "permessage-deflate; server_max_window_bits", CompressionOptions{}, "", nil, []string{"no value"}},
		{"client_max_window_bits=16", "permessage-deflate; client_max_window_bits=16", CompressionOptions{}, "", nil, []string{"client_max_window_bits"}},
		{"client_max_window_bits=abc", "permessage-deflate; client_max_window_bits=abc", CompressionOptions{}, "", nil, []string{"client_max_window_bits"}},
		{"no_context_takeover with a value", "permessage-deflate; server_no_context_takeover=1", CompressionOptions{}, "", nil, []string{"takes no value"}},
		{"duplicate", "permessage-deflate; client_no_context_takeover; client_no_context_takeover", CompressionOptions{}, "", nil, []string{"twice"}},
		{"unknown parameter", "permessage-deflate; mem_level=8", CompressionOptions{}, "", nil, []string{"mem_level"}},
		{"unknown extension", "x-webkit-deflate-frame", CompressionOptions{}, "", nil, []string{"x-webkit-deflate-frame"}},
		{"disabled", "permessage-deflate", CompressionOptions{Disabled: true}, "", nil, []string{"turned off"}},
		{"client window required but not allowed", "permessage-deflate", CompressionOptions{ClientMaxWindowBits: 10}, "", nil, []string{"client_max_window_bits"}},

		{"first acceptable of several offers", "permessage-deflate; server_max_window_bits=16, foo, permessage-deflate; client_max_window_bits, permessage-deflate",
			CompressionOptions{}, "permessage-deflate", agreed(false, false, 15, 15), []string{"server_max_window_bits", "foo"}},
		{"preferred offer wins", "permessage-deflate; server_no_context_takeover, permessage-deflate", CompressionOptions{},
			"permessage-deflate; server_no_context_takeover", agreed(true, false, 15, 15), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := NegotiateDeflate([]string{tc.offer}, &tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := n.ResponseHeader(); got != tc.response {
				t.Errorf("response %q, want %q", got, tc.response)
			}
			if tc.agreed != nil && (!n.Accepted || n.Agreed != *tc.agreed) {
				t.Errorf("agreed %+v (accepted %v), want %+v", n.Agreed, n.Accepted, *tc.agreed)
			}
			if len(n.Declined) != len(tc.declined) {
				t.Fatalf("declined %+v, want %d", n.Declined, len(tc.declined))
			}
			for i, d := range n.Declined {
				if !strings.Contains(d.Reason, tc.declined[i]) {
					t.Errorf("declined %q because %q; want the reason to name %q", d.Offer, d.Reason, tc.declined[i])
				}
			}
			// Whatever the server answers, a client that made this offer
			// must find the answer valid and read the same agreement.
			if n.Accepted {
				offers, _ := ParseExtensions([]string{tc.offer})
				var offer DeflateParams
				for _, o := range offers {
					if o.String() == declinedOr(n) {
						offer, _ = parseDeflateParams(o, true)
					}
				}
				a, err := CheckDeflateResponse([]string{n.ResponseHeader()}, offer)
				if err != nil || a == nil || *a != n.Agreed {
					t.Errorf("client reads the response as %+v, %v; server agreed %+v", a, err, n.Agreed)
				}
			}
		})
	}
	if _, err := NegotiateDeflate([]string{"permessage-deflate; =1"}, nil); err == nil {
		t.Error("a malformed header was negotiated")
	}
}

// declinedOr returns the text of the offer that was accepted: the first
// permessage-deflate element after the declined ones.
func declinedOr(n *Negotiation) string {
	return n.Offered[len(n.Declined)].String()
}

// TestCheckDeflateResponse is the client's judgement of each kind of
// response to its offer.
func TestCheckDeflateResponse(t *testing.T) {
	chromium := DeflateParams{ClientMaxWindowBitsNoValue: true}
	for _, tc := range []struct {
		name     string
		offer    DeflateParams
		response []string
		want     *DeflateAgreement
		param    string // the parameter an error must name; "-" for an error naming none
	}{
		{"declined", chromium, nil, nil, ""},
		{"accepted bare", chromium, []string{"permessage-deflate"}, &DeflateAgreement{ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}, ""},
		{"server limits our window", chromium, []string{"permessage-deflate; client_max_window_bits=9"}, &DeflateAgreement{ServerMaxWindowBits: 15, ClientMaxWindowBits: 9}, ""},
		{"server_no_context_takeover unasked", chromium, []string{"permessage-deflate; server_no_context_takeover"},
			&DeflateAgreement{ServerNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}, ""},
		{"client_no_context_takeover imposed", chromium, []string{"permessage-deflate; client_no_context_takeover"},
			&DeflateAgreement{ClientNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}, ""},
		{"our own limits bind us", DeflateParams{ClientMaxWindowBits: 10, ClientNoContextTakeover: true}, []string{"permessage-deflate"},
			&DeflateAgreement{ClientNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 10}, ""},
		{"server window smaller than asked", DeflateParams{ServerMaxWindowBits: 12}, []string{"permessage-deflate; server_max_window_bits=10"},
			&DeflateAgreement{ServerMaxWindowBits: 10, ClientMaxWindowBits: 15}, ""},

		{"server_max_window_bits not offered", chromium, []string{"permessage-deflate; server_max_window_bits=10"}, nil, "server_max_window_bits"},
		{"server_max_window_bits larger", DeflateParams{ServerMaxWindowBits: 10}, []string{"permessage-deflate; server_max_window_bits=11"}, nil, "server_max_window_bits"},
		{"server_max_window_bits dropped", DeflateParams{ServerMaxWindowBits: 10}, []string{"permessage-deflate"}, nil, "server_max_window_bits"},
		{"client_max_window_bits not offered", DeflateParams{}, []string{"permessage-deflate; client_max_window_bits=10"}, nil, "client_max_window_bits"},
		{"client_max_window_bits larger", DeflateParams{ClientMaxWindowBits: 10}, []string{"permessage-deflate; client_max_window_bits=12"}, nil, "client_max_window_bits"},
		{"client_max_window_bits without value", chromium, []string{"permessage-deflate; client_max_window_bits"}, nil, "client_max_window_bits"},
		{"server_no_context_takeover dropped", DeflateParams{ServerNoContextTakeover: true}, []string{"permessage-deflate"}, nil, "server_no_context_takeover"},
		{"bad value 7", DeflateParams{ServerMaxWindowBits: 10}, []string{"permessage-deflate; server_max_window_bits=7"}, nil, "server_max_window_bits"},
		{"duplicate", chromium, []string{"permessage-deflate; server_no_context_takeover; server_no_context_takeover"}, nil, "server_no_context_takeover"},
		{"unknown parameter", chromium, []string{"permessage-deflate; foo"}, nil, "foo"},
		{"unoffered extension", chromium, []string{"foo"}, nil, "-"},
		{"two accepted", chromium, []string{"permessage-deflate", "permessage-deflate"}, nil, "-"},
		{"malformed", chromium, []string{"permessage-deflate;"}, nil, "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckDeflateResponse(tc.response, tc.offer)
			if tc.param != "" {
				if err == nil {
					t.Fatalf("accepted %+v", got)
				}
				var pe *DeflateParamError
				if tc.param != "-" && (!errors.As(err, &pe) || pe.Param != tc.param) {
					t.Fatalf("error %q does not name %s", err, tc.param)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// FuzzNegotiateDeflate: whatever a client offers, the server never
// panics, and an answer it gives is one that the offer allows: a client
// that made the accepted offer reads it without error and to the same
// agreement.
func FuzzNegotiateDeflate(f *testing.F) {
	for _, s := range []string{
		"permessage-deflate; client_max_window_bits",
		"permessage-deflate; server_max_window_bits=10; client_no_context_takeover, permessage-deflate",
		`permessage-deflate; client_max_window_bits="9"; server_no_context_takeover`,
		"x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=16",
	} {
		f.Add(s, 0, 0, false)
	}
	f.Fuzz(func(t *testing.T, header string, sbits, cbits int, nctx bool) {
		opts := &CompressionOptions{ServerMaxWindowBits: sbits%17 - 1, ClientMaxWindowBits: cbits%17 - 1, ServerNoContextTakeover: nctx}
		if opts.check() != nil {
			return
		}
		n, err := NegotiateDeflate([]string{header}, opts)
		if err != nil || !n.Accepted {
			return
		}
		offer, perr := parseDeflateParams(n.Offered[len(n.Declined)], true)
		if perr != nil {
			t.Fatalf("accepted an offer that does not parse: %v", perr)
		}
		a, err := CheckDeflateResponse([]string{n.ResponseHeader()}, offer)
		if err != nil || a == nil || *a != n.Agreed {
			t.Fatalf("offer %q, response %q: the client reads %+v, %v; the server agreed %+v", header, n.ResponseHeader(), a, err, n.Agreed)
		}
	})
}
