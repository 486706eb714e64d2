"""Reading wsanatomy's RFC 6455 test vectors and judging a result against
them, written from testvectors/README.md and schema.json alone.

A runner for one implementation produces, for each vector, an actual
result in the shape of the vector's "expect" (see README.md, "Running the
vectors elsewhere"); judge() turns it into a verdict:

  PASS           the result is the one expected, at every level
  ALLOWED        a different result, listed in the vector's "allowed"
  INFORMATIONAL  differs only where RFC 6455 leaves the receiver free
                 (level "wsanatomy")
  NON-STRICT     differs where RFC 6455 says SHOULD
  FAIL           differs where RFC 6455 says MUST
  SKIPPED        the implementation cannot run this kind of vector

This module uses nothing but the Python standard library.
"""

import binascii
import json
import os
import struct

VERDICTS = ["PASS", "ALLOWED", "INFORMATIONAL", "NON-STRICT", "FAIL", "SKIPPED"]
RANK = {v: i for i, v in enumerate(VERDICTS)}
BY_LEVEL = {"MUST": "FAIL", "SHOULD": "NON-STRICT", "wsanatomy": "INFORMATIONAL"}

GROUPS = {"frames", "messages", "utf8", "close", "handshake", "deflate"}
# The input fields of each group this runner understands; a vector using
# any other (a later version of the format, an extension) is skipped.
INPUT_FIELDS = {
    "frames": {"receiver", "bytes", "in_message", "message_limit"},
    "messages": {"receiver", "frames", "message_limit"},
    "utf8": {"fragments"},
    "close": {"payload"},
    "handshake": {"kind", "key", "request", "response", "protocols", "origins"},
    "deflate": {"kind", "extensions", "offer", "receiver", "agreed", "frames", "message_limit"},
}
MAX_BYTES = 64 << 20


class FormatError(Exception):
    pass


def decode_bytes(value):
    """A byte string of the format: hex (spaces ignored) or an array of
    parts (hex, {"text": s}, {"repeat": hex, "count": n})."""
    if isinstance(value, str):
        return binascii.unhexlify("".join(value.split()))
    if not isinstance(value, list):
        raise FormatError("bytes: want a hex string or an array, got %r" % (value,))
    out = bytearray()
    for part in value:
        if isinstance(part, str):
            out += binascii.unhexlify("".join(part.split()))
        elif isinstance(part, dict) and set(part) == {"text"}:
            out += part["text"].encode("utf-8")
        elif isinstance(part, dict) and set(part) == {"repeat", "count"}:
            unit = binascii.unhexlify("".join(part["repeat"].split()))
            if not unit or part["count"] < 0 or len(unit) * part["count"] > MAX_BYTES:
                raise FormatError("bytes: bad repeat %r" % (part,))
            out += unit * part["count"]
        else:
            raise FormatError("bytes: bad part %r" % (part,))
        if len(out) > MAX_BYTES:
            raise FormatError("bytes: over 64 MiB")
    return bytes(out)


def load(paths):
    """Every vector file of the paths given (files, or directories whose
    *.json files are read in name order): [(name, file)]."""
    files = []
    for p in paths:
        names = [p]
        if os.path.isdir(p):
            names = [os.path.join(p, n) for n in sorted(os.listdir(p)) if n.endswith(".json")]
        for name in names:
            with open(name, encoding="utf-8") as f:
                files.append((os.path.basename(name), json.load(f)))
    return files


def skip_reason(group, vector):
    """Why this runner cannot run the vector at all, or None."""
    if group not in GROUPS:
        return "group %r is not one this runner knows" % group
    unknown = set(vector["input"]) - INPUT_FIELDS[group]
    if unknown:
        return "input fields this runner does not know: %s" % ", ".join(sorted(unknown))
    return None


# The prefix that puts a receiver inside a fragmented message (README,
# "in_message"): a binary frame with FIN clear and no payload, masked with
# key 37 fa 21 3d when a server receives it.
IN_MESSAGE_PREFIX = {"client": bytes.fromhex("0200"), "server": bytes.fromhex("028037fa213d")}


