// hls.js in Chromium playing a GenerateVideoPlaylist master (three video levels, two audio
// languages, WebVTT subtitles) from a page on another origin, while the test forces level
// switches (at the next fragment and at once) and an audio track switch: playback reaches the end
// without a stall, a gap jump or a repaired join, and the subtitle cues land at their times.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CUES, generateVideoPlaylist, makeSources, unescapeVtt } from './lib/adaptive.mjs';
import { openTestPage, requireBrowser } from './lib/browser.mjs';
import { metric, signedPlaylistUrl } from './lib/live.mjs';
import { ffprobe, tempDir } from './lib/media.mjs';
import { client } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const bucket = 'abr';
const RATE = 2;
const START_WINDOW = 0.5;       // see browser.test.mjs: the first ~0.1 s is hls.js's own start padding
const STARVED_BELOW_S = 1;      // a "stall" with this much buffered ahead is the shared CPU, not the server
const started = Date.now();

let server;
let work;
let pages;
let browser;
let page;
let oss;
let sources;

before(async () => {
  requireBrowser();
  work = tempDir('osslive-abr-');
  server = await startServer();
  oss = client(server, { bucket });
  await oss.putBucket(bucket);
  sources = await makeSources(work);
  await oss.put('in/movie.mkv', sources.mkv);
  ({ pages, browser, page } = await openTestPage('adaptive'));
  await oss.putBucketCORS(bucket, [{ allowedOrigin: pages.origin, allowedMethod: ['GET', 'HEAD'], allowedHeader: '*', maxAgeSeconds: 60 }]);
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await server?.stop();
  work?.remove();
  console.log(`# adaptive_browser.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const snapshot = () => page.evaluate(() => window.abr.snapshot());
const show = (s) => JSON.stringify({ ...s, warnings: s.warnings.slice(0, 20), frags: s.frags.map((f) => `${f.type}${f.level}:${f.sn}`).join(' ') },
  null, 1).slice(0, 5000);
// A wait that ends the test with what the player was doing, not a bare timeout.
const waitTime = (t) => page.waitForFunction((x) => window.abr.time() >= x, t, { timeout: 15000 })
  .catch(async () => assert.fail(`playback never reached ${t} s:\n${show(await snapshot())}`));

describe('hls.js plays a master playlist across levels and audio tracks', () => {
  test('forced level and audio switches join without a gap; subtitles land at their times', { timeout: 150000 }, async () => {
    await generateVideoPlaylist(oss, { SourceURI: `oss://${bucket}/in/movie.mkv`, MasterURI: `oss://${bucket}/out/master.m3u8`,
      // Every segment made up front (InitialTranscode -1): a switch then waits for nothing, so a
      // stall or a hole can only come from the renditions' timelines, not from a transcode in
      // progress on this 2-core machine (browser.test.mjs covers on-demand playback).
      Targets: [
        { Video: { Resolution: '640x360', Bitrate: 700000 }, Duration: 4, InitialSegments: [2, 2], InitialTranscode: -1 },
        { Video: { Resolution: '480x270', Bitrate: 400000 }, InitialTranscode: -1 },
        { Video: { Resolution: '320x180', Bitrate: 200000 }, InitialTranscode: -1 },
        { Audio: { Stream: 'eng', Bitrate: 96000 }, InitialTranscode: -1 },
        { Audio: { Stream: 'fra', Bitrate: 96000 }, InitialTranscode: -1 },
        { Subtitle: { Stream: 0 } },
      ] });
    // Waited for by condition, not by a clock: done when every segment is stored; a failure only
    // when the server has gone idle (nothing running or queued) with segments still missing.
    const t0 = Date.now();
    const keys = ['v0', 'v1', 'v2', 'a0', 'a1'].map((k) => `out/master-${k}.m3u8`);
    for (;;) {
      const missing = [];
      for (const key of keys) {
        const status = JSON.parse((await oss.get(key, { process: 'hls/status' })).content.toString());
        const waiting = status.Segments.filter((x) => x.State !== 'stored').length;
        if (waiting) missing.push(`${key}: ${waiting}`);
      }
      if (!missing.length) break;
      const busy = (await metric(server, 'osslive_transcodes_running')) + (await metric(server, 'osslive_transcode_queue_depth'));
      if (!busy) {
        // Idle now: look once more, in case the last job ended between the two readings.
        const again = await Promise.all(keys.map(async (key) => JSON.parse((await oss.get(key, { process: 'hls/status' }))
          .content.toString()).Segments.filter((x) => x.State !== 'stored').length));
        assert.equal(again.reduce((a, b) => a + b, 0), 0, `the server is idle with segments not made: ${missing.join(', ')}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(`# every segment of 5 renditions made in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const url = await signedPlaylistUrl(oss, 'out/master.m3u8', { v4: true });
    await page.evaluate((u) => window.abr.load(u, 180), url);
    await page.waitForFunction(() => window.abr.state.manifestParsed && window.abr.state.audioTracks.length, null, { timeout: 20000 });
    let s = await snapshot();
    assert.deepEqual(s.levels.map((l) => l.height).sort((a, b) => a - b), [180, 270, 360], show(s));
    assert.deepEqual(s.audioTracks.map((t) => t.lang), ['en', 'fr']);
    assert.deepEqual(s.subtitleTracks.map((t) => t.lang), ['en']);
    const level = (height) => s.levels.findIndex((l) => l.height === height);

    // Manual levels from the start (180p, set by load): every switch below is the test's, none hls.js's ABR.
    await page.evaluate(() => window.abr.showSubtitles(0));
    await page.evaluate((rate) => window.abr.play(rate), RATE);
    // Up at the next fragment, the audio language, down at once, then down again at the next fragment.
    await waitTime(2.5);
    await page.evaluate((l) => window.abr.switchLevel(l, 'next'), level(360));
    await waitTime(5.5);
    await page.evaluate(() => window.abr.switchAudio(1));
    await waitTime(8.5);
    await page.evaluate((l) => window.abr.switchLevel(l, 'current'), level(270));
    await waitTime(11);
    await page.evaluate((l) => window.abr.switchLevel(l, 'next'), level(180));
    await page.waitForFunction(() => window.abr.state.ended || window.abr.state.errors.some((e) => e.fatal), null, { timeout: 45000 })
      .catch(() => {});
    s = await snapshot();
    const { cues } = s;
    await page.evaluate(() => window.abr.pause());

    assert.equal(s.ended, true, `playback did not reach the end:\n${show(s)}`);
    assert.deepEqual(s.errors.filter((e) => e.fatal), [], show(s));
    const startHole = (e) => e.details === 'bufferSeekOverHole' && e.pos < START_WINDOW;
    const cpuHiccup = (e) => e.details !== 'bufferSeekOverHole' && e.buffer >= STARVED_BELOW_S;
    assert.deepEqual(s.stalls.filter((e) => !startHole(e) && !cpuHiccup(e)), [], `stalls or gap jumps:\n${show(s)}`);
    assert.deepEqual(s.joinProblems.filter((p) => p.pos >= START_WINDOW), [], `hls.js repaired a join:\n${show(s)}`);
    // Every level played, both audio tracks were loaded, and the switch to French happened.
    const mainLevels = new Set(s.frags.filter((f) => f.type === 'main').map((f) => s.levels[f.level].height));
    assert.deepEqual([...mainLevels].sort((a, b) => a - b), [180, 270, 360], show(s));
    assert.deepEqual(s.levelSwitches.map((x) => s.levels[x.level].height), [180, 360, 270, 180], show(s));
    assert.deepEqual(new Set(s.frags.filter((f) => f.type === 'audio').map((f) => f.level)), new Set([0, 1]), show(s));
    assert.ok(s.audioSwitches.some((x) => x.id === 1), show(s));
    // The buffers end at the end, each in one piece from the last switch on.
    for (const [name, r] of [['video', s.videoRanges], ['audio', s.audioRanges]]) {
      const last = r.at(-1);
      assert.ok(last && Math.abs(last[1] - s.duration) < 0.15 && last[0] < 11, `${name} buffered ${JSON.stringify(r)} of ${s.duration} s`);
    }
    // Every cue on the pictures' timeline: X-TIMESTAMP-MAP pins output time 0 to PTS 126000, where
    // the first picture is, and hls.js puts that picture at s.firstPicture on its media timeline.
    const info = await ffprobe(sources.mkv, ['-select_streams', 's:0', '-show_entries', 'packet=pts_time', '-show_packets']);
    const want = info.packets.map((p) => Number(p.pts_time) + s.firstPicture).slice(0, CUES.length);
    let worst = 0;
    for (const [i, c] of CUES.entries()) {
      const got = cues.find((x) => unescapeVtt(x.text) === c.text);
      assert.ok(got, `cue "${c.text}" not parsed; cues ${JSON.stringify(cues)}`);
      worst = Math.max(worst, Math.abs(got.start - want[i]));
    }
    assert.ok(worst < 0.002, `cues ${JSON.stringify(cues)} against the stream's ${want} (first picture at ${s.firstPicture})`);
    console.log(`# ${s.frags.length} fragments (${[...mainLevels].join('/')}p and both audio tracks) at ${RATE}x in ` +
      `${(s.elapsedMs / 1000).toFixed(1)} s; level switches ${s.levelSwitches.map((x) => `${s.levels[x.level].height}p@${x.at.toFixed(1)}`).join(' ')}; ` +
      `audio switch at ${s.audioSwitches.find((x) => x.id === 1).at.toFixed(1)} s; ${cues.length} cues within ` +
      `${(worst * 1000).toFixed(1)} ms of the pictures' timeline`);
  });
});
