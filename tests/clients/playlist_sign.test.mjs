// hls/sign (docs/api.md) and hls/ts addressing (docs/api.md) from the client side: signed playlists from
// ali-oss signatureUrl (V1) and signatureUrlV4, every segment line checked against a signature
// computed here, segment fetches, tampering, header-signed refusal, public-read buckets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  checkPlaylistText, fetchBuffer, liveFrom, postPlaylist, signedPlaylistUrl, splitLine, v1Signature, v4Signature,
} from './lib/live.mjs';
import { ffmpeg, lavfiAudio, lavfiVideo, run, tempDir } from './lib/media.mjs';
import { client, fetchText, xmlField } from './lib/oss.mjs';
import { ACCESS_KEY_ID, startServer } from './lib/server.mjs';

const started = Date.now();
let server;
let work;
let sourceFile;

before(async () => {
  work = tempDir('osslive-sign-');
  server = await startServer();
  sourceFile = work.file('clip.mp4');
  await ffmpeg([...lavfiVideo({ size: '160x120', duration: 8 }), ...lavfiAudio({ duration: 8 }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '8', sourceFile]);
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# playlist_sign.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const LIVE_PREFIX = 'x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_';

for (const v4 of [false, true]) {
  describe(`hls/sign with ${v4 ? 'V4' : 'V1'} presigned URLs`, () => {
    const bucket = v4 ? 'sign-v4' : 'sign-v1';
    const playlistKey = 'videos/clip/P.m3u8';
    let oss;
    let token;
    before(async () => {
      oss = client(server, { bucket, v4 });
      await oss.putBucket(bucket);
      await oss.put('videos/clip.mp4', sourceFile);
      const r = await postPlaylist(oss, 'videos/clip.mp4', playlistKey, 'st_5000,initd_0');
      token = r.json.VideoPlaylist[0].Token;
    });

    // Checks one signed line against the playlist URL's own signature parameters.
    function lineProblem(uri, playlistUrl, { live }) {
      const line = splitLine(uri);
      const outer = new URL(playlistUrl).searchParams;
      const key = `videos/clip/${decodeURIComponent(line.name)}`;
      const process = line.get('x-oss-process');
      if (live) {
        if (!line.raw.startsWith(LIVE_PREFIX)) return `query ${line.raw.slice(0, 60)} does not start with ${LIVE_PREFIX}`;
        if (liveFrom(process) !== playlistKey) return `process ${process} does not point at ${playlistKey}`;
      } else if (process !== undefined) {
        return `plain hls/sign line carries a process: ${process}`;
      }
      const names = line.params.map(([k]) => k).sort();
      if (v4) {
        const want = ['x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature', 'x-oss-signature-version',
          ...(live ? ['x-oss-process'] : [])].sort();
        if (names.join() !== want.join()) return `parameters ${names}, expected ${want}`;
        for (const k of ['x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature-version'])
          if (line.get(k) !== outer.get(k)) return `${k} ${line.get(k)} differs from the playlist's ${outer.get(k)}`;
        const queries = Object.fromEntries(line.params.filter(([k]) => k !== 'x-oss-signature'));
        const want4 = v4Signature({ bucket, key, queries });
        if (line.get('x-oss-signature') !== want4) return `x-oss-signature ${line.get('x-oss-signature')}, computed ${want4}`;
      } else {
        const want = ['Expires', 'OSSAccessKeyId', 'Signature', ...(live ? ['x-oss-process'] : [])].sort();
        if (names.join() !== want.join()) return `parameters ${names}, expected ${want}`;
        if (line.get('OSSAccessKeyId') !== ACCESS_KEY_ID) return `OSSAccessKeyId ${line.get('OSSAccessKeyId')}`;
        if (line.get('Expires') !== outer.get('Expires')) return `Expires ${line.get('Expires')} differs from the playlist's ${outer.get('Expires')}`;
        const want1 = v1Signature({ bucket, key, expires: line.get('Expires'), subresources: live ? { 'x-oss-process': process } : {} });
        if (line.get('Signature') !== want1) return `Signature ${line.get('Signature')}, computed ${want1}`;
      }
      return null;
    }

    test('live_1: every segment line carries the hls/ts process and a same-scheme signature, and plays', async () => {
      const url = await signedPlaylistUrl(oss, playlistKey, { v4, live: true, expires: 900 });
      const res = await fetchBuffer(url);
      assert.equal(res.status, 200, res.body.toString());
      assert.equal(res.headers.get('content-type'), 'application/vnd.apple.mpegurl');
      const text = res.body.toString();
      const check = checkPlaylistText(text, { playlistKey, token, lineCheck: (uri) => lineProblem(uri, url, { live: true }) });
      assert.deepEqual(check.failures, [], text);
      assert.equal(check.segments.length, 2);

      for (const s of check.segments) {
        const ts = await fetchBuffer(new URL(s.uri, url));
        assert.equal(ts.status, 200, ts.body.toString());
        assert.equal(ts.headers.get('content-type'), 'video/MP2T');
        assert.ok(ts.body.length > 0 && ts.body.length % 188 === 0 && ts.body[0] === 0x47, 'an MPEG-TS body');
      }

      // One character of the key, or of the signed process, changed: refused.
      const first = new URL(check.segments[0].uri, url).href;
      const tampered = [
        first.replace(`/P-${token}-0.ts`, `/Q-${token}-0.ts`),
        first.replace(/from_([A-Za-z0-9])/, (m, c) => `from_${c === 'A' ? 'B' : 'A'}`),
      ];
      for (const bad of tampered) {
        assert.notEqual(bad, first);
        const r = await fetchText(bad);
        assert.equal(r.status, 403, `${bad}: ${r.text}`);
        assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
      }
    });

    test('plain hls/sign signs the lines without the process', async () => {
      const url = await signedPlaylistUrl(oss, playlistKey, { v4, live: false, expires: 900 });
      const res = await fetchBuffer(url);
      assert.equal(res.status, 200, res.body.toString());
      const check = checkPlaylistText(res.body.toString(), { playlistKey, token, lineCheck: (uri) => lineProblem(uri, url, { live: false }) });
      assert.deepEqual(check.failures, []);
      // The segments exist by now (the live test made them): a plain signed GET serves them.
      const ts = await fetchBuffer(new URL(check.segments[1].uri, url));
      assert.equal(ts.status, 200);
      assert.equal(ts.headers.get('content-type'), 'video/MP2T');
    });

    test('header-signed hls/sign is refused with 400', async () => {
      for (const process of ['hls/sign,live_1', 'hls/sign']) {
        await assert.rejects(oss.get(playlistKey, { process }), (err) => {
          assert.equal(err.status, 400, `${process}: ${err.status} ${err.code} ${err.message}`);
          return true;
        });
      }
    });

    test('hls/ts addressing errors: unknown index, foreign token, foreign playlist', async () => {
      const from = Buffer.from(playlistKey).toString('base64');
      const tsUrl = async (name, process = `if_status_eq_404{hls/ts,from_${from}}`) => (v4
        ? oss.signatureUrlV4('GET', 600, { queries: { 'x-oss-process': process } }, `videos/clip/${name}`)
        : oss.signatureUrl(`videos/clip/${name}`, { expires: 600, process }));
      const expectStatus = async (url, status, code, what) => {
        const r = await fetchText(url);
        assert.equal(r.status, status, `${what}: ${r.text}`);
        if (code) assert.equal(xmlField(r.text, 'Code'), code, what);
      };
      await expectStatus(await tsUrl(`P-${token}-2.ts`), 404, 'NoSuchKey', 'index past the end');
      await expectStatus(await tsUrl(`P-${'0'.repeat(32)}-0.ts`), 404, 'NoSuchKey', 'token of no playlist');
      // `from` omitted: the playlist is derived from the segment name (docs/api.md).
      const derived = await fetchBuffer(await tsUrl(`P-${token}-1.ts`, 'if_status_eq_404{hls/ts}'));
      assert.equal(derived.status, 200, derived.body.toString());
      // A hand-written playlist cannot drive hls/ts.
      await oss.put('videos/clip/Fake.m3u8', Buffer.from(`#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5.000,\nFake-${token}-0.ts\n#EXT-X-ENDLIST\n`));
      const fake = Buffer.from('videos/clip/Fake.m3u8').toString('base64');
      await expectStatus(await tsUrl(`Fake-${token}-0.ts`, `if_status_eq_404{hls/ts,from_${fake}}`), 400, 'InvalidArgument', 'playlist not made by osslive');
    });
  });
}

describe('public-read bucket', () => {
  test('anonymous hls/sign,live_1 gives process-only lines that play', async () => {
    const oss = client(server, { bucket: 'sign-public' });
    await oss.putBucket('sign-public', { acl: 'public-read' });
    await oss.put('clip.mp4', sourceFile);
    const r = await postPlaylist(oss, 'clip.mp4', 'P.m3u8', 'st_5000,initd_0');
    const token = r.json.VideoPlaylist[0].Token;
    const url = `${server.endpoint}/sign-public/P.m3u8?x-oss-process=hls/sign,live_1`;
    const res = await fetchBuffer(url);
    assert.equal(res.status, 200, res.body.toString());
    const check = checkPlaylistText(res.body.toString(), {
      playlistKey: 'P.m3u8', token, lineCheck: (uri) => {
        const line = splitLine(uri);
        if (line.params.length !== 1 || !line.raw.startsWith(LIVE_PREFIX)) return `expected the process parameter only, got ${line.raw}`;
        return liveFrom(line.get('x-oss-process')) === 'P.m3u8' ? null : `process ${line.get('x-oss-process')}`;
      },
    });
    assert.deepEqual(check.failures, []);
    const played = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', url, '-f', 'null', '-']);
    assert.equal(played.code, 0, played.stderr);
    assert.equal(played.stderr, '', 'ffmpeg plays the anonymous playlist without errors');
    for (const s of check.segments) {
      const ts = await fetchBuffer(new URL(s.uri, url));
      assert.equal(ts.status, 200);
      assert.equal(ts.headers.get('content-type'), 'video/MP2T');
    }
  });

  test('anonymous hls/sign on a private bucket is refused', async () => {
    const oss = client(server, { bucket: 'sign-v1' });
    await oss.put('videos/private.mp4', sourceFile);
    await postPlaylist(oss, 'videos/private.mp4', 'videos/private/P.m3u8', 'st_5000,initd_0');
    const r = await fetchText(`${server.endpoint}/sign-v1/videos/private/P.m3u8?x-oss-process=hls/sign,live_1`);
    assert.equal(r.status, 403);
    assert.equal(xmlField(r.text, 'Code'), 'AccessDenied');
  });
});
