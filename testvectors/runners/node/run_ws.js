#!/usr/bin/env node
'use strict';
// Runs wsanatomy's RFC 6455 test vectors against Node's ws library, as
// testvectors/README.md describes.
//
//   node run_ws.js [--expected FILE|none] [--must-fail] [FILE|DIR...]
//
// ws is driven over real TCP connections on 127.0.0.1: the runner plays
// the peer with raw bytes, ws the receiver under test. Each vector's frames
// are written in order; once ws has read and processed them (settled) the
// runner half-closes its side (the end of input) and reads everything ws
// sends back until ws closes its side. ws
// answers pings and close frames by itself; the runner's only application
// duties are the origin check (verifyClient) and the subprotocol choice
// (handleProtocols) of a handshake request.
//
// Exit status: 0 when no vector does worse than the expected-deviation list
// (expected.json) says, 1 otherwise. With --must-fail, 0 only when no
// vector passes (for vector files that are wrong on purpose).

// The client must send the vector's Sec-WebSocket-Key. ws draws it from
// crypto.randomBytes(16), which it takes when it is loaded: replace it
// first, so that a response vector can choose the 16 bytes.
const crypto = require('crypto');
const realRandomBytes = crypto.randomBytes;
let forcedNonce = null;
crypto.randomBytes = function randomBytes(n, cb) {
  if (n === 16 && forcedNonce && !cb) {
    const b = forcedNonce;
    forcedNonce = null;
    return Buffer.from(b);
  }
  return realRandomBytes.apply(crypto, arguments);
};

const http = require('http');
const net = require('net');
const path = require('path');
const WebSocket = require('ws');
const tv = require('./vectors');

const HOST = '127.0.0.1';
const VECTOR_TIMEOUT_MS = 10000;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function acceptOf(key) {
  return crypto.createHash('sha1').update(key + GUID).digest('base64');
}

// withTimeout bounds one vector: a receiver that never finishes is a
// failure to report, not a hung run.
function withTimeout(promise, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${VECTOR_TIMEOUT_MS} ms: ${what}`)), VECTOR_TIMEOUT_MS);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

function limitOf(v) {
  // README: no message_limit means no limit; ws spells that maxPayload 0.
  return v.input.message_limit === undefined ? 0 : v.input.message_limit;
}

// --- a ws receiver fed raw frames ---------------------------------------------

// watch records what a ws WebSocket delivers and how it ends.
function watch(ws) {
  const rec = { messages: [], error: null, close: null };
  rec.done = new Promise((resolve) => {
    ws.on('message', (data, isBinary) => rec.messages.push([isBinary ? 'binary' : 'text', Buffer.from(data)]));
    ws.on('error', (err) => { rec.error = err; });
    ws.on('close', (code, reason) => { rec.close = [code, reason.toString('utf8')]; resolve(); });
  });
  return rec;
}

// wsSettled resolves once ws has taken in every byte the runner wrote (its
// socket's bytesRead has reached the runner's bytesWritten, both counting
// the handshake) and processed them (its receiver, a Writable, has no
// write pending), or once ws is closing or closed; at the latest after
// SETTLE_MS. Only then does the runner half-close. ws inflates
// permessage-deflate data asynchronously, on zlib's thread pool: a FIN
// that arrived while it was still inflating made ws end its side without
// the pong or close frame it was about to write, so that some deflate
// vectors' verdicts depended on the machine's load. The receiver is ws's
// private _receiver, pinned by package-lock.json.
const SETTLE_MS = 5000;
function wsSettled(getWs, sock) {
  return new Promise((resolve) => {
    const until = Date.now() + SETTLE_MS;
    const poll = () => {
      const ws = getWs();
      const done = ws && (ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED ||
        (ws._socket && ws._socket.bytesRead >= sock.bytesWritten && ws._receiver && ws._receiver.writableLength === 0));
      if (done || Date.now() >= until) resolve();
      else setTimeout(poll, 2);
    };
    poll();
  });
}

// headEnd returns the index after the first "\r\n\r\n", or -1.
function headEnd(buf) {
  const i = buf.indexOf('\r\n\r\n');
  return i < 0 ? -1 : i + 4;
}

// asServer runs frames into a ws server-side WebSocket: the runner is the
// client, with a raw socket.
function asServer(frames, limit, agreed) {
  return new Promise((resolve, reject) => {
    const pmd = agreed === undefined ? false : {};
    const wss = new WebSocket.Server({ noServer: true, maxPayload: limit, perMessageDeflate: pmd });
    const server = http.createServer();
    let rec = null;
    let wsRef = null;
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => { wsRef = ws; rec = watch(ws); });
    });
    server.listen(0, HOST, () => {
      const sock = net.connect(server.address().port, HOST);
      let buf = Buffer.alloc(0);
      let sent = false;
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (!sent && headEnd(buf) >= 0) {
          sent = true;
          for (const f of frames) sock.write(f);
          // The end of input: the runner sends nothing more, but keeps reading.
          wsSettled(() => wsRef, sock).then(() => sock.end());
        }
      });
      sock.on('error', () => {}); // ws may reset a connection it failed
      sock.on('close', async () => {
        try {
          if (!rec) throw new Error(`no WebSocket: ${buf.toString('latin1').split('\r\n')[0]}`);
          await rec.done;
          server.close();
          resolve({ rec, written: buf.subarray(headEnd(buf)) });
        } catch (e) { server.close(); reject(e); }
      });
      sock.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n` +
        (agreed === undefined ? '' : `Sec-WebSocket-Extensions: ${agreed}\r\n`) + '\r\n');
    });
  });
}

