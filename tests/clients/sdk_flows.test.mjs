// The flows a user copies from the docs, end to end with the real SDK and curl: ali-oss
// processObjectSave, signatureUrl (V1) and signatureUrlV4 for hls/sign,live_1 playlists, in path style
// (sldEnable) and in virtual-host style (<bucket>.localhost, as ali-oss builds it by default); then
// curl with presigned URLs for an object, the signed playlist and one of its segment lines.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { ffmpeg, lavfiAudio, lavfiVideo, parsePlaylist, run, tempDir } from './lib/media.mjs';
import { client } from './lib/oss.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, startServer } from './lib/server.mjs';

const require = createRequire(import.meta.url);
const OSS = require('ali-oss');

const started = Date.now();
const md5 = (buf) => createHash('md5').update(buf).digest('hex');
let server;
let work;
let sourceFile;
let source;

before(async () => {
  work = tempDir('osslive-flows-');
  // localhost is the default endpoint; said here because the virtual-host tests depend on it.
  server = await startServer({ extraArgs: ['--endpoint', 'localhost'] });
  sourceFile = work.file('clip.mp4');
  await ffmpeg([...lavfiVideo({ size: '160x120', duration: 8 }), ...lavfiAudio({ duration: 8 }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '8', sourceFile]);
  source = readFileSync(sourceFile);
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# sdk_flows.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// Every host name is 127.0.0.1: <bucket>.localhost has no DNS entry of its own.
const lookup = (hostname, options, callback) => {
  if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

// GET through a lookup-aware agent (fetch cannot take one): status, headers, body.
function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { lookup }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// curl with a presigned URL, as a user pastes it; --resolve pins <bucket>.localhost to loopback.
async function curl(url, file) {
  const { hostname, port } = new URL(url);
  const r = await run('curl', ['-sS', '--resolve', `${hostname}:${port}:127.0.0.1`, '-o', file,
    '-w', '%{http_code} %{content_type}', url]);
  assert.equal(r.code, 0, r.stderr);
  const [status, contentType] = r.stdout.toString().split(' ');
  return { status: Number(status), contentType, body: readFileSync(file) };
}

const isTs = (buf) => buf.length > 0 && buf.length % 188 === 0 && buf[0] === 0x47 && buf[188] === 0x47;

// The common flow for one client: upload, generate, presign V1 and V4, play what a player would.
function flow(name, makeClient, { vhost }) {
  describe(name, () => {
    const bucket = vhost ? 'flows-vhost' : 'flows-path';
    const host = vhost ? `${bucket}.localhost` : 'localhost';
    const prefix = vhost ? '' : `/${bucket}`;
    let oss;
    before(async () => {
      oss = makeClient(bucket);
      await oss.putBucket(bucket);
      await oss.put('in/clip.mp4', sourceFile);
    });

    test('processObjectSave writes the playlist and answers its JSON', async () => {
      const r = await oss.processObjectSave('in/clip.mp4', 'out/clip.m3u8', 'hls/m3u8,st_5000');
      assert.equal(r.status, 200, r.res.data.toString());
      assert.equal(new URL(r.res.requestUrls[0]).host, `${host}:${server.port}`);
      assert.equal(new URL(r.res.requestUrls[0]).pathname, `${prefix}/in/clip.mp4`);
      const json = JSON.parse(r.res.data.toString());
      assert.equal(json.VideoPlaylist[0].URI, `oss://${bucket}/out/clip.m3u8`);
      assert.equal(json.VideoPlaylist[0].Resolution, '160x120');
      assert.match(json.VideoPlaylist[0].Token, /^[0-9a-f]{32}$/);
      assert.equal(json.Duration, 8);
    });

    for (const v4 of [false, true]) {
      test(`${v4 ? 'signatureUrlV4' : 'signatureUrl (V1)'} gives a playlist whose every segment line plays`, async () => {
        const url = v4
          ? await oss.signatureUrlV4('GET', 600, { queries: { 'x-oss-process': 'hls/sign,live_1' } }, 'out/clip.m3u8')
          : oss.signatureUrl('out/clip.m3u8', { expires: 600, process: 'hls/sign,live_1' });
        const parsed = new URL(url);
        assert.equal(parsed.host, `${host}:${server.port}`);
        assert.equal(parsed.pathname, `${prefix}/out/clip.m3u8`);
        assert.ok(parsed.searchParams.has(v4 ? 'x-oss-signature' : 'Signature'), url);

        const playlist = await get(url);
        assert.equal(playlist.status, 200, playlist.body.toString());
        assert.equal(playlist.headers['content-type'], 'application/vnd.apple.mpegurl');
        const { segments } = parsePlaylist(playlist.body.toString());
        assert.equal(segments.length, 2);
        for (const segment of segments) {
          const segmentUrl = new URL(segment.uri, url);
          assert.equal(segmentUrl.host, parsed.host);
          assert.ok(segmentUrl.searchParams.has(v4 ? 'x-oss-signature' : 'Signature'), segment.uri);
          const ts = await get(segmentUrl.href);
          assert.equal(ts.status, 200, ts.body.toString().slice(0, 300));
          assert.equal(ts.headers['content-type'], 'video/MP2T');
          assert.ok(isTs(ts.body), `segment ${segment.uri} is not MPEG-TS`);
        }
      });
    }

    test('curl with presigned URLs: the object, the signed playlist and a segment line', async () => {
      const objectUrl = oss.signatureUrl('in/clip.mp4', { expires: 600 });
      const object = await curl(objectUrl, work.file(`${bucket}-object.mp4`));
      assert.equal(object.status, 200);
      assert.equal(md5(object.body), md5(source));

      const playlistUrl = await oss.signatureUrlV4('GET', 600, { queries: { 'x-oss-process': 'hls/sign,live_1' } },
        'out/clip.m3u8');
      const playlist = await curl(playlistUrl, work.file(`${bucket}-playlist.m3u8`));
      assert.equal(playlist.status, 200, playlist.body.toString());
      assert.equal(playlist.contentType, 'application/vnd.apple.mpegurl');
      const text = playlist.body.toString();
      assert.match(text, /^#EXTM3U\n/);
      assert.doesNotMatch(text, /OSSLIVE-MANIFEST/);
      const first = parsePlaylist(text).segments[0].uri;
      assert.match(first, /\.ts\?x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_/);
      const segment = await curl(new URL(first, playlistUrl).href, work.file(`${bucket}-0.ts`));
      assert.equal(segment.status, 200);
      assert.ok(isTs(segment.body));

      // The URL is bound to what was signed: another key with the same query is refused.
      const tampered = objectUrl.replace('in/clip.mp4', 'out/clip.m3u8');
      const refused = await curl(tampered, work.file(`${bucket}-refused.xml`));
      assert.equal(refused.status, 403);
      assert.match(refused.body.toString(), /<Code>SignatureDoesNotMatch<\/Code>/);
    });
  });
}

flow('path style: ali-oss with sldEnable', (bucket) => client(server, { bucket }), { vhost: false });

flow('virtual-host style: ali-oss without sldEnable, <bucket>.localhost', (bucket) => new OSS({
  accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, bucket, region: 'oss-cn-hangzhou',
  endpoint: `http://localhost:${server.port}`, agent: new http.Agent({ keepAlive: true, lookup }),
  timeout: 120000, retryMax: 0,
}), { vhost: true });

describe('virtual-host style with V4 header signatures', () => {
  test('put, get and processObjectSave through <bucket>.localhost', async () => {
    const bucket = 'flows-vhost-v4';
    const oss = new OSS({
      accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, bucket, region: 'oss-cn-hangzhou',
      endpoint: `http://localhost:${server.port}`, agent: new http.Agent({ keepAlive: true, lookup }),
      authorizationV4: true, timeout: 120000, retryMax: 0,
    });
    await oss.putBucket(bucket);
    const put = await oss.put('in/clip.mp4', sourceFile);
    assert.match(put.url, new RegExp(`^http://${bucket}\\.localhost:${server.port}/in/clip\\.mp4$`));
    const got = await oss.get('in/clip.mp4');
    assert.equal(md5(got.content), md5(source));
    const r = await oss.processObjectSave('in/clip.mp4', 'out/clip.m3u8', 'hls/m3u8,st_5000,initd_0');
    assert.equal(r.status, 200, r.res.data.toString());
    assert.equal(JSON.parse(r.res.data.toString()).VideoPlaylist[0].URI, `oss://${bucket}/out/clip.m3u8`);
  });
});
