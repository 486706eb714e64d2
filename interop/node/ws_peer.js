// The Node.js `ws` package as a WebSocket peer for the Go interop tests.
//
//   node ws_peer.js client URL [EXT]
//                                dial an echo server (wsanatomy serve) and
//                                check echoes, pings and the close handshake;
//                                EXT is the Sec-WebSocket-Extensions the
//                                server must agree to ("" for none). The
//                                client always offers permessage-deflate.
//   node ws_peer.js server [deflate]
//                                run a ws server on 127.0.0.1 that drives an
//                                echo client (wsanatomy dial --echo); prints
//                                "listening PORT" and, at the end, the result.
//                                With "deflate" it accepts permessage-deflate
//                                and compresses every message.
//   node ws_peer.js echo [deflate]
//                                run a ws echo server on 127.0.0.1 for
//                                one connection (behind wsanatomy proxy);
//                                prints "listening PORT", then how the
//                                connection closed: "closed CODE REASON".
//                                With "deflate" it accepts permessage-deflate,
//                                compresses every message, and prints for
//                                each message it reads "message BINARY
//                                LENGTH SHA256" (the hash of its first
//                                64 KiB, what the proxy keeps of a payload).
//
// Both print one line per failed check and end with "N passed, N failed".
'use strict';
const WebSocket = require('ws');

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.log('FAIL: ' + what); }
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
setTimeout(() => { console.log('FAIL: timed out'); failed++; finish(); }, 60000).unref();

function pattern(n, seed) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 7 + Math.floor(i / 251)) & 0xff;
  return b;
}
function text(n) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 κόσμε 中文 😀';
  const unit = Buffer.byteLength(alphabet);
  const s = alphabet.repeat(Math.ceil(n / unit));
  return n === 0 ? '' : s;
}

// The messages both modes exchange: [isBinary, payload].
function messages() {
  const out = [];
  for (const n of [0, 1, 125, 126, 127, 65535, 65536, 1 << 20]) {
    out.push([false, text(n)]);
    out.push([true, pattern(n, n & 0xff)]);
  }
  return out;
}

// A queue of incoming messages and pongs, awaited one at a time.
function inbox(ws) {
  const items = [];
  const waiters = [];
  const push = (item) => { const w = waiters.shift(); if (w) w(item); else items.push(item); };
  ws.on('message', (data, isBinary) => push({ kind: 'message', data, isBinary }));
  ws.on('pong', (data) => push({ kind: 'pong', data }));
  ws.on('close', (code, reason) => push({ kind: 'close', code, reason: reason.toString() }));
  return () => new Promise((resolve) => { const i = items.shift(); if (i) resolve(i); else waiters.push(resolve); });
}

async function exchange(ws, next, label) {
  for (const [isBinary, payload] of messages()) {
    ws.send(payload, { binary: isBinary });
    const got = await next();
    const want = Buffer.from(payload);
    check(got.kind === 'message' && got.isBinary === isBinary && Buffer.compare(Buffer.from(got.data), want) === 0,
      `${label}: echo of ${want.length} bytes (binary=${isBinary}): got ${got.kind} ${got.data ? got.data.length : ''}`);
  }
  // Hundreds of messages in a row: with compression, context takeover
  // reaches back across them.
  for (let i = 0; i < 300; i++) {
    const m = `message ${i} of many: ` + 'abc'.repeat(i % 50);
    ws.send(m);
    const got = await next();
    check(got.kind === 'message' && got.data.toString() === m, `${label}: echo of message ${i} in a row`);
  }
  // A message in three fragments, with a ping between them.
  ws.send('frag1-', { fin: false });
  ws.ping('between');
  ws.send('frag2-', { fin: false });
  ws.send('frag3', { fin: true });
  const pong = await next();
  check(pong.kind === 'pong' && pong.data.toString() === 'between', `${label}: pong between fragments, got ${pong.kind}`);
  const frag = await next();
  check(frag.kind === 'message' && frag.data.toString() === 'frag1-frag2-frag3', `${label}: fragmented echo, got ${frag.kind} ${frag.data}`);
  for (const p of ['', 'hello', 'p'.repeat(125)]) {
    ws.ping(p);
    const got = await next();
    check(got.kind === 'pong' && got.data.toString() === p, `${label}: pong for a ${p.length}-byte ping, got ${got.kind}`);
  }
}

async function client(url, ext) {
  const ws = new WebSocket(url, { perMessageDeflate: { threshold: 0 }, origin: 'http://node.example' });
  const next = inbox(ws);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  check(ws.extensions === ext, `extensions agreed: want "${ext}", got "${ws.extensions}"`);
  await exchange(ws, next, 'ws client');
  ws.close(4000, 'node says bye');
  const closed = await next();
  check(closed.kind === 'close' && closed.code === 4000, `close code echoed: got ${closed.kind} ${closed.code}`);
  finish();
}

function server(deflate) {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate ? { threshold: 0 } : false });
  wss.on('listening', () => console.log('listening ' + wss.address().port));
  wss.on('connection', async (ws) => {
    const want = deflate ? 'permessage-deflate' : '';
    check(ws.extensions === want, `extensions agreed: want "${want}", got "${ws.extensions}"`);
    const next = inbox(ws);
    await exchange(ws, next, 'ws server');
    ws.close(1000, 'done');
    const closed = await next();
    check(closed.kind === 'close' && closed.code === 1000, `client echoed close 1000: got ${closed.kind} ${closed.code}`);
    wss.close();
    finish();
  });
}

function echo(deflate) {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate ? { threshold: 0 } : false });
  wss.on('listening', () => console.log('listening ' + wss.address().port));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (deflate) {
        const hash = require('crypto').createHash('sha256').update(data.subarray(0, 65536)).digest('hex');
        console.log(`message ${isBinary ? 1 : 0} ${data.length} ${hash}`);
      }
      ws.send(data, { binary: isBinary });
    });
    ws.on('error', (e) => console.log('error ' + e.message));
    ws.on('close', (code, reason) => {
      console.log(`closed ${code} ${reason.toString()}`);
      wss.close();
      process.exit(0);
    });
  });
}

if (process.argv[2] === 'echo') echo(process.argv[3] === 'deflate');
else if (process.argv[2] === 'client') client(process.argv[3], process.argv[4] || '').catch((e) => { console.log('FAIL: ' + e); failed++; finish(); });
else if (process.argv[2] === 'server') server(process.argv[3] === 'deflate');
else { console.log('usage: node ws_peer.js client URL [EXT] | server [deflate] | echo'); process.exit(2); }
