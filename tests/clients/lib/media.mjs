// Media for the live transcoding tests: sources made with the ffmpeg CLI at test time, ffprobe
// helpers, the exact segment plan of docs/seamless.md recomputed independently (BigInt), and signal
// measures (tone fit, PSNR).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function run(cmd, args, { timeoutMs = 300000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

export async function ffmpeg(args, options) {
  const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], options);
  if (r.code !== 0) throw new Error(`ffmpeg ${args.join(' ')}\nexited ${r.code ?? r.signal}: ${r.stderr}`);
  return r;
}

export async function ffprobe(file, args = ['-show_format', '-show_streams']) {
  const r = await run('ffprobe', ['-v', 'error', '-of', 'json', ...args, file]);
  if (r.code !== 0) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return { ...JSON.parse(r.stdout.toString()), stderr: r.stderr };
}

// Exact microseconds of the container duration, as libavformat (and so the server's probe) sees it.
export async function durationUs(file) {
  const info = await ffprobe(file, ['-show_entries', 'format=duration']);
  const [whole, frac = ''] = info.format.duration.split('.');
  return Number(whole) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6));
}

// ffmpeg input arguments for synthetic sources: testsrc2 moves every frame, so a picture taken
// one frame early or late is visible; the sine gives a tone whose continuity can be measured.
export function lavfiVideo({ size = '320x240', rate = '25', duration = 11 } = {}) {
  return ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${duration}`];
}
export function lavfiAudio({ rate = 48000, frequency = 1000, duration = 11, channels = 1 } = {}) {
  if (channels === 1) return ['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=${rate}:duration=${duration}`];
  const layout = { 2: 'stereo', 6: '5.1' }[channels];
  const tones = Array.from({ length: channels }, (_, c) => `sin(2*PI*${frequency + 110 * c}*t)/8`).join('|');
  return ['-f', 'lavfi', '-i', `aevalsrc=${tones}:s=${rate}:d=${duration}:c=${layout}`];
}

// ---- exact rationals (BigInt) ----
const big = (n) => BigInt(n);
const ceilDiv = (a, b) => (a >= 0n ? (a + b - 1n) / b : -((-a) / b));
// EXT-X-TARGETDURATION by RFC 8216 4.3.3.1: the longest EXTINF (num/den s) rounded to the nearest
// integer (half up), at least 1.
const roundTarget = (num, den) => Math.max(1, Number((2n * num + den) / (2n * den)));

