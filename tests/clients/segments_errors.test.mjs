// Bad, truncated, overwritten and deleted sources (docs/api.md): a clear 4xx at POST or at the
// segment request, never a mix of old and new segments, and the server keeps serving.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { fetchBuffer, postPlaylist, signedPlaylistUrl } from './lib/live.mjs';
import { comparePictures, ffmpeg, grayFrames, lavfiAudio, lavfiVideo, parsePlaylist, tempDir, videoPlan } from './lib/media.mjs';
import { analyseTs } from './lib/mpegts.mjs';
import { client, fetchText, xmlField } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
let server;
let work;
let oss;
let clip;       // 10 s MP4, moov at the end (ffmpeg's default)
let faststart;  // the same with moov first
let other;      // a different 10 s MP4
let long;       // 70 s: 14 segments of 5 s, more than one request prefetches

before(async () => {
  work = tempDir('osslive-errors-');
  server = await startServer();
  oss = client(server, { bucket: 'broken' });
  await oss.putBucket('broken');
  const make = async (name, extra, rate = '25', seconds = 10) => {
    const file = work.file(name);
    await ffmpeg([...lavfiVideo({ size: '160x120', rate, duration: seconds }), ...lavfiAudio({ duration: seconds }),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', ...extra, '-t', String(seconds), file]);
    return readFileSync(file);
  };
  [clip, faststart, other, long] = await Promise.all([make('clip.mp4', []), make('fast.mp4', ['-movflags', '+faststart']),
    make('other.mp4', [], '30'), make('long.mp4', [], '25', 70)]);
});
after(async () => {
  await server?.stop();
  work?.remove();
  console.log(`# segments_errors.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// Segment lines of a freshly signed live playlist, as absolute URLs.
async function segmentUrls(key) {
  const url = await signedPlaylistUrl(oss, key);
  const res = await fetchBuffer(url);
  assert.equal(res.status, 200, res.body.toString());
  return parsePlaylist(res.body.toString()).segments.map((s) => new URL(s.uri, url).href);
}

// An answer that is neither a complete 200 nor a 4xx with an OSS error body is a failure; a body
// cut off mid-way makes fetch throw, which is reported too.
async function segmentOutcome(url) {
  try {
    const r = await fetchBuffer(url);
    return { status: r.status, body: r.body, code: r.status >= 400 ? xmlField(r.body.toString(), 'Code') : undefined };
  } catch (e) {
    return { status: 'aborted', error: `${e.message}: ${e.cause?.message ?? ''}` };
  }
}

async function serverStillServes() {
  if (server.child) assert.equal(server.child.exitCode, null, 'the server process is alive');
  const health = await fetchText(`${server.endpoint}/-/health`);
  assert.equal(health.status, 200);
  await oss.put('alive.txt', Buffer.from('still here'));
  assert.equal((await oss.get('alive.txt')).content.toString(), 'still here');
}

describe('sources that cannot be read', () => {
  test('random bytes under a video name: POST 400 naming the problem', async () => {
    await oss.put('junk.mp4', randomBytes(256 * 1024));
    await assert.rejects(postPlaylist(oss, 'junk.mp4', 'junk/P.m3u8', 'st_5000'), (err) => {
      assert.equal(err.status, 400, err.body);
      assert.equal(err.code, 'InvalidArgument');
      assert.match(err.message, /not a readable media file/);
      return true;
    });
    await serverStillServes();
  });

  test('an MP4 cut in half before POST (index at the end): POST 400', async () => {
    await oss.put('half.mp4', clip.subarray(0, clip.length >> 1));
    await assert.rejects(postPlaylist(oss, 'half.mp4', 'half/P.m3u8', 'st_5000'), (err) => {
      assert.equal(err.status, 400, err.body);
      assert.match(err.message, /not a readable media file/);
      return true;
    });
    await serverStillServes();
  });

  test('an MP4 cut in half before POST (index first): POST 400, or each segment whole or a 4xx', async () => {
    await oss.put('halffast.mp4', faststart.subarray(0, faststart.length >> 1));
    let posted;
    try {
      posted = await postPlaylist(oss, 'halffast.mp4', 'halffast/P.m3u8', 'st_5000,initd_0');
    } catch (err) {
      assert.equal(err.status, 400, err.body);
      return serverStillServes();
    }
    assert.equal(posted.status, 200);
    // The index promises 10 s, the bytes hold about 5: a segment past them cannot be made whole.
    const plan = videoPlan({ durationUs: 10_000_000, fps: { num: 25, den: 1 }, stMs: 5000 });
    const outcomes = [];
    for (const url of await segmentUrls('halffast/P.m3u8')) outcomes.push(await segmentOutcome(url));
    // A 200 must be the whole segment: every frame the plan gives it, each the source's real
    // picture (the cut file is a prefix of the whole one), not a last picture held over the
    // missing part. Anything else must be a 4xx with an OSS error code.
    const whole = await grayFrames(work.file('fast.mp4'), { width: 160, height: 120 });
    const failures = [];
    const summary = [];
    for (const [i, o] of outcomes.entries()) {
      let text = `segment ${i}: ${o.status}${o.code ? ` ${o.code}` : ''}${o.error ? ` ${o.error}` : ''}`;
      if (o.status === 200) {
        const file = work.file(`halffast-${i}.ts`);
        writeFileSync(file, o.body);
        const frames = await grayFrames(file, { width: 160, height: 120 });
        const { first, frames: planned } = plan.segments[i];
        const cmp = comparePictures(frames, whole, frames.map((_, k) => [first + k]), { minPsnr: 30, label: `segment ${i} ` });
        text += ` with ${frames.length} of ${planned} frames, ${cmp.failures.length ? 'NOT the source pictures' : 'the source pictures'}`;
        if (frames.length !== planned) failures.push(`segment ${i}: a 200 with ${frames.length} of its ${planned} frames`);
        failures.push(...cmp.failures);
      } else if (!(o.status >= 400 && o.status < 500 && o.code)) {
        failures.push(text);
      }
      summary.push(text);
    }
    console.log(`# truncated faststart MP4 (${(faststart.length >> 1)} of ${faststart.length} bytes): ${summary.join('; ')}`);
    assert.deepEqual(failures, []);
    await serverStillServes();
  });
});

describe('sources that change after their playlist was made', () => {
  test('cut in half after POST: 409 SourceChanged for segments not made yet', async () => {
    await oss.put('cut.mp4', clip);
    await postPlaylist(oss, 'cut.mp4', 'cut/P.m3u8', 'st_5000,initd_0');
    const urls = await segmentUrls('cut/P.m3u8');
    await oss.put('cut.mp4', clip.subarray(0, clip.length >> 1));
    const r = await segmentOutcome(urls[1]);
    assert.equal(r.status, 409, `${r.status} ${r.code ?? r.error}`);
    assert.equal(r.code, 'SourceChanged');
    assert.match(xmlField(r.body.toString(), 'Message'), /changed|generate the playlist again/i);
    await serverStillServes();
  });

  test('overwritten with another video: segments made before stay old and whole, every other one is 409; never the new video', async () => {
    // 14 segments with ta_10: segment 0's request queues 1..10 ahead, so 11..13 cannot have been
    // made before the overwrite, and the SourceChanged branch certainly runs for them.
    await oss.put('swap.mp4', long);
    const first = await postPlaylist(oss, 'swap.mp4', 'swap/P.m3u8', 'st_5000,initd_0,ta_10');
    const urls = await segmentUrls('swap/P.m3u8');
    const plan = videoPlan({ durationUs: 70_000_000, fps: { num: 25, den: 1 }, stMs: 5000 });
    assert.equal(urls.length, plan.segments.length);
    assert.equal(urls.length, 14);
    const seg0 = await segmentOutcome(urls[0]);
    assert.equal(seg0.status, 200);
    const storedBefore = ((await oss.list({ prefix: 'swap/' })).objects ?? []).map((o) => o.name);
    await oss.put('swap.mp4', other);
    const beyondWindow = [11, 12, 13];
    for (const i of beyondWindow) assert.ok(!storedBefore.some((k) => k.endsWith(`-${i}.ts`)), `segment ${i} was made before the overwrite`);
    // Those made before the change (segment 0, and prefetched ones) are the old video (25 fps,
    // 3600 ticks a frame) with every frame of the plan; the others are refused. The new one is 30 fps.
    const outcomes = [];
    for (const url of urls) outcomes.push(await segmentOutcome(url));
    console.log(`# overwritten source: ${outcomes.map((o, i) => `segment ${i} ${o.status}`).join(', ')}`);
    for (const [i, o] of outcomes.entries()) {
      if (o.status === 200 && !beyondWindow.includes(i)) {
        const frames = analyseTs(o.body).video.frames;
        const pts = frames.map((f) => f.pts).sort((a, b) => a - b);
        assert.equal(pts[1] - pts[0], 3600, `segment ${i} is the old 25 fps video`);
        assert.equal(frames.length, plan.segments[i].frames, `segment ${i}: a 200 holds the whole segment`);
      } else {
        assert.equal(o.status, 409, `segment ${i}: ${o.status} ${o.code ?? o.error}`);
        assert.equal(o.code, 'SourceChanged');
      }
    }
    assert.equal(outcomes[0].status, 200, 'segment 0, made before the overwrite, is still served');
    // The playlist made again names the new source: new segment names that play.
    const second = await postPlaylist(oss, 'swap.mp4', 'swap/P.m3u8', 'st_5000,initd_0');
    assert.notEqual(second.json.VideoPlaylist[0].Token, first.json.VideoPlaylist[0].Token);
    assert.equal(second.json.VideoPlaylist[0].FrameRate, '30');
    for (const url of await segmentUrls('swap/P.m3u8')) {
      const r = await segmentOutcome(url);
      assert.equal(r.status, 200, `${url}: ${r.status} ${r.code ?? r.error ?? ''}`);
      const pts = analyseTs(r.body).video.frames.map((f) => f.pts).sort((a, b) => a - b);
      assert.equal(pts[1] - pts[0], 3000, 'the new 30 fps video');
    }
    await serverStillServes();
  });

  test('deleted: segment requests get 409 SourceChanged', async () => {
    await oss.put('gone.mp4', clip);
    await postPlaylist(oss, 'gone.mp4', 'gone/P.m3u8', 'st_5000,initd_0');
    const urls = await segmentUrls('gone/P.m3u8');
    await oss.delete('gone.mp4');
    const r = await segmentOutcome(urls[0]);
    assert.equal(r.status, 409, `${r.status} ${r.code ?? r.error}`);
    assert.equal(r.code, 'SourceChanged');
    await serverStillServes();
  });
});
