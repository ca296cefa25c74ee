// GenerateVideoPlaylist (osslive extension): a master playlist over three video renditions, two
// audio languages and WebVTT subtitles of one MKV; an MP4 with mov_text and an external SRT. From
// the client side: the master's attributes (CODECS against the segments' own SPS, BANDWIDTH
// against the bit rates the segments really have), one segment timeline for every rendition,
// the docs/seamless.md join checks on every segment of every rendition, the cue times of every WebVTT
// segment against the SRT, and the signed master -> media playlist -> segment chain (V1 and V4)
// that ffmpeg plays.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import {
  avc1FromTs, CUES, generateVideoPlaylist, makeSources, measureRates, parseMaster, parseWebVtt, unescapeVtt,
} from './lib/adaptive.mjs';
import { fetchAll, fetchBuffer, signedPlaylistUrl, splitLine, v1Signature, verifySegments } from './lib/live.mjs';
import { analyseTs } from './lib/mpegts.mjs';
import { durationUs, ffprobe, fitTone, formatSeconds, parsePlaylist, run, tempDir, videoPlan } from './lib/media.mjs';
import { client, fetchText, xmlField } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
const bucket = 'adaptive';
const SEGMENT = 6;          // Duration (s)
const INITIAL = [2, 2];     // InitialSegments (s)
const VIDEO = [
  { Video: { Resolution: '640x360', Bitrate: 900000 } },
  { Video: { Resolution: '480x270', CRF: 28, MaxBitrate: 700000 } },
  { Video: { Resolution: '320x180', Bitrate: 300000 } },
];
const AUDIO = [
  { Audio: { Stream: 'eng', Bitrate: 128000 }, tone: 440, rate: 48000 },
  { Audio: { Language: 'fra', Bitrate: 96000, Name: 'Français' }, tone: 880, rate: 44100 },
];

let server;
let work;
let oss;
let sources;
let probe;  // {formatStartUs, videoStartUs, durationUs} of the MKV

