// Seamless on-demand segments (docs/seamless.md "How the tests measure it") for every source kind and container:
// upload with ali-oss, POST hls/m3u8 st_5000, fetch every segment of the V1-signed live playlist
// in a shuffled order, then check each join to the 90 kHz tick, IDR starts, DTS order, EXTINF
// against the frames, and the pictures against the source frames the plan says they show.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { fetchBuffer, fetchPlaylistSegments, postPlaylist, signedPlaylistUrl, verifySegments } from './lib/live.mjs';
import {
  audioPlan, comparePictures, durationUs, expectedSourceFrames, ffmpeg, ffprobe, formatRate, grayFrames, lavfiAudio,
  lavfiVideo, mapLimit, sourceFrameTimes, tempDir, videoPlan,
} from './lib/media.mjs';
import { analyseTs } from './lib/mpegts.mjs';
import { client } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
const SECONDS = 11;  // st_5000: segments of 5, 5 and 1 s, so two joins and a short tail
const V = (o = {}) => lavfiVideo({ size: '320x240', rate: '25', duration: SECONDS, ...o });
const A = (o = {}) => lavfiAudio({ rate: 48000, duration: SECONDS, ...o });
const x264 = (...extra) => ['-c:v', 'libx264', '-preset', 'veryfast', ...extra];
const aac = ['-c:a', 'aac', '-b:a', '96k'];
const F = (num, den = 1) => ({ num, den });
const rotated = (degrees, ext) => ({
  steps: (out, tmp) => [[...V(), ...A(), ...x264(), ...aac, `${tmp}.${ext}`],
    ['-i', `${tmp}.${ext}`, '-c', 'copy', '-metadata:s:v:0', `rotate=${degrees}`, out]],
});

