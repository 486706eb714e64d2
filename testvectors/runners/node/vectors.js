'use strict';
// Reading wsanatomy's RFC 6455 test vectors and judging a result against
// them, written from testvectors/README.md and schema.json alone.
//
// A runner for one implementation produces, for each vector, an actual
// result in the shape of the vector's "expect" (README.md, "Running the
// vectors elsewhere"); judge() turns it into a verdict:
//
//   PASS           the result is the one expected, at every level
//   ALLOWED        a different result, listed in the vector's "allowed"
//   INFORMATIONAL  differs only where RFC 6455 leaves the receiver free
//                  (level "wsanatomy")
//   NON-STRICT     differs where RFC 6455 says SHOULD
//   FAIL           differs where RFC 6455 says MUST
//   SKIPPED        the implementation cannot run this kind of vector
//
// Node's standard library only.

const fs = require('fs');
const path = require('path');

const VERDICTS = ['PASS', 'ALLOWED', 'INFORMATIONAL', 'NON-STRICT', 'FAIL', 'SKIPPED'];
const RANK = Object.fromEntries(VERDICTS.map((v, i) => [v, i]));
const BY_LEVEL = { MUST: 'FAIL', SHOULD: 'NON-STRICT', wsanatomy: 'INFORMATIONAL' };

// The input fields of each group this runner understands; a vector using
// any other (a later version of the format, an extension) is skipped.
const INPUT_FIELDS = {
  frames: ['receiver', 'bytes', 'in_message', 'message_limit'],
  messages: ['receiver', 'frames', 'message_limit'],
  utf8: ['fragments'],
  close: ['payload'],
  handshake: ['kind', 'key', 'request', 'response', 'protocols', 'origins'],
  deflate: ['kind', 'extensions', 'offer', 'receiver', 'agreed', 'frames', 'message_limit'],
};
const MAX_BYTES = 64 << 20;

function hex(s) {
  const compact = s.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(compact)) throw new Error(`bytes: not hex: ${s.slice(0, 40)}`);
  return Buffer.from(compact, 'hex');
}

// A byte string of the format: hex (spaces ignored) or an array of parts
// (hex, {"text": s}, {"repeat": hex, "count": n}).
function decodeBytes(value) {
  if (typeof value === 'string') return hex(value);
  if (!Array.isArray(value)) throw new Error(`bytes: want a hex string or an array, got ${JSON.stringify(value)}`);
  const parts = [];
  let total = 0;
  for (const part of value) {
    let b;
    if (typeof part === 'string') b = hex(part);
    else if (part && Object.keys(part).join() === 'text') b = Buffer.from(part.text, 'utf8');
    else if (part && Object.keys(part).sort().join() === 'count,repeat') {
      const unit = hex(part.repeat);
      if (unit.length === 0 || part.count < 0 || unit.length * part.count > MAX_BYTES) throw new Error('bytes: bad repeat');
      b = Buffer.alloc(unit.length * part.count);
      for (let i = 0; i < part.count; i++) unit.copy(b, i * unit.length);
    } else throw new Error(`bytes: bad part ${JSON.stringify(part)}`);
    total += b.length;
    if (total > MAX_BYTES) throw new Error('bytes: over 64 MiB');
    parts.push(b);
  }
  return Buffer.concat(parts);
}

// Every *.json file of the paths given (files, or directories read in name
// order): [[name, file]].
function load(paths) {
  const out = [];
  for (const p of paths) {
    const names = fs.statSync(p).isDirectory()
      ? fs.readdirSync(p).filter((n) => n.endsWith('.json')).sort().map((n) => path.join(p, n))
      : [p];
    for (const n of names) out.push([path.basename(n), JSON.parse(fs.readFileSync(n, 'utf8'))]);
  }
  return out;
}

function skipReason(group, vector) {
  if (!(group in INPUT_FIELDS)) return `group ${JSON.stringify(group)} is not one this runner knows`;
  const unknown = Object.keys(vector.input).filter((k) => !INPUT_FIELDS[group].includes(k));
  if (unknown.length) return `input fields this runner does not know: ${unknown.sort().join(', ')}`;
  return null;
}

// The prefix that puts a receiver inside a fragmented message (README,
// "in_message"): a binary frame with FIN clear and no payload, masked with
// key 37 fa 21 3d when a server receives it.
const IN_MESSAGE_PREFIX = { client: Buffer.from('0200', 'hex'), server: Buffer.from('028037fa213d', 'hex') };