before(async () => {
  work = tempDir('osslive-adaptive-');
  server = await startServer();
  oss = client(server, { bucket });
  await oss.putBucket(bucket);
  sources = await makeSources(work);
  await oss.put('in/movie.mkv', sources.mkv);
  await oss.put('in/movie.mp4', sources.mp4);
  await oss.put('in/movie.de.srt', sources.external);
  probe = await startTimes(sources.mkv);
});
after(async () => {
  await server?.stop();
  if (!process.env.OSSLIVE_KEEP_MEDIA) work?.remove();
  console.log(`# adaptive.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

async function startTimes(file) {
  const info = await ffprobe(file, ['-show_entries', 'format=start_time:stream=codec_type,start_time']);
  const us = (t) => Math.round(Number(t ?? 0) * 1e6);
  return { formatStartUs: us(info.format.start_time), videoStartUs: us(info.streams.find((s) => s.codec_type === 'video').start_time),
    durationUs: await durationUs(file) };
}

const targets = (extra = {}) => [
  { ...VIDEO[0], Duration: SEGMENT, InitialSegments: INITIAL, InitialTranscode: 0 },
  ...VIDEO.slice(1).map((t) => ({ ...t, InitialTranscode: 0 })),
  ...AUDIO.map(({ Audio }) => ({ Audio, InitialTranscode: 0 })),
  { Subtitle: { Stream: 0 } },
  ...(extra.more ?? []),
];

// The signed media playlist behind a master URI, and every one of its segments.
async function fetchRendition(uri, masterUrl) {
  const url = new URL(uri, masterUrl).href;
  const res = await fetchBuffer(url);
  assert.equal(res.status, 200, `${uri}: ${res.body}`);
  const text = res.body.toString();
  const playlist = parsePlaylist(text);
  const urls = playlist.segments.map((s) => new URL(s.uri, url).href);
  return { url, text, playlist, urls };
}

// The cues a subtitle stream of `file` holds, read by ffprobe from its packets (seconds on the
// file's timeline), with the SRT texts. MP4 fills the gaps between cues with empty 2-byte samples.
async function streamCues(file) {
  const info = await ffprobe(file, ['-select_streams', 's:0', '-show_entries', 'packet=pts_time,duration_time,size', '-show_packets']);
  return info.packets.filter((p) => Number(p.size) > 2)
    .map((p, i) => ({ start: Number(p.pts_time), end: Number(p.pts_time) + Number(p.duration_time), text: CUES[i].text }));
}

// Every WebVTT segment must hold exactly the cues (output seconds) that overlap it, to the
// millisecond. Returns the largest timing error (s).
function checkCues(vtts, segments, expected) {
  assert.equal(expected.length, CUES.length);
  let worst = 0;
  let at = 0;
  for (const [i, text] of vtts.entries()) {
    const { header, cues } = parseWebVtt(text);
    assert.deepEqual(header, ['WEBVTT', 'X-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000'], `segment ${i} header`);
    const from = at;
    const to = at + segments[i].extinf;
    at = to;
    const want = expected.filter((c) => c.end > from + 0.0005 && c.start < to - 0.0005);
    assert.deepEqual(cues.map((c) => unescapeVtt(c.text)), want.map((c) => c.text), `segment ${i} [${from}, ${to}) cues`);
    for (const [k, c] of cues.entries()) {
      worst = Math.max(worst, Math.abs(c.start - want[k].start), Math.abs(c.end - want[k].end));
    }
  }
  assert.ok(worst <= 0.0011, `cue times off by up to ${(worst * 1000).toFixed(1)} ms`);
  return worst;
}

// Output time t shows source time (container start + t): a cue at s on the file's timeline
// belongs at s - container start. An external SRT counts from the video stream's start (as the
// ffmpeg CLI muxes an SRT next to a video).
const shifted = (cues, by) => cues.map((c) => ({ ...c, start: c.start + by, end: c.end + by }));

describe('an MKV with two audio languages and SRT subtitles', () => {
  let r;
  let masterUrl;
  let master;
  const videos = [];
  const audios = [];
  let subtitles;
  let plan;

  before(async () => {
    const t0 = Date.now();
    r = await generateVideoPlaylist(oss, { SourceURI: `oss://${bucket}/in/movie.mkv`, MasterURI: `oss://${bucket}/out/movie/master.m3u8`,
      Targets: targets() });
    console.log(`# GenerateVideoPlaylist answered in ${Date.now() - t0} ms`);
    masterUrl = await signedPlaylistUrl(oss, 'out/movie/master.m3u8');
    const res = await fetchText(masterUrl);
    assert.equal(res.status, 200, res.text);
    master = parseMaster(res.text);
    const t1 = Date.now();
    for (const v of master.variants) videos.push(await fetchRendition(v.uri, masterUrl));
    for (const m of master.media.filter((x) => x.TYPE === 'AUDIO')) audios.push(await fetchRendition(m.URI, masterUrl));
    subtitles = await fetchRendition(master.media.find((x) => x.TYPE === 'SUBTITLES').URI, masterUrl);
    for (const rendition of [...videos, ...audios]) {
      rendition.bodies = (await fetchAll(rendition.urls, { concurrency: 2, seed: 7 })).bodies;
      rendition.segments = rendition.playlist.segments.map((s, i) => ({ ...s, index: i, buf: rendition.bodies[i] }));
    }
    console.log(`# ${videos.length} video and ${audios.length} audio renditions, ${videos[0].urls.length} segments each, ` +
      `made and fetched in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    plan = videoPlan({ durationUs: probe.durationUs, fps: { num: 25, den: 1 }, stMs: SEGMENT * 1000, initsegMs: INITIAL.map((s) => s * 1000) });
  });

  test('the response names every playlist in IMM form', () => {
    const j = r.json;
    assert.match(j.RequestId, /^[0-9A-F]{24}$/);
    assert.equal(j.MasterURI, `oss://${bucket}/out/movie/master.m3u8`);
    assert.match(j.Token, /^[0-9a-f]{32}$/);
    assert.equal(j.Duration, Number(plan.durationText));
    assert.deepEqual(j.VideoPlaylist.map((v) => [v.Resolution, v.FrameRate, v.URI]), [
      ['640x360', '25', `oss://${bucket}/out/movie/master-v0.m3u8`], ['480x270', '25', `oss://${bucket}/out/movie/master-v1.m3u8`],
      ['320x180', '25', `oss://${bucket}/out/movie/master-v2.m3u8`]]);
    assert.deepEqual(j.AudioPlaylist.map((a) => [a.Language, a.SampleRate, a.Channel, a.URI]), [
      ['en', 48000, 2, `oss://${bucket}/out/movie/master-a0.m3u8`], ['fr', 44100, 2, `oss://${bucket}/out/movie/master-a1.m3u8`]]);
    assert.deepEqual(j.SubtitlePlaylist.map((s) => [s.Language, s.URI]), [['en', `oss://${bucket}/out/movie/master-s0.m3u8`]]);
    const tokens = [...j.VideoPlaylist, ...j.AudioPlaylist, ...j.SubtitlePlaylist].map((p) => p.Token);
    assert.equal(new Set(tokens).size, 6);
    for (const t of tokens) assert.match(t, /^[0-9a-f]{32}$/);
  });

  test('the master lists the renditions with exact CODECS and their groups', () => {
    assert.deepEqual(master.lines.slice(0, 3), ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS']);
    const audio = master.media.filter((m) => m.TYPE === 'AUDIO');
    assert.deepEqual(audio.map((m) => [m['GROUP-ID'], m.LANGUAGE, m.NAME, m.DEFAULT, m.AUTOSELECT, m.CHANNELS]),
      [['audio', 'en', 'English', 'YES', 'YES', '2'], ['audio', 'fr', 'Français', 'NO', 'YES', '2']]);
    const subs = master.media.filter((m) => m.TYPE === 'SUBTITLES');
    assert.deepEqual(subs.map((m) => [m['GROUP-ID'], m.LANGUAGE, m.NAME, m.DEFAULT, m.FORCED]), [['subs', 'en', 'English', 'NO', 'NO']]);
    assert.deepEqual(master.variants.map((v) => [v.RESOLUTION, v['FRAME-RATE'], v.AUDIO, v.SUBTITLES]),
      [['640x360', '25.000', 'audio', 'subs'], ['480x270', '25.000', 'audio', 'subs'], ['320x180', '25.000', 'audio', 'subs']]);
    for (const [i, v] of master.variants.entries()) {
      const sps = avc1FromTs(videos[i].segments[0].buf);
      assert.equal(v.CODECS, `${sps},mp4a.40.2`, `variant ${i}: CODECS against the SPS the segments carry`);
      for (const s of videos[i].segments.slice(1)) assert.equal(avc1FromTs(s.buf), sps, 'one SPS profile and level in every segment');
      assert.ok(Number(v['AVERAGE-BANDWIDTH']) <= Number(v.BANDWIDTH));
    }
    console.log(`# CODECS: ${master.variants.map((v) => v.CODECS).join(' | ')}`);
  });

  test('every rendition sits on one segment timeline', () => {
    const extinfs = (x) => x.playlist.segments.map((s) => s.extinfText);
    for (const v of videos) assert.deepEqual(extinfs(v), plan.segments.map((s) => s.extinf), 'video EXTINF');
    assert.deepEqual(extinfs(subtitles), extinfs(videos[0]), 'subtitle EXTINF');
    // Audio segments start at the AAC frame that starts at or after each video boundary, so each
    // audio boundary lies within one AAC frame after the video one.
    for (const [k, a] of audios.entries()) {
      const rate = AUDIO[k].rate;
      let videoAt = 0;
      let audioFrames = 0;
      for (const [i, s] of a.playlist.segments.entries()) {
        const want = Math.ceil((plan.segments[i].first / 25) * rate / 1024);
        assert.equal(audioFrames, want, `audio ${k} segment ${i} starts at AAC frame ${audioFrames}`);
        const lag = (audioFrames * 1024) / rate - videoAt;
        assert.ok(lag >= 0 && lag < 1024 / rate, `audio ${k} boundary ${i} ${lag * 1000} ms after the video's`);
        audioFrames += analyseTs(a.segments[i].buf).audio.frames.length;
        videoAt += plan.segments[i].seconds;
      }
    }
    // One TS timeline: every rendition's output time 0 is PTS 126000.
    for (const x of [...videos.map((v) => analyseTs(v.segments[0].buf).video), ...audios.map((a) => analyseTs(a.segments[0].buf).audio)])
      assert.equal(Math.min(...x.frames.map((f) => f.pts)), 126000);
  });

  test('every segment of every rendition joins seamlessly', async () => {
    const failures = [];
    for (const [i, v] of videos.entries()) {
      const dir = work.file(`v${i}`);
      mkdirSync(dir);
      v.segments.forEach((s) => { s.file = `${dir}/seg-${s.index}.ts`; writeFileSync(s.file, s.buf); });
      const [width, height] = master.variants[i].RESOLUTION.split('x').map(Number);
      const result = await verifySegments(v.segments, { plan, video: { fps: { num: 25, den: 1 }, width, height, pixFmt: 'yuv420p' }, audio: null });
      failures.push(...result.failures.map((f) => `video ${i}: ${f}`));
    }
    for (const [k, a] of audios.entries()) {
      const dir = work.file(`a${k}`);
      mkdirSync(dir);
      a.segments.forEach((s) => { s.file = `${dir}/seg-${s.index}.ts`; writeFileSync(s.file, s.buf); });
      // Alternate audio cuts where the video renditions cut (the AAC frame at or after each
      // segment's first picture), exactly as muxed audio would: one segment list for all.
      const muxed = videoPlan({ durationUs: probe.durationUs, fps: { num: 25, den: 1 }, stMs: SEGMENT * 1000,
        initsegMs: INITIAL.map((s) => s * 1000), sampleRate: AUDIO[k].rate });
      const aplan = { ...muxed, segments: muxed.segments.map((s) => ({ audioFirst: s.audioFirst, audioFrames: s.audioFrames,
        extinf: formatSeconds(BigInt(s.audioFrames * 1024), BigInt(AUDIO[k].rate)), seconds: (s.audioFrames * 1024) / AUDIO[k].rate })) };
      assert.equal(a.segments.length, plan.segments.length, `audio ${k} has ${a.segments.length} segments, the video renditions ${plan.segments.length}`);
      const result = await verifySegments(a.segments, { plan: aplan, video: null, audio: { rate: AUDIO[k].rate, channels: 2 } });
      failures.push(...result.failures.map((f) => `audio ${k}: ${f}`));
    }
    assert.deepEqual(failures, []);
  });

  test('the audio renditions are the chosen source tracks (440 Hz English, 880 Hz French)', async () => {
    for (const [k, a] of audios.entries()) {
      const { rate } = AUDIO[k];
      const pcm = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', a.segments[2].file, '-ac', '1', '-f', 'f32le', '-']);
      const samples = new Float32Array(pcm.stdout.buffer, pcm.stdout.byteOffset, pcm.stdout.length / 4);
      const own = fitTone(samples, AUDIO[k].tone, rate).amplitude;
      const other = fitTone(samples, AUDIO[1 - k].tone, rate).amplitude;
      assert.ok(own > 0.1 && own > 20 * other, `audio ${k}: ${AUDIO[k].tone} Hz amplitude ${own}, ${AUDIO[1 - k].tone} Hz ${other}`);
    }
  });

  test('BANDWIDTH bounds the measured bit rates; AVERAGE-BANDWIDTH the average', () => {
    const target = videos[0].playlist.tags.find((t) => t.startsWith('#EXT-X-TARGETDURATION:')).split(':')[1];
    const audioRates = audios.map((a) => measureRates(a.segments, Number(target)));
    const audioPeak = Math.max(...audioRates.map((m) => m.peak));
    const audioEach = Math.max(...audioRates.flatMap((m) => m.each.filter((s) => s.seconds >= Number(target) / 2).map((s) => s.rate)));
    const audioAverage = Math.max(...audioRates.map((m) => m.average));
    const kbit = (x) => `${Math.round(x / 1000)}k`;
    for (const [i, v] of videos.entries()) {
      const m = measureRates(v.segments, Number(target));
      const bandwidth = Number(master.variants[i].BANDWIDTH);
      const average = Number(master.variants[i]['AVERAGE-BANDWIDTH']);
      const eachPeak = Math.max(...m.each.filter((s) => s.seconds >= Number(target) / 2).map((s) => s.rate));
      console.log(`# variant ${i} (${master.variants[i].RESOLUTION}): BANDWIDTH ${kbit(bandwidth)} >= measured peak ` +
        `${kbit(m.peak + audioPeak)} (video ${kbit(m.peak)} + audio ${kbit(audioPeak)}; largest single segment ` +
        `${kbit(eachPeak + audioEach)}); AVERAGE-BANDWIDTH ${kbit(average)} vs measured ${kbit(m.average + audioAverage)}`);
      assert.ok(m.peak + audioPeak <= bandwidth, `variant ${i}: measured peak ${m.peak + audioPeak} > BANDWIDTH ${bandwidth}`);
      assert.ok(eachPeak + audioEach <= bandwidth, `variant ${i}: a segment at ${eachPeak + audioEach} > BANDWIDTH ${bandwidth}`);
      // Bitrate targets aim at their rate (within the HLS authoring 10%); CRF averages under its cap.
      const slack = VIDEO[i].Video.Bitrate ? 1.1 : 1.0;
      assert.ok(m.average + audioAverage <= average * slack, `variant ${i}: measured average ${m.average + audioAverage} > ${average}`);
    }
  });

  test('WebVTT segments hold the SRT cues at their times, on the TS timeline', async () => {
    const t0 = Date.now();
    const bodies = [];
    for (const u of subtitles.urls) {
      const res = await fetchBuffer(u);
      assert.equal(res.status, 200, res.body.toString());
      assert.equal(res.headers.get('content-type'), 'text/vtt');
      bodies.push(res.body.toString());
    }
    const expected = shifted(await streamCues(sources.mkv), -probe.formatStartUs / 1e6);
    const worst = checkCues(bodies, subtitles.playlist.segments, expected);
    console.log(`# WebVTT (SRT in MKV): ${bodies.length} segments in ${Date.now() - t0} ms, cue times within ` +
      `${(worst * 1000).toFixed(2)} ms of the stream's (first cue at ${expected[0].start.toFixed(3)} s, SRT ${CUES[0].start} s)`);
    // Stored now: the same bytes again.
    assert.equal((await fetchBuffer(subtitles.urls[2])).body.toString(), bodies[2]);
  });

  test('the signed master signs each media playlist for hls/sign,live_1 (V1)', () => {
    const outer = new URL(masterUrl).searchParams;
    const uris = [...master.variants.map((v) => v.uri), ...master.media.map((m) => m.URI)];
    assert.equal(uris.length, 6);
    for (const uri of uris) {
      const line = splitLine(uri);
      assert.deepEqual(line.params.map(([k]) => k), ['x-oss-process', 'OSSAccessKeyId', 'Expires', 'Signature']);
      assert.ok(line.raw.startsWith('x-oss-process=hls%2Fsign%2Clive_1&'), line.raw);
      assert.equal(line.get('Expires'), outer.get('Expires'));
      const want = v1Signature({ bucket, key: `out/movie/${line.name}`, expires: line.get('Expires'),
        subresources: { 'x-oss-process': 'hls/sign,live_1' } });
      assert.equal(line.get('Signature'), want, uri);
    }
    // The media playlists sign their own segments in turn.
    assert.match(videos[0].text, /\.ts\?x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_/);
    assert.match(subtitles.text, /\.vtt\?x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_/);
  });

  test('the V4-signed master leads to V4-signed playlists and segments', async () => {
    const url4 = await signedPlaylistUrl(oss, 'out/movie/master.m3u8', { v4: true });
    const res = await fetchText(url4);
    assert.equal(res.status, 200, res.text);
    const m4 = parseMaster(res.text);
    for (const uri of [...m4.variants.map((v) => v.uri), ...m4.media.map((m) => m.URI)]) {
      const line = splitLine(uri);
      assert.equal(line.get('x-oss-signature-version'), 'OSS4-HMAC-SHA256');
      assert.equal(line.get('x-oss-process'), 'hls/sign,live_1');
      assert.equal(line.get('x-oss-date'), new URL(url4).searchParams.get('x-oss-date'));
      const rendition = await fetchRendition(uri, url4);
      const seg = await fetchBuffer(rendition.urls.at(-1));
      assert.equal(seg.status, 200, seg.body.toString());
      assert.match(rendition.text, /x-oss-signature-version=OSS4-HMAC-SHA256/);
    }
  });

  test('ffmpeg plays the signed master: every rendition, to the end', async () => {
    const info = await ffprobe(masterUrl, ['-show_streams', '-show_format']);
    const kinds = info.streams.map((s) => s.codec_type).sort();
    assert.deepEqual(kinds.filter((k) => k !== 'subtitle'), ['audio', 'audio', 'video', 'video', 'video']);
    const played = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', masterUrl, '-map', '0:v', '-map', '0:a',
      '-f', 'null', '-']);
    assert.equal(played.code, 0, played.stderr);
    assert.equal(played.stderr.trim(), '', 'ffmpeg plays the master without errors');
    assert.ok(Math.abs(Number(info.format.duration) - r.json.Duration) < 0.1, `duration ${info.format.duration}`);
  });

  test('hls/status works on the renditions', async () => {
    for (const key of ['out/movie/master-v1.m3u8', 'out/movie/master-s0.m3u8']) {
      const res = await fetchText(oss.signatureUrl(key, { expires: 600, process: 'hls/status' }));
      assert.equal(res.status, 200, res.text);
      const j = JSON.parse(res.text);
      assert.equal(j.Segments.length, plan.segments.length);
      assert.deepEqual([...new Set(j.Segments.map((s) => s.State))], ['stored'], key);
    }
  });
});

