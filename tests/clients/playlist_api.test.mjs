// hls/m3u8 through ali-oss processObjectSave (docs/api.md): the POST JSON, the playlist text and its
// exact EXTINF values for sources in every container of docs/api.md, deterministic tokens, and
// parameter errors. Signing (docs/api.md) is in playlist_sign.test.mjs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { checkPlaylistText, postPlaylist } from './lib/live.mjs';
import { audioPlan, durationUs, ffmpeg, formatRate, lavfiAudio, lavfiVideo, mapLimit, tempDir, videoPlan } from './lib/media.mjs';
import { client, fetchText, xmlField } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
const V = (o = {}) => lavfiVideo({ size: '160x120', rate: '25', duration: 6, ...o });
const A = (o = {}) => lavfiAudio({ rate: 48000, duration: 6, ...o });
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast'];

// One source per container of docs/api.md (video ones: 25 fps, 160x120); rate: the output audio rate.
const SOURCES = [
  { key: 'src/clip.avi', args: [...V(), ...A({ rate: 44100 }), '-c:v', 'mpeg4', '-q:v', '5', '-c:a', 'libmp3lame'], video: true, rate: 44100 },
  { key: 'src/clip.mov', args: [...V(), ...A(), ...x264, '-c:a', 'aac'], video: true, rate: 48000 },
  { key: 'src/clip.mp4', args: [...V(), ...A(), ...x264, '-c:a', 'aac'], video: true, rate: 48000 },
  { key: 'src/clip.flv', args: [...V(), ...A({ rate: 44100 }), '-c:v', 'flv', '-q:v', '5', '-c:a', 'libmp3lame'], video: true, rate: 44100 },
  { key: 'src/clip.mkv', args: [...V(), ...A(), ...x264, '-c:a', 'libvorbis'], video: true, rate: 48000 },
  { key: 'src/clip.webm', args: [...V(), ...A(), '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'], video: true, rate: 48000 },
  { key: 'src/clip.mpg', args: [...V(), ...A(), '-c:v', 'mpeg2video', '-q:v', '5', '-c:a', 'mp2', '-f', 'mpeg'], video: true, rate: 48000 },
  { key: 'src/clip.wmv', args: [...V(), ...A({ rate: 44100 }), '-c:v', 'wmv2', '-q:v', '5', '-c:a', 'wmav2'], video: true, rate: 44100 },
  { key: 'src/tone.mp3', args: [...A({ rate: 44100 }), '-c:a', 'libmp3lame'], video: false, rate: 44100 },
  { key: 'src/tone.wav', args: [...A(), '-c:a', 'pcm_s16le'], video: false, rate: 48000 },
  { key: 'src/silent.mp4', args: [...V(), ...x264, '-an'], video: true, rate: 0 },
];

let server;
let work;
const durations = new Map();  // key -> source duration in µs, as libavformat reports it

