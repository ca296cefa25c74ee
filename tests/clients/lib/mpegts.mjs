// A small MPEG-TS reader for the segment checks: PAT/PMT, PES timestamps straight from the PES
// headers (no demuxer interpolation), H.264/H.265 NAL unit types, and ADTS frames inside audio PES.
// Exact 90 kHz values matter here: a join is judged to the tick.

const PACKET = 188;

export const STREAM_TYPES = {
  0x1b: { kind: 'video', codec: 'h264' },
  0x24: { kind: 'video', codec: 'hevc' },
  0x0f: { kind: 'audio', codec: 'aac' },
  0x03: { kind: 'audio', codec: 'mp3' },
  0x04: { kind: 'audio', codec: 'mp3' },
};

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

function readTimestamp(b, at) {
  // 33 bits spread over 5 bytes with marker bits; fits a double exactly.
  return ((b[at] >> 1) & 0x07) * 2 ** 30 + ((b[at + 1] << 7) | (b[at + 2] >> 1)) * 2 ** 15 +
    ((b[at + 3] << 7) | (b[at + 4] >> 1));
}

function sectionPayload(payload) {
  const pointer = payload[0];
  return payload.subarray(1 + pointer);
}

function parsePat(payload) {
  const s = sectionPayload(payload);
  if (s[0] !== 0x00) throw new Error(`PAT table_id ${s[0]}`);
  const length = ((s[1] & 0x0f) << 8) | s[2];
  const pmtPids = [];
  for (let at = 8; at + 4 <= 3 + length - 4; at += 4) {
    const program = (s[at] << 8) | s[at + 1];
    const pid = ((s[at + 2] & 0x1f) << 8) | s[at + 3];
    if (program !== 0) pmtPids.push(pid);
  }
  return pmtPids;
}

function parsePmt(payload) {
  const s = sectionPayload(payload);
  if (s[0] !== 0x02) throw new Error(`PMT table_id ${s[0]}`);
  const length = ((s[1] & 0x0f) << 8) | s[2];
  const end = 3 + length - 4;
  const pcrPid = ((s[8] & 0x1f) << 8) | s[9];
  const infoLength = ((s[10] & 0x0f) << 8) | s[11];
  const streams = [];
  for (let at = 12 + infoLength; at + 5 <= end;) {
    const streamType = s[at];
    const pid = ((s[at + 1] & 0x1f) << 8) | s[at + 2];
    const esInfo = ((s[at + 3] & 0x0f) << 8) | s[at + 4];
    streams.push({ pid, streamType, ...(STREAM_TYPES[streamType] ?? { kind: 'other', codec: `0x${streamType.toString(16)}` }) });
    at += 5 + esInfo;
  }
  return { pcrPid, streams };
}

function parsePes(buf) {
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 1) throw new Error('PES without a start code');
  const flags = buf[7] >> 6;
  const headerLength = buf[8];
  let pts = null;
  let dts = null;
  if (flags & 2) pts = readTimestamp(buf, 9);
  if (flags === 3) dts = readTimestamp(buf, 14);
  return { pts, dts: dts ?? pts, payload: buf.subarray(9 + headerLength) };
}

// NAL unit types of an Annex B access unit.
export function nalTypes(payload, codec = 'h264') {
  const types = [];
  for (let i = 0; i + 3 < payload.length; i++) {
    if (payload[i] === 0 && payload[i + 1] === 0 && payload[i + 2] === 1) {
      const header = payload[i + 3];
      types.push(codec === 'hevc' ? (header >> 1) & 0x3f : header & 0x1f);
      i += 2;
    }
  }
  return types;
}

// ADTS frames of one audio PES: each 1024 samples per raw data block.
export function adtsFrames(payload) {
  const frames = [];
  for (let at = 0; at + 7 <= payload.length;) {
    if (payload[at] !== 0xff || (payload[at + 1] & 0xf0) !== 0xf0) throw new Error(`ADTS sync lost at byte ${at}`);
    const rate = ADTS_RATES[(payload[at + 2] >> 2) & 0x0f];
    const channels = ((payload[at + 2] & 0x01) << 2) | (payload[at + 3] >> 6);
    const length = ((payload[at + 3] & 0x03) << 11) | (payload[at + 4] << 3) | (payload[at + 5] >> 5);
    const blocks = (payload[at + 6] & 0x03) + 1;
    if (length < 7) throw new Error(`ADTS frame length ${length}`);
    frames.push({ rate, channels, blocks, length });
    at += length;
  }
  return frames;
}

