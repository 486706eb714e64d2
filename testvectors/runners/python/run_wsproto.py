#!/usr/bin/env python3
"""Runs wsanatomy's RFC 6455 test vectors against wsproto, the sans-I/O
WebSocket library (Debian's python3-wsproto), as README.md describes.

    python3 run_wsproto.py [--expected FILE|none] [--must-fail] [FILE|DIR...]

wsproto leaves some duties to its application, which this runner plays
the way wsproto's documentation asks: it answers a Ping event with
event.response() and a CloseConnection event with event.response(), and
it picks the subprotocol and checks the origin of a handshake request.
Everything else (parsing, validation, the close codes of failures, the
handshake checks) is wsproto's own.

Exit status: 0 when no vector does worse than the expected-deviation list
(expected.json) says, 1 otherwise, 2 if wsproto is missing. With
--must-fail, 0 only when no vector passes (for files wrong on purpose).
"""

import argparse
import os
import sys

import vectors as tv

try:
    import wsproto
    import wsproto.handshake
    from wsproto import ConnectionType, WSConnection
    from wsproto.connection import Connection, ConnectionState
    from wsproto.extensions import PerMessageDeflate
    from wsproto.events import (AcceptConnection, BytesMessage, CloseConnection, Ping, RejectConnection,
                                Request, TextMessage)
    from wsproto.utilities import RemoteProtocolError, generate_accept_token
except ImportError as exc:  # pragma: no cover
    sys.stderr.write("run_wsproto: wsproto is not installed (apt-get install python3-wsproto): %s\n" % exc)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))


def can_run(group, v):
    if group in ("frames", "messages", "deflate") and "message_limit" in v["input"]:
        return "wsproto has no message size limit to set"
    if group == "deflate" and v["input"]["kind"] == "response":
        return ("wsproto's client always offers permessage-deflate; client_max_window_bits=15; "
                "server_max_window_bits=15, never the vector's offer")
    return None


def run_vector(group, v):
    inp = v["input"]
    if group == "frames":
        return run_frame(v)
    if group == "messages":
        frames = [tv.decode_bytes(f) for f in inp["frames"]]
        return conn_result(run_conn(inp["receiver"], frames))
    if group == "deflate":
        return run_deflate(v)
    if group == "utf8":
        frags = [tv.decode_bytes(f) for f in inp["fragments"]]
        frames = [masked_frame(i == len(frags) - 1, 0x1 if i == 0 else 0x0, p) for i, p in enumerate(frags)]
        r = run_conn("server", frames)
        if r["end"][0] == "error":
            return {"error": {"close_code": close_code_of(r)}}
        if r["end"][0] == "eof" and len(r["messages"]) == 1 and r["messages"][0] == ("text", b"".join(frags)):
            return {"valid": True}
        return {"unexpected": tv.show(r["messages"]), "end": r["end"][0]}
    if group == "close":
        r = run_conn("server", [masked_frame(True, 0x8, tv.decode_bytes(inp["payload"]))])
        if r["end"][0] == "closed":
            return {"closed": {"code": r["end"][1], "reason": r["end"][2]}}
        if r["end"][0] == "error":
            return {"error": {"close_code": close_code_of(r)}}
        return {"unexpected": r["end"][0]}
    return run_handshake(v)