// asClient runs frames into a ws client: the runner is the server, with a
// raw socket.
function asClient(frames, limit, agreed) {
  return new Promise((resolve, reject) => {
    let written = Buffer.alloc(0);
    let wsRef = null;
    let sockClosed;
    const closed = new Promise((r) => { sockClosed = r; });
    const server = net.createServer((sock) => {
      let buf = Buffer.alloc(0);
      let answered = false;
      sock.on('data', (d) => {
        if (answered) { written = Buffer.concat([written, d]); return; }
        buf = Buffer.concat([buf, d]);
        const end = headEnd(buf);
        if (end < 0) return;
        answered = true;
        written = buf.subarray(end);
        const key = /sec-websocket-key:\s*(\S+)/i.exec(buf.subarray(0, end).toString('latin1'))[1];
        sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Accept: ${acceptOf(key)}\r\n` +
          (agreed === undefined ? '' : `Sec-WebSocket-Extensions: ${agreed}\r\n`) + '\r\n');
        for (const f of frames) sock.write(f);
        wsSettled(() => wsRef, sock).then(() => sock.end());
      });
      sock.on('error', () => {});
      sock.on('close', sockClosed);
    });
    server.listen(0, HOST, async () => {
      try {
        const pmd = agreed === undefined ? false : pmdOptions(agreed);
        const ws = new WebSocket(`ws://${HOST}:${server.address().port}/`, { maxPayload: limit, perMessageDeflate: pmd });
        wsRef = ws;
        const rec = watch(ws);
        await rec.done;
        await closed;
        server.close();
        resolve({ rec, written });
      } catch (e) { server.close(); reject(e); }
    });
  });
}

function feed(receiver, frames, limit, agreed) {
  return receiver === 'server' ? asServer(frames, limit, agreed) : asClient(frames, limit, agreed);
}

// --- permessage-deflate ----------------------------------------------------------

// pmdParams reads an extension element's parameters as a vector writes them
// (README, group deflate): name to value, "" for none, quotes removed.
function pmdParams(element) {
  const params = {};
  for (const bit of element.split(';').slice(1)) {
    const i = bit.indexOf('=');
    const name = (i < 0 ? bit : bit.slice(0, i)).trim();
    let value = i < 0 ? '' : bit.slice(i + 1).trim();
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') value = value.slice(1, -1);
    params[name] = value;
  }
  return params;
}

// pmdOptions: the ws perMessageDeflate options whose offer is the given
// element (ws always adds client_max_window_bits, as browsers do).
function pmdOptions(element) {
  const p = pmdParams(element);
  const o = {};
  if ('server_no_context_takeover' in p) o.serverNoContextTakeover = true;
  if ('client_no_context_takeover' in p) o.clientNoContextTakeover = true;
  if (p.server_max_window_bits) o.serverMaxWindowBits = Number(p.server_max_window_bits);
  if (p.client_max_window_bits) o.clientMaxWindowBits = Number(p.client_max_window_bits);
  return o;
}

// An offer to a ws server with perMessageDeflate on (its defaults).
async function runOffer(inp) {
  const req = `GET / HTTP/1.1\r\nHost: ${HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n` +
    inp.extensions.map((l) => `Sec-WebSocket-Extensions: ${l}\r\n`).join('') + '\r\n';
  const buf = await sendRequest({ perMessageDeflate: {} }, req);
  if (headEnd(buf) < 0) return { accepted: null, note: 'no response head' };
  const { status, headers } = parseHTTP(buf);
  // ws refuses the whole handshake (400) over an offer it cannot accept
  // rather than declining the offer; either way the offer is not
  // accepted (README, group deflate).
  if (status >= 400 && status <= 499) return { accepted: false, note: `refused the handshake with ${status}` };
  if (status !== 101) return { accepted: null, note: `status ${status}` };
  const ext = headers['sec-websocket-extensions'] || [];
  if (ext.length === 0) return { accepted: false };
  const elements = ext.join(', ').split(',');
  if (elements.length !== 1 || elements[0].split(';')[0].trim() !== 'permessage-deflate') return { accepted: null, note: `answered ${ext.join(', ')}` };
  return { accepted: true, params: pmdParams(elements[0]) };
}

// A response to a ws client whose perMessageDeflate options make it send the
// vector's offer; the runner checks that it did.
function runPMDResponse(inp) {
  return new Promise((resolve, reject) => {
    let sentOffer = null;
    const server = net.createServer((sock) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        const end = headEnd(buf);
        if (end < 0 || sentOffer !== null) return;
        const head = buf.subarray(0, end).toString('latin1');
        const key = /sec-websocket-key:\s*(\S+)/i.exec(head)[1];
        const m = /\r\nsec-websocket-extensions:\s*([^\r]*)/i.exec(head);
        sentOffer = m ? m[1].trim() : '';
        sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Accept: ${acceptOf(key)}\r\n` +
          inp.extensions.map((l) => `Sec-WebSocket-Extensions: ${l}\r\n`).join('') + '\r\n');
      });
      sock.on('error', () => {});
    });
    server.listen(0, HOST, () => {
      let ws;
      try {
        ws = new WebSocket(`ws://${HOST}:${server.address().port}/chat`, { perMessageDeflate: pmdOptions(inp.offer) });
      } catch (e) { server.close(); reject(e); return; }
      let settled = false;
      const settle = (r) => {
        if (settled) return;
        settled = true;
        ws.terminate();
        server.close();
        const want = JSON.stringify(sortedParams(inp.offer));
        if (sentOffer === null || JSON.stringify(sortedParams(sentOffer)) !== want) {
          reject(new Error(`ws offered ${JSON.stringify(sentOffer)}, not the vector's ${JSON.stringify(inp.offer)}`));
          return;
        }
        resolve(r);
      };
      ws.on('open', () => settle({ ok: true }));
      ws.on('error', (err) => settle({ ok: false, note: err.message }));
      ws.on('close', () => settle({ ok: false, note: 'closed' }));
    });
  });
}

