// Live transcoding from the client side: POST hls/m3u8 through ali-oss, signed hls/sign URLs,
// segment fetching, independent re-computation of segment-line signatures, and the seamless
// checks of docs/seamless.md over a whole playlist.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { analyseTs } from './mpegts.mjs';
import { ffprobe, mapLimit, parsePlaylist, shuffle } from './media.mjs';
import { ACCESS_KEY_SECRET } from './server.mjs';

const require = createRequire(import.meta.url);
const signUtils = require('ali-oss/lib/common/signUtils');

export const TICKS = 90000;

const xmlField = (xml, name) => xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))?.[1];

// POST <source>?x-oss-process=hls/m3u8,<params>|sys/saveas,... via the SDK; returns the JSON body.
// processObjectSave resolves whatever the status, so a non-200 answer is thrown here the way
// ali-oss throws for other calls (status, code, message), plus the ArgumentName/Value fields.
export async function postPlaylist(oss, sourceKey, playlistKey, params, targetBucket) {
  const r = await oss.processObjectSave(sourceKey, playlistKey, params ? `hls/m3u8,${params}` : 'hls/m3u8', targetBucket);
  const body = r.res.data.toString();
  if (r.status !== 200) {
    const err = new Error(xmlField(body, 'Message') ?? `status ${r.status}`);
    Object.assign(err, { status: r.status, code: xmlField(body, 'Code'), argumentName: xmlField(body, 'ArgumentName'),
      argumentValue: xmlField(body, 'ArgumentValue'), body });
    throw err;
  }
  return { status: r.status, headers: r.res.headers, json: JSON.parse(body) };
}

export async function signedPlaylistUrl(oss, key, { v4 = false, live = true, expires = 3600 } = {}) {
  const process = live ? 'hls/sign,live_1' : 'hls/sign';
  if (v4) return oss.signatureUrlV4('GET', expires, { queries: { 'x-oss-process': process } }, key);
  return oss.signatureUrl(key, { expires, process });
}