describe('an MP4 with mov_text subtitles and an external SRT object', () => {
  test('both become WebVTT renditions with the cue times of their SRT', async () => {
    const times = await startTimes(sources.mp4);
    const r = await generateVideoPlaylist(oss, { SourceURI: `oss://${bucket}/in/movie.mp4`, MasterURI: `oss://${bucket}/out/mp4/master.m3u8`,
      Targets: [
        { Video: { Resolution: '320x180', Bitrate: 250000 }, Duration: SEGMENT, InitialSegments: INITIAL, InitialTranscode: 0,
          URI: `oss://${bucket}/out/mp4/low.m3u8` },
        { Subtitle: { Language: 'eng' } },
        { Subtitle: { SourceURI: `oss://${bucket}/in/movie.de.srt`, Language: 'ger' } },
      ] });
    assert.deepEqual(r.json.SubtitlePlaylist.map((s) => s.Language), ['en', 'de']);
    assert.deepEqual(r.json.AudioPlaylist, []);
    const url = await signedPlaylistUrl(oss, 'out/mp4/master.m3u8');
    const m = parseMaster((await fetchText(url)).text);
    // Without alternate audio the variant carries the first source audio track.
    assert.equal(m.variants[0].uri.split('?')[0], 'low.m3u8');
    assert.equal(m.variants[0].AUDIO, undefined);
    assert.match(m.variants[0].CODECS, /^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
    const subs = m.media.filter((x) => x.TYPE === 'SUBTITLES');
    assert.deepEqual(subs.map((s) => [s.LANGUAGE, s.NAME]), [['en', 'English'], ['de', 'German']]);
    const results = [];
    for (const [k, s] of subs.entries()) {
      const rendition = await fetchRendition(s.URI, url);
      const bodies = [];
      for (const u of rendition.urls) bodies.push((await fetchBuffer(u)).body.toString());
      const expected = k === 0
        ? shifted(await streamCues(sources.mp4), -times.formatStartUs / 1e6)
        : shifted(CUES, 0.25 + (times.videoStartUs - times.formatStartUs) / 1e6);
      results.push(checkCues(bodies, rendition.playlist.segments, expected));
    }
    console.log(`# WebVTT (mov_text in MP4, external SRT): cue times within ${results.map((w) => `${(w * 1000).toFixed(2)} ms`).join(', ')}`);
  });
});

describe('refusals', () => {
  const base = { SourceURI: `oss://${bucket}/in/movie.mkv`, MasterURI: `oss://${bucket}/out/bad/master.m3u8` };
  const refused = async (body, status, code, argumentName) => {
    await assert.rejects(generateVideoPlaylist(oss, body), (err) => {
      assert.equal(err.status, status, `${err.status} ${err.code} ${err.message}`);
      assert.equal(err.code, code);
      if (argumentName) assert.equal(err.argumentName, argumentName, err.message);
      return true;
    });
  };

  test('bad fields are 400 InvalidArgument naming the field', async () => {
    await refused({ ...base, Targets: [{ Video: { Bitrate: 1 } }] }, 400, 'InvalidArgument', 'Targets[0].Video.Bitrate');
    await refused({ ...base, Targets: [{ Video: {}, Duration: 6 }, { Audio: {}, Duration: 4 }] }, 400, 'InvalidArgument', 'Targets[1].Duration');
    await refused({ ...base, Targets: [{ Video: { FrameRate: 25 } }, { Video: { FrameRate: 24 } }] }, 400, 'InvalidArgument',
      'Targets[1].Video.FrameRate');
    await refused({ ...base, Targets: [{ Video: {} }, { Audio: { Stream: 'deu' } }] }, 400, 'InvalidArgument', 'Targets[1].Audio.Stream');
    await refused({ ...base, Targets: [{ Video: {} }], Extra: 1 }, 400, 'InvalidArgument', 'Extra');
    await refused('{"SourceURI":', 400, 'InvalidArgument');
  });

  test('a missing source is 404; an unsigned request 403', async () => {
    await refused({ ...base, SourceURI: `oss://${bucket}/in/none.mkv`, Targets: [{ Video: {} }] }, 404, 'NoSuchKey');
    const res = await fetch(`${server.endpoint}/?GenerateVideoPlaylist`, { method: 'POST', body: JSON.stringify({ ...base, Targets: [{ Video: {} }] }) });
    assert.equal(res.status, 403);
    assert.equal(xmlField(await res.text(), 'Code'), 'AccessDenied');
  });

  test('V4 header signatures work too', async () => {
    const oss4 = client(server, { bucket, v4: true });
    const r = await generateVideoPlaylist(oss4, { ...base, MasterURI: `oss://${bucket}/out/v4/master.m3u8`,
      Targets: [{ Video: { Resolution: '320x180' }, InitialTranscode: 0 }] });
    assert.equal(r.json.VideoPlaylist.length, 1);
  });
});