def parse_frames(data):
    """Splits what an endpoint wrote into frames: [(opcode, unmasked payload)].
    A frame cut short is ("incomplete", b"")."""
    out = []
    i = 0
    while i < len(data):
        if len(data) - i < 2:
            out.append(("incomplete", b""))
            break
        b0, b1 = data[i], data[i + 1]
        n = b1 & 0x7F
        j = i + 2
        if n == 126:
            if len(data) < j + 2:
                out.append(("incomplete", b""))
                break
            n = struct.unpack("!H", data[j:j + 2])[0]
            j += 2
        elif n == 127:
            if len(data) < j + 8:
                out.append(("incomplete", b""))
                break
            n = struct.unpack("!Q", data[j:j + 8])[0]
            j += 8
        key = None
        if b1 & 0x80:
            key = data[j:j + 4]
            j += 4
        if len(data) < j + n:
            out.append(("incomplete", b""))
            break
        payload = bytearray(data[j:j + n])
        if key is not None:
            for k in range(len(payload)):
                payload[k] ^= key[k % 4]
        out.append((b0 & 0x0F, bytes(payload)))
        i = j + n
    return out


def reply_view(opcode, payload):
    """A reply as a vector writes it: close frames by code (1005 when
    empty), the others by payload."""
    if opcode == 8:
        if len(payload) == 0:
            return {"opcode": 8, "close_code": 1005}
        if len(payload) == 1:
            return {"opcode": 8, "close_code": None}
        return {"opcode": 8, "close_code": struct.unpack("!H", payload[:2])[0]}
    return {"opcode": opcode, "payload": payload}


def codes(value):
    return value if isinstance(value, list) else [value]


# --- judging -------------------------------------------------------------


def kind(group, vector, result):
    """The kind of a result (expected or actual): what the vector's level
    binds."""
    if group == "frames":
        return "error" if "error" in result else "not-failed"
    if group == "messages":
        return "error" if "error" in result else "closed" if "closed" in result else "eof"
    if group == "utf8":
        return "error" if "error" in result else "valid" if "valid" in result else "other"
    if group == "close":
        return "error" if "error" in result else "closed" if "closed" in result else "other"
    k = vector["input"]["kind"]
    if group == "deflate":
        if k == "offer":
            a = result.get("accepted")
            return "accepted" if a is True else "declined" if a is False else "failed"
        if k == "response":
            return "ok" if result.get("ok") else "refused"
        return kind("messages", vector, result)
    if k == "accept":
        return "accept"
    if k == "request":
        s = result.get("status")
        if s == 101:
            return "accepted"
        if s == "4xx" or (isinstance(s, int) and 400 <= s <= 499):
            return "refused"
        return "status %r" % (s,)
    return "ok" if result.get("ok") else "refused"


def frame_effect(vector, frame):
    """What an accepted frame does that a message-level API shows: the
    message it completes, the pong it earns, the close it reports."""
    inp = vector["input"]
    op, fin = frame["opcode"], frame["fin"]
    payload = decode_bytes(frame["payload"]) if "payload" in frame else None
    if op in (1, 2) and fin:
        return ("message", "text" if op == 1 else "binary", payload)
    if op == 0 and fin and inp.get("in_message"):
        return ("message", "binary", payload)  # the prefix began a binary message
    if op == 9:
        return ("pong", payload)
    if op == 8:
        if payload is None:
            return ("closed", None, None)
        if len(payload) == 0:
            return ("closed", 1005, "")
        return ("closed", struct.unpack("!H", payload[:2])[0], payload[2:].decode("utf-8", "replace"))
    return ("nothing",)


def effect_matches(exp, act):
    if exp[0] != act[0]:
        return False
    return all(e is None or e == a for e, a in zip(exp[1:], act[1:]))