// Whole-file parse: { firstPid, pmtBeforeMedia, streams: [{pid, kind, codec, pes: [{pts, dts, payload}]}] }.
export function parseTs(buf) {
  if (buf.length === 0 || buf.length % PACKET !== 0) throw new Error(`TS length ${buf.length} is not a multiple of 188`);
  let pmtPids = [];
  let program = null;
  const partial = new Map();  // pid -> Buffer[] of the PES being assembled
  const pes = new Map();      // pid -> finished PES buffers
  let mediaBeforePmt = false;
  const firstPid = ((buf[1] & 0x1f) << 8) | buf[2];

  const finish = (pid) => {
    const parts = partial.get(pid);
    if (parts && parts.length) pes.get(pid).push(Buffer.concat(parts));
    partial.set(pid, []);
  };

  for (let off = 0; off < buf.length; off += PACKET) {
    if (buf[off] !== 0x47) throw new Error(`TS sync byte missing at ${off}`);
    const pusi = (buf[off + 1] & 0x40) !== 0;
    const pid = ((buf[off + 1] & 0x1f) << 8) | buf[off + 2];
    const afc = (buf[off + 3] >> 4) & 0x03;
    let at = off + 4;
    if (afc & 0x02) at += 1 + buf[at];
    if (!(afc & 0x01) || at >= off + PACKET) continue;
    const payload = buf.subarray(at, off + PACKET);
    if (pid === 0) {
      if (pusi) pmtPids = parsePat(payload);
    } else if (pmtPids.includes(pid)) {
      if (pusi && !program) {
        program = parsePmt(payload);
        for (const s of program.streams) { partial.set(s.pid, []); pes.set(s.pid, []); }
      }
    } else if (program && partial.has(pid)) {
      if (pusi) finish(pid);
      partial.get(pid).push(payload);
    } else if (!program && pid !== 0x1fff && pid !== 0x11) {
      mediaBeforePmt = true;
    }
  }
  if (!program) throw new Error('no PMT in the TS');
  for (const s of program.streams) finish(s.pid);
  return {
    firstPid,
    mediaBeforePmt,
    pcrPid: program.pcrPid,
    streams: program.streams.map((s) => ({ ...s, pes: pes.get(s.pid).map(parsePes) })),
  };
}

const TICKS = 90000;

// Per-stream frame lists of one segment, timestamps in 90 kHz ticks (audio frames inside a PES are
// placed exactly at PES PTS + k * 1024 / R, as a player would).
export function analyseTs(buf) {
  const ts = parseTs(buf);
  const out = { firstPid: ts.firstPid, mediaBeforePmt: ts.mediaBeforePmt, video: null, audio: null, streams: ts.streams };
  for (const s of ts.streams) {
    if (s.kind === 'video' && !out.video) {
      out.video = {
        codec: s.codec,
        frames: s.pes.map((p) => {
          const types = nalTypes(p.payload, s.codec);
          const idr = s.codec === 'hevc' ? types.some((t) => t === 19 || t === 20) : types.includes(5);
          const paramSets = s.codec === 'hevc' ? types.includes(33) && types.includes(34) : types.includes(7) && types.includes(8);
          return { pts: p.pts, dts: p.dts, idr, paramSets, nals: types };
        }),
      };
    } else if (s.kind === 'audio' && !out.audio && s.codec === 'aac') {
      const frames = [];
      let rate = 0;
      let channels = 0;
      for (const p of s.pes) {
        let offset = 0;
        for (const f of adtsFrames(p.payload)) {
          rate = f.rate;
          channels = f.channels;
          for (let b = 0; b < f.blocks; b++) {
            frames.push({ pts: p.pts + (offset * 1024 * TICKS) / f.rate });
            offset++;
          }
        }
      }
      out.audio = { codec: s.codec, rate, channels, frames };
    }
  }
  return out;
}
