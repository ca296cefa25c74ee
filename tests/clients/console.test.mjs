// The built-in console (/-/console) in Debian's Chromium, used the way a person does: type the key,
// create a bucket, upload a video from disk, pick hls/m3u8 parameters, generate, play, and watch the
// per-segment grid (hls/status) turn "stored" while the current segment is highlighted. Also: the
// page itself is public but every data call is signed; a wrong secret shows both StringToSigns; the
// browser-side V1 signer matches ali-oss's canonicalisation and its SHA-1 fallback matches OpenSSL.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifactsDir, requireBrowser, launchBrowser, REPO_DIR } from './lib/browser.mjs';
import { ffmpeg, lavfiAudio, lavfiVideo, tempDir } from './lib/media.mjs';
import { client } from './lib/oss.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, startServer } from './lib/server.mjs';

const require = createRequire(import.meta.url);
const signUtils = require('ali-oss/lib/common/signUtils');
const sign = await import(path.join(REPO_DIR, 'src/console/web/sign.js'));

const started = Date.now();
const bucket = 'console-media';

describe('the page signer (src/console/web/sign.js) in Node', () => {
  const cases = [
    { method: 'GET', bucket: '', key: '', query: [], headers: {} },
    { method: 'PUT', bucket: 'b1', key: 'in/a b+c.mp4', query: [], headers: { 'Content-Type': 'video/mp4', 'x-oss-meta-a': ' x ' } },
    { method: 'POST', bucket: 'b1', key: 'in/clip.mp4', query: [['x-oss-process', '']],
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
    { method: 'PUT', bucket: 'b1', key: 'big.bin', query: [['uploadId', 'ABC'], ['partNumber', '2']], headers: {} },
    { method: 'GET', bucket: 'b1', key: 'out/P.m3u8', query: [['x-oss-process', 'hls/status'], ['prefix', 'x']], headers: {} },
  ];
  for (const c of cases) {
    const target = `${c.bucket ? `/${c.bucket}/${c.key}` : '/'}${c.query.length ? `?${c.query.map((q) => q[0]).join('&')}` : ''}`;
    test(`StringToSign of ${c.method} ${target} equals ali-oss's`, () => {
      const headers = { ...c.headers, 'x-oss-date': 'Wed, 01 Jan 2025 00:00:00 GMT' };
      const params = Object.fromEntries(c.query.filter(([k]) => k !== 'prefix'));
      const resource = c.bucket ? `/${c.bucket}/${c.key}` : '/';
      const theirs = signUtils.buildCanonicalString(c.method, resource, { headers, parameters: params });
      const ours = sign.stringToSignV1({ method: c.method, headers, bucket: c.bucket, key: c.key, query: c.query });
      assert.equal(ours, theirs);
    });
  }

  test('HMAC-SHA1 with WebCrypto and with the fallback SHA-1 both equal OpenSSL', async () => {
    for (const [secret, text] of [['k', ''], ['secret', 'GET\n\n\nx\n/'], ['s'.repeat(100), 'x'.repeat(1000)],
      ['\u5bc6\u94a5', '\u89c6\u9891/\u4e2d\u6587'], ['k', 'a'.repeat(55)], ['k', 'a'.repeat(56)], ['k', 'a'.repeat(64)]]) {
      const want = createHmac('sha1', secret).update(text).digest('base64');
      assert.equal(await sign.hmacSha1Base64(secret, text), want);
      assert.equal(await sign.hmacSha1Base64(secret, text, { subtle: null }), want, `fallback, ${text.length} chars`);
    }
    const bytes = randomBytes(3000);
    assert.equal(Buffer.from(sign.sha1(bytes)).toString('hex'), createHash('sha1').update(bytes).digest('hex'));
  });
});

describe('the console in a browser', () => {
  let server;
  let work;
  let browser;
  let page;
  let origin;
  let sourceFile;

  before(async () => {
    requireBrowser();
    work = tempDir('osslive-console-');
    server = await startServer();
    // localhost (not 127.0.0.1 in the address bar) is what a person types; both are secure contexts.
    origin = `http://localhost:${server.port}`;
    sourceFile = work.file('clip.mp4');
    await ffmpeg([...lavfiVideo({ size: '320x240', duration: 20 }), ...lavfiAudio({ duration: 20 }),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '20', sourceFile]);
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    work?.remove();
    console.log(`# console.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test('the page and its player are public and locked to their origin; data calls need a signature', async () => {
    for (const p of ['/-/console', '/-/console/']) {
      const res = await fetch(`${origin}${p}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(res.headers.get('content-security-policy'), /connect-src 'self'/);
      assert.match(await res.text(), /<title>osslive console<\/title>/);
    }
    const player = await fetch(`${origin}/-/console/hls.min.js`);
    assert.equal(player.status, 200, 'hls.js is not in the binary: run scripts/install-deps.sh, then cmake and build again');
    assert.equal(player.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const etag = player.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.equal((await fetch(`${origin}/-/console/hls.min.js`, { headers: { 'If-None-Match': etag } })).status, 304);
    const head = await fetch(`${origin}/-/console/console.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.ok(Number(head.headers.get('content-length')) > 1000);
    assert.equal((await fetch(`${origin}/-/console/nope.js`)).status, 404);
    assert.equal((await fetch(`${origin}/-/consoles`)).status, 404);
    assert.equal((await fetch(`${origin}/-/console`, { method: 'POST', body: 'x' })).status, 405);
    const anonymous = await fetch(`${origin}/`);
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /<Code>AccessDenied<\/Code>/);
  });

  test('a wrong secret is refused with both StringToSigns shown; the right key is kept for the tab', async () => {
    await page.goto(`${origin}/-/console`);
    await page.fill('#access-key-id', ACCESS_KEY_ID);
    await page.fill('#access-key-secret', 'wrong-secret');
    await page.click('#login-button');
    await page.waitForSelector('#error:not([hidden])');
    assert.match(await page.textContent('#error-title'), /SignatureDoesNotMatch/);
    const serverSts = (await page.textContent('#error-sts-server')).replace(/^server:\n/, '');
    const pageSts = (await page.textContent('#error-sts-client')).replace(/^page:\n/, '');
    assert.match(pageSts, /^GET\n\n\n[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} [\d:]{8} GMT\nx-oss-date:.*\n\/$/);
    assert.equal(serverSts, pageSts);
    assert.equal(await page.isVisible('#main'), false);

    await page.fill('#access-key-secret', ACCESS_KEY_SECRET);
    await page.click('#login-button');
    await page.waitForSelector('#main:not([hidden])');
    assert.equal(await page.isVisible('#error'), false);
    const stored = JSON.parse(await page.evaluate(() => sessionStorage.getItem('osslive.console.credentials')));
    assert.deepEqual(stored, { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });
    // A reload keeps the key (same tab); nothing is in localStorage or cookies.
    await page.reload();
    await page.waitForSelector('#main:not([hidden])');
    assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
  });

  test('create a bucket, upload, generate, play: the grid turns stored and follows the playhead', { timeout: 120000 }, async () => {
    await page.fill('#new-bucket', bucket);
    await page.click('#create-bucket');
    await page.waitForFunction((b) => document.getElementById('bucket').value === b, bucket);

    await page.setInputFiles('#file', sourceFile);
    assert.equal(await page.inputValue('#upload-key'), 'in/clip.mp4');
    await page.click('#upload-button');
    await page.waitForSelector('#upload-status[data-done="in/clip.mp4"]', { timeout: 30000 });
    assert.equal(await page.inputValue('#source'), 'in/clip.mp4');
    assert.equal(await page.inputValue('#playlist-key'), 'out/clip.m3u8');

    await page.fill('#params [name=st]', '5000');
    await page.fill('#params [name=s]', '256x192');
    await page.fill('#params [name=initd]', '0');
    assert.match(await page.textContent('#process-preview'), /^x-oss-process=hls\/m3u8,st_5000,s_256x192,initd_0\|sys\/saveas,o_<out\/clip\.m3u8>$/);
    await page.click('#generate-button');
    await page.waitForSelector('#generate-result:not([hidden])', { timeout: 30000 });
    const json = JSON.parse(await page.textContent('#generate-result'));
    assert.equal(json.VideoPlaylist[0].Resolution, '256x192');
    assert.equal(json.VideoPlaylist[0].URI, `oss://${bucket}/out/clip.m3u8`);
    await page.waitForFunction(() => document.querySelectorAll('#segments .seg').length === 4);
    // initd_0 and no player yet: nothing is made.
    assert.deepEqual(await page.$$eval('#segments .seg', (cells) => cells.map((c) => c.dataset.state)), Array(4).fill('missing'));

    await page.click('#play-button');
    await page.waitForFunction(() => document.getElementById('video').currentTime > 1, null, { timeout: 30000 });
    await page.evaluate(() => { document.getElementById('video').playbackRate = 4; });
    await page.waitForFunction(() => [...document.querySelectorAll('#segments .seg')].every((c) => c.dataset.state === 'stored'),
      null, { timeout: 60000 });
    await page.waitForFunction(() => Number(document.querySelector('#segments .seg.current')?.dataset.index) >= 2, null,
      { timeout: 30000 });
    assert.equal(await page.$$eval('#segments .seg.current', (c) => c.length), 1);
    assert.match(await page.textContent('#segments-summary'), /^4 segments, 20\.000 s: 4 stored$/);
    assert.notEqual(await page.getAttribute('#player-status', 'data-error'), 'fatal', await page.textContent('#player-status'));
    await page.screenshot({ path: path.join(artifactsDir(), 'console.png'), fullPage: true });

    // What the page made is what the SDK sees.
    const oss = client(server, { bucket });
    const listed = await oss.list({ prefix: 'out/' });
    assert.equal(listed.objects.filter((o) => o.name.endsWith('.ts')).length, 4);
  });

  test('a file over 32 MiB goes up as a multipart upload', { timeout: 90000 }, async () => {
    const big = randomBytes(33 * 1024 * 1024 + 17);
    const bigFile = work.file('big.bin');
    writeFileSync(bigFile, big);
    await page.setInputFiles('#file', bigFile);
    await page.click('#upload-button');
    await page.waitForSelector('#upload-status[data-done="in/big.bin"]', { timeout: 60000 });
    const oss = client(server, { bucket });
    const head = await oss.head('in/big.bin');
    assert.equal(head.res.headers['x-oss-object-type'], 'Multipart');
    assert.match(head.res.headers.etag, /^"[0-9A-F]{32}-5"$/);
    const got = await oss.get('in/big.bin');
    assert.equal(createHash('md5').update(got.content).digest('hex'), createHash('md5').update(big).digest('hex'));
  });

  test('a server built without hls.js: the page says how to install it and everything else works', async () => {
    const other = await browser.newPage();
    try {
      await other.route('**/-/console/hls.min.js', (route) => route.fulfill({ status: 404, body: 'no' }));
      await other.goto(`${origin}/-/console`);
      await other.waitForSelector('#no-player:not([hidden])');
      assert.match(await other.textContent('#no-player'), /scripts\/install-deps\.sh/);
      await other.fill('#access-key-id', ACCESS_KEY_ID);
      await other.fill('#access-key-secret', ACCESS_KEY_SECRET);
      await other.click('#login-button');
      await other.waitForSelector('#main:not([hidden])');
      await other.waitForFunction((b) => [...document.getElementById('bucket').options].some((o) => o.value === b), bucket);
    } finally {
      await other.close();
    }
  });

  test('the page logged no script error', () => {
    const errors = page.messages.filter((m) => /^pageerror|^error/.test(m) && !/favicon/.test(m));
    // The wrong-secret sign-in above is a 403 the browser logs as a failed resource load.
    assert.deepEqual(errors.filter((m) => !/status of 403/.test(m)), []);
  });
});