// "29.97" -> 30000/1001 etc., the way a frame rate is written in the POST response.
export function formatRate({ num, den }) {
  const milli = (big(num) * 2000n + big(den)) / (big(den) * 2n);
  const whole = milli / 1000n;
  const frac = (milli % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

// Seconds num/den as EXTINF text: 3 decimals, half up.
export function formatSeconds(num, den) {
  const milli = (big(num) * 2000n + big(den)) / (big(den) * 2n);
  return `${milli / 1000n}.${(milli % 1000n).toString().padStart(3, '0')}`;
}

// Segment boundaries in ms from ss: header segments, then st steps, all strictly inside D.
function boundariesMs(durationUs, stMs, initsegMs) {
  const bounds = [0];
  let at = 0;
  for (const ms of [...initsegMs]) {
    at += ms;
    if (at * 1000 >= durationUs) return bounds;
    bounds.push(at);
  }
  for (;;) {
    at += stMs;
    if (at * 1000 >= durationUs) return bounds;
    bounds.push(at);
  }
}

// docs/seamless.md "The plan": video frame k (at k/F) belongs to the segment whose [b_i, b_i+1) holds
// k/F; AAC frame j follows the video cut points. Returns per segment {first, frames, extinf} and
// for audio {audioFirst, audioFrames}; a last segment shorter than one frame folds into the one
// before it.
export function videoPlan({ durationUs, fps, stMs, initsegMs = [], sampleRate = 0 }) {
  const fn = big(fps.num);
  const fd = big(fps.den);
  const total = ceilDiv(big(durationUs) * fn, fd * 1000000n);
  const bounds = boundariesMs(durationUs, stMs, initsegMs);
  while (bounds.length > 1 && (big(durationUs) - big(bounds.at(-1)) * 1000n) * fn < fd * 1000000n) bounds.pop();
  const firsts = [];
  for (const b of bounds) {
    const k = ceilDiv(big(b) * fn, fd * 1000n);
    if (k >= total) break;
    if (!firsts.length || k > firsts.at(-1)) firsts.push(k);
  }
  const audioAt = (k) => (sampleRate ? ceilDiv(k * fd * big(sampleRate), fn * 1024n) : 0n);
  const segments = firsts.map((first, i) => {
    const next = i + 1 < firsts.length ? firsts[i + 1] : total;
    const frames = next - first;
    return {
      first: Number(first), frames: Number(frames), extinf: formatSeconds(frames * fd, fn),
      seconds: Number(frames * fd) / Number(fn),
      audioFirst: Number(audioAt(first)), audioFrames: Number(audioAt(next) - audioAt(first)),
    };
  });
  const longest = segments.reduce((m, s) => (s.frames > m ? s.frames : m), 0);
  return {
    totalFrames: Number(total), totalAudioFrames: Number(audioAt(total)), segments,
    targetDuration: roundTarget(big(longest) * fd, fn), durationText: formatSeconds(total * fd, fn),
  };
}

export function audioPlan({ durationUs, sampleRate, stMs, initsegMs = [] }) {
  const r = big(sampleRate);
  const total = ceilDiv(big(durationUs) * r, 1024n * 1000000n);
  const bounds = boundariesMs(durationUs, stMs, initsegMs);
  while (bounds.length > 1 && (big(durationUs) - big(bounds.at(-1)) * 1000n) * r < 1024n * 1000000n) bounds.pop();
  const firsts = [];
  for (const b of bounds) {
    const j = ceilDiv(big(b) * r, 1024n * 1000n);
    if (j >= total) break;
    if (!firsts.length || j > firsts.at(-1)) firsts.push(j);
  }
  const segments = firsts.map((first, i) => {
    const frames = (i + 1 < firsts.length ? firsts[i + 1] : total) - first;
    return { audioFirst: Number(first), audioFrames: Number(frames), extinf: formatSeconds(frames * 1024n, r),
      seconds: Number(frames * 1024n) / sampleRate };
  });
  const longest = segments.reduce((m, s) => (s.audioFrames > m ? s.audioFrames : m), 0);
  return {
    totalAudioFrames: Number(total), segments,
    targetDuration: roundTarget(big(longest) * 1024n, r), durationText: formatSeconds(total * 1024n, r),
  };
}

// ---- playlists ----
export function parsePlaylist(text) {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const segments = [];
  const tags = [];
  let pending = null;
  for (const line of lines) {
    if (line.startsWith('#EXTINF:')) {
      pending = line.slice('#EXTINF:'.length);
    } else if (line.startsWith('#')) {
      tags.push(line);
    } else if (line.length) {
      const m = pending?.match(/^(\d+\.\d{3}),$/);
      segments.push({ extinfText: m ? m[1] : pending, extinf: m ? Number(m[1]) : NaN, uri: line });
      pending = null;
    }
  }
  return { lines, tags, segments };
}

// ---- signals ----
// Least-squares fit of a*sin + b*cos + c at a known frequency over samples[from, to).
export function fitTone(samples, frequency, rate, from = 0, to = samples.length) {
  const w = (2 * Math.PI * frequency) / rate;
  let ss = 0, cc = 0, sc = 0, s1 = 0, c1 = 0, n = 0, xs = 0, xc = 0, x1 = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin(w * i), c = Math.cos(w * i), x = samples[i];
    ss += s * s; cc += c * c; sc += s * c; s1 += s; c1 += c; n += 1; xs += x * s; xc += x * c; x1 += x;
  }
  const [a, b, c] = solve3([[ss, sc, s1], [sc, cc, c1], [s1, c1, n]], [xs, xc, x1]);
  return { a, b, c, amplitude: Math.hypot(a, b), residual: (i) => samples[i] - (a * Math.sin(w * i) + b * Math.cos(w * i) + c) };
}

function solve3(m, v) {
  const det = (x) => x[0][0] * (x[1][1] * x[2][2] - x[1][2] * x[2][1]) - x[0][1] * (x[1][0] * x[2][2] - x[1][2] * x[2][0]) +
    x[0][2] * (x[1][0] * x[2][1] - x[1][1] * x[2][0]);
  const d = det(m);
  return [0, 1, 2].map((col) => det(m.map((row, r) => row.map((x, c) => (c === col ? v[r] : x)))) / d);
}

// PSNR of two 8-bit planes (Infinity when identical).
export function psnr(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - b[i]; sum += d * d; }
  if (sum === 0) return Infinity;
  return 10 * Math.log10((255 * 255 * a.length) / sum);
}