before(async () => {
  work = tempDir('osslive-playlist-');
  server = await startServer();
  const extra = [
    { key: 'src/ntsc.mp4', seconds: 45, args: [...lavfiVideo({ size: '64x48', rate: '30000/1001', duration: 45 }), ...x264, '-an'] },
    { key: 'src/long.mp4', seconds: 16, args: [...V({ duration: 16 }), ...A({ duration: 16 }), ...x264, '-c:a', 'aac'] },
  ];
  await mapLimit([...SOURCES, ...extra], 2, async (s) => {
    const file = work.file(s.key.replace('/', '-'));
    await ffmpeg([...s.args, '-t', String(s.seconds ?? 6), file]);
    s.file = file;
    durations.set(s.key, await durationUs(file));
  });
  for (const bucket of ['live-v1', 'live-v4']) {
    const oss = client(server, { bucket });
    await oss.putBucket(bucket);
    for (const s of [...SOURCES, ...extra]) await oss.put(s.key, s.file);
  }
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# playlist_api.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function expectedPlan(source, params) {
  const d = durations.get(source.key);
  if (source.video) return videoPlan({ durationUs: d, fps: { num: 25, den: 1 }, stMs: params.st, initsegMs: params.initseg, sampleRate: source.rate });
  return audioPlan({ durationUs: d, sampleRate: source.rate, stMs: params.st, initsegMs: params.initseg });
}

async function playlistText(oss, key) {
  const got = await oss.get(key);
  assert.equal(got.res.headers['content-type'], 'application/vnd.apple.mpegurl');
  return got.content.toString();
}

for (const v4 of [false, true]) {
  describe(`hls/m3u8 with ${v4 ? 'V4' : 'V1'} signatures`, () => {
    const bucket = v4 ? 'live-v4' : 'live-v1';
    let oss;
    before(() => { oss = client(server, { bucket, v4 }); });

    for (const source of SOURCES) {
      test(`${source.key}: 200, the documented JSON and an exact RFC 8216 playlist`, async () => {
        const playlistKey = `out/${source.key.split('/')[1].replace('.', '_')}.m3u8`;
        const r = await postPlaylist(oss, source.key, playlistKey, 'st_5000');
        assert.equal(r.status, 200);
        assert.match(r.headers['content-type'], /^application\/json/);
        const plan = expectedPlan(source, { st: 5000 });
        const { json } = r;
        assert.equal(json.RequestId, r.headers['x-oss-request-id']);
        assert.match(json.RequestId, /^[0-9A-F]{24}$/);
        assert.equal(json.Duration, Number(plan.durationText), `Duration (source ${durations.get(source.key)} µs)`);
        const list = source.video ? json.VideoPlaylist : json.AudioPlaylist;
        assert.ok(Array.isArray(list) && list.length === 1, `${source.video ? 'VideoPlaylist' : 'AudioPlaylist'} in ${JSON.stringify(json)}`);
        assert.equal(source.video ? json.AudioPlaylist : json.VideoPlaylist, undefined);
        const entry = list[0];
        assert.match(entry.Token, /^[0-9a-f]{32}$/i);
        assert.equal(entry.URI, `oss://${bucket}/${playlistKey}`);
        if (source.video) {
          assert.equal(entry.FrameRate, '25');
          assert.equal(entry.Resolution, '160x120');
        }
        const text = await playlistText(oss, playlistKey);
        const check = checkPlaylistText(text, { playlistKey, token: entry.Token, plan, stored: true });
        assert.deepEqual(check.failures, [], text);
      });
    }

    test('29.97 fps with st_10000: EXTINF follow the frame counts (not a constant)', async () => {
      const fps = { num: 30000, den: 1001 };
      const r = await postPlaylist(oss, 'src/ntsc.mp4', 'ntsc/P.m3u8', 'st_10000');
      assert.equal(r.json.VideoPlaylist[0].FrameRate, formatRate(fps));
      const plan = videoPlan({ durationUs: durations.get('src/ntsc.mp4'), fps, stMs: 10000 });
      const full = new Set(plan.segments.slice(0, -1).map((s) => s.extinf));
      assert.ok(full.size > 1, `the source must give segments of different frame counts, got ${[...full]}`);
      const check = checkPlaylistText(await playlistText(oss, 'ntsc/P.m3u8'),
        { playlistKey: 'ntsc/P.m3u8', token: r.json.VideoPlaylist[0].Token, plan, stored: true });
      assert.deepEqual(check.failures, []);
      assert.equal(r.json.Duration, Number(plan.durationText));
    });

    test('header segments: initseg_2000-2000-4000 then st', async () => {
      const source = { key: 'src/long.mp4', video: true, rate: 48000 };
      const r = await postPlaylist(oss, source.key, 'head/P.m3u8', 'st_5000,initseg_2000-2000-4000');
      const plan = expectedPlan(source, { st: 5000, initseg: [2000, 2000, 4000] });
      assert.deepEqual(plan.segments.map((s) => s.extinf), ['2.000', '2.000', '4.000', '5.000', '3.000']);
      const check = checkPlaylistText(await playlistText(oss, 'head/P.m3u8'),
        { playlistKey: 'head/P.m3u8', token: r.json.VideoPlaylist[0].Token, plan, stored: true });
      assert.deepEqual(check.failures, []);
    });

    test('size and frame rate options resolve against the source', async () => {
      const cases = [
        ['s_320x240', { Resolution: '160x120' }],              // sopt 1: the smaller source wins
        ['s_320x240,sopt_0', { Resolution: '320x240' }],
        ['s_128x96,sopt_2', { Resolution: '128x96' }],
        ['fps_50', { FrameRate: '25' }],                        // fpsopt 1: the lower source rate wins
        ['fps_15', { FrameRate: '15' }],
        ['fps_50,fpsopt_0', { FrameRate: '50' }],
      ];
      for (const [params, want] of cases) {
        const r = await postPlaylist(oss, 'src/clip.mp4', `opts/${params.replace(/,/g, '_')}.m3u8`, `initd_0,${params}`);
        for (const [k, v] of Object.entries(want)) assert.equal(r.json.VideoPlaylist[0][k], v, params);
      }
    });

    test('the token is deterministic and changes with the parameters and the source', async () => {
      // initd_0 everywhere: these playlists are never played, so nothing is pre-transcoded.
      const token = async (params, key = 'src/clip.mp4', out = 'tok/P.m3u8') =>
        (await postPlaylist(oss, key, out, params ? `initd_0,${params}` : 'initd_0')).json.VideoPlaylist[0].Token;
      const first = await token('st_5000,crf_30');
      assert.equal(await token('st_5000,crf_30'), first, 'same request, same token');
      assert.equal(await token('crf_30,st_5000'), first, 'parameter order is normalised');
      assert.equal(await token('crf_30,st_5000', 'src/clip.mp4', 'tok/Other.m3u8'), first, 'the token names the source and parameters');
      assert.equal(await token('st_10000'), await token(''), 'a default given explicitly is the default');
      assert.notEqual(await token('st_6000,crf_30'), first, 'st changed');
      assert.notEqual(await token('st_5000,crf_31'), first, 'crf changed');
      await oss.put('tok/copy.mp4', SOURCES[2].file);
      const copy = await token('st_5000,crf_30', 'tok/copy.mp4');
      assert.notEqual(copy, first, 'another source key');
      // The same key re-uploaded with other bytes: a new ETag, so new segment names; the first
      // bytes again: the first ETag, so the first names.
      await oss.put('tok/copy.mp4', SOURCES[1].file);
      const reuploaded = await token('st_5000,crf_30', 'tok/copy.mp4');
      assert.notEqual(reuploaded, copy);
      await oss.put('tok/copy.mp4', SOURCES[2].file);
      assert.equal(await token('st_5000,crf_30', 'tok/copy.mp4'), copy);
    });

    test('parameter errors: 400 InvalidArgument naming the parameter', async () => {
      const cases = [
        ['st_300', 'st'],
        ['st_16000', 'st'],
        ['vb_500000,crf_20', /^(crf|vb)$/],
        ['aq_50,ab_128000', /^(aq|ab)$/],
        ['maxrate_3000000', /^(maxrate|bufsize)$/],
        ['crf_51.5', 'crf'],
        ['foo_1', 'foo'],
        ['st_5000,st_6000', 'st'],
        ['crf_52', 'crf'],
        ['s_321x240', 's'],
        ['s_320x240,sopt_2', 's'],                // the source is smaller
        ['fps_50,fpsopt_2', 'fps'],               // the source rate is lower
        ['ss_60000', 'ss'],                       // past the end
        ['ar_12345', 'ar'],
      ];
      for (const [params, name] of cases) {
        await assert.rejects(postPlaylist(oss, 'src/clip.mp4', 'bad/P.m3u8', params), (err) => {
          assert.equal(err.status, 400, `${params}: ${err.message}`);
          assert.equal(err.code, 'InvalidArgument', params);
          const named = typeof name === 'string' ? err.argumentName === name : name.test(err.argumentName);
          assert.ok(named, `${params}: ArgumentName ${err.argumentName} (message "${err.message}")`);
          assert.ok(err.message.startsWith(err.argumentName), `${params}: the message names the parameter: "${err.message}"`);
          return true;
        });
      }
      await assert.rejects(oss.get('bad/P.m3u8'), (err) => err.status === 404, 'a refused request writes no playlist');
      // A documented default spelled out, or a refiner without what it refines, is harmless.
      for (const params of ['fpsopt_1', 'sopt_1', 'vbopt_1,crf_23.5', 'an_0,abopt_1,arotate_0']) {
        const r = await postPlaylist(oss, 'src/clip.mp4', 'ok/P.m3u8', params);
        assert.equal(r.status, 200, params);
      }
    });

    test('the error body names the parameter and its value (raw XML)', async () => {
      const process = `hls/m3u8,st_300|sys/saveas,o_${Buffer.from('bad/raw.m3u8').toString('base64')}`;
      const url = v4
        ? await oss.signatureUrlV4('POST', 600, { queries: { 'x-oss-process': process } }, 'src/clip.mp4')
        : oss.signatureUrl('src/clip.mp4', { method: 'POST', expires: 600, process });
      const res = await fetchText(url, { method: 'POST' });
      assert.equal(res.status, 400, res.text);
      assert.equal(xmlField(res.text, 'Code'), 'InvalidArgument');
      assert.equal(xmlField(res.text, 'ArgumentName'), 'st');
      assert.equal(xmlField(res.text, 'ArgumentValue'), '300');
      assert.match(xmlField(res.text, 'Message'), /\[5000, 15000\]/);
    });

    test('missing source, text source, and a source without streams', async () => {
      await assert.rejects(postPlaylist(oss, 'src/none.mp4', 'bad/P.m3u8', 'st_5000'),
        (err) => err.status === 404 && err.code === 'NoSuchKey');
      await oss.put('src/readme.txt', Buffer.from('This is a text file, not a video.\n'.repeat(50)));
      await assert.rejects(postPlaylist(oss, 'src/readme.txt', 'bad/P.m3u8', 'st_5000'), (err) => {
        assert.equal(err.status, 400);
        assert.match(err.message, /not a readable media file/);
        return true;
      });
      await assert.rejects(postPlaylist(oss, 'src/tone.wav', 'bad/P.m3u8', 'an_1'), (err) => err.status === 400,
        'an_1 on an audio-only source leaves nothing to play');
    });

    test('playlist saved into another bucket (b_ of sys/saveas)', async () => {
      const target = v4 ? 'live-v4-out' : 'live-v1-out';
      await oss.putBucket(target);
      const r = await postPlaylist(oss, 'src/clip.mp4', 'x/P.m3u8', 'st_5000', target);
      assert.equal(r.json.VideoPlaylist[0].URI, `oss://${target}/x/P.m3u8`);
      const text = await playlistText(client(server, { bucket: target, v4 }), 'x/P.m3u8');
      assert.match(text, /^#EXTM3U\n/);
    });
  });
}

test('POST body as a raw form (curl-style) is accepted too', async () => {
  const oss = client(server, { bucket: 'live-v1' });
  const body = `x-oss-process=hls/m3u8,st_5000|sys/saveas,o_${Buffer.from('raw/P.m3u8').toString('base64url')}`;
  // A presigned URL that carries a body signs its Content-MD5 (request_binding.test.mjs).
  const md5 = createHash('md5').update(body).digest('base64');
  const url = oss.signatureUrl('src/clip.mp4', { method: 'POST', expires: 600, subResource: { 'x-oss-process': '' },
    'Content-Type': 'application/x-www-form-urlencoded', 'Content-MD5': md5 });
  const res = await fetchText(url, { method: 'POST', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-MD5': md5 } });
  assert.equal(res.status, 200, res.text);
  assert.equal(JSON.parse(res.text).VideoPlaylist[0].URI, 'oss://live-v1/raw/P.m3u8');
});
