// V2 signatures ("OSS2") against the real server, signed by this test's own presigner
// (lib/v2_presign.mjs, written from the V2 description, not from osslive's signer): object
// requests, a hls/sign,live_1 playlist URL, and segment lines, both the lines the server signs
// (each recomputed here) and lines signed here from scratch. Tampered and expired URLs get 403.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { fetchBuffer, liveFrom, postPlaylist, splitLine } from './lib/live.mjs';
import { ffmpeg, lavfiAudio, lavfiVideo, parsePlaylist, tempDir } from './lib/media.mjs';
import { analyseTs } from './lib/mpegts.mjs';
import { client, xmlField } from './lib/oss.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, startServer } from './lib/server.mjs';
import { presignV2, signatureV2, stringToSignV2 } from './lib/v2_presign.mjs';

const bucket = 'sign-v2';
const playlistKey = 'videos/clip/P.m3u8';
const started = Date.now();
let server;
let oss;
let work;

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const presign = (options) => presignV2({ endpoint: server.endpoint, bucket, accessKeyId: ACCESS_KEY_ID,
  secret: ACCESS_KEY_SECRET, expires: inAnHour(), ...options });

before(async () => {
  work = tempDir('osslive-sign-v2-');
  server = await startServer();
  oss = client(server, { bucket });
  await oss.putBucket(bucket);
  const source = work.file('clip.mp4');
  await ffmpeg([...lavfiVideo({ size: '160x120', duration: 8 }), ...lavfiAudio({ duration: 8 }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '8', source]);
  await oss.put('videos/clip.mp4', source);
  await postPlaylist(oss, 'videos/clip.mp4', playlistKey, 'st_5000,initd_0');
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# sign_v2.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

async function refused(url, init) {
  const r = await fetchBuffer(url, init);
  return { status: r.status, code: xmlField(r.body.toString(), 'Code') };
}

describe('objects', () => {
  const key = 'dir/a b+c ü.txt';
  const body = Buffer.from('signed with V2 by the test\n');

  test('PUT, GET and HEAD presigned here are accepted; the bytes round-trip', async () => {
    const put = await fetchBuffer(presign({ method: 'PUT', key, contentType: 'text/plain' }),
      { method: 'PUT', body, headers: { 'Content-Type': 'text/plain' } });
    assert.equal(put.status, 200, put.body.toString());
    const got = await fetchBuffer(presign({ key }));
    assert.equal(got.status, 200, got.body.toString());
    assert.deepEqual(got.body, body);
    assert.equal(got.headers.get('content-type'), 'text/plain');
    const head = await fetch(presign({ method: 'HEAD', key }), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(body.length));
    // Every query parameter is signed: one more, or one changed, breaks the signature.
    const extra = await refused(`${presign({ key })}&response-content-type=x%2Fy`);
    assert.deepEqual(extra, { status: 403, code: 'SignatureDoesNotMatch' });
  });

  test('a changed signature, key, method or expiry is refused', async () => {
    const url = new URL(presign({ key }));
    const sig = url.searchParams.get('x-oss-signature');
    url.searchParams.set('x-oss-signature', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
    assert.deepEqual(await refused(url.href), { status: 403, code: 'SignatureDoesNotMatch' });
    const other = presign({ key }).replace(encodeURIComponent('c ü.txt'), encodeURIComponent('d ü.txt'));
    assert.deepEqual(await refused(other), { status: 403, code: 'SignatureDoesNotMatch' });
    assert.deepEqual(await refused(presign({ key }), { method: 'DELETE' }), { status: 403, code: 'SignatureDoesNotMatch' });
    const expired = await refused(presign({ key, expires: Math.floor(Date.now() / 1000) - 60 }));
    assert.equal(expired.status, 403);
    assert.equal(expired.code, 'AccessDenied');
  });
});

describe('live transcoding', () => {
  test('hls/sign,live_1 on a V2-presigned playlist URL: each segment line is a V2 URL that verifies here, and plays', async () => {
    const url = presign({ key: playlistKey, params: [['x-oss-process', 'hls/sign,live_1']] });
    const expires = new URL(url).searchParams.get('x-oss-expires');
    const res = await fetchBuffer(url);
    assert.equal(res.status, 200, res.body.toString());
    const lines = parsePlaylist(res.body.toString()).segments.map((s) => s.uri);
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const { name, params, get } = splitLine(line);
      // The hosted service's documented line shape: its own process, then the four V2 parameters in this order.
      assert.deepEqual(params.map(([k]) => k),
        ['x-oss-process', 'x-oss-expires', 'x-oss-signature-version', 'x-oss-access-key-id', 'x-oss-signature'], line);
      assert.equal(get('x-oss-signature-version'), 'OSS2');
      assert.equal(get('x-oss-expires'), expires, 'the playlist URL\'s expiry');
      assert.equal(get('x-oss-access-key-id'), ACCESS_KEY_ID);
      assert.equal(liveFrom(get('x-oss-process')), playlistKey);
      const key = `videos/clip/${decodeURIComponent(name)}`;
      const mine = signatureV2(ACCESS_KEY_SECRET, stringToSignV2({ method: 'GET', bucket, key, params, expires }));
      assert.equal(get('x-oss-signature'), mine, `${line}: the server's V2 signature, recomputed here`);
      const seg = await fetchBuffer(new URL(line, url).href);
      assert.equal(seg.status, 200, seg.body.toString().slice(0, 300));
      assert.ok(analyseTs(seg.body).video.frames.length > 0);
    }
  });

  test('segment lines signed here (hls/ts with from_, and the name alone) are accepted', async () => {
    const listing = await fetchBuffer(presign({ key: playlistKey, params: [['x-oss-process', 'hls/sign']] }));
    assert.equal(listing.status, 200);
    const names = parsePlaylist(listing.body.toString()).segments.map((s) => splitLine(s.uri).name);
    const from = Buffer.from(playlistKey).toString('base64url');
    for (const [i, name] of names.entries()) {
      const key = `videos/clip/${decodeURIComponent(name)}`;
      const process = i === 0 ? `if_status_eq_404{hls/ts,from_${from}}` : 'hls/ts';
      const seg = await fetchBuffer(presign({ key, params: [['x-oss-process', process]] }));
      assert.equal(seg.status, 200, `${process}: ${seg.body.toString().slice(0, 300)}`);
      assert.ok(analyseTs(seg.body).video.frames.length > 0);
    }
    // The same line with its process changed after signing is refused.
    const key = `videos/clip/${decodeURIComponent(names[0])}`;
    const tampered = presign({ key, params: [['x-oss-process', 'hls/ts']] }).replace('hls%2Fts', 'hls%2Fts%2Cfrom_eA');
    assert.deepEqual(await refused(tampered), { status: 403, code: 'SignatureDoesNotMatch' });
  });
});
