// The hosted service's documentation, followed to the letter: its example request (bucket
// video-demo, example.avi, the exact x-oss-process string with o_/b_ in base64) sent through
// ali-oss with a V4 signature, its response read field by field with types, its hls/sign step with
// a V2 presigned URL, and the result played by ffmpeg to the end. Then the documented behaviours a
// client relies on: whole-video initd that survives a kill -9, deleted initd segments made again
// when the playlist is asked for, documented defaults accepted. See docs/api.md.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { killHard, waitFor } from './lib/faults.mjs';
import { decodeB64, fetchBuffer, postPlaylist, splitLine } from './lib/live.mjs';
import { ffmpeg, ffprobe, lavfiAudio, lavfiVideo, parsePlaylist, tempDir } from './lib/media.mjs';
import { client, fetchText } from './lib/oss.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, startServer } from './lib/server.mjs';
import { presignV2 } from './lib/v2_presign.mjs';

const started = Date.now();
let work;

// Word for word from the documentation's "Request" example.
const DOC_PROCESS = 'hls/m3u8,ss_15000,t_1800000,vcodec_h264,fps_25,fpsopt_1,s_1280x720,sopt_1,scaletype_fit,'
  + 'arotate_1,vb_2000000,vbopt_1,acodec_aac,ar_44100,ac_2,ab_128000,abopt_1,st_10000,initd_30000'
  + '|sys/saveas,o_b3V0b2JqcHJlZml4L21lZGlh,b_b3V0YnVja2V0';
const [DOC_HLS] = DOC_PROCESS.split('|');

