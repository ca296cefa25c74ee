// What a viewer sees and hears across segment joins (docs/seamless.md): a pure tone
// stays on one sine, the joined pictures match one continuous transcode frame by frame, and
// ffmpeg plays the V1- and V4-signed live playlists over HTTP from start to end.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { fetchPlaylistSegments, postPlaylist, signedPlaylistUrl, verifySegments } from './lib/live.mjs';
import { durationUs, ffmpeg, fitTone, lavfiAudio, lavfiVideo, psnr, run, tempDir, videoPlan } from './lib/media.mjs';
import { analyseTs } from './lib/mpegts.mjs';
import { client } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
const RATE = 48000;
const TONE = 1000;
const SECONDS = 12;
const FPS = { num: 30000, den: 1001 };
const W = 160;
const H = 120;

let server;
let work;
let oss;
let source;
let plan;
let joined;  // the V1 playlist's segments, fetched in a shuffled order and concatenated in order
let segments;

before(async () => {
  work = tempDir('osslive-quality-');
  server = await startServer();
  oss = client(server, { bucket: 'quality' });
  await oss.putBucket('quality');
  // testsrc2 moves every frame (an off-by-one picture is visible); long open GOPs with B-frames
  // not aligned to the 5 s grid make every segment start in the middle of a GOP; PCM keeps the
  // tone exact in the source.
  source = work.file('tone.mov');
  await ffmpeg([...lavfiVideo({ size: `${W}x${H}`, rate: '30000/1001', duration: SECONDS }),
    ...lavfiAudio({ rate: RATE, frequency: TONE, duration: SECONDS }),
    '-c:v', 'libx264', '-preset', 'veryfast', '-bf', '3', '-x264-params', 'open-gop=1:keyint=100:min-keyint=100:scenecut=0',
    '-c:a', 'pcm_s16le', '-t', String(SECONDS), source]);
  await oss.put('tone.mov', source);
  plan = videoPlan({ durationUs: await durationUs(source), fps: FPS, stMs: 5000, sampleRate: RATE });
  await postPlaylist(oss, 'tone.mov', 'tone/P.m3u8', 'st_5000,initd_0,ab_128000');
  const dir = work.file('v1');
  mkdirSync(dir);
  const got = await fetchPlaylistSegments(await signedPlaylistUrl(oss, 'tone/P.m3u8'), { dir, seed: 77 });
  segments = got.segments;
  joined = work.file('joined.ts');
  writeFileSync(joined, Buffer.concat(segments.map((s) => s.buf)));
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# segments_quality.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

async function decodeMono(file) {
  const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(RATE),
    '-f', 'f32le', '-']);
  assert.equal(r.code, 0, r.stderr);
  return new Float32Array(new Uint8Array(r.stdout).buffer);  // a copy, so the floats are aligned
}

// Residual of the tone fit: worst within +-1024 samples of each join, and the 99th percentile of
// |residual| over the tone, both relative to the fitted amplitude.
function toneReport(samples, joins) {
  const end = Math.min(samples.length, SECONDS * RATE);
  const fit = fitTone(samples, TONE, RATE, 0, end);
  const perJoin = joins.map((j) => {
    let worst = 0;
    for (let i = Math.max(0, j - 1024); i < Math.min(end, j + 1024); i++) worst = Math.max(worst, Math.abs(fit.residual(i)));
    return worst / fit.amplitude;
  });
  const all = new Float64Array(end);
  for (let i = 0; i < end; i++) all[i] = Math.abs(fit.residual(i));
  all.sort();
  return { amplitude: fit.amplitude, perJoin, p99: all[Math.floor(end * 0.99)] / fit.amplitude };
}