function sortedParams(element) {
  const p = pmdParams(element);
  return [element.split(';')[0].trim(), Object.keys(p).sort().map((k) => `${k}=${p[k]}`)];
}

async function runDeflate(v) {
  const inp = v.input;
  if (inp.kind === 'offer') return runOffer(inp);
  if (inp.kind === 'response') return runPMDResponse(inp);
  return runMessages(v);
}

// How reading ended (README, "How reading ends"): an error event is ws's
// own failure; otherwise a close code other than 1006 is the peer's close
// frame; otherwise the input ran out.
function ending(run) {
  const replies = tv.parseFrames(run.written).map(tv.replyView);
  const closeReply = replies.find((r) => r.opcode === 8);
  const code = closeReply ? closeReply.close_code : null;
  if (run.rec.error) return { kind: 'error', code, replies, note: run.rec.error.message };
  if (run.rec.close && run.rec.close[0] !== 1006) return { kind: 'closed', close: run.rec.close, replies };
  return { kind: 'eof', replies };
}

function maskedFrame(fin, opcode, payload) {
  const key = Buffer.from('37fa213d', 'hex');
  const n = payload.length;
  let head;
  if (n <= 125) head = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | n]);
  else if (n <= 0xffff) { head = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, 0, 0]); head.writeUInt16BE(n, 2); } else {
    head = Buffer.alloc(10); head[0] = (fin ? 0x80 : 0) | opcode; head[1] = 0x80 | 127; head.writeBigUInt64BE(BigInt(n), 2);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i % 4];
  return Buffer.concat([head, key, body]);
}

