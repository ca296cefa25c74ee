// The HTTP side of bench/live_bench.sh (issue 5 item 6), run against a real osslive on loopback.
//   node bench/live_bench.mjs cold     a. one cold segment: TTFB and total of the GET next to the ffmpeg CLI
//                                       b. N clients asking for one cold segment at once: one transcode
//                                       c. (preparation) stored segments, their files for nginx, wrk Lua scripts
//   node bench/live_bench.mjs viewers  a'. one cold segment with the default config (ta prefetch running)
//                                       d. two viewers playing in real time, one seeking
// Reads OSS_ENDPOINT / OSS_AK / OSS_SK (set by bench_start) and the LIVE_* knobs the driver exports;
// prints Markdown tables on stdout, progress on stderr. Node 20 standard library + ali-oss from
// tests/clients/node_modules.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { postPlaylist, signedPlaylistUrl } from '../tests/clients/lib/live.mjs';
import { parsePlaylist } from '../tests/clients/lib/media.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OSS = createRequire(path.join(here, '../tests/clients/package.json'))('ali-oss');

const env = (name, fallback) => process.env[name] ?? fallback;
const num = (name, fallback) => Number(env(name, fallback));
const ENDPOINT = env('OSS_ENDPOINT');  // http://127.0.0.1:PORT
if (!ENDPOINT) throw new Error('OSS_ENDPOINT is not set (run bench/live_bench.sh)');
const PORT = new URL(ENDPOINT).port;
const WORK = env('LIVE_WORK');
const BUCKET = env('LIVE_BUCKET', 'bench');
const OUT_SIZE = env('LIVE_OUT_SIZE', '1280x720');
const ST_MS = num('LIVE_ST_MS', 10000);
const RUNS = num('LIVE_RUNS', 5);
const CLIENTS = num('LIVE_CLIENTS', 8);
const A_INDEX = num('LIVE_A_INDEX', 2);
const B_INDEX = num('LIVE_B_INDEX', 3);
const PARTS = env('LIVE_PARTS', 'abcd');
// What the CLI row runs; the playlist asks osslive for the same (crf 23, AAC 128 kbit/s).
const COMMON = `s_${OUT_SIZE},st_${ST_MS},crf_23,ab_128000`;
const COLD_PARAMS = `${COMMON},initd_0`;

const log = (...a) => console.error('[live_bench]', ...a);
const now = () => performance.now();
const s3 = (ms) => (ms / 1000).toFixed(3);
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(3) : 'n/a');
const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const table = (head, rows) => {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
};

// ali-oss refuses to presign for an IP endpoint, so it signs for localhost; the requests go to
// 127.0.0.1 (V1 signatures do not cover the host, and localhost may resolve to ::1 first).
const oss = new OSS({
  accessKeyId: env('OSS_AK'), accessKeySecret: env('OSS_SK'), endpoint: `http://localhost:${PORT}`,
  region: 'oss-cn-hangzhou', sldEnable: true, bucket: BUCKET, timeout: 600000, retryMax: 0,
});
const loopback = (url) => url.replace(`http://localhost:${PORT}`, `http://127.0.0.1:${PORT}`);

