// Headless Chromium on `wsanatomy serve`'s demo page, driven by
// playwright-core with the system's Chromium (never a downloaded one): it
// loads http://ADDR/, connects, sends a text and a binary message, closes
// with 3000 and a reason, and prints what the page reported as one JSON
// line for the Go test to compare with what serve captured.
//
//   node demo.js CHROMIUM_PATH http://ADDR/
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main(executablePath, url) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsanatomy-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    timeout: 30000,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(20000);
    await page.goto(url);
    await page.click('#connect');
    await page.waitForFunction(() => document.getElementById('state').textContent.startsWith('OPEN'));
    const opened = await page.evaluate(() => ({
      protocol: document.getElementById('protocol').textContent,
      extensions: document.getElementById('extensions').textContent,
    }));
    await page.fill('#text', 'Hello from the demo page');
    await page.click('#sendText');
    await page.waitForFunction(() => document.getElementById('log').textContent.includes('message: text'));
    await page.fill('#hex', 'de ad be ef 00 ff');
    await page.click('#sendBinary');
    await page.waitForFunction(() => document.getElementById('log').textContent.includes('message: binary, 6 bytes: de ad be ef 00 ff'));
    await page.fill('#code', '3000');
    await page.fill('#reason', 'demo says bye');
    await page.click('#close');
    await page.waitForFunction(() => document.getElementById('closeinfo').textContent.startsWith('code'));
    const result = await page.evaluate(() => ({
      closeinfo: document.getElementById('closeinfo').textContent,
      log: document.getElementById('log').textContent,
    }));
    console.log(JSON.stringify(Object.assign(opened, result)));
    return true;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main(process.argv[2], process.argv[3]).then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => { console.log('FAIL: ' + e); process.exit(1); },
);
