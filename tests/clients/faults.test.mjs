// Crashes and a full disk (issue 7.4). kill -9 of the server in the middle of a PutObject, a
// multipart upload (a part, and CompleteMultipartUpload) and a segment transcode: after a restart
// on the same data folder, list and get show the old object or none (never a torn one), the
// segment is made again on the next request, and the temp folder (.osslive/tmp) was emptied at
// start-up. A data folder on a 32 MiB tmpfs (its own mount namespace): writes that do not fit get 507 InsufficientStorage,
// every stored object stays readable and the server keeps serving.
// A source overwritten after its playlist was made: segments_errors.test.mjs (409 SourceChanged).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { killHard, md5hex, pacedPut, waitFor, writePaced } from './lib/faults.mjs';
import { fetchBuffer, postPlaylist, signedPlaylistUrl } from './lib/live.mjs';
import { ffmpeg, lavfiAudio, lavfiVideo, parsePlaylist, tempDir } from './lib/media.mjs';
import { analyseTs } from './lib/mpegts.mjs';
import { client, fetchText, xmlField } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const started = Date.now();
const report = [];
let work;

before(() => { work = tempDir('osslive-faults-'); });
after(() => {
  work?.remove();
  for (const line of report) console.log(`# ${line}`);
  console.log(`# faults.test.mjs ran ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// The fault point library ctest builds (tests/CMakeLists.txt sets the variable).
function faultPointLib() {
  const lib = process.env.OSSLIVE_FAULT_POINT_LIB;
  assert.ok(lib && existsSync(lib), `OSSLIVE_FAULT_POINT_LIB (${lib}) must name the built fault_point library`);
  return lib;
}

const tmpEntries = (dataDir) => readdirSync(path.join(dataDir, '.osslive', 'tmp'));
const uploadDirs = (dataDir) => readdirSync(path.join(dataDir, '.osslive', 'multipart'));

// A server on its own data folder that survives restarts; `restart` kills nothing by itself.
async function crashable(bucket, { env = {} } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'osslive-crash-'));
  const state = { dataDir, server: await startServer({ dataDir, env }) };
  state.oss = client(state.server, { bucket });
  state.restart = async (options = {}) => {
    state.server = await startServer({ dataDir, env: options.env ?? {} });
    state.oss = client(state.server, { bucket });
    return state;
  };
  state.cleanup = async () => {
    await state.server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  await state.oss.putBucket(bucket);
  return state;
}

// Every object the bucket lists, with its bytes checked against the listed ETag.
async function listed(oss, prefix = '') {
  const out = {};
  for (const o of (await oss.list({ prefix, 'max-keys': 1000 })).objects ?? []) {
    const got = await oss.get(o.name);
    const etag = o.etag.replaceAll('"', '');
    if (!etag.includes('-')) assert.equal(md5hex(got.content), etag, `${o.name}: bytes match the listed ETag`);
    assert.equal(got.content.length, o.size, `${o.name}: bytes match the listed size`);
    out[o.name] = { size: o.size, etag, md5: md5hex(got.content) };
  }
  return out;
}

async function headStatus(oss, key) {
  try { await oss.head(key); return 200; } catch (e) { return e.status; }
}

// The spooled body of an upload in flight has reached `bytes` on disk.
const spoolReached = (dataDir, bytes) => () => tmpEntries(dataDir).some((name) =>
  name.startsWith('body-') && statSync(path.join(dataDir, '.osslive', 'tmp', name), { throwIfNoEntry: false })?.size >= bytes);

describe('kill -9 while a PutObject body is arriving', () => {
  test('the old object stays whole, a new key does not appear, the spool file is removed at start-up', async () => {
    const s = await crashable('crash-put');
    try {
      const old = randomBytes(3 << 20);
      await s.oss.put('big.bin', old);
      const next = randomBytes(64 << 20);
      const replace = pacedPut(s.server, { bucket: 'crash-put', key: 'big.bin', length: next.length });
      const fresh = pacedPut(s.server, { bucket: 'crash-put', key: 'new.bin', length: next.length });
      // Half of each body, then the server dies with both uploads in flight.
      void writePaced(replace.req, next.subarray(0, 32 << 20));
      void writePaced(fresh.req, next.subarray(0, 32 << 20));
      await waitFor(spoolReached(s.dataDir, 16 << 20), { what: '16 MiB of the body spooled', timeoutMs: 30000 });
      await killHard(s.server);
      assert.ok((await replace.done).error, 'the upload saw the connection die');
      await fresh.done;
      const leftovers = tmpEntries(s.dataDir);
      assert.ok(leftovers.some((n) => n.startsWith('body-')), `a torn spool file was left: ${leftovers}`);
      writeFileSync(path.join(s.dataDir, '.osslive', 'tmp', 'put-planted-by-test'), 'x');

      await s.restart();
      assert.deepEqual(tmpEntries(s.dataDir), [], 'start-up emptied .osslive/tmp');
      const objects = await listed(s.oss);
      assert.deepEqual(Object.keys(objects), ['big.bin']);
      assert.equal(objects['big.bin'].md5, md5hex(old), 'the old object, whole');
      assert.equal(await headStatus(s.oss, 'new.bin'), 404);
      report.push(`kill -9 during PutObject: ${leftovers.length} spool files of 64 MiB uploads at >= 16 MiB; after restart tmp empty, old object intact`);
    } finally {
      await s.cleanup();
    }
  });
});

describe('kill -9 during a multipart upload', () => {
  test('a part in flight: the parts already stored survive, the upload completes after the restart', async () => {
    const s = await crashable('crash-mpu');
    try {
      const old = randomBytes(200 * 1024);
      await s.oss.put('movie.bin', old);
      const parts = [randomBytes(1 << 20), randomBytes(1 << 20), randomBytes(24 << 20)];
      const { uploadId } = await s.oss.initMultipartUpload('movie.bin');
      const etags = [];
      for (const n of [1, 2]) etags.push((await s.oss.uploadPart('movie.bin', uploadId, n, parts[n - 1], 0, parts[n - 1].length)).etag);
      const part3 = pacedPut(s.server, { bucket: 'crash-mpu', key: 'movie.bin', length: parts[2].length,
        subresource: `partNumber=3&uploadId=${uploadId}` });
      void writePaced(part3.req, parts[2].subarray(0, 12 << 20));
      await waitFor(spoolReached(s.dataDir, 8 << 20), { what: 'part 3 half spooled', timeoutMs: 30000 });
      await killHard(s.server);
      await part3.done;

      await s.restart();
      assert.deepEqual(tmpEntries(s.dataDir), []);
      assert.deepEqual(Object.keys(await listed(s.oss)), ['movie.bin']);
      assert.equal(md5hex((await s.oss.get('movie.bin')).content), md5hex(old), 'the old object until Complete');
      const listedParts = (await s.oss.listParts('movie.bin', uploadId)).parts;
      assert.deepEqual(listedParts.map((p) => [Number(p.PartNumber), p.ETag.replaceAll('"', '')]),
        [[1, etags[0].replaceAll('"', '')], [2, etags[1].replaceAll('"', '')]], 'parts 1 and 2, not the torn part 3');

      const e3 = (await s.oss.uploadPart('movie.bin', uploadId, 3, parts[2], 0, parts[2].length)).etag;
      await s.oss.completeMultipartUpload('movie.bin', uploadId,
        [etags[0], etags[1], e3].map((etag, i) => ({ number: i + 1, etag })));
      assert.equal(md5hex((await s.oss.get('movie.bin')).content), md5hex(Buffer.concat(parts)));
      report.push('kill -9 during UploadPart (12 of 24 MiB sent): parts 1-2 kept, part 3 absent, upload resumed and completed');
    } finally {
      await s.cleanup();
    }
  });

  // Each try stops the server inside one step of the commit with the fault point
  // (fault_point/fault_point.cpp, preloaded), checks that it stopped there, and kills it.
  // The store joins the parts into a temp file (copy_file_range), renames it over the key (the
  // commit), renames the metadata sidecar after it, then removes the upload's folder.
  const COMMIT_STEPS = [
    { step: 'joining the parts (second copy)', rule: 'copy_file_range /.osslive/tmp/complete- 2', after: 'old' },
    { step: 'before the rename that commits', rule: 'rename /.osslive/tmp/complete- /crash-complete/joined.bin', after: 'old' },
    { step: 'between the data and the sidecar renames', rule: 'rename /.osslive/tmp/meta- /crash-complete/.%m.joined.bin', after: 'new' },
  ];
  test('CompleteMultipartUpload killed inside each step of its commit: the old object or the whole new one', async () => {
    const faultDir = mkdtempSync(path.join(tmpdir(), 'osslive-fault-'));
    const rule = path.join(faultDir, 'rule');
    const hit = `${rule}.hit`;
    const env = { OSSLIVE_FAULT_POINT: rule, LD_PRELOAD: faultPointLib(),
      ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : ''}verify_asan_link_order=0` };
    const s = await crashable('crash-complete', { env });
    try {
      const old = randomBytes(100 * 1024);
      await s.oss.put('joined.bin', old);
      const outcomes = [];
      for (const { step, rule: text, after } of COMMIT_STEPS) {
        const parts = Array.from({ length: 4 }, () => randomBytes(4 << 20));
        const whole = md5hex(Buffer.concat(parts));
        const { uploadId } = await s.oss.initMultipartUpload('joined.bin');
        const done = [];
        for (const [i, p] of parts.entries())
          done.push({ number: i + 1, etag: (await s.oss.uploadPart('joined.bin', uploadId, i + 1, p, 0, p.length)).etag });
        writeFileSync(rule, text);
        const completing = s.oss.completeMultipartUpload('joined.bin', uploadId, done).then(() => 'ok', (e) => e.code ?? e.message);
        const stoppedAt = await waitFor(() => existsSync(hit) && readFileSync(hit, 'utf8'),
          { what: `the server to stop ${step}`, timeoutMs: 30000 });
        assert.equal(s.server.child.exitCode, null, `alive, stopped ${step}: ${stoppedAt.trim()}`);
        await killHard(s.server);
        const answered = await completing;
        assert.notEqual(answered, 'ok', `${step}: the client must not see a completed upload`);
        rmSync(rule);
        rmSync(hit);

        await s.restart({ env });
        assert.deepEqual(tmpEntries(s.dataDir), [], `${step}: start-up emptied .osslive/tmp`);
        const bytes = (await s.oss.get('joined.bin')).content;
        const got = md5hex(bytes) === whole ? 'new' : md5hex(bytes) === md5hex(old) ? 'old' : `neither (${bytes.length} bytes)`;
        assert.equal(got, after, `${step}: the object after the restart`);
        const objects = await listed(s.oss);
        assert.equal(objects['joined.bin'].size, bytes.length);
        // The upload outlives the crash (its folder goes only after the commit): it is listed
        // with every part, and aborting it works.
        const uploads = [].concat((await s.oss.listUploads({ prefix: 'joined.bin' })).uploads ?? []).map((u) => u.uploadId);
        assert.deepEqual(uploads, [uploadId], `${step}: the upload is still listed`);
        assert.equal((await s.oss.listParts('joined.bin', uploadId)).parts.length, parts.length);
        const aborted = await s.oss.abortMultipartUpload('joined.bin', uploadId);
        assert.equal(aborted.res.status, 204, `${step}: AbortMultipartUpload`);
        await assert.rejects(s.oss.listParts('joined.bin', uploadId), (e) => e.status === 404 && e.code === 'NoSuchUpload');
        outcomes.push(`${step} (${stoppedAt.trim().split(' ')[0]}): ${got} (client saw ${answered})`);
        if (got === 'new') await s.oss.put('joined.bin', old);  // the next try starts from the old object again
      }
      report.push(`kill -9 inside CompleteMultipartUpload of 16 MiB: ${outcomes.join('; ')}`);
    } finally {
      await s.cleanup();
      rmSync(faultDir, { recursive: true, force: true });
    }
  });
});