def masked_frame(fin, opcode, payload, key=b"\x37\xfa\x21\x3d"):
    """A frame as a client sends it (README: utf8 and close payloads are
    sent masked with key 37 fa 21 3d)."""
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n <= 125:
        head = bytes([b0, 0x80 | n])
    elif n <= 0xFFFF:
        head = bytes([b0, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([b0, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))


def run_conn(receiver, frames, extensions=None):
    """Feeds each frame to a wsproto Connection in the receiver's role, as
    its own receive_data call, then the end of input (receive_data(None)).
    Reading ends at a failure or the peer's close; later frames are not
    fed (README, "How reading ends")."""
    conn = Connection(ConnectionType.SERVER if receiver == "server" else ConnectionType.CLIENT, extensions=extensions)
    out = bytearray()
    messages, partial, end = [], None, None

    def drain():
        nonlocal partial, end
        for ev in conn.events():
            if isinstance(ev, (TextMessage, BytesMessage)):
                typ = "text" if isinstance(ev, TextMessage) else "binary"
                data = ev.data.encode("utf-8") if typ == "text" else bytes(ev.data)
                partial = (typ, (partial[1] if partial else b"") + data)
                if ev.message_finished:
                    messages.append(partial)
                    partial = None
            elif isinstance(ev, Ping):
                out.extend(conn.send(ev.response()))
            elif isinstance(ev, CloseConnection):
                if ev.code == 1006 and conn.state is ConnectionState.CLOSED and end is None:
                    end = ("eof",)
                    return
                # wsproto reports its own failures (a ParseFailed) as a
                # CloseConnection too, but leaves the state OPEN; the
                # peer's close frame moves it to REMOTE_CLOSING.
                failed = conn.state is ConnectionState.OPEN
                end = ("error", ev.code, ev.reason) if failed else ("closed", int(ev.code), ev.reason or "")
                out.extend(conn.send(ev.response()))
                return

    for f in frames:
        conn.receive_data(f)
        drain()
        if end:
            break
    if not end:
        conn.receive_data(None)
        drain()
    return {"messages": messages, "end": end or ("eof",), "written": bytes(out)}


def replies(r):
    return [tv.reply_view(op, p) for op, p in tv.parse_frames(r["written"])]


def close_code_of(r):
    """The code of the close frame the receiver sent on failing, or None."""
    for rep in replies(r):
        if rep["opcode"] == 8:
            return rep["close_code"]
    return None


def conn_result(r):
    res = {"messages": r["messages"], "replies": replies(r)}
    if r["end"][0] == "error":
        res["error"] = {"close_code": close_code_of(r)}
    elif r["end"][0] == "closed":
        res["closed"] = {"code": r["end"][1], "reason": r["end"][2]}
    return res


def run_frame(v):
    """A frame through a message-level API (README, "frames" for runners
    without a frame decoder): the in_message prefix if asked for, the
    bytes, then the end of input; the result is a failure, or what the
    accepted frame did."""
    inp = v["input"]
    frames = [tv.decode_bytes(inp["bytes"])]
    if inp.get("in_message"):
        frames.insert(0, tv.IN_MESSAGE_PREFIX[inp["receiver"]])
    r = run_conn(inp["receiver"], frames)
    if r["end"][0] == "error":
        return {"error": {"close_code": close_code_of(r)}}
    if r["messages"]:
        typ, payload = r["messages"][-1]
        return {"accepted": ("message", typ, payload)}
    pongs = [rep for rep in replies(r) if rep["opcode"] == 10]
    if pongs:
        return {"accepted": ("pong", pongs[0]["payload"])}
    if r["end"][0] == "closed":
        return {"accepted": ("closed", r["end"][1], r["end"][2])}
    return {"accepted": ("nothing",)}


# --- permessage-deflate ---------------------------------------------------


def pmd_params(element):
    """An extension element's parameters as a vector writes them (README,
    group deflate): name to value, "" for none, quoted values unquoted."""
    params = {}
    for bit in element.split(";")[1:]:
        name, eq, value = bit.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        params[name.strip()] = value if eq else ""
    return params


def run_deflate(v):
    inp = v["input"]
    if inp["kind"] == "offer":
        return run_offer(inp)
    # messages: a Connection with wsproto's PerMessageDeflate in the state
    # its own handshake leaves it in for the agreed response: accept() on
    # the server (which answers with exactly the agreed parameters for an
    # offer made of them), finalize() on the client.
    exts = None
    if "agreed" in inp:
        pmd = PerMessageDeflate()
        if inp["receiver"] == "server":
            pmd.accept(inp["agreed"])
        else:
            pmd.finalize(inp["agreed"])
        exts = [pmd]
    frames = [tv.decode_bytes(f) for f in inp["frames"]]
    return conn_result(run_conn(inp["receiver"], frames, exts))


def run_offer(inp):
    """A request with the vector's Sec-WebSocket-Extensions lines to a
    wsproto server that supports PerMessageDeflate with its defaults."""
    req = ("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
    for line in inp["extensions"]:
        req += "Sec-WebSocket-Extensions: %s\r\n" % line
    req += "\r\n"
    ws = WSConnection(ConnectionType.SERVER)
    try:
        ws.receive_data(req.encode("latin-1"))
        out = b""
        for ev in ws.events():
            if isinstance(ev, Request):
                out = ws.send(AcceptConnection(extensions=[PerMessageDeflate()]))
                break
    except Exception as exc:  # wsproto raises on some parameter values
        return {"accepted": None, "note": "wsproto raised %s: %s" % (type(exc).__name__, exc)}
    if not out:
        return {"accepted": None, "note": "no response"}
    status, headers = parse_http(out)
    if status != 101:
        return {"accepted": None, "note": "status %d" % status}
    ext = headers.get("sec-websocket-extensions", [])
    if not ext:
        return {"accepted": False}
    elements = ", ".join(ext).split(",")
    if len(elements) != 1 or elements[0].split(";")[0].strip() != "permessage-deflate":
        return {"accepted": None, "note": "answered %r" % ", ".join(ext)}
    return {"accepted": True, "params": pmd_params(elements[0])}


# --- handshake -----------------------------------------------------------


def run_handshake(v):
    inp = v["input"]
    if inp["kind"] == "accept":
        return {"accept": generate_accept_token(inp["key"].encode()).decode()}
    if inp["kind"] == "request":
        return run_request(inp)
    return run_response(inp)


def parse_http(data):
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return status, headers


def run_request(inp):
    ws = WSConnection(ConnectionType.SERVER)
    out = b""
    try:
        ws.receive_data(inp["request"].encode("latin-1"))
        for ev in ws.events():
            if isinstance(ev, Request):
                out = ws.send(decide(inp, ev))
                break
    except RemoteProtocolError as exc:
        out = ws.send(exc.event_hint)
    if not out:
        return {"status": None}
    status, headers = parse_http(out)
    res = {"status": status}
    if status == 101:
        res["protocol"] = headers.get("sec-websocket-protocol", [""])[0]
        res["response"] = check_101(inp["request"], headers)
    res["sec_websocket_version"] = ", ".join(headers.get("sec-websocket-version", []))
    return res


def decide(inp, req):
    """The application's part: the origin check and the subprotocol choice,
    by the vector's input (README, "request")."""
    origin = dict((k.lower(), v) for k, v in req.extra_headers).get(b"origin")
    if "origins" in inp and origin is not None:
        if origin.decode().lower() not in [o.lower() for o in inp["origins"]]:
            return RejectConnection(status_code=403)
    chosen = next((p for p in inp.get("protocols", []) if p in req.subprotocols), None)
    return AcceptConnection(subprotocol=chosen)


def check_101(request, headers):
    key = ""
    for line in request.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    want = generate_accept_token(key.encode()).decode()
    if [h.lower() for h in headers.get("upgrade", [])] != ["websocket"]:
        return "Upgrade is %r" % headers.get("upgrade")
    if "upgrade" not in ",".join(headers.get("connection", [])).lower():
        return "Connection is %r" % headers.get("connection")
    if headers.get("sec-websocket-accept") != [want]:
        return "Sec-WebSocket-Accept is %r, want %s" % (headers.get("sec-websocket-accept"), want)
    return "valid"


def run_response(inp):
    # The client must send the vector's key: wsproto draws its nonce from
    # wsproto.handshake.generate_nonce, which the runner replaces for the
    # length of this vector.
    saved = wsproto.handshake.generate_nonce
    wsproto.handshake.generate_nonce = lambda: inp["key"].encode()
    try:
        ws = WSConnection(ConnectionType.CLIENT)
        ws.send(Request(host="server.example.com", target="/chat", subprotocols=inp.get("protocols", [])))
    finally:
        wsproto.handshake.generate_nonce = saved
    try:
        ws.receive_data(inp["response"].encode("latin-1"))
        for ev in ws.events():
            if isinstance(ev, AcceptConnection):
                return {"ok": True, "protocol": ev.subprotocol or ""}
            if isinstance(ev, RejectConnection):
                return {"ok": False}
    except RemoteProtocolError:
        return {"ok": False}
    return {"ok": False, "note": "no event"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="vector files or directories (default: the shipped vectors)")
    ap.add_argument("--expected", default=os.path.join(HERE, "expected.json"),
                    help="the expected-deviation list; 'none' to just report")
    ap.add_argument("--must-fail", action="store_true",
                    help="for vector files that are wrong on purpose: exit 0 only if no vector passes")
    args = ap.parse_args()
    paths = args.paths or [os.path.join(HERE, "..", "..", "vectors")]
    results = tv.run_all(paths, run_vector, can_run)
    label = "wsproto %s" % wsproto.__version__
    if args.must_fail:
        passed = [r for r in results if r[3] in ("PASS", "SKIPPED")]
        for name, group, v, verdict, notes in results:
            print("%-13s %s: %s" % (verdict, v["id"], "; ".join(notes)))
        print("%s: %d of %d wrong vectors caught" % (label, len(results) - len(passed), len(results)))
        sys.exit(0 if results and not passed else 1)
    expected = None if args.expected == "none" else args.expected
    sys.exit(tv.report(results, expected, sys.stdout, label))


if __name__ == "__main__":
    main()