before(() => { work = tempDir('osslive-doc-'); });
after(() => {
  work?.remove();
  console.log(`# documented_example.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// Objects of `bucket` under `prefix`, straight from the store's listing.
async function keys(oss, bucket, prefix) {
  const r = await oss.listV2({ prefix, 'max-keys': 1000 }, { bucket });
  return (r.objects ?? []).map((o) => o.name).sort();
}

describe('the documentation example, verbatim', () => {
  let server;
  let oss;
  let response;
  let answer;
  before(async () => {
    server = await startServer();
    // 1280x720 at 25 fps with stereo audio, 27 s: after ss_15000, 12 s remain (two 10 s segments' worth).
    const source = work.file('example.avi');
    await ffmpeg([...lavfiVideo({ size: '1280x720', rate: '25', duration: 27 }), ...lavfiAudio({ duration: 27, channels: 2 }),
      '-c:v', 'mpeg4', '-q:v', '8', '-c:a', 'pcm_s16le', '-t', '27', source]);
    oss = client(server, { bucket: 'video-demo', v4: true });
    await oss.putBucket('video-demo');
    await oss.putBucket('outbucket');
    await oss.put('example.avi', source);
    // ali-oss builds the saveas part itself; it is the documentation's, character for character.
    const built = `${DOC_HLS}|sys/saveas,o_${Buffer.from('outobjprefix/media').toString('base64')},b_${Buffer.from('outbucket').toString('base64')}`;
    assert.equal(built, DOC_PROCESS);
    response = await oss.processObjectSave('example.avi', 'outobjprefix/media', DOC_HLS, 'outbucket');
    answer = response.res.data.toString();
  });
  after(async () => { await server?.stop(); });

  test('the response has the documented fields, order, types and headers', () => {
    assert.equal(response.status, 200, answer);
    assert.equal(response.res.headers['content-type'], 'application/json;charset=utf-8');
    assert.match(response.res.headers['x-oss-server-time'] ?? '', /^\d+$/, 'x-oss-server-time: processing time in ms');
    const body = JSON.parse(answer);
    // Printed exactly as JSON.stringify prints the parsed value: no 12.0, no spaces, fields in order.
    assert.equal(answer, JSON.stringify(body));
    assert.deepEqual(Object.keys(body), ['Duration', 'RequestId', 'VideoPlaylist']);
    assert.equal(body.Duration, 12, 'a whole number of seconds is an integer, as in "Duration":1800');
    assert.match(answer, /^\{"Duration":12,/);
    assert.equal(body.RequestId, response.res.headers['x-oss-request-id']);
    assert.equal(body.VideoPlaylist.length, 1);
    const [playlist] = body.VideoPlaylist;
    assert.deepEqual(Object.keys(playlist), ['FrameRate', 'Resolution', 'Token', 'URI']);
    assert.equal(playlist.FrameRate, '25');
    assert.equal(playlist.Resolution, '1280x720');
    assert.match(playlist.Token, /^[0-9a-f]{32}$/);
    assert.equal(playlist.URI, 'oss://outbucket/outobjprefix/media.m3u8', 'o_ is a prefix: the playlist is o + ".m3u8"');
  });

  test('the playlist and initd segments are where the documentation says', async () => {
    const { Token: token } = JSON.parse(answer).VideoPlaylist[0];
    const out = client(server, { bucket: 'outbucket', v4: true });
    const text = (await out.get('outobjprefix/media.m3u8')).content.toString();
    const entries = parsePlaylist(text).segments;
    assert.equal(entries.length, 2, text);
    entries.forEach((entry, n) => assert.equal(entry.uri, `media-${token}-${n}.ts`));
    assert.match(text, /^#EXT-X-TARGETDURATION:10$/m);
    // initd_30000 covers the whole 12 s: both segments are made with no player asking.
    const want = entries.map((e) => `outobjprefix/${e.uri}`).sort();
    await waitFor(async () => (await keys(out, 'outbucket', 'outobjprefix/media-')).join() === want.join(),
      { timeoutMs: 240000, everyMs: 500, what: 'both initd segments stored' });
  });

  test('hls/sign,live_1 on a V2 presigned URL signs every line the documented way; ffmpeg plays it', async () => {
    const expires = Math.floor(Date.now() / 1000) + 7200;
    const url = presignV2({ endpoint: server.endpoint, bucket: 'outbucket', key: 'outobjprefix/media.m3u8',
      params: [['x-oss-process', 'hls/sign,live_1']], expires, accessKeyId: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET });
    const signed = await fetchText(url);
    assert.equal(signed.status, 200, signed.text);
    const { Token: token } = JSON.parse(answer).VideoPlaylist[0];
    const lines = parsePlaylist(signed.text).segments.map((s) => s.uri);
    assert.equal(lines.length, 2);
    lines.forEach((line, n) => {
      const parts = splitLine(line);
      assert.equal(parts.name, `media-${token}-${n}.ts`);
      assert.deepEqual(parts.params.map(([k]) => k),
        ['x-oss-process', 'x-oss-expires', 'x-oss-signature-version', 'x-oss-access-key-id', 'x-oss-signature']);
      const process = parts.get('x-oss-process');
      const from = process.match(/^if_status_eq_404\{hls\/ts,from_([A-Za-z0-9_\-+/=]+)\}$/);
      assert.ok(from, process);
      assert.equal(decodeB64(from[1]), 'outobjprefix/media.m3u8');
      assert.equal(parts.get('x-oss-expires'), String(expires));
      assert.equal(parts.get('x-oss-signature-version'), 'OSS2');
      assert.equal(parts.get('x-oss-access-key-id'), ACCESS_KEY_ID);
    });
    const played = work.file('played.ts');
    await ffmpeg(['-i', url, '-map', '0', '-c', 'copy', played]);
    const probe = await ffprobe(played, ['-show_format', '-show_streams']);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    assert.equal(`${video.codec_name} ${video.width}x${video.height} ${video.r_frame_rate}`, 'h264 1280x720 25/1');
    assert.equal(`${audio.codec_name} ${audio.sample_rate} ${audio.channels}`, 'aac 44100 2');
    assert.ok(Math.abs(Number(probe.format.duration) - 12) < 0.1, `played ${probe.format.duration} s of 12`);
  });
});

describe('whole-video initd and the documented defaults', () => {
  let dataDir;
  let server;
  let oss;
  before(async () => {
    dataDir = work.file('data');
    server = await startServer({ dataDir });
    oss = client(server, { bucket: 'media' });
    await oss.putBucket('media');
    const source = work.file('long.mp4');
    await ffmpeg([...lavfiVideo({ size: '640x360', duration: 36 }), ...lavfiAudio({ duration: 36 }),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '36', source]);
    await oss.put('in/long.mp4', source);
  });
  after(async () => { await server?.stop(); });

  test('initd past the end (or negative) makes every segment, and a kill -9 does not stop it', async () => {
    // Segments already published, read from the data folder while no server runs.
    const storedSegmentFiles = () => readdirSync(path.join(dataDir, 'media', 'out')).filter((n) => n.endsWith('.ts'));
    for (const [initd, name] of [['initd_-1', 'neg'], ['initd_99999999', 'past']]) {
      const r = await postPlaylist(oss, 'in/long.mp4', `out/${name}.m3u8`, `st_5000,${initd}`);
      assert.equal(r.json.Duration, 36);
    }
    // Kill the server as soon as the first segment of the run is stored, then start it again on the same data.
    await waitFor(async () => (await keys(oss, 'media', 'out/neg-')).length >= 1,
      { timeoutMs: 120000, everyMs: 100, what: 'the first initd segment' });
    // The run is provably unfinished when the server dies: its note is still on disk.
    const notes = path.join(dataDir, '.osslive', 'notes', 'initd');
    assert.ok(readdirSync(notes).length >= 1, 'an initd run in progress leaves a note');
    await killHard(server);
    const before = storedSegmentFiles().length;
    assert.ok(before < 16, `${before} of 16 segments stored when the server was killed`);
    server = await startServer({ dataDir });
    oss = client(server, { bucket: 'media' });
    for (const name of ['neg', 'past']) {
      await waitFor(async () => (await keys(oss, 'media', `out/${name}-`)).length === 8,
        { timeoutMs: 300000, everyMs: 500, what: `all 8 segments of ${name} after a restart` });
    }
  });

  test('asking for the playlist again makes a deleted initd segment again', async () => {
    const playlist = parsePlaylist((await oss.get('out/neg.m3u8')).content.toString()).segments;
    const victim = `out/${playlist[5].uri}`;
    await oss.delete(victim);
    const url = oss.signatureUrl('out/neg.m3u8', { expires: 600, process: 'hls/sign,live_1' });
    assert.equal((await fetchBuffer(url)).status, 200);
    await waitFor(async () => (await keys(oss, 'media', victim)).includes(victim),
      { timeoutMs: 120000, everyMs: 200, what: `${victim} made again with no player asking` });
  });

  test('every documented default spelled out is accepted and changes nothing', async () => {
    const plain = await postPlaylist(oss, 'in/long.mp4', 'out/plain.m3u8', 'initd_0');
    const spelled = await postPlaylist(oss, 'in/long.mp4', 'out/spelled.m3u8',
      'ss_0,st_10000,initd_0,vcodec_h264,fpsopt_1,sopt_1,scaletype_stretch,arotate_0,crf_23,abopt_1,an_0,vbopt_1');
    assert.equal(spelled.json.VideoPlaylist[0].Token, plain.json.VideoPlaylist[0].Token,
      'the defaults are the defaults: same token, so the same segments');
    const float = await postPlaylist(oss, 'in/long.mp4', 'out/float.m3u8', 'initd_0,crf_23.5');
    assert.notEqual(float.json.VideoPlaylist[0].Token, plain.json.VideoPlaylist[0].Token);
    assert.match((await oss.get('out/float.m3u8')).content.toString(), /^#EXTM3U/);
  });
});