describe('the tone source', () => {
  test('its segments are seamless by the timestamp checks', async () => {
    const result = await verifySegments(segments, { plan, video: { fps: FPS, width: W, height: H, pixFmt: 'yuv420p' }, audio: { rate: RATE, channels: 1 } });
    assert.deepEqual(result.failures, []);
  });

  test('the sine continues across every join (residual < 5% near joins, p99 < 2%)', async () => {
    const samples = await decodeMono(joined);
    let frames = 0;
    const joins = segments.slice(0, -1).map((s) => { frames += analyseTs(s.buf).audio.frames.length; return frames * 1024; });
    const report = toneReport(samples, joins);
    // The same tone through one continuous ffmpeg AAC encode, for scale.
    const continuous = work.file('continuous.ts');
    await ffmpeg(['-i', source, '-map', '0:a', '-c:a', 'aac', '-b:a', '128k', continuous]);
    const reference = toneReport(await decodeMono(continuous), joins);
    const pct = (x) => `${(x * 100).toFixed(2)}%`;
    console.log(`# tone: amplitude ${report.amplitude.toFixed(4)}, residual near joins ${report.perJoin.map(pct).join(', ')} ` +
      `(worst ${pct(Math.max(...report.perJoin))}), p99 ${pct(report.p99)}; one continuous encode: near the same samples ` +
      `${reference.perJoin.map(pct).join(', ')}, p99 ${pct(reference.p99)}`);
    assert.ok(Math.abs(report.amplitude - 0.125) < 0.01, `the fitted tone has the source amplitude 1/8, got ${report.amplitude}`);
    report.perJoin.forEach((r, i) => assert.ok(r < 0.05, `join ${i}->${i + 1} at sample ${joins[i]}: residual ${pct(r)} of the tone`));
    assert.ok(report.p99 < 0.02, `99th percentile of the residual ${pct(report.p99)}`);
  });

  test('per-frame PSNR of the joined output against one continuous transcode stays high at every join', async () => {
    const frameBytes = (W * H * 3) / 2;
    const raw = async (file) => {
      const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough',
        '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-']);
      assert.equal(r.code, 0, r.stderr);
      return Array.from({ length: r.stdout.length / frameBytes }, (_, i) => r.stdout.subarray(i * frameBytes, (i + 1) * frameBytes));
    };
    const reference = work.file('reference.mp4');
    await ffmpeg(['-i', source, '-map', '0:v', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', reference]);
    const [out, ref, src] = await Promise.all([raw(joined), raw(reference), raw(source)]);
    assert.equal(out.length, plan.totalFrames, 'the joined output has every planned frame');
    assert.equal(ref.length, plan.totalFrames);
    const values = out.map((f, k) => psnr(f, ref[k]));
    const vsSource = out.map((f, k) => psnr(f, src[k]));
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const edges = plan.segments.flatMap((s) => [s.first, s.first + s.frames - 1]);
    const edgeText = edges.map((k) => `${k}:${values[k].toFixed(1)}`).join(' ');
    console.log(`# PSNR vs continuous transcode: min ${sorted[0].toFixed(1)} dB, median ${median.toFixed(1)} dB; at segment edges ${edgeText}; ` +
      `vs source: min ${Math.min(...vsSource).toFixed(1)} dB`);
    const failures = [];
    values.forEach((p, k) => { if (p < 30) failures.push(`frame ${k}: ${p.toFixed(1)} dB against the continuous transcode`); });
    for (const k of edges) {
      if (values[k] < median - 4) failures.push(`frame ${k} next to a join: ${values[k].toFixed(1)} dB, median ${median.toFixed(1)} dB`);
      // The right source frame must match better than its neighbours: off by one shows here.
      for (const n of [k - 1, k + 1]) {
        if (n >= 0 && n < src.length && psnr(out[k], src[n]) >= vsSource[k])
          failures.push(`frame ${k} next to a join looks like source frame ${n} (${psnr(out[k], src[n]).toFixed(1)} dB vs ${vsSource[k].toFixed(1)} dB)`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

// The checks above must be able to fail: segments cut independently by the ffmpeg CLI (the naive
// peer approach: -ss/-t per segment, placed with -output_ts_offset) are caught by them.
test('control: independently cut ffmpeg CLI segments fail the same checks', async () => {
  const cut = await Promise.all(plan.segments.map(async (seg, i) => {
    const file = work.file(`cli-${i}.ts`);
    const start = ((seg.first * FPS.den) / FPS.num).toFixed(6);
    const length = ((seg.frames * FPS.den) / FPS.num).toFixed(6);
    await ffmpeg(['-ss', start, '-t', length, '-i', source, '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-b:a', '128k',
      '-output_ts_offset', start, '-f', 'mpegts', file]);
    return { ...segments[i], file, buf: readFileSync(file) };
  }));
  const result = await verifySegments(cut, { plan, video: { fps: FPS, width: W, height: H, pixFmt: 'yuv420p' }, audio: { rate: RATE, channels: 1 } });
  console.log(`# control: ${result.failures.length} failures, e.g. ${result.failures.slice(0, 2).join(' | ')}`);
  assert.ok(result.failures.some((f) => /^join \d+->\d+ audio/.test(f)), 'an audio join failure is found');
  const file = work.file('cli-joined.ts');
  writeFileSync(file, Buffer.concat(cut.map((s) => s.buf)));
  let frames = 0;
  const joins = cut.slice(0, -1).map((s) => { frames += analyseTs(s.buf).audio.frames.length; return frames * 1024; });
  const report = toneReport(await decodeMono(file), joins);
  console.log(`# control: tone residual near joins ${report.perJoin.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}`);
  assert.ok(Math.max(...report.perJoin) > 0.05, 'the tone check sees the cut');
});

for (const v4 of [false, true]) {
  test(`ffmpeg plays the ${v4 ? 'V4' : 'V1'}-signed live playlist over HTTP, start to end, without errors`, async () => {
    // V4 gets a fresh playlist (another crf, so new segment names): ffmpeg's requests make them.
    const key = v4 ? 'tone/V4.m3u8' : 'tone/P.m3u8';
    if (v4) await postPlaylist(client(server, { bucket: 'quality', v4: true }), 'tone.mov', key, 'st_5000,initd_0,crf_25');
    const url = await signedPlaylistUrl(client(server, { bucket: 'quality', v4 }), key, { v4 });
    const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', url, '-map', '0', '-f', 'null', '-', '-progress', 'pipe:1', '-nostats']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no error output');
    const progress = r.stdout.toString();
    const frames = Number([...progress.matchAll(/^frame=(\d+)$/gm)].at(-1)?.[1]);
    const outUs = Number([...progress.matchAll(/^out_time_us=(\d+)$/gm)].at(-1)?.[1]);
    assert.equal(frames, plan.totalFrames, 'every frame decoded');
    const expectUs = (plan.totalFrames * FPS.den * 1e6) / FPS.num;
    assert.ok(Math.abs(outUs - expectUs) <= (2 * FPS.den * 1e6) / FPS.num, `decoded ${outUs} µs of ${expectUs.toFixed(0)} µs`);
  });
}