def deviations(group, vector, exp, act):
    """[(level, note)] for an actual result of the same kind as exp."""
    out = []
    if group == "frames":
        # This runner sees frames through a message-level API (README,
        # "Runners without a frame decoder"): an accepted frame is judged
        # by what it did.
        if "error" in exp:
            code_check(out, exp["error"], act["error"])
        else:
            want = frame_effect(vector, exp["frame"]) if "frame" in exp else ("nothing",)
            if not effect_matches(want, act["accepted"]):
                out.append(("MUST", "expected %s, got %s" % (show(want), show(act["accepted"]))))
    elif group == "deflate" and vector["input"]["kind"] == "offer":
        # The answer's parameters are wsanatomy's choice (README, group
        # deflate): another answer RFC 7692 allows is informational.
        if exp["accepted"] and exp["params"] != act.get("params"):
            out.append(("wsanatomy", "params: wsanatomy answers %s, got %s" % (show(exp["params"]), show(act.get("params")))))
    elif group == "deflate" and vector["input"]["kind"] == "response":
        pass
    elif group in ("messages", "deflate"):
        want = [(m["type"], decode_bytes(m["payload"])) for m in exp["messages"]]
        if want != act["messages"]:
            out.append(("MUST", "messages: expected %s, got %s" % (show(want), show(act["messages"]))))
        if "closed" in exp:
            closed_check(out, exp["closed"], act["closed"])
        if "error" in exp:
            code_check(out, exp["error"], act["error"])
        if "replies" in exp:
            replies_check(out, exp["replies"], act.get("replies", []))
    elif group == "utf8":
        if "error" in exp:
            code_check(out, exp["error"], act["error"])
    elif group == "close":
        if "closed" in exp:
            closed_check(out, exp["closed"], act["closed"])
        else:
            code_check(out, exp["error"], act["error"])
    else:
        k = vector["input"]["kind"]
        if k == "accept" and exp["accept"] != act.get("accept"):
            out.append(("MUST", "accept: expected %s, got %s" % (exp["accept"], act.get("accept"))))
        if k == "request" and exp["status"] == 101:
            if act.get("response", "valid") != "valid":
                out.append(("MUST", "101 response: " + act["response"]))
            if "protocol" in exp and exp["protocol"] != act.get("protocol"):
                out.append(("MUST", "protocol: expected %r, got %r" % (exp["protocol"], act.get("protocol"))))
        if k == "request" and exp["status"] == "4xx":
            if "preferred_status" in exp and exp["preferred_status"] != act["status"]:
                out.append((exp["preferred_status_level"], "status: %d, %s prefers %d" % (
                    act["status"], "RFC 6455" if exp["preferred_status_level"] == "SHOULD" else "wsanatomy", exp["preferred_status"])))
            if "sec_websocket_version" in exp:
                listed = [t.strip() for t in act.get("sec_websocket_version", "").split(",")]
                if exp["sec_websocket_version"] not in listed:
                    out.append(("MUST", "Sec-WebSocket-Version: expected a list with %s, got %r" % (
                        exp["sec_websocket_version"], act.get("sec_websocket_version"))))
        if k == "response" and exp["ok"] and "protocol" in exp and exp["protocol"] != act.get("protocol"):
            out.append(("MUST", "protocol: expected %r, got %r" % (exp["protocol"], act.get("protocol"))))
    return out


def code_check(out, exp_err, act_err):
    got = act_err.get("close_code")
    if got not in codes(exp_err["close_code"]):
        what = "no close frame" if got is None else "close code %s" % got
        out.append((exp_err["code_level"], "%s, expected %s" % (what, codes(exp_err["close_code"]))))


def closed_check(out, exp, act):
    if (exp["code"], exp["reason"]) != (act.get("code"), act.get("reason")):
        out.append(("MUST", "closed: expected %s %r, got %s %r" % (exp["code"], exp["reason"], act.get("code"), act.get("reason"))))


def replies_check(out, expected, actual):
    """Each expected reply must appear, in order; a close frame's code is
    judged at its code_level. Replies not expected are informational."""
    i = 0
    for r in expected:
        j = i
        while j < len(actual) and actual[j]["opcode"] != r["opcode"]:
            j += 1
        if j == len(actual):
            out.append((r["level"], "reply %s missing" % show(r)))
            continue
        a = actual[j]
        if r["opcode"] == 8:
            if a["close_code"] not in codes(r["close_code"]):
                out.append((r["code_level"], "close reply with code %s, expected %s" % (a["close_code"], codes(r["close_code"]))))
        elif decode_bytes(r["payload"]) != a["payload"]:
            out.append((r["level"], "reply opcode %d with payload %s, expected %s" % (
                r["opcode"], show(a["payload"]), show(decode_bytes(r["payload"])))))
        for extra in actual[i:j]:
            out.append(("wsanatomy", "reply not expected: %s" % show(extra)))
        i = j + 1
    for extra in actual[i:]:
        out.append(("wsanatomy", "reply not expected: %s" % show(extra)))


def worst(devs, floor="PASS"):
    v = floor
    for level, _ in devs:
        if RANK[BY_LEVEL[level]] > RANK[v]:
            v = BY_LEVEL[level]
    return v