// GET with timings from the moment the request is made: headers, first body byte, end of body.
// agent false: a fresh connection (no reuse, no queueing behind another request).
function timedGet(url, { agent = false, keep = false, signal } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    // An abort (a seek) rejects at once, whether the body had started or not.
    let req = null;
    const onAbort = () => { req?.destroy(); reject(Object.assign(new Error('aborted'), { name: 'AbortError' })); };
    if (signal?.aborted) { onAbort(); return; }
    signal?.addEventListener('abort', onAbort, { once: true });
    req = http.get(url, { agent }, (res) => {
      const headersAt = now();
      let firstAt = null;
      let bytes = 0;
      const arrivals = [];  // [time, bytes so far]: when half of the body was there
      const hash = createHash('md5');
      const parts = [];
      res.on('data', (d) => {
        if (firstAt === null) firstAt = now();
        bytes += d.length;
        arrivals.push([now(), bytes]);
        hash.update(d);
        if (keep) parts.push(d);
      });
      res.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        const endAt = now();
        resolve({
          status: res.statusCode, headers: res.headers, t0, headersAt, firstAt: firstAt ?? headersAt, endAt,
          headersMs: headersAt - t0, firstByteMs: (firstAt ?? headersAt) - t0, totalMs: endAt - t0, bytes,
          md5: hash.digest('hex'), body: keep ? Buffer.concat(parts) : null,
          halfMs: (arrivals.find(([, b]) => b * 2 >= bytes)?.[0] ?? endAt) - t0,
          chunked: /chunked/i.test(res.headers['transfer-encoding'] ?? ''),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function getOk(url, options) {
  const r = await timedGet(url, { ...options, keep: true });
  if (r.status !== 200) throw new Error(`GET ${url} -> ${r.status}: ${r.body.toString().slice(0, 500)}`);
  return r;
}

// ---- /-/metrics ----
async function metrics() {
  const r = await getOk(`${ENDPOINT}/-/metrics`);
  const out = {};
  for (const line of r.body.toString().split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return out;
}
const M = {
  transcodes: 'osslive_segment_transcode_seconds_count',
  transcodeSeconds: 'osslive_segment_transcode_seconds_sum',
  started: 'osslive_transcodes_started_total',
  failed: 'osslive_transcodes_failed_total',
  joined: 'osslive_transcode_joined_total',
  rejected: 'osslive_transcode_rejected_total',
  dropped: 'osslive_prefetch_dropped_total',
  hits: 'osslive_segment_cache_hits_total',
  misses: 'osslive_segment_cache_misses_total',
};
const delta = (a, b, name) => (b[M[name]] ?? 0) - (a[M[name]] ?? 0);

// Waits until no segment job is queued or running (the transcode counter is bumped after the
// job's last byte went out, so a client may see the end of its body a moment before).
async function idle(timeoutMs = 600000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = await metrics();
    if (!m.osslive_transcode_queue_depth && !m.osslive_transcodes_running) return m;
    if (Date.now() > until) throw new Error('the server did not go idle');
    await sleep(100);
  }
}

// ---- setup ----
async function upload(key, file) {
  try { await oss.putBucket(BUCKET); } catch (e) { if (e.status !== 409) throw e; }
  const t = now();
  await oss.put(key, file);
  readFileSync(file);  // the page cache holds the source for osslive and the CLI alike
  log(`uploaded ${key} (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${s3(now() - t)} s`);
}

// POST hls/m3u8, then GET the V1-signed hls/sign,live_1 playlist: segments with URL, start, EXTINF.
async function makePlaylist(sourceKey, playlistKey, params) {
  const posted = await postPlaylist(oss, sourceKey, playlistKey, params);
  const url = loopback(await signedPlaylistUrl(oss, playlistKey, { expires: 24 * 3600 }));
  const got = await getOk(url);
  const parsed = parsePlaylist(got.body.toString());
  let start = 0;
  const segments = parsed.segments.map((s, index) => {
    const segment = { index, start, extinf: s.extinf, url: new URL(s.uri, url).href, name: s.uri.split('?')[0] };
    start += s.extinf;
    return segment;
  });
  return { key: playlistKey, url, json: posted.json, segments, duration: start, fetch: got };
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(now() - t0) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

// The same range by the ffmpeg CLI (what bench/segment_bench.sh runs).
function cli(src, startS, out) {
  const [w, h] = OUT_SIZE.split('x');
  return run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-ss', startS.toFixed(3), '-i', src, '-t', String(ST_MS / 1000),
    '-vf', `scale=${w}:${h}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-c:a', 'aac', '-b:a', '128k',
    '-f', 'mpegts', out]);
}

// One cold segment GET with the counters around it.
async function coldGet(playlist, index) {
  const before = await idle();
  const seg = playlist.segments[index];
  const r = await timedGet(seg.url);
  if (r.status !== 200) throw new Error(`cold GET ${seg.name} -> ${r.status}`);
  const after = await idle();
  return { ...r, segment: seg, transcodes: delta(before, after, 'transcodes'),
    serverS: delta(before, after, 'transcodeSeconds') };
}

// ---- a, b, c ----
async function cold() {
  const src = env('LIVE_SRC_A');
  await upload('src/a.mp4', src);
  const results = [];
  let first = null;
  if (PARTS.includes('a') || PARTS.includes('c')) {
    for (let run_ = 1; run_ <= (PARTS.includes('a') ? RUNS : 1); run_++) {
      const pl = await makePlaylist('src/a.mp4', `cold/run${run_}.m3u8`, COLD_PARAMS);
      first ??= pl;
      if (!PARTS.includes('a')) break;
      const index = Math.min(A_INDEX, pl.segments.length - 1);
      log(`a. run ${run_}: cold segment ${index} of ${pl.segments.length} (${pl.segments[index].start.toFixed(3)} s)`);
      const o = await coldGet(pl, index);
      const out = path.join(WORK, `cli-${run_}.ts`);
      const cliMs = await cli(src, pl.segments[index].start, out);
      results.push({ run: run_, o, cliMs, cliBytes: statSync(out).size });
    }
  }
  if (results.length) {
    const o = results.map((r) => r.o);
    const mTtfb = median(o.map((r) => r.firstByteMs));
    const mTotal = median(o.map((r) => r.totalMs));
    const mCli = median(results.map((r) => r.cliMs));
    writeFileSync(path.join(WORK, 'a.json'), JSON.stringify({ cliMedianMs: mCli }));
    const seg = o[0].segment;
    console.log(`\n### a. cold segment ${seg.index} (${seg.start.toFixed(3)} s, EXTINF ${seg.extinf}) -> ${OUT_SIZE}, ` +
      `${COLD_PARAMS}; prefetch off (transcode.prefetch_limit 0)\n`);
    console.log(table(['run', 'osslive headers s', 'osslive TTFB s', 'half the body s', 'osslive total s', 'server transcode s', 'transcodes',
      'chunked', 'osslive KiB', 'CLI s', 'CLI KiB', 'total / CLI', 'TTFB / CLI'],
    results.map((r) => [r.run, s3(r.o.headersMs), s3(r.o.firstByteMs), s3(r.o.halfMs), s3(r.o.totalMs), r.o.serverS.toFixed(3), r.o.transcodes,
      r.o.chunked ? 'yes' : 'no', Math.round(r.o.bytes / 1024), s3(r.cliMs), Math.round(r.cliBytes / 1024),
      ratio(r.o.totalMs, r.cliMs), ratio(r.o.firstByteMs, r.cliMs)])));
    console.log(`\n| median of ${RUNS} | osslive TTFB s | osslive total s | CLI s | **total / CLI** (target <= 0.9) | **TTFB / CLI** (target <= 0.15) |`);
    console.log('| --- | --- | --- | --- | --- | --- |');
    const rt = mTotal / mCli;
    const rf = mTtfb / mCli;
    console.log(`| | ${s3(mTtfb)} | ${s3(mTotal)} | ${s3(mCli)} | ${rt.toFixed(3)} ${rt <= 0.9 ? 'met' : 'MISSED'} | ` +
      `${rf.toFixed(3)} ${rf <= 0.15 ? 'met' : 'MISSED'} |`);
  }

  if (PARTS.includes('b')) {
    const pl = await makePlaylist('src/a.mp4', 'one/P.m3u8', COLD_PARAMS);
    const index = Math.min(B_INDEX, pl.segments.length - 1);
    const seg = pl.segments[index];
    log(`b. ${CLIENTS} clients at once on cold segment ${index}`);
    const before = await idle();
    const got = await Promise.all(Array.from({ length: CLIENTS }, () => timedGet(seg.url)));
    const after = await idle();
    const statuses = [...new Set(got.map((r) => r.status))];
    const md5s = new Set(got.map((r) => r.md5));
    const d = (n) => delta(before, after, n);
    const ok = statuses.length === 1 && statuses[0] === 200 && md5s.size === 1 && d('transcodes') === 1;
    console.log(`\n### b. ${CLIENTS} clients, one cold segment (${seg.name}) at once\n`);
    console.log(table(['clients', 'statuses', 'distinct md5', 'bytes', 'transcode count delta', 'started', 'joined',
      'misses', 'TTFB min-max s', 'total min-max s', 'verdict'],
    [[CLIENTS, statuses.join(' '), md5s.size, [...new Set(got.map((r) => r.bytes))].join(' '), d('transcodes'), d('started'),
      d('joined'), d('misses'), `${s3(Math.min(...got.map((r) => r.firstByteMs)))}-${s3(Math.max(...got.map((r) => r.firstByteMs)))}`,
      `${s3(Math.min(...got.map((r) => r.totalMs)))}-${s3(Math.max(...got.map((r) => r.totalMs)))}`,
      ok ? 'one transcode, identical bodies' : 'FAILED']]));
    if (md5s.size > 1) for (const r of got) log(`   body ${r.md5} ${r.bytes} B, chunked ${r.chunked}`);
  }

  if (PARTS.includes('c')) await prepareWarm(first);
}

// Every segment of one playlist stored (made in order through the live URLs), the same bytes
// written for nginx, and one wrk Lua script per target rotating over the segments.
async function prepareWarm(pl) {
  log(`c. storing all ${pl.segments.length} segments of ${pl.key}`);
  const www = path.join(WORK, 'www');
  mkdirSync(www, { recursive: true });
  const live = [];
  const plain = [];
  const files = [];
  for (const seg of pl.segments) {
    const r = await getOk(seg.url);
    const file = `seg-${seg.index}.ts`;
    writeFileSync(path.join(www, file), r.body);
    const key = `${path.posix.dirname(pl.key)}/${seg.name}`;
    const plainUrl = loopback(oss.signatureUrl(key, { expires: 24 * 3600 }));
    const again = await getOk(plainUrl);
    if (again.md5 !== r.md5 || again.chunked) throw new Error(`presigned GET of ${key} differs from the live GET`);
    const liveAgain = await getOk(seg.url);
    if (liveAgain.md5 !== r.md5 || liveAgain.chunked) throw new Error(`second live GET of ${key} was not the stored object`);
    const rel = (u) => { const x = new URL(u); return x.pathname + x.search; };
    live.push(rel(seg.url));
    plain.push(rel(plainUrl));
    files.push(`/${file}`);
  }
  const sizes = pl.segments.map((s) => statSync(path.join(www, `seg-${s.index}.ts`)).size);
  const lua = (paths) => `-- made by bench/live_bench.mjs: GET each path in turn\nlocal paths = {\n${
    paths.map((p) => `  ${JSON.stringify(p)},`).join('\n')}\n}\nlocal n = 0\nrequest = function()\n  n = n % #paths + 1\n` +
    '  return wrk.format("GET", paths[n])\nend\n';
  writeFileSync(path.join(WORK, 'live.lua'), lua(live));
  writeFileSync(path.join(WORK, 'plain.lua'), lua(plain));
  writeFileSync(path.join(WORK, 'nginx.lua'), lua(files));
  writeFileSync(path.join(WORK, 'c.txt'), `${sizes.length} segments, ${(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1e6).toFixed(2)} MB average`);
}

// ---- d ----
// A player that fetches one segment at a time: segment k is asked for when segment k - B starts
// playing (B-segment buffer) and is needed when the playhead reaches its start. Playback starts
// when the first segment is complete, a late segment stalls the playhead until it is complete,
// and a seek aborts what is in flight and starts over at the target segment.
async function viewer(name, playlistUrl, { seekAfterS = null, seekTo = 0.6, buffer = 3, playS = 0 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const t0 = now();
  const seekCtl = new AbortController();
  let seekWall = null;
  if (seekAfterS !== null) setTimeout(() => { seekWall = now(); seekCtl.abort(); }, seekAfterS * 1000).unref();
  const list = await getOk(playlistUrl, { agent });
  const pl = parsePlaylist(list.body.toString());
  let start = 0;
  const segs = pl.segments.map((s, index) => { const x = { index, start, extinf: s.extinf, url: new URL(s.uri, playlistUrl).href }; start += s.extinf; return x; });
  const total = start;
  const out = { name, segments: 0, late: 0, stallMs: 0, slowDown: 0, chunked: 0, maxTtfbMs: 0, startup: null, seek: null, log: [] };
  let anchor = null;  // {wall, media}: the playhead is media + (now - wall) / 1000 while playing
  let runFirst = 0;   // the first segment of the current run (after start or seek)
  let k = 0;
  let seeking = false;
  let seekDone = seekAfterS === null;
  const wallOf = (media) => anchor.wall + (media - anchor.media) * 1000;
  const mediaEnd = playS > 0 ? Math.min(total, playS) : total;
  const seek = () => {
    seekDone = true;
    const target = segs.findIndex((s) => s.start + s.extinf > seekTo * total);
    out.log.push(`${name} seek at ${s3(seekWall - t0)} s to ${(seekTo * total).toFixed(1)} s = segment ${target}`);
    k = target;
    runFirst = target;
    anchor = null;
    seeking = true;
  };
  while (k < segs.length) {
    if (!seekDone && seekCtl.signal.aborted) seek();
    try {
      const signal = seekDone ? undefined : seekCtl.signal;
      if (anchor && k - buffer >= runFirst) {
        const wait = wallOf(segs[k - buffer].start) - now();
        if (wait > 0) await sleep(wait, undefined, { signal });
      }
      const r = await timedGet(segs[k].url, { agent, signal });
      if (r.status === 503) {  // SlowDown: retry after what the server says
        out.slowDown++;
        await sleep(1000 * Number(r.headers['retry-after'] ?? 1), undefined, { signal });
        continue;
      }
      if (r.status !== 200) throw new Error(`${name}: segment ${k} -> ${r.status}`);
      out.segments++;
      if (r.chunked) out.chunked++;
      out.maxTtfbMs = Math.max(out.maxTtfbMs, r.firstByteMs);
      let lateMs = 0;
      if (!anchor) {
        anchor = { wall: r.endAt, media: segs[k].start };
        if (seeking) out.seek = { index: k, firstByteMs: r.firstAt - seekWall, readyMs: r.endAt - seekWall };
        else out.startup = { firstByteMs: r.firstAt - t0, readyMs: r.endAt - t0 };
        seeking = false;
      } else {
        lateMs = r.endAt - wallOf(segs[k].start);
        if (lateMs > 0) { out.late++; out.stallMs += lateMs; anchor.wall += lateMs; }
      }
      out.log.push(`${name} seg ${k}: ttfb ${s3(r.firstByteMs)} total ${s3(r.totalMs)}${r.chunked ? ' (transcoded)' : ''}` +
        `${lateMs > 0 ? ` LATE by ${s3(lateMs)}` : ''}`);
      k++;
      if (segs[k - 1].start + segs[k - 1].extinf >= mediaEnd) break;
    } catch (e) {
      if (seekDone || !seekCtl.signal.aborted) throw e;
      seek();
    }
  }
  agent.destroy();
  out.wallMs = now() - t0;
  return out;
}

async function viewers() {
  if (PARTS.includes('a') && existsSync(env('LIVE_SRC_A', ''))) {
    await upload('src/a.mp4', env('LIVE_SRC_A'));
    const pl = await makePlaylist('src/a.mp4', 'default/P.m3u8', COLD_PARAMS);
    const index = Math.min(A_INDEX, pl.segments.length - 1);
    log(`a'. cold segment ${index} with the default config`);
    const before = await idle();
    const r = await timedGet(pl.segments[index].url);
    const soon = await metrics();
    const cliMs = existsSync(path.join(WORK, 'a.json')) ? JSON.parse(readFileSync(path.join(WORK, 'a.json'))).cliMedianMs : NaN;
    console.log(`\n### a'. the same cold segment with the default config (ta prefetch of the next segments runs alongside)\n`);
    console.log(table(['osslive TTFB s', 'osslive total s', 'prefetch jobs started during the GET', 'CLI s (median from a)', 'total / CLI', 'TTFB / CLI'],
      [[s3(r.firstByteMs), s3(r.totalMs), delta(before, soon, 'started') - 1, s3(cliMs), ratio(r.totalMs, cliMs), ratio(r.firstByteMs, cliMs)]]));
    await idle();  // the prefetch must not run into d
  }
  if (!PARTS.includes('d')) return;
  await upload('src/d.mp4', env('LIVE_SRC_D'));
  const params = COMMON;  // initd and ta: defaults
  const before = await idle();
  const pl = await makePlaylist('src/d.mp4', 'viewers/P.m3u8', params);
  log(`d. two viewers on ${pl.segments.length} segments (${pl.duration.toFixed(1)} s), ${params}`);
  const opts = { buffer: num('LIVE_BUFFER_SEGMENTS', 3), playS: num('LIVE_PLAY_S', 0) };
  const [a, b] = await Promise.all([
    viewer('A', pl.url, opts),
    viewer('B', pl.url, { ...opts, seekAfterS: num('LIVE_SEEK_AFTER_S', 20), seekTo: num('LIVE_SEEK_TO', 0.6) }),
  ]);
  const after = await idle();
  if (env('LIVE_VERBOSE')) for (const line of [...a.log, ...b.log]) log(line);
  console.log(`\n### d. two viewers from segment 0 in real time, ${opts.buffer}-segment buffer, ${OUT_SIZE}, st ${ST_MS} ms, ` +
    `initd and ta default; B seeks to ${Math.round(num('LIVE_SEEK_TO', 0.6) * 100)}% after ${num('LIVE_SEEK_AFTER_S', 20)} s\n`);
  const f = (x) => (x === null || x === undefined ? '-' : s3(x));
  console.log(table(['viewer', 'segments', 'late', 'stall s', 'startup TTFB s', 'startup ready s', 'seek to', 'seek → first byte s',
    'seek → segment ready s', 'made while waiting (chunked)', 'max TTFB s', 'SlowDown', 'last segment at s'],
  [a, b].map((v) => [v.name, v.segments, v.late, s3(v.stallMs), f(v.startup?.firstByteMs), f(v.startup?.readyMs),
    v.seek ? `segment ${v.seek.index}` : '-', f(v.seek?.firstByteMs), f(v.seek?.readyMs), v.chunked, s3(v.maxTtfbMs),
    v.slowDown, s3(v.wallMs)])));
  const d = (n) => delta(before, after, n);
  console.log(`\nserver counters during d: ${d('transcodes')} transcodes (${d('transcodeSeconds').toFixed(1)} s of work), ` +
    `${d('joined')} joined, ${d('hits')} hits, ${d('misses')} misses, ${d('dropped')} prefetch dropped, ` +
    `${d('rejected')} SlowDown, ${d('failed')} failed`);
  // The server's peak resident memory over its whole life (VmHWM), which this run was all of.
  const status = process.env.OSSLIVE_PID ? readFileSync(`/proc/${process.env.OSSLIVE_PID}/status`, 'utf8') : '';
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  if (hwm) console.log(`server peak RSS (VmHWM): ${(Number(hwm[1]) / 1024).toFixed(1)} MiB`);
}

const mode = process.argv[2];
if (mode === 'cold') await cold();
else if (mode === 'viewers') await viewers();
else throw new Error('usage: node bench/live_bench.mjs cold|viewers');
