// GenerateVideoPlaylist from the client side: the signed service-level POST through ali-oss's own
// request signing, sources with several audio languages and subtitles made by the ffmpeg CLI,
// master playlist attribute parsing, CODECS read back from the segments' SPS, measured bit rates
// and WebVTT parsing.
import { writeFileSync } from 'node:fs';

import { ffmpeg } from './media.mjs';
import { parseTs } from './mpegts.mjs';

const xmlField = (xml, name) => xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))?.[1];

// POST /?GenerateVideoPlaylist with a JSON body, signed by ali-oss (V1 or V4, as the client is
// set up). The sub-resource goes in `query`: ali-oss V1 signs only `subres`, and OSS's V1
// canonical resource does not list GenerateVideoPlaylist, so neither side signs it (V4 signs
// every query parameter on both sides). Non-200 answers are thrown with status, code and the
// ArgumentName/Value fields.
export async function generateVideoPlaylist(oss, body) {
  const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const r = await oss.request({ method: 'POST', query: { GenerateVideoPlaylist: '' }, content, mime: 'application/json',
    successStatuses: [200, 400, 403, 404, 409, 500] });
  const text = r.data.toString();
  if (r.status !== 200) {
    const err = new Error(xmlField(text, 'Message') ?? `status ${r.status}`);
    Object.assign(err, { status: r.status, code: xmlField(text, 'Code'), argumentName: xmlField(text, 'ArgumentName'),
      argumentValue: xmlField(text, 'ArgumentValue'), body: text });
    throw err;
  }
  return { status: r.status, headers: r.res.headers, json: JSON.parse(text) };
}

// ---- sources ----
// SRT cues (seconds) of the test subtitles: one crosses the 4 s boundary of [2, 2, 6, ...] s
// segments, one crosses 10 s, one sits inside a segment, the last ends at the end.
export const CUES = [
  { start: 0.5, end: 1.75, text: 'Hello & welcome' },
  { start: 3.2, end: 4.9, text: 'Across the join: x < y -> z' },
  { start: 6.04, end: 7.5, text: 'Inside\ntwo lines' },
  { start: 9.5, end: 10.6, text: 'Across 10 s' },
  { start: 15.25, end: 17.999, text: 'Near the end' },
];

const srtTime = (s) => {
  const ms = Math.round(s * 1000);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
};

export function srtText(cues) {
  return cues.map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${c.text}\n`).join('\n');
}

// A video with two audio languages (eng 440 Hz, fra 880 Hz, so they can be told apart) and the
// SRT as a subtitle stream: MKV (SRT) and MP4 (mov_text); plus the SRT on its own (cues shifted
// by `externalShift` s so the external rendition is told apart from the embedded one).
export async function makeSources(work, { seconds = 18, size = '640x360', externalShift = 0.25 } = {}) {
  const srt = work.file('subs.srt');
  writeFileSync(srt, srtText(CUES));
  const external = work.file('external.srt');
  writeFileSync(external, srtText(CUES.map((c) => ({ ...c, start: c.start + externalShift, end: c.end + externalShift }))));
  const inputs = ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=880:sample_rate=44100:duration=${seconds}`, '-i', srt,
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-map', '3:s',
    '-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fra', '-metadata:s:s:0', 'language=eng'];
  const mkv = work.file('movie.mkv');
  const mp4 = work.file('movie.mp4');
  await ffmpeg([...inputs, '-c:s', 'srt', mkv]);
  await ffmpeg([...inputs, '-c:s', 'mov_text', mp4]);
  return { mkv, mp4, srt, external, seconds };
}

// ---- master playlists ----
// An attribute list (RFC 8216 §4.2): NAME=value pairs, quoted strings kept whole.
export function attributes(list) {
  const out = {};
  const re = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g;
  let m;
  while ((m = re.exec(list))) out[m[1]] = m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
  return out;
}

export function parseMaster(text) {
  const lines = text.split('\n').filter((l) => l.length);
  const media = [];
  const variants = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('#EXT-X-MEDIA:')) media.push(attributes(lines[i].slice('#EXT-X-MEDIA:'.length)));
    if (lines[i].startsWith('#EXT-X-STREAM-INF:'))
      variants.push({ ...attributes(lines[i].slice('#EXT-X-STREAM-INF:'.length)), uri: lines[i + 1] });
  }
  return { lines, media, variants };
}

// "avc1.PPCCLL" from the first SPS of a TS segment, read here independently of the server.
export function avc1FromTs(buf) {
  const video = parseTs(buf).streams.find((s) => s.kind === 'video');
  const payload = video?.pes[0]?.payload;
  if (!payload) return null;
  for (let i = 0; i + 6 < payload.length; i++) {
    if (payload[i] === 0 && payload[i + 1] === 0 && payload[i + 2] === 1 && (payload[i + 3] & 0x1f) === 7) {
      const hex = (b) => b.toString(16).padStart(2, '0');
      return `avc1.${hex(payload[i + 4])}${hex(payload[i + 5])}${hex(payload[i + 6])}`;
    }
  }
  return null;
}

// Bit rates of a media playlist's segments: each one, every run of consecutive segments lasting
// 0.5 to 1.5 target durations (the HLS peak definition), and the whole.
export function measureRates(segments, targetDuration) {
  const each = segments.map((s) => ({ seconds: s.extinf, bits: s.buf.length * 8, rate: (s.buf.length * 8) / s.extinf }));
  const windows = [];
  for (let i = 0; i < each.length; i++) {
    let w = 0;
    let bits = 0;
    for (let j = i; j < each.length && w < 1.5 * targetDuration; j++) {
      w += each[j].seconds;
      bits += each[j].bits;
      if (w >= 0.5 * targetDuration && w <= 1.5 * targetDuration) windows.push({ from: i, to: j, rate: bits / w });
    }
  }
  const total = each.reduce((t, s) => t + s.seconds, 0);
  const average = each.reduce((t, s) => t + s.bits, 0) / total;
  const peak = windows.length ? Math.max(...windows.map((w) => w.rate)) : average;
  return { each, windows, peak, average };
}

// ---- WebVTT ----
const vttSeconds = (t) => {
  const m = /^(\d+):(\d{2}):(\d{2})\.(\d{3})$/.exec(t);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000 : NaN;
};

// {header: [lines before the first cue], cues: [{start, end, text}]}
export function parseWebVtt(text) {
  const blocks = text.replace(/\r/g, '').split(/\n\n+/);
  const header = blocks.shift().split('\n');
  const cues = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.length);
    if (!lines.length) continue;
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [a, b] = lines[at].split('-->').map((x) => x.trim().split(' ')[0]);
    cues.push({ start: vttSeconds(a), end: vttSeconds(b), text: lines.slice(at + 1).join('\n') });
  }
  return { header, cues };
}

export const unescapeVtt = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