async function runMessages(v) {
  const frames = v.input.frames.map(tv.decodeBytes);
  const run = await feed(v.input.receiver, frames, limitOf(v), v.input.agreed);
  const e = ending(run);
  const res = { messages: run.rec.messages, replies: e.replies };
  if (e.kind === 'error') res.error = { close_code: e.code };
  if (e.kind === 'closed') res.closed = { code: e.close[0], reason: e.close[1] };
  return res;
}

// A frame through a message-level API (README, "frames" for runners
// without a frame decoder).
async function runFrame(v) {
  const frames = [tv.decodeBytes(v.input.bytes)];
  if (v.input.in_message) frames.unshift(tv.IN_MESSAGE_PREFIX[v.input.receiver]);
  const run = await feed(v.input.receiver, frames, limitOf(v));
  const e = ending(run);
  if (e.kind === 'error') return { error: { close_code: e.code } };
  if (run.rec.messages.length) {
    const [t, p] = run.rec.messages[run.rec.messages.length - 1];
    return { accepted: ['message', t, p] };
  }
  const pong = e.replies.find((r) => r.opcode === 10);
  if (pong) return { accepted: ['pong', pong.payload] };
  if (e.kind === 'closed') return { accepted: ['closed', e.close[0], e.close[1]] };
  return { accepted: ['nothing'] };
}

async function runUTF8(v) {
  const frags = v.input.fragments.map(tv.decodeBytes);
  const frames = frags.map((p, i) => maskedFrame(i === frags.length - 1, i === 0 ? 1 : 0, p));
  const run = await feed('server', frames, 0);
  const e = ending(run);
  if (e.kind === 'error') return { error: { close_code: e.code } };
  const whole = Buffer.concat(frags);
  if (e.kind === 'eof' && run.rec.messages.length === 1 && run.rec.messages[0][0] === 'text' && run.rec.messages[0][1].equals(whole)) {
    return { valid: true };
  }
  return { unexpected: tv.show(run.rec.messages), end: e.kind };
}

async function runClose(v) {
  const run = await feed('server', [maskedFrame(true, 8, tv.decodeBytes(v.input.payload))], 0);
  const e = ending(run);
  if (e.kind === 'error') return { error: { close_code: e.code } };
  if (e.kind === 'closed') return { closed: { code: e.close[0], reason: e.close[1] } };
  return { unexpected: e.kind };
}

// --- handshake -------------------------------------------------------------------

function parseHTTP(buf) {
  const lines = buf.subarray(0, Math.max(headEnd(buf) - 4, 0)).toString('latin1').split('\r\n');
  const status = parseInt(lines[0].split(' ')[1], 10);
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    (headers[name] = headers[name] || []).push(line.slice(i + 1).trim());
  }
  return { status, headers };
}

// sendRequest writes a raw request to a ws server configured from the
// vector's input and reads the response head.
function sendRequest(inp, request) {
  return new Promise((resolve, reject) => {
    const opts = { host: HOST, port: 0, perMessageDeflate: inp.perMessageDeflate || false };
    opts.handleProtocols = (offered) => {
      const chosen = (inp.protocols || []).find((p) => offered.has(p));
      return chosen === undefined ? false : chosen;
    };
    if (inp.origins) {
      // The application's origin check, in ws's synchronous form: a false
      // answer makes ws refuse with its own status.
      opts.verifyClient = ({ origin }) => origin === undefined ||
        inp.origins.some((o) => o.toLowerCase() === origin.toLowerCase());
    }
    const wss = new WebSocket.Server(opts, () => {
      const sock = net.connect(wss.address().port, HOST);
      let buf = Buffer.alloc(0);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        sock.destroy();
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve(buf));
      };
      sock.on('data', (d) => { buf = Buffer.concat([buf, d]); if (headEnd(buf) >= 0) finish(); });
      sock.on('error', () => {});
      sock.on('close', finish);
      sock.write(request);
    });
    wss.on('error', reject);
  });
}

function check101(request, headers) {
  const m = /\r\nsec-websocket-key:\s*([^\r]*)/i.exec(request);
  const want = acceptOf(m ? m[1].trim() : '');
  if ((headers.upgrade || []).map((h) => h.toLowerCase()).join() !== 'websocket') return `Upgrade is ${headers.upgrade}`;
  if (!(headers.connection || []).join(',').toLowerCase().includes('upgrade')) return `Connection is ${headers.connection}`;
  if ((headers['sec-websocket-accept'] || []).join() !== want) return `Sec-WebSocket-Accept is ${headers['sec-websocket-accept']}, want ${want}`;
  return 'valid';
}

