// Headless Chromium as a WebSocket client of an echo server, driven by
// playwright-core with the system's Chromium (never a downloaded one).
//
//   node browser.js CHROMIUM_PATH URL [EXT]
//
// EXT is the Sec-WebSocket-Extensions the server must agree to ("" for
// none); Chromium always offers permessage-deflate.
//
// Prints one line per failed check and ends with "N passed, N failed".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main(executablePath, url, ext) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsanatomy-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    timeout: 30000,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(30000);
    const result = await page.evaluate(async ([url, ext]) => {
      const failures = [];
      let passed = 0;
      const check = (ok, what) => { if (ok) passed++; else failures.push(what); };
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      const queue = [];
      const waiters = [];
      const push = (x) => { const w = waiters.shift(); if (w) w(x); else queue.push(x); };
      ws.onmessage = (e) => push({ kind: 'message', data: e.data });
      ws.onclose = (e) => push({ kind: 'close', code: e.code, reason: e.reason, wasClean: e.wasClean });
      ws.onerror = () => push({ kind: 'error' });
      const next = () => new Promise((r) => { const x = queue.shift(); if (x) r(x); else waiters.push(r); });
      await new Promise((resolve, reject) => { ws.onopen = resolve; setTimeout(() => reject(new Error('no open')), 10000); });
      check(ws.extensions === ext, 'extensions agreed: want "' + ext + '", got "' + ws.extensions + '"');
      const sizes = [0, 1, 125, 126, 127, 65535, 65536, 1 << 20];
      for (const n of sizes) {
        const s = 'κόσμε 😀 abc '.repeat(Math.ceil(n / 13));
        ws.send(s);
        let got = await next();
        check(got.kind === 'message' && got.data === s, 'text echo of ~' + n + ' chars');
        const b = new Uint8Array(n);
        for (let i = 0; i < n; i++) b[i] = (i * 7 + n) & 0xff;
        ws.send(b);
        got = await next();
        const same = got.kind === 'message' && got.data instanceof ArrayBuffer && got.data.byteLength === n &&
          new Uint8Array(got.data).every((v, i) => v === b[i]);
        check(same, 'binary echo of ' + n + ' bytes');
      }
      // Hundreds of messages in a row: with compression, context
      // takeover reaches back across them.
      for (let i = 0; i < 300; i++) {
        const m = 'message ' + i + ' of many: ' + 'xyz'.repeat(i % 50);
        ws.send(m);
        const got = await next();
        check(got.kind === 'message' && got.data === m, 'echo of message ' + i + ' in a row');
      }
      ws.close(4321, 'browser bye');
      const closed = await next();
      check(closed.kind === 'close' && closed.code === 4321 && closed.wasClean, 'close 4321 echoed cleanly: ' + JSON.stringify(closed));
      return { passed, failures };
    }, [url, ext]);
    for (const f of result.failures) console.log('FAIL: ' + f);
    console.log(`${result.passed} passed, ${result.failures.length} failed`);
    return result.failures.length === 0;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main(process.argv[2], process.argv[3], process.argv[4] || '').then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => { console.log('FAIL: ' + e); console.log('0 passed, 1 failed'); process.exit(1); },
);