// Splits what an endpoint wrote into frames: [[opcode, unmasked payload]].
function parseFrames(data) {
  const out = [];
  let i = 0;
  while (i < data.length) {
    if (data.length - i < 2) { out.push(['incomplete', Buffer.alloc(0)]); break; }
    const b0 = data[i]; const b1 = data[i + 1];
    let n = b1 & 0x7f; let j = i + 2;
    if (n === 126) {
      if (data.length < j + 2) { out.push(['incomplete', Buffer.alloc(0)]); break; }
      n = data.readUInt16BE(j); j += 2;
    } else if (n === 127) {
      if (data.length < j + 8) { out.push(['incomplete', Buffer.alloc(0)]); break; }
      n = Number(data.readBigUInt64BE(j)); j += 8;
    }
    let key = null;
    if (b1 & 0x80) { key = data.subarray(j, j + 4); j += 4; }
    if (data.length < j + n) { out.push(['incomplete', Buffer.alloc(0)]); break; }
    const payload = Buffer.from(data.subarray(j, j + n));
    if (key) for (let k = 0; k < payload.length; k++) payload[k] ^= key[k % 4];
    out.push([b0 & 0x0f, payload]);
    i = j + n;
  }
  return out;
}

// A reply as a vector writes it: a close frame by its code (1005 when
// empty), any other frame by its payload.
function replyView([opcode, payload]) {
  if (opcode === 8) {
    if (payload.length === 0) return { opcode: 8, close_code: 1005 };
    if (payload.length === 1) return { opcode: 8, close_code: null };
    return { opcode: 8, close_code: payload.readUInt16BE(0) };
  }
  return { opcode, payload };
}

const codes = (v) => (Array.isArray(v) ? v : [v]);

// --- judging ---------------------------------------------------------------

// The kind of a result (expected or actual): what the vector's level binds.
function kind(group, vector, r) {
  switch (group) {
    case 'frames': return 'error' in r ? 'error' : 'not-failed';
    case 'messages': return 'error' in r ? 'error' : 'closed' in r ? 'closed' : 'eof';
    case 'utf8': return 'error' in r ? 'error' : 'valid' in r ? 'valid' : 'other';
    case 'close': return 'error' in r ? 'error' : 'closed' in r ? 'closed' : 'other';
  }
  const k = vector.input.kind;
  if (group === 'deflate') {
    if (k === 'offer') return r.accepted === true ? 'accepted' : r.accepted === false ? 'declined' : 'failed';
    if (k === 'response') return r.ok ? 'ok' : 'refused';
    return kind('messages', vector, r);
  }
  if (k === 'accept') return 'accept';
  if (k === 'request') {
    const s = r.status;
    if (s === 101) return 'accepted';
    if (s === '4xx' || (Number.isInteger(s) && s >= 400 && s <= 499)) return 'refused';
    return `status ${s}`;
  }
  return r.ok ? 'ok' : 'refused';
}

// What an accepted frame does that a message-level API shows: the message
// it completes, the pong it earns, the close it reports.
function frameEffect(vector, frame) {
  const inp = vector.input;
  const payload = 'payload' in frame ? decodeBytes(frame.payload) : null;
  const op = frame.opcode;
  if ((op === 1 || op === 2) && frame.fin) return ['message', op === 1 ? 'text' : 'binary', payload];
  if (op === 0 && frame.fin && inp.in_message) return ['message', 'binary', payload];
  if (op === 9) return ['pong', payload];
  if (op === 8) {
    if (payload === null) return ['closed', null, null];
    if (payload.length === 0) return ['closed', 1005, ''];
    return ['closed', payload.readUInt16BE(0), payload.subarray(2).toString('utf8')];
  }
  return ['nothing'];
}