// fps: the output F; size: output picture; audio: output {rate, channels}; pictures: compare every
// output frame with the source frame it must show.
const CASES = [
  { id: 'ntsc23', name: '23.976 fps, stereo', ext: 'mov', args: [...V({ rate: '24000/1001' }), ...A({ channels: 2 }), ...x264(), ...aac], fps: F(24000, 1001), size: '320x240', audio: { rate: 48000, channels: 2 }, pictures: true },
  { id: 'ntsc30', name: '29.97 fps', ext: 'mkv', args: [...V({ rate: '30000/1001' }), ...A({ rate: 44100 }), ...x264(), ...aac], fps: F(30000, 1001), size: '320x240', audio: { rate: 44100, channels: 1 }, pictures: true },
  { id: 'pal25', name: '25 fps MPEG-4 part 2 + MP3', ext: 'avi', args: [...V(), ...A({ rate: 44100 }), '-c:v', 'mpeg4', '-q:v', '4', '-c:a', 'libmp3lame'], fps: F(25), size: '320x240', audio: { rate: 44100, channels: 1 }, pictures: true },
  { id: 'fps60', name: '60 fps', ext: 'flv', args: [...V({ rate: '60' }), ...A({ rate: 44100 }), ...x264(), ...aac], fps: F(60), size: '320x240', audio: { rate: 44100, channels: 1 }, pictures: true },
  { id: 'vfr', name: 'VFR (every 5th frame of 30 fps dropped)', ext: 'mp4', args: [...V({ rate: '30' }), ...A(), '-vf', "select='not(eq(mod(n\\,5)\\,3))'", '-fps_mode', 'vfr', ...x264(), ...aac], fps: 'average', size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'bframes', name: 'B-frames (3, pyramid)', ext: 'mp4', args: [...V(), ...A(), ...x264('-bf', '3', '-x264-params', 'b-pyramid=normal:keyint=100'), ...aac], fps: F(25), size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'mpeg2', name: 'open-GOP MPEG-2 + MP2', ext: 'mpg', args: [...V(), ...A(), '-c:v', 'mpeg2video', '-q:v', '4', '-bf', '2', '-g', '18', '-c:a', 'mp2', '-f', 'mpeg'], fps: F(25), size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'tsopen', name: 'open-GOP H.264, non-zero start time', ext: 'ts', args: [...V(), ...A(), ...x264('-bf', '3', '-x264-params', 'open-gop=1:keyint=60:min-keyint=60'), ...aac, '-output_ts_offset', '10'], fps: F(25), size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'rot90', name: 'rotation 90', ext: 'mp4', ...rotated(90, 'mp4'), fps: F(25), size: '240x320', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'rot180', name: 'rotation 180', ext: 'mov', ...rotated(180, 'mov'), fps: F(25), size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'rot270', name: 'rotation 270', ext: 'mp4', ...rotated(270, 'mp4'), fps: F(25), size: '240x320', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'odd', name: 'odd size 321x241 VP9 + Opus', ext: 'webm', args: [...V({ size: '321x241' }), ...A(), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'], fps: F(25), size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'late', name: 'audio starting 1.5 s after the video', ext: 'mkv', args: [...V(), '-itsoffset', '1.5', ...A({ duration: SECONDS - 1.5 }), ...x264(), ...aac], fps: F(25), size: '320x240', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'mute', name: 'no audio', ext: 'mp4', args: [...V(), ...x264(), '-an'], fps: F(25), size: '320x240', audio: null, pictures: true },
  { id: 'mp3', name: 'audio only MP3', ext: 'mp3', args: [...A({ rate: 44100, channels: 2 }), '-c:a', 'libmp3lame'], video: false, audio: { rate: 44100, channels: 2 } },
  { id: 'wav', name: 'audio only WAV', ext: 'wav', args: [...A(), '-c:a', 'pcm_s16le'], video: false, audio: { rate: 48000, channels: 1 } },
  { id: 'surround', name: '5.1 AC-3 audio', ext: 'mkv', args: [...V(), ...A({ channels: 6 }), ...x264(), '-c:a', 'ac3'], fps: F(25), size: '320x240', audio: { rate: 48000, channels: 6 }, pictures: true },
  { id: 'tenbit', name: '10-bit H.264', ext: 'mkv', args: [...V(), ...A(), ...x264('-pix_fmt', 'yuv420p10le'), ...aac], fps: F(25), size: '320x240', pixFmt: 'yuv420p10le', audio: { rate: 48000, channels: 1 }, pictures: true },
  { id: 'wmv', name: 'WMV 8 + WMA 2', ext: 'wmv', args: [...V(), ...A({ rate: 44100 }), '-c:v', 'wmv2', '-q:v', '4', '-c:a', 'wmav2'], fps: F(25), size: '320x240', audio: { rate: 44100, channels: 1 }, pictures: true },
  { id: 'range', name: '29.97 fps, ss_2500 t_7000', ext: 'mkv', same: 'ntsc30', params: 'ss_2500,t_7000', fps: F(30000, 1001), size: '320x240', audio: { rate: 44100, channels: 1 }, pictures: true },
];

let server;
let work;
let oss;
const made = new Map();  // case id -> what the matrix test fetched, for the tests after it

before(async () => {
  work = tempDir('osslive-segments-');
  server = await startServer();
  oss = client(server, { bucket: 'seams' });
  await oss.putBucket('seams');
  await mapLimit(CASES.filter((c) => !c.same), 2, async (c) => {
    c.file = work.file(`${c.id}.${c.ext}`);
    const steps = c.steps ? c.steps(c.file, work.file(`${c.id}-tmp`)) : [[...c.args, '-t', String(SECONDS), c.file]];
    for (const step of steps) await ffmpeg(step);
  });
  for (const c of CASES) {
    if (c.same) c.file = CASES.find((o) => o.id === c.same).file;
    c.key = `src/${c.id}.${c.ext}`;
    c.durationUs = await durationUs(c.file);
    c.startUs = Math.round(Number((await ffprobe(c.file, ['-show_entries', 'format=start_time'])).format.start_time ?? 0) * 1e6);
    await oss.put(c.key, c.file);
  }
});
after(async () => {
  await server?.stop();
  if (!process.env.OSSLIVE_KEEP_MEDIA) work?.remove();
  console.log(`# segments.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// A VFR source plays at its average rate (avg_frame_rate, exact): FrameRate shows it to 3 decimals.
async function averageRate(c, text) {
  const info = await ffprobe(c.file, ['-select_streams', 'v:0', '-show_entries', 'stream=avg_frame_rate']);
  const [num, den] = info.streams[0].avg_frame_rate.split('/').map(Number);
  assert.equal(text, formatRate({ num, den }), `FrameRate for a source averaging ${num}/${den} fps`);
  return { num, den };
}

// Every output frame must show the source frame docs/seamless.md's rule picks for it (the last
// picture at or before its instant, 1 ms of slack), in every segment: an off-by-one at a join, or
// output that follows another rule (ffmpeg's nearest frame), fails.
async function checkPictures(c, segments, plan, ssUs, width, height) {
  const times = await sourceFrameTimes(c.file);
  const source = await grayFrames(c.file, { width, height });
  assert.equal(source.length, times.length, 'ffmpeg and ffprobe see the same source frames');
  const outputs = await Promise.all(segments.map((s) => grayFrames(s.file, { width, height })));
  const expected = expectedSourceFrames(times, { startUs: c.startUs + ssUs, fps: c.fps, count: plan.totalFrames });
  const failures = [];
  let min = Infinity;
  for (const [i, frames] of outputs.entries()) {
    const { first, frames: planned } = plan.segments[i];
    if (frames.length !== planned) failures.push(`segment ${i}: ${frames.length} decoded pictures, the plan gives it ${planned}`);
    const cmp = comparePictures(frames, source, expected.slice(first, first + frames.length),
      { minPsnr: 30, label: `segment ${i} (output frames from ${first}) ` });
    failures.push(...cmp.failures);
    min = Math.min(min, cmp.min);
  }
  if (!failures.length) console.log(`# ${c.id}: every frame shows the source frame of the documented rule; lowest PSNR ${min.toFixed(1)} dB`);
  return failures.map((f) => `pictures (docs/seamless.md rule): ${f}`);
}

function rangeOf(c) {
  const ss = Number(/ss_(\d+)/.exec(c.params ?? '')?.[1] ?? 0) * 1000;
  const t = Number(/(?:^|,)t_(\d+)/.exec(c.params ?? '')?.[1] ?? 0) * 1000;
  const end = t ? Math.min(ss + t, c.durationUs) : c.durationUs;
  return { ssUs: ss, durationUs: end - ss };
}

describe('every segment of every source kind joins seamlessly', () => {
  for (const [n, c] of CASES.entries()) {
    test(`${c.name} (${c.ext.toUpperCase()})`, async () => {
      const hasVideo = c.video !== false;
      const playlistKey = `${c.id}/P.m3u8`;
      const r = await postPlaylist(oss, c.key, playlistKey, `st_5000,initd_0${c.params ? `,${c.params}` : ''}`);
      const entry = (hasVideo ? r.json.VideoPlaylist : r.json.AudioPlaylist)?.[0];
      assert.ok(entry, JSON.stringify(r.json));
      if (hasVideo) {
        if (c.fps === 'average') c.fps = await averageRate(c, entry.FrameRate);
        assert.equal(entry.FrameRate, formatRate(c.fps));
        assert.equal(entry.Resolution, c.size);
      }
      const { ssUs, durationUs: dUs } = rangeOf(c);
      const plan = hasVideo
        ? videoPlan({ durationUs: dUs, fps: c.fps, stMs: 5000, sampleRate: c.audio?.rate ?? 0 })
        : audioPlan({ durationUs: dUs, sampleRate: c.audio.rate, stMs: 5000 });
      assert.equal(r.json.Duration, Number(plan.durationText));

      const dir = work.file(c.id);
      mkdirSync(dir);
      const url = await signedPlaylistUrl(oss, playlistKey);
      const seed = 1000 + n;
      const t0 = Date.now();
      const got = await fetchPlaylistSegments(url, { dir, seed, concurrency: 2 });
      console.log(`# ${c.id}: fetched segments in order ${got.order.join(',')} (seed ${seed}) in ${Date.now() - t0} ms`);
      const [width, height] = (c.size ?? '0x0').split('x').map(Number);
      const result = await verifySegments(got.segments, {
        plan,
        video: hasVideo ? { fps: c.fps, width, height, pixFmt: c.pixFmt ?? 'yuv420p' } : null,
        audio: c.audio,
      });
      const failures = [...result.failures];

      if (c.pictures && !failures.length) failures.push(...await checkPictures(c, got.segments, plan, ssUs, width, height));
      made.set(c.id, { playlistKey, url, segments: got.segments, plan, result });
      assert.deepEqual(failures, []);
    });
  }
});

test('a deleted segment is made again with the same timestamps and frames', async () => {
  const ntsc = made.get('ntsc30');
  assert.ok(ntsc, 'the 29.97 fps case ran');
  const victim = ntsc.segments[1];
  const key = `ntsc30/${victim.uri.split('?')[0]}`;
  assert.equal((await oss.delete(key)).res.status, 204);
  await assert.rejects(oss.head(key), (err) => err.status === 404, 'the segment object is gone');
  const again = await fetchBuffer(victim.url);
  assert.equal(again.status, 200);
  const before = analyseTs(victim.buf);
  const after = analyseTs(again.body);
  const stamps = (a) => ({
    video: a.video.frames.map((f) => [f.pts, f.dts, f.idr]),
    audio: a.audio.frames.map((f) => f.pts),
  });
  assert.deepEqual(stamps(after), stamps(before));
  let note = 'byte-identical';
  if (Buffer.compare(again.body, victim.buf) !== 0) {
    let at = 0;
    while (at < victim.buf.length && victim.buf[at] === again.body[at]) at++;
    const packet = Math.floor(at / 188);
    const pid = ((victim.buf[packet * 188 + 1] & 0x1f) << 8) | victim.buf[packet * 188 + 2];
    const differing = Array.from({ length: Math.min(victim.buf.length, again.body.length) / 188 }, (_, i) => i)
      .filter((i) => Buffer.compare(victim.buf.subarray(i * 188, i * 188 + 188), again.body.subarray(i * 188, i * 188 + 188)) !== 0);
    note = `same timestamps and frames, bytes differ: ${victim.buf.length} vs ${again.body.length} bytes, first at byte ${at} ` +
      `(TS packet ${packet}, PID 0x${pid.toString(16)}), ${differing.length} packets differ`;
  }
  console.log(`# re-made segment 1: ${note}`);
  assert.equal((await oss.head(key)).status, 200, 'the re-made segment is stored again');
});