describe('kill -9 during a segment transcode', () => {
  test('no partial segment is visible after the restart, and it is made again on the next request', async () => {
    const s = await crashable('crash-ts');
    try {
      const src = work.file('src.mp4');
      await ffmpeg([...lavfiVideo({ size: '640x360', duration: 20 }), ...lavfiAudio({ duration: 20 }),
        '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-t', '20', src]);
      await s.oss.put('src.mp4', src);
      await postPlaylist(s.oss, 'src.mp4', 'out/P.m3u8', 'st_10000,initd_0');
      const url = await signedPlaylistUrl(s.oss, 'out/P.m3u8');
      const list = await fetchBuffer(url);
      const segUrls = parsePlaylist(list.body.toString()).segments.map((x) => new URL(x.uri, url).href);
      assert.equal(segUrls.length, 2);

      // Read the first chunk of segment 0 while it is being encoded, then kill.
      const res = await fetch(segUrls[0]);
      assert.equal(res.status, 200);
      const reader = res.body.getReader();
      const first = await reader.read();
      assert.ok(first.value?.length > 0, 'the segment was streaming');
      const inTmp = tmpEntries(s.dataDir);
      await killHard(s.server);
      await reader.read().then(() => {}, () => {});
      report.push(`kill -9 during a 640x360 segment transcode after ${first.value.length} streamed bytes; tmp held ${inTmp.length} files`);

      await s.restart();
      assert.deepEqual(tmpEntries(s.dataDir), []);
      const objects = await listed(s.oss, 'out/');
      assert.deepEqual(Object.keys(objects), ['out/P.m3u8'], 'only the playlist: no torn segment');
      // The signed URL from before the crash still works (same key, not expired; V1 does not
      // sign the host), pointed at the restarted server's port.
      const moved = new URL(segUrls[0]);
      moved.port = String(s.server.port);
      const again = await fetchBuffer(moved.href);
      assert.equal(again.status, 200, again.body.toString().slice(0, 300));
      const ts = analyseTs(again.body);
      assert.equal(ts.video.frames.length, 250, 'segment 0 whole: 10 s at 25 fps');
      assert.ok(ts.audio.frames.length > 0);
      const segKey = `out/${new URL(segUrls[0]).pathname.split('/').pop()}`;
      const stored = await waitFor(async () => (await listed(s.oss, 'out/'))[segKey], { what: 'the remade segment stored' });
      assert.equal(stored.md5, md5hex(again.body), 'the stored segment is the one streamed');
    } finally {
      await s.cleanup();
    }
  });
});

