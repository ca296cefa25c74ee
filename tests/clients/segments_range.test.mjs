// Range on a segment's live URL (the hls/ts line a player fetches). A stored segment is served like
// any object: 206 with exactly the asked bytes, `bytes=0-1` included (AVPlayer probes with it). A
// segment still being made streams from its job: the answer is then 200 with the whole segment or
// a correct 206, never other bytes. The reference is the segment as stored afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { fetchBuffer, postPlaylist, signedPlaylistUrl } from './lib/live.mjs';
import { ffmpeg, lavfiAudio, lavfiVideo, parsePlaylist, tempDir } from './lib/media.mjs';
import { client } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const bucket = 'ranges';
const started = Date.now();
let server;
let oss;
let work;
let lines;  // absolute segment URLs of the live playlist

before(async () => {
  work = tempDir('osslive-ranges-');
  server = await startServer();
  oss = client(server, { bucket });
  await oss.putBucket(bucket);
  const source = work.file('clip.mp4');
  await ffmpeg([...lavfiVideo({ size: '640x360', duration: 10 }), ...lavfiAudio({ duration: 10 }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '10', source]);
  await oss.put('clip.mp4', source);
  await postPlaylist(oss, 'clip.mp4', 'out/P.m3u8', 'st_5000,initd_0');
  const url = await signedPlaylistUrl(oss, 'out/P.m3u8');
  const list = await fetchBuffer(url);
  lines = parsePlaylist(list.body.toString()).segments.map((s) => new URL(s.uri, url).href);
  assert.equal(lines.length, 2);
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# segments_range.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const keyOf = (line) => `out/${decodeURIComponent(new URL(line).pathname.split('/').pop())}`;

// An answer to `Range: bytes=<spec>` against the whole segment: a 206 must carry exactly the asked
// bytes and say so in Content-Range; a 200 must be the whole segment.
function checkRanged(answer, spec, whole, label) {
  const [first, last] = (() => {
    const [a, b] = spec.split('-');
    if (a === '') return [whole.length - Number(b), whole.length - 1];
    return [Number(a), b === '' ? whole.length - 1 : Math.min(Number(b), whole.length - 1)];
  })();
  if (answer.status === 206) {
    const range = answer.headers.get('content-range');
    assert.match(range, new RegExp(`^bytes ${first}-${last}/(${whole.length}|\\*)$`), `${label}: Content-Range ${range}`);
    assert.ok(answer.body.equals(whole.subarray(first, last + 1)), `${label}: 206 with bytes ${first}-${last} of the segment`);
  } else {
    assert.equal(answer.status, 200, `${label}: ${answer.status} ${answer.body.toString().slice(0, 200)}`);
    assert.ok(answer.body.equals(whole), `${label}: a 200 holds the whole segment (${answer.body.length} of ${whole.length} bytes)`);
  }
}

test('a segment still being made: ranged requests get the whole segment or a correct 206', async () => {
  const ranged = ['0-1', '1000-1999', '-188'];
  // Sent together on a segment nobody asked for yet: one starts its job, the others join it.
  const answers = await Promise.all([fetchBuffer(lines[0]),
    ...ranged.map((spec) => fetchBuffer(lines[0], { headers: { Range: `bytes=${spec}` } }))]);
  assert.equal(answers[0].status, 200);
  const streamed = answers.filter((a) => a.headers.get('transfer-encoding') === 'chunked').length;
  const stored = (await oss.get(keyOf(lines[0]))).content;
  assert.ok(answers[0].body.equals(stored), 'the streamed segment is the one stored');
  for (const [i, spec] of ranged.entries()) checkRanged(answers[i + 1], spec, stored, `bytes=${spec} while being made`);
  console.log(`# while being made: ${ranged.map((spec, i) => `bytes=${spec} -> ${answers[i + 1].status}` +
    `${answers[i + 1].headers.get('transfer-encoding') === 'chunked' ? ' (streamed)' : ''}`).join(', ')}`);
  // The branch under test ran: at least one ranged request was answered from the job, not the store.
  assert.ok(streamed >= 2, `only ${streamed} of ${answers.length} answers came from the job`);
});

test('a stored segment: 206 with exactly the asked bytes, bytes=0-1 as AVPlayer asks; a bad range gets 200 whole', async () => {
  const stored = (await oss.get(keyOf(lines[0]))).content;
  for (const spec of ['0-1', '0-0', '100-1099', '-188', `${stored.length - 10}-`, `0-${stored.length + 100}`]) {
    const r = await fetchBuffer(lines[0], { headers: { Range: `bytes=${spec}` } });
    assert.equal(r.status, 206, `bytes=${spec}`);
    assert.notEqual(r.headers.get('transfer-encoding'), 'chunked', 'served from the store');
    checkRanged(r, spec, stored, `stored, bytes=${spec}`);
  }
  const probe = await fetchBuffer(lines[0], { headers: { Range: 'bytes=0-1' } });
  assert.deepEqual([...probe.body], [0x47, stored[1]], 'the first two bytes: a TS sync byte first');
  assert.equal(probe.headers.get('accept-ranges'), 'bytes');
  for (const spec of [`${stored.length}-`, '5-2', '0-1,4-5']) {
    const r = await fetchBuffer(lines[0], { headers: { Range: `bytes=${spec}` } });
    assert.equal(r.status, 200, `bytes=${spec}: as OSS, the whole object`);
    assert.ok(r.body.equals(stored));
  }
});