function sortedObj(o) {
  const out = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function same(a, b) {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}

function effectMatches(exp, act) {
  if (exp[0] !== act[0]) return false;
  return exp.slice(1).every((e, i) => e === null || same(e, act[i + 1]));
}

// [[level, note]] for an actual result of the same kind as exp.
function deviations(group, vector, exp, act) {
  const out = [];
  if (group === 'frames') {
    if ('error' in exp) codeCheck(out, exp.error, act.error);
    else {
      const want = 'frame' in exp ? frameEffect(vector, exp.frame) : ['nothing'];
      if (!effectMatches(want, act.accepted)) out.push(['MUST', `expected ${show(want)}, got ${show(act.accepted)}`]);
    }
  } else if (group === 'deflate' && vector.input.kind === 'offer') {
    // The answer's parameters are wsanatomy's choice (README, group
    // deflate): another answer RFC 7692 allows is informational.
    if (exp.accepted && JSON.stringify(sortedObj(exp.params)) !== JSON.stringify(sortedObj(act.params || {}))) {
      out.push(['wsanatomy', `params: wsanatomy answers ${show(exp.params)}, got ${show(act.params)}`]);
    }
  } else if (group === 'deflate' && vector.input.kind === 'response') {
    // only the kind (ok or refused) is compared
  } else if (group === 'messages' || group === 'deflate') {
    const want = exp.messages.map((m) => [m.type, decodeBytes(m.payload)]);
    const ok = want.length === act.messages.length &&
      want.every(([t, p], i) => t === act.messages[i][0] && p.equals(act.messages[i][1]));
    if (!ok) out.push(['MUST', `messages: expected ${show(want)}, got ${show(act.messages)}`]);
    if ('closed' in exp) closedCheck(out, exp.closed, act.closed);
    if ('error' in exp) codeCheck(out, exp.error, act.error);
    if ('replies' in exp) repliesCheck(out, exp.replies, act.replies || []);
  } else if (group === 'utf8') {
    if ('error' in exp) codeCheck(out, exp.error, act.error);
  } else if (group === 'close') {
    if ('closed' in exp) closedCheck(out, exp.closed, act.closed);
    else codeCheck(out, exp.error, act.error);
  } else {
    const k = vector.input.kind;
    if (k === 'accept' && exp.accept !== act.accept) out.push(['MUST', `accept: expected ${exp.accept}, got ${act.accept}`]);
    if (k === 'request' && exp.status === 101) {
      if ((act.response || 'valid') !== 'valid') out.push(['MUST', `101 response: ${act.response}`]);
      if ('protocol' in exp && exp.protocol !== act.protocol) out.push(['MUST', `protocol: expected ${JSON.stringify(exp.protocol)}, got ${JSON.stringify(act.protocol)}`]);
    }
    if (k === 'request' && exp.status === '4xx') {
      if ('preferred_status' in exp && exp.preferred_status !== act.status) {
        const who = exp.preferred_status_level === 'SHOULD' ? 'RFC 6455' : 'wsanatomy';
        out.push([exp.preferred_status_level, `status: ${act.status}, ${who} prefers ${exp.preferred_status}`]);
      }
      if ('sec_websocket_version' in exp) {
        const listed = (act.sec_websocket_version || '').split(',').map((t) => t.trim());
        if (!listed.includes(exp.sec_websocket_version)) {
          out.push(['MUST', `Sec-WebSocket-Version: expected a list with ${exp.sec_websocket_version}, got ${JSON.stringify(act.sec_websocket_version)}`]);
        }
      }
    }
    if (k === 'response' && exp.ok && 'protocol' in exp && exp.protocol !== act.protocol) {
      out.push(['MUST', `protocol: expected ${JSON.stringify(exp.protocol)}, got ${JSON.stringify(act.protocol)}`]);
    }
  }
  return out;
}

function codeCheck(out, expErr, actErr) {
  const got = actErr.close_code;
  if (!codes(expErr.close_code).includes(got)) {
    const what = got === null || got === undefined ? 'no close frame' : `close code ${got}`;
    out.push([expErr.code_level, `${what}, expected ${JSON.stringify(codes(expErr.close_code))}`]);
  }
}

function closedCheck(out, exp, act) {
  if (exp.code !== act.code || exp.reason !== act.reason) {
    out.push(['MUST', `closed: expected ${exp.code} ${JSON.stringify(exp.reason)}, got ${act.code} ${JSON.stringify(act.reason)}`]);
  }
}

// Each expected reply must appear, in order; a close frame's code is judged
// at its code_level. Replies not expected are informational.
function repliesCheck(out, expected, actual) {
  let i = 0;
  for (const r of expected) {
    let j = i;
    while (j < actual.length && actual[j].opcode !== r.opcode) j++;
    if (j === actual.length) { out.push([r.level, `reply ${show(r)} missing`]); continue; }
    const a = actual[j];
    if (r.opcode === 8) {
      if (!codes(r.close_code).includes(a.close_code)) out.push([r.code_level, `close reply with code ${a.close_code}, expected ${JSON.stringify(codes(r.close_code))}`]);
    } else if (!decodeBytes(r.payload).equals(a.payload)) {
      out.push([r.level, `reply opcode ${r.opcode} with payload ${show(a.payload)}, expected ${show(decodeBytes(r.payload))}`]);
    }
    for (const extra of actual.slice(i, j)) out.push(['wsanatomy', `reply not expected: ${show(extra)}`]);
    i = j + 1;
  }
  for (const extra of actual.slice(i)) out.push(['wsanatomy', `reply not expected: ${show(extra)}`]);
}

function worst(devs, floor = 'PASS') {
  let v = floor;
  for (const [level] of devs) if (RANK[BY_LEVEL[level]] > RANK[v]) v = BY_LEVEL[level];
  return v;
}

// [verdict, notes] for an actual result.
function judge(group, vector, actual) {
  const exp = vector.expect;
  if (kind(group, vector, exp) === kind(group, vector, actual)) {
    const devs = deviations(group, vector, exp, actual);
    return [worst(devs), devs.map((d) => d[1])];
  }
  for (const alt of vector.allowed || []) {
    if (kind(group, vector, alt) === kind(group, vector, actual)) {
      const devs = deviations(group, vector, alt, actual);
      if (!devs.some(([l]) => l === 'MUST')) {
        return [worst(devs, 'ALLOWED'), [`an allowed alternative: ${describe(actual)}`, ...devs.map((d) => d[1])]];
      }
    }
  }
  return [BY_LEVEL[vector.level], [`expected ${kind(group, vector, exp)}, got ${kind(group, vector, actual)} (${describe(actual)})`]];
}

function describe(r) {
  const o = { ...r };
  delete o.replies;
  return show(o);
}

function show(v) {
  if (Buffer.isBuffer(v)) return v.length > 32 ? `<${v.length} bytes>` : (v.toString('hex') || '""');
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

// --- running and reporting ---------------------------------------------------

// Runs every vector of every file, one at a time: [{name, group, vector,
// verdict, notes}]. runVector(group, vector) resolves to the actual
// result; canRun(group, vector) returns null or why the implementation
// cannot run it.
async function runAll(paths, runVector, canRun) {
  const results = [];
  for (const [name, f] of load(paths)) {
    for (const v of f.vectors) {
      const why = skipReason(f.group, v) || canRun(f.group, v);
      if (why) { results.push({ name, group: f.group, vector: v, verdict: 'SKIPPED', notes: [why] }); continue; }
      let actual;
      try {
        actual = await runVector(f.group, v);
      } catch (err) { // a runner bug must show, not hide
        results.push({ name, group: f.group, vector: v, verdict: 'FAIL', notes: [`runner threw: ${err && err.stack}`] });
        continue;
      }
      const [verdict, notes] = judge(f.group, v, actual);
      results.push({ name, group: f.group, vector: v, verdict, notes });
    }
  }
  return results;
}

// Prints every result that is not PASS, the counts, and compares with the
// expected-deviation list. Returns the exit status: 1 if a vector did worse
// than the list allows.
function report(results, expectedPath, out, label) {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0]));
  for (const r of results) {
    counts[r.verdict]++;
    if (r.verdict !== 'PASS') {
      out.write(`${r.verdict.padEnd(13)} ${r.vector.id} (${r.name}, level ${r.vector.level})\n`);
      for (const n of r.notes) out.write(`              ${n}\n`);
    }
  }
  const ran = results.length - counts.SKIPPED;
  out.write(`\n${label}: ${results.length} vectors, ${counts.SKIPPED} skipped, ${ran} run: ${counts.PASS} PASS, ${counts.ALLOWED} ALLOWED, ` +
    `${counts.INFORMATIONAL} INFORMATIONAL, ${counts['NON-STRICT']} NON-STRICT, ${counts.FAIL} FAIL\n`);
  out.write(`${label}: ${counts.PASS} of ${ran} run vectors pass exactly; ${ran - counts.FAIL} of ${ran} have no MUST failure\n`);
  if (!expectedPath) return counts.FAIL ? 1 : 0;
  const expected = JSON.parse(fs.readFileSync(expectedPath, 'utf8')).deviations;
  let status = 0;
  const seen = new Set();
  for (const r of results) {
    const id = r.vector.id;
    seen.add(id);
    const want = (expected[id] && expected[id].verdict) || 'PASS';
    if (r.verdict === want || (r.verdict === 'SKIPPED' && want === 'PASS')) continue;
    const worse = want === 'SKIPPED' ? r.verdict === 'FAIL' : RANK[r.verdict] > RANK[want];
    if (r.verdict !== 'SKIPPED' && worse) {
      out.write(`REGRESSION    ${id}: ${r.verdict}, the expected-deviation list says ${want}\n`);
      status = 1;
    } else {
      out.write(`CHANGED       ${id}: ${r.verdict}, the expected-deviation list says ${want} (update ${path.basename(expectedPath)})\n`);
    }
  }
  for (const id of Object.keys(expected).sort()) {
    if (!seen.has(id)) out.write(`NOTE          ${id} is in the expected-deviation list but no vector has that id\n`);
  }
  if (status === 0) out.write(`${label}: every result is as good as the expected-deviation list says\n`);
  return status;
}

module.exports = {
  decodeBytes, load, judge, runAll, report, parseFrames, replyView, show, IN_MESSAGE_PREFIX, VERDICTS,
};