// The data folder is a 32 MiB tmpfs mounted in a mount namespace of the server's own (unshare):
// as root directly, otherwise inside a user namespace (Debian 12 allows them), so the test runs
// on every machine scripts/install-deps.sh prepared. The test sees that folder through
// /proc/<pid>/root. Nothing here is skipped: if the mount fails, the test fails.
test('a full disk: writes get 507 InsufficientStorage, stored objects stay readable, the server keeps serving', async () => {
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'osslive-full-'));
  const asRoot = process.getuid() === 0;
  const wrapper = ['unshare', ...(asRoot ? [] : ['--user', '--map-root-user']), '--mount', '--propagation', 'private',
    'sh', '-c', 'mount -t tmpfs -o size=32m tmpfs "$0" && mkdir "$0/data" && exec "$@"', mountPoint];
  let server;
  try {
    server = await startServer({ dataDir: path.join(mountPoint, 'data'), wrapper });
  } catch (e) {
    rmSync(mountPoint, { recursive: true, force: true });
    throw new Error(`could not start the server on a 32 MiB tmpfs with ${wrapper.slice(0, -3).join(' ')}: ${e.message}`);
  }
  const dataDir = path.join(`/proc/${server.child.pid}/root`, mountPoint, 'data');
  assert.equal(statfsSync(dataDir).blocks * statfsSync(dataDir).bsize, 32 << 20, 'the data folder is the 32 MiB tmpfs');
  const oss = client(server, { bucket: 'full' });
  try {
    await oss.putBucket('full');
    const kept = {};
    for (const [key, size] of [['a.bin', 100 << 10], ['b.bin', 1500 << 10], ['c/d.bin', 10]]) {
      kept[key] = randomBytes(size);
      await oss.put(key, kept[key]);
    }
    // Fill the disk to its last 128 KiB.
    const { bavail, bsize } = statfsSync(dataDir);
    await oss.put('filler.bin', randomBytes(bavail * bsize - (128 << 10)));
    const answers = {};
    const expect507 = async (label, fn) => {
      const r = await fn();
      answers[label] = `${r.status} ${r.code}`;
      assert.equal(r.status, 507, `${label}: ${r.status} ${r.body?.slice(0, 300)}`);
      assert.equal(r.code, 'InsufficientStorage');
    };
    const rawPut = async (key, size, subresource = '') => {
      const up = pacedPut(server, { bucket: 'full', key, length: size, subresource });
      await writePaced(up.req, randomBytes(size));
      up.req.end();
      const r = await up.done;
      if (r.error) return { status: `connection error ${r.error.code}`, code: '' };
      return { ...r, code: xmlField(r.body, 'Code') };
    };
    await expect507('PutObject 12 MiB (spooled)', () => rawPut('big.bin', 12 << 20));
    await expect507('PutObject 512 KiB (in memory)', () => rawPut('mid.bin', 512 << 10));
    const { uploadId } = await oss.initMultipartUpload('parts.bin');
    await expect507('UploadPart 12 MiB', () => rawPut('parts.bin', 12 << 20, `partNumber=1&uploadId=${uploadId}`));

    assert.equal(server.child.exitCode, null, 'alive');
    assert.equal((await fetchText(`${server.endpoint}/-/health`)).status, 200);
    for (const [key, bytes] of Object.entries(kept)) assert.equal(md5hex((await oss.get(key)).content), md5hex(bytes), key);
    assert.equal(await headStatus(oss, 'big.bin'), 404);
    assert.equal(await headStatus(oss, 'mid.bin'), 404);
    assert.deepEqual(tmpEntries(dataDir), [], 'failed writes left nothing behind');
    await oss.delete('filler.bin');
    await oss.put('after.bin', randomBytes(12 << 20));
    await oss.put('after-small.bin', randomBytes(512 << 10));
    assert.equal(await headStatus(oss, 'after.bin'), 200, 'space freed: writes work again');
    report.push(`full disk (tmpfs 32 MiB): ${Object.entries(answers).map(([k, v]) => `${k} -> ${v}`).join('; ')}; stored objects intact`);
  } finally {
    await server.stop();  // the mount goes with the server's namespace
    rmSync(mountPoint, { recursive: true, force: true });
  }
});