def judge(group, vector, actual):
    """(verdict, notes) for an actual result."""
    exp = vector["expect"]
    if kind(group, vector, exp) == kind(group, vector, actual):
        devs = deviations(group, vector, exp, actual)
        return worst(devs), [n for _, n in devs]
    for alt in vector.get("allowed", []):
        if kind(group, vector, alt) == kind(group, vector, actual):
            devs = deviations(group, vector, alt, actual)
            if not any(level == "MUST" for level, _ in devs):
                return worst(devs, "ALLOWED"), ["an allowed alternative: %s" % describe(actual)] + [n for _, n in devs]
    note = "expected %s, got %s (%s)" % (kind(group, vector, exp), kind(group, vector, actual), describe(actual))
    return BY_LEVEL[vector["level"]], [note]


def describe(result):
    return show({k: v for k, v in result.items() if k != "replies"})


def show(v):
    if isinstance(v, (bytes, bytearray)):
        if len(v) > 32:
            return "<%d bytes>" % len(v)
        return v.hex() or '""'
    if isinstance(v, tuple):
        return "(" + ", ".join(show(x) for x in v) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(show(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, show(x)) for k, x in v.items()) + "}"
    return repr(v)


# --- running and reporting -----------------------------------------------


def run_all(paths, run_vector, can_run):
    """Runs every vector of every file: [(file, group, vector, verdict, notes)].
    run_vector(group, vector) returns the actual result; can_run(group,
    vector) returns None or why the implementation cannot run it."""
    results = []
    for name, f in load(paths):
        group = f.get("group")
        for v in f["vectors"]:
            why = skip_reason(group, v) or can_run(group, v)
            if why:
                results.append((name, group, v, "SKIPPED", [why]))
                continue
            try:
                actual = run_vector(group, v)
            except Exception as exc:  # a runner bug must show, not hide
                results.append((name, group, v, "FAIL", ["runner raised %s: %s" % (type(exc).__name__, exc)]))
                continue
            verdict, notes = judge(group, v, actual)
            results.append((name, group, v, verdict, notes))
    return results


def report(results, expected_path, out, label):
    """Prints every result that is not PASS, the counts, and compares with
    the expected-deviation list. Returns the exit status: 1 if a vector did
    worse than the list allows."""
    counts = {v: 0 for v in VERDICTS}
    for name, group, v, verdict, notes in results:
        counts[verdict] += 1
        if verdict != "PASS":
            out.write("%-13s %s (%s, level %s)\n" % (verdict, v["id"], name, v.get("level")))
            for n in notes:
                out.write("              %s\n" % n)
    ran = len(results) - counts["SKIPPED"]
    conforming = ran - counts["FAIL"]
    out.write("\n%s: %d vectors, %d skipped, %d run: %d PASS, %d ALLOWED, %d INFORMATIONAL, %d NON-STRICT, %d FAIL\n" % (
        label, len(results), counts["SKIPPED"], ran, counts["PASS"], counts["ALLOWED"],
        counts["INFORMATIONAL"], counts["NON-STRICT"], counts["FAIL"]))
    out.write("%s: %d of %d run vectors pass exactly; %d of %d have no MUST failure\n" % (
        label, counts["PASS"], ran, conforming, ran))
    if expected_path is None:
        return 1 if counts["FAIL"] else 0
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)["deviations"]
    status = 0
    seen = set()
    for name, group, v, verdict, notes in results:
        want = expected.get(v["id"], {}).get("verdict", "PASS")
        seen.add(v["id"])
        if verdict == want or (verdict == "SKIPPED" and want == "PASS"):
            continue  # as listed; or a kind of vector this runner cannot run, counted above
        if verdict != "SKIPPED" and (RANK[verdict] > RANK[want] if want != "SKIPPED" else verdict == "FAIL"):
            out.write("REGRESSION    %s: %s, the expected-deviation list says %s\n" % (v["id"], verdict, want))
            status = 1
        else:
            out.write("CHANGED       %s: %s, the expected-deviation list says %s (update %s)\n" % (
                v["id"], verdict, want, os.path.basename(expected_path)))
    for vid in sorted(set(expected) - seen):
        out.write("NOTE          %s is in the expected-deviation list but no vector has that id\n" % vid)
    if status == 0:
        out.write("%s: every result is as good as the expected-deviation list says\n" % label)
    return status