export async function fetchBuffer(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

// One value of the server's /-/metrics.
export async function metric(server, name) {
  const text = await (await fetch(`${server.endpoint}/-/metrics`)).text();
  return Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
}

// Until no segment job runs or waits (prefetch and initd included).
export async function waitForIdle(server, { timeoutMs = 120000 } = {}) {
  const until = Date.now() + timeoutMs;
  while ((await metric(server, 'osslive_transcodes_running')) + (await metric(server, 'osslive_transcode_queue_depth')) > 0) {
    if (Date.now() > until) throw new Error(`segment jobs still running or queued after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// base64 in either alphabet, padding optional (docs/api.md).
export function decodeB64(text) {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

// A signed segment line: its name, and its query parameters in order, values decoded.
export function splitLine(line) {
  const q = line.indexOf('?');
  const name = q < 0 ? line : line.slice(0, q);
  const params = q < 0 ? [] : line.slice(q + 1).split('&').map((kv) => {
    const eq = kv.indexOf('=');
    const k = eq < 0 ? kv : kv.slice(0, eq);
    return [decodeURIComponent(k), eq < 0 ? '' : decodeURIComponent(kv.slice(eq + 1))];
  });
  return { name, params, get: (k) => params.find(([n]) => n === k)?.[1], raw: q < 0 ? '' : line.slice(q + 1) };
}

// The process a live line carries: if_status_eq_404{hls/ts,from_<b64>} -> the decoded playlist key.
export function liveFrom(process) {
  const m = /^if_status_eq_404\{hls\/ts,from_([A-Za-z0-9+/_=-]+)\}$/.exec(process ?? '');
  return m ? decodeB64(m[1]) : null;
}

// The V1 URL signature of GET /bucket/key with its sub-resources, computed here from the V1 rules in docs/api.md
// rather than taken from the server.
export function v1Signature({ bucket, key, expires, subresources = {} }) {
  const sub = Object.keys(subresources).sort().map((k) => (subresources[k] === '' ? k : `${k}=${subresources[k]}`));
  const resource = `/${bucket}/${key}${sub.length ? `?${sub.join('&')}` : ''}`;
  return createHmac('sha1', ACCESS_KEY_SECRET).update(`GET\n\n\n${expires}\n${resource}`).digest('base64');
}

// The V4 presigned signature through ali-oss's own canonicalisation helpers.
export function v4Signature({ bucket, key, queries, region = 'cn-hangzhou' }) {
  const date = queries['x-oss-date'];
  const canonical = signUtils.getCanonicalRequest('GET', { headers: {}, queries }, bucket, key, []);
  const toSign = signUtils.getStringToSign(region, date, canonical);
  return signUtils.getSignatureV4(ACCESS_KEY_SECRET, date.split('T')[0], region, toSign);
}

// Fetches every URL in a seeded shuffled order, `concurrency` at a time; bodies in URL order.
export async function fetchAll(urls, { concurrency = 2, seed = 1 } = {}) {
  const order = shuffle(urls.map((_, i) => i), seed);
  const bodies = new Array(urls.length);
  await mapLimit(order, concurrency, async (i) => {
    const r = await fetchBuffer(urls[i]);
    if (r.status !== 200) throw new Error(`segment ${i}: GET ${urls[i]} -> ${r.status} ${r.body.toString().slice(0, 400)}`);
    if (r.headers.get('content-type') !== 'video/MP2T') throw new Error(`segment ${i}: content-type ${r.headers.get('content-type')}`);
    bodies[i] = r.body;
  });
  return { bodies, order };
}

// Signed playlist -> every segment fetched (shuffled), saved under dir, returned with its EXTINF.
export async function fetchPlaylistSegments(playlistUrl, { dir, seed = 1, concurrency = 2 } = {}) {
  const res = await fetchBuffer(playlistUrl);
  if (res.status !== 200) throw new Error(`GET ${playlistUrl} -> ${res.status} ${res.body}`);
  const playlist = parsePlaylist(res.body.toString());
  const urls = playlist.segments.map((s) => new URL(s.uri, playlistUrl).href);
  const { bodies, order } = await fetchAll(urls, { concurrency, seed });
  const segments = playlist.segments.map((s, i) => {
    const file = dir ? `${dir}/seg-${i}.ts` : null;
    if (file) writeFileSync(file, bodies[i]);
    return { ...s, index: i, url: urls[i], buf: bodies[i], file };
  });
  return { playlist, segments, order, text: res.body.toString() };
}

const near = (got, want, tol = 1) => Math.abs(got - want) <= tol;
const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

// docs/seamless.md checks over one playlist's segments. `expect`: {plan (videoPlan/audioPlan),
// video: {fps, width, height, pixFmt} | null, audio: {rate, channels} | null}. Returns readable
// failure lines (empty when seamless) and what was measured.
export async function verifySegments(segments, expect) {
  const failures = [];
  const fail = (s) => failures.push(s);
  const { plan, video, audio } = expect;
  if (segments.length !== plan.segments.length)
    fail(`playlist has ${segments.length} segments, the plan ${plan.segments.length} (EXTINF ${segments.map((s) => s.extinfText)})`);
  const parsed = segments.map((s) => {
    try { return analyseTs(s.buf); } catch (e) { fail(`segment ${s.index}: not a valid TS: ${e.message}`); return null; }
  });
  if (parsed.includes(null)) return { failures };
  const vTick = video ? (TICKS * video.fps.den) / video.fps.num : 0;
  const aTick = audio ? (1024 * TICKS) / audio.rate : 0;
  const measured = [];
  let origin = null;

  for (const [i, a] of parsed.entries()) {
    const want = plan.segments[i] ?? {};
    if (a.mediaBeforePmt) fail(`segment ${i}: media packets before PAT/PMT`);
    if (!!a.video !== !!video) fail(`segment ${i}: video stream ${a.video ? 'present' : 'missing'}, expected ${video ? 'one' : 'none'}`);
    if (!!a.audio !== !!audio) fail(`segment ${i}: audio stream ${a.audio ? 'present' : 'missing'}, expected ${audio ? 'one' : 'none'}`);
    if (video && a.video && !a.video.frames.length) fail(`segment ${i} video: no frames`);
    if (video && a.video?.frames.length) {
      const frames = a.video.frames;
      const pts = frames.map((f) => f.pts).sort((x, y) => x - y);
      if (origin === null) origin = pts[0];
      if (frames.length !== want.frames)
        fail(`segment ${i} video: expected ${want.frames} frames (EXTINF ${want.extinf}), got ${frames.length}`);
      if (!frames[0]?.idr) fail(`segment ${i} video: first frame is not an IDR (NAL types ${frames[0]?.nals})`);
      if (!frames[0]?.paramSets) fail(`segment ${i} video: no SPS/PPS in band before the first frame`);
      if (frames[0] && frames[0].pts !== pts[0]) fail(`segment ${i} video: first decoded frame PTS ${frames[0].pts} is not the first shown (${pts[0]})`);
      const bad = pts.findIndex((p, k) => !near(p, origin + (want.first + k) * vTick));
      if (bad >= 0)
        fail(`segment ${i} video: output frame ${want.first + bad} expected PTS ${fmt(origin + (want.first + bad) * vTick)}, got ${pts[bad]}`);
      for (const f of frames) if (f.dts > f.pts) { fail(`segment ${i} video: DTS ${f.dts} > PTS ${f.pts}`); break; }
      measured.push({ frames: frames.length, seconds: (frames.length * video.fps.den) / video.fps.num, first: pts[0], last: pts.at(-1) });
    }
    if (audio && a.audio && !a.audio.frames.length) fail(`segment ${i} audio: no AAC frames`);
    if (audio && a.audio?.frames.length && parsed[0].audio?.frames.length) {
      const frames = a.audio.frames;
      if (a.audio.rate !== audio.rate) fail(`segment ${i} audio: ADTS sample rate ${a.audio.rate}, expected ${audio.rate}`);
      if (a.audio.channels !== audio.channels) fail(`segment ${i} audio: ADTS channels ${a.audio.channels}, expected ${audio.channels}`);
      if (origin === null) origin = frames[0].pts;
      if (i === 0 && video && !near(frames[0].pts, origin))
        fail(`audio frame 0 at PTS ${fmt(frames[0].pts)} but video frame 0 at ${origin}: A/V offset ${fmt((frames[0].pts - origin) / 90)} ms`);
      // Later frames are judged against audio frame 0, so one A/V offset is reported once.
      const anchor = parsed[0].audio.frames[0].pts;
      if (frames.length !== want.audioFrames) fail(`segment ${i} audio: expected ${want.audioFrames} AAC frames, got ${frames.length}`);
      const bad = frames.findIndex((f, k) => !near(f.pts, anchor + (want.audioFirst + k) * aTick));
      if (bad >= 0)
        fail(`segment ${i} audio: AAC frame ${want.audioFirst + bad} expected PTS ${fmt(anchor + (want.audioFirst + bad) * aTick)}, got ${fmt(frames[bad].pts)}`);
      if (!video) measured.push({ frames: frames.length, seconds: (frames.length * 1024) / audio.rate, first: frames[0].pts, last: frames.at(-1).pts });
    }
  }

  const has = (a, kind) => a[kind]?.frames.length > 0;
  for (let i = 0; i + 1 < parsed.length; i++) {
    if (video && has(parsed[i], 'video') && has(parsed[i + 1], 'video')) {
      const last = Math.max(...parsed[i].video.frames.map((f) => f.pts));
      const first = Math.min(...parsed[i + 1].video.frames.map((f) => f.pts));
      if (!near(first - last, vTick))
        fail(`join ${i}->${i + 1} video: expected first PTS ${fmt(last + vTick)} (last ${last} + 1/F), got ${first} (${fmt(first - last - vTick)} ticks off)`);
    }
    if (audio && has(parsed[i], 'audio') && has(parsed[i + 1], 'audio')) {
      const last = parsed[i].audio.frames.at(-1).pts;
      const first = parsed[i + 1].audio.frames[0].pts;
      if (!near(first - last, aTick))
        fail(`join ${i}->${i + 1} audio: expected first PTS ${fmt(last + aTick)} (last ${fmt(last)} + 1024/R), got ${fmt(first)} (${fmt(first - last - aTick)} ticks off)`);
    }
  }
  if (video) {
    let prev = -Infinity;
    outer: for (const [i, a] of parsed.entries()) {
      for (const [k, f] of (a.video?.frames ?? []).entries()) {
        if (f.dts <= prev) { fail(`video DTS not increasing at segment ${i} frame ${k}: ${prev} then ${f.dts}`); break outer; }
        prev = f.dts;
      }
    }
  }

  // EXTINF against what was measured, to the frame.
  const unit = video ? video.fps.den / video.fps.num : 1024 / audio.rate;
  for (const [i, s] of segments.entries()) {
    const m = measured[i];
    if (!m) continue;
    if (!(Math.abs(s.extinf - m.seconds) < unit)) fail(`segment ${i}: EXTINF ${s.extinfText} but measured ${m.seconds.toFixed(4)} s`);
    if (plan.segments[i] && s.extinfText !== plan.segments[i].extinf)
      fail(`segment ${i}: EXTINF ${s.extinfText}, the exact duration of its frames is ${plan.segments[i].extinf}`);
  }
  const sum = segments.reduce((t, s) => t + s.extinf, 0);
  const total = measured.length ? (measured.at(-1).last - measured[0].first) / TICKS + unit : 0;
  if (!(Math.abs(sum - total) < unit)) fail(`sum of EXTINF ${sum.toFixed(3)} s, measured output ${total.toFixed(4)} s`);

  // Each segment decodes alone, without decoder errors, with the expected picture and sound.
  await Promise.all(segments.map(async (s, i) => {
    if (!s.file) return;
    const info = await ffprobe(s.file, ['-count_frames', '-show_streams']);
    if (info.stderr.trim()) fail(`segment ${i}: ffprobe reports: ${info.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
    const v = info.streams.find((x) => x.codec_type === 'video');
    const au = info.streams.find((x) => x.codec_type === 'audio');
    if (video && v) {
      if (v.codec_name !== 'h264') fail(`segment ${i}: video codec ${v.codec_name}`);
      if (`${v.width}x${v.height}` !== `${video.width}x${video.height}`) fail(`segment ${i}: picture ${v.width}x${v.height}, expected ${video.width}x${video.height}`);
      if (video.pixFmt && v.pix_fmt !== video.pixFmt) fail(`segment ${i}: pix_fmt ${v.pix_fmt}, expected ${video.pixFmt}`);
      if (Number(v.nb_read_frames) !== parsed[i].video.frames.length) fail(`segment ${i}: ${v.nb_read_frames} frames decode of ${parsed[i].video.frames.length} packets`);
    }
    if (audio && au) {
      if (au.codec_name !== 'aac') fail(`segment ${i}: audio codec ${au.codec_name}`);
      if (Number(au.nb_read_frames) !== parsed[i].audio.frames.length) fail(`segment ${i}: ${au.nb_read_frames} AAC frames decode of ${parsed[i].audio.frames.length}`);
    }
  }));
  return { failures, parsed, measured };
}

// RFC 8216 shape (docs/api.md) of a playlist text; `plan` gives the exact EXTINF values and
// TARGETDURATION. `stored` allows the manifest comment line of the stored object.
export function checkPlaylistText(text, { playlistKey, token, plan, stored = false, lineCheck = null }) {
  const failures = [];
  const fail = (s) => failures.push(s);
  if (!text.endsWith('\n')) fail('playlist does not end with a line break');
  const { lines, segments } = parsePlaylist(text);
  if (lines[0] !== '#EXTM3U') fail(`first line ${JSON.stringify(lines[0])}, expected #EXTM3U`);
  const headerEnd = lines.findIndex((l) => l.startsWith('#EXTINF'));
  const header = lines.slice(1, headerEnd < 0 ? lines.length : headerEnd);
  for (const tag of ['#EXT-X-VERSION:3', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD'])
    if (!header.includes(tag)) fail(`no ${tag} before the first segment`);
  const td = header.find((l) => l.startsWith('#EXT-X-TARGETDURATION:'));
  const target = td ? td.slice('#EXT-X-TARGETDURATION:'.length) : '';
  if (!/^\d+$/.test(target)) fail(`EXT-X-TARGETDURATION ${JSON.stringify(target)} is not an integer`);
  if (plan && Number(target) !== plan.targetDuration) fail(`EXT-X-TARGETDURATION ${target}, expected ${plan.targetDuration}`);
  if (lines.at(-1) !== '#EXT-X-ENDLIST') fail(`last line ${JSON.stringify(lines.at(-1))}, expected #EXT-X-ENDLIST`);
  const manifest = lines.filter((l) => l.startsWith('#OSSLIVE-MANIFEST:'));
  if (stored && manifest.length !== 1) fail(`stored playlist has ${manifest.length} manifest lines`);
  if (!stored && manifest.length) fail('a signed playlist must not carry the manifest line');
  for (const l of lines) {
    if (!l.length) fail('empty line in the playlist');
    else if (l.startsWith('#') && !l.startsWith('#EXT') && !l.startsWith('#OSSLIVE-MANIFEST:')) fail(`unexpected comment ${l.slice(0, 40)}`);
  }
  const stem = playlistKey.split('/').pop().replace(/\.m3u8$/, '');
  for (const [i, s] of segments.entries()) {
    if (!/^\d+\.\d{3}$/.test(s.extinfText ?? '')) fail(`segment ${i}: EXTINF ${JSON.stringify(s.extinfText)} is not <seconds with 3 decimals>,`);
    if (Math.round(s.extinf) > Number(target)) fail(`segment ${i}: EXTINF ${s.extinfText} rounds above TARGETDURATION ${target}`);
    const name = s.uri.split('?')[0];
    if (name !== `${encodeURIComponent(stem)}-${token}-${i}.ts`) fail(`segment ${i}: URI ${name}, expected ${stem}-${token}-${i}.ts`);
    if (lineCheck) { const problem = lineCheck(s.uri, i); if (problem) fail(`segment ${i}: ${problem}`); }
  }
  if (plan) {
    const got = segments.map((s) => s.extinfText);
    const want = plan.segments.map((s) => s.extinf);
    if (got.join() !== want.join()) fail(`EXTINF ${got.join(' ')}; exact frame durations are ${want.join(' ')}`);
  }
  return { failures, segments, target: Number(target) };
}