export function shuffle(items, seed = 12345) {
  // Seeded so a failure can be reproduced; the seed is printed by the caller.
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// Runs fn over items with at most `limit` in flight; results in item order.
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

// ---- pictures ----
// Decoded frames as 8-bit gray planes of width x height (the source turned upright by ffmpeg's
// autorotate and scaled to the output size), in presentation order, every decoded frame kept.
export async function grayFrames(file, { width, height }) {
  const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough',
    '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  if (r.code !== 0) throw new Error(`decoding ${file}: ${r.stderr}`);
  const size = width * height;
  if (r.stdout.length % size !== 0) throw new Error(`decoded ${r.stdout.length} bytes, not whole ${width}x${height} frames`);
  return Array.from({ length: r.stdout.length / size }, (_, i) => r.stdout.subarray(i * size, (i + 1) * size));
}

// Presentation times of the source's decoded video frames as exact fractions {pts, num, den}
// (seconds = pts * num / den), in decode-output order.
export async function sourceFrameTimes(file) {
  const info = await ffprobe(file, ['-select_streams', 'v:0', '-show_entries', 'stream=time_base:frame=best_effort_timestamp', '-show_frames']);
  const [num, den] = info.streams[0].time_base.split('/').map(Number);
  return info.frames.map((f) => ({ pts: Number(f.best_effort_timestamp), num, den }));
}

// Which source frame output frame k shows, by docs/seamless.md's rule (the one documented rule;
// nothing else is accepted): the last source frame whose presentation time is at or before the
// instant startUs + k/F plus 1 ms of slack (ms time bases of MKV/WebM/FLV round frame times by up
// to half a millisecond and cannot state 1/29.97 s exactly); before the first frame, the first.
// Returns one source frame index per output frame, as a one-element list.
export function expectedSourceFrames(times, { startUs, fps, count }) {
  const out = [];
  const fn = BigInt(fps.num);
  const fd = BigInt(fps.den);
  // Both sides scaled by den * fn * 1e6: frame at pts*num/den s, instant startUs/1e6 + k*fd/fn + 1/1000.
  const at = (t) => BigInt(t.pts) * BigInt(t.num) * fn * 1000000n;
  const instant = (t, k) => (BigInt(startUs) * fn + BigInt(k) * fd * 1000000n + fn * 1000n) * BigInt(t.den);
  let i = -1;
  for (let k = 0; k < count; k++) {
    while (i + 1 < times.length && at(times[i + 1]) <= instant(times[i + 1], k)) i++;
    out.push([Math.max(i, 0)]);
  }
  return out;
}

// Output frame k against the source frame docs/seamless.md says it shows. A failure names the frame,
// the expected source frame and which source frame it really looks like.
export function comparePictures(outFrames, srcFrames, expected, { minPsnr, label = '', explain = true }) {
  const failing = [];
  const values = [];
  for (let k = 0; k < outFrames.length && k < expected.length; k++) {
    const p = Math.max(...expected[k].map((j) => psnr(outFrames[k], srcFrames[j])));
    values.push(p);
    if (p < minPsnr) failing.push([k, p]);
  }
  // Only the reported frames are matched against every source frame (the costly part).
  const failures = failing.slice(0, 6).map(([k, p]) => {
    if (!explain) return `${label}output frame ${k}: ${p.toFixed(1)} dB against source frame ${expected[k].join('/')}`;
    let best = -1;
    let bestP = -Infinity;
    for (let j = 0; j < srcFrames.length; j++) {
      const q = psnr(outFrames[k], srcFrames[j]);
      if (q > bestP) { bestP = q; best = j; }
    }
    return `${label}output frame ${k}: ${p.toFixed(1)} dB against source frame ${expected[k].join('/')}; ` +
      `it looks like source frame ${best} (${bestP.toFixed(1)} dB)`;
  });
  if (failing.length > 6) failures.push(`${label}... and ${failing.length - 6} more frames`);
  const finite = values.filter(Number.isFinite);
  return { failures, min: Math.min(...values), mean: finite.reduce((a, b) => a + b, 0) / (finite.length || 1) };
}