async function runRequest(inp) {
  const buf = await sendRequest(inp, inp.request);
  if (headEnd(buf) < 0) return { status: null, note: `no response head: ${JSON.stringify(buf.toString('latin1').slice(0, 60))}` };
  const { status, headers } = parseHTTP(buf);
  const res = { status, sec_websocket_version: (headers['sec-websocket-version'] || []).join(', ') };
  if (status === 101) {
    res.protocol = (headers['sec-websocket-protocol'] || [''])[0];
    res.response = check101(inp.request, headers);
  }
  return res;
}

// The accept value as ws computes it, read from the 101 it answers a
// request carrying the key with.
async function runAccept(inp) {
  const req = `GET / HTTP/1.1\r\nHost: ${HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${inp.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  const buf = await sendRequest({}, req);
  const { status, headers } = parseHTTP(buf);
  return { accept: status === 101 ? (headers['sec-websocket-accept'] || [])[0] : `(refused with ${status})` };
}

// A response fed to a ws client that sends the vector's key.
function runResponse(inp) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((sock) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (headEnd(buf) >= 0 && buf.length) { sock.write(inp.response); buf = Buffer.alloc(0); }
      });
      sock.on('error', () => {});
    });
    server.listen(0, HOST, () => {
      forcedNonce = Buffer.from(inp.key, 'base64');
      let ws;
      try {
        ws = new WebSocket(`ws://${HOST}:${server.address().port}/chat`, inp.protocols || [], { perMessageDeflate: false });
      } catch (e) { forcedNonce = null; server.close(); reject(e); return; }
      forcedNonce = null;
      let settled = false;
      const settle = (r) => {
        if (settled) return;
        settled = true;
        ws.terminate();
        server.close();
        resolve(r);
      };
      ws.on('open', () => settle({ ok: true, protocol: ws.protocol }));
      ws.on('error', (err) => settle({ ok: false, note: err.message }));
      ws.on('close', () => settle({ ok: false, note: 'closed' }));
    });
  });
}

// --- the run ---------------------------------------------------------------------

function canRun(group, v) {
  if (group === 'handshake' && v.input.kind === 'accept') {
    const b = Buffer.from(v.input.key, 'base64');
    if (b.length !== 16 || b.toString('base64') !== v.input.key) {
      return 'ws computes an accept value only while accepting a handshake, and §4.2.1 has it refuse a key that is not base64 of 16 bytes';
    }
  }
  return null;
}

function runVector(group, v) {
  const what = `${group} ${v.id}`;
  switch (group) {
    case 'frames': return withTimeout(runFrame(v), what);
    case 'messages': return withTimeout(runMessages(v), what);
    case 'utf8': return withTimeout(runUTF8(v), what);
    case 'close': return withTimeout(runClose(v), what);
    case 'deflate': return withTimeout(runDeflate(v), what);
  }
  switch (v.input.kind) {
    case 'accept': return withTimeout(runAccept(v.input), what);
    case 'request': return withTimeout(runRequest(v.input), what);
  }
  return withTimeout(runResponse(v.input), what);
}

async function main() {
  const args = process.argv.slice(2);
  let expected = path.join(__dirname, 'expected.json');
  let mustFail = false;
  const paths = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--expected') expected = args[++i] === 'none' ? null : args[i];
    else if (args[i] === '--must-fail') mustFail = true;
    else paths.push(args[i]);
  }
  if (paths.length === 0) paths.push(path.join(__dirname, '..', '..', 'vectors'));
  const results = await tv.runAll(paths, runVector, canRun);
  const version = require('ws/package.json').version;
  if (mustFail) {
    const passed = results.filter((r) => r.verdict === 'PASS' || r.verdict === 'SKIPPED');
    for (const r of results) process.stdout.write(`${r.verdict.padEnd(13)} ${r.vector.id}: ${r.notes.join('; ')}\n`);
    process.stdout.write(`ws ${version}: ${results.length - passed.length} of ${results.length} wrong vectors caught\n`);
    process.exitCode = passed.length === 0 && results.length > 0 ? 0 : 1;
    return;
  }
  process.exitCode = tv.report(results, expected, process.stdout, `ws ${version}`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
