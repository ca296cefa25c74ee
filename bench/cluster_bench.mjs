// The measuring side of bench/cluster_bench.sh: clusters from scripts/cluster.sh on loopback.
//   a. distinct cold segments per minute with 1, 2 and 3 nodes: CLUSTER_PLAYLISTS playlists, every
//      segment of each asked for at once through nginx (prefetch off, so a request is a transcode)
//   b. the cost nginx adds to a stored segment: wrk on the same signed URL through nginx and
//      straight to the node that owns it (requests/s and latency, their ratio)
//   c. duplicate transcodes while a node is lost: a player fetches a playlist's segments one after
//      another through nginx (prefetch on), the playlist's node is killed (-9) after a few; the sum
//      over nodes of osslive_transcodes_started_total against the segments stored
// Prints Markdown on stdout, progress on stderr. Uses tests/clients/lib (ali-oss, the cluster driver).
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { clusterScript, nginxRing, nodeMetrics, waitIdle } from '../tests/clients/lib/cluster.mjs';
import { fetchBuffer, postPlaylist, signedPlaylistUrl } from '../tests/clients/lib/live.mjs';
import { ffmpeg, lavfiAudio, lavfiVideo, parsePlaylist, tempDir } from '../tests/clients/lib/media.mjs';
import { client } from '../tests/clients/lib/oss.mjs';

const execFileP = promisify(execFile);
const env = (name, fallback) => process.env[name] ?? fallback;
const num = (name, fallback) => Number(env(name, fallback));
const PORT = num('CLUSTER_PORT', 19600);
const PARTS = env('CLUSTER_PARTS', 'abc');
const SRC_SIZE = env('CLUSTER_SRC_SIZE', '1280x720');
const OUT_SIZE = env('CLUSTER_OUT_SIZE', '1280x720');
const SRC_SECONDS = num('CLUSTER_SRC_SECONDS', 20);
const ST_MS = num('CLUSTER_ST_MS', 5000);
const PLAYLISTS = num('CLUSTER_PLAYLISTS', 6);
const NODE_COUNTS = env('CLUSTER_NODES', '1,2,3').split(',').map(Number);
const WRK_SECONDS = num('CLUSTER_WRK_SECONDS', 5);
const WRK_CONNECTIONS = num('CLUSTER_WRK_CONNECTIONS', 16);
const WRK_ROUNDS = num('CLUSTER_WRK_ROUNDS', 3);
const LOSS_SECONDS = num('CLUSTER_LOSS_SECONDS', 60);
const KILL_AFTER = num('CLUSTER_KILL_AFTER', 3);
const bucket = 'media';
const log = (...args) => console.error('#', ...args);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const work = tempDir('osslive-cluster-bench-');
const params = `s_${OUT_SIZE},st_${ST_MS},initd_0`;

// A cluster on a fresh folder; `config` replaces config/osslive.json on every node.
async function upCluster(name, n, config) {
  const data = work.file(name);
  const configFile = work.file(`${name}.json`);
  writeFileSync(configFile, JSON.stringify({ buckets: [{ name: bucket, acl: 'private' }], ...config }));
  process.env.OSSLIVE_CLUSTER_ARGS = `--config ${configFile} --log-level warn`;
  const cl = clusterScript(data, PORT);
  await cl.run('up', String(n)).catch(async (e) => {
    await cl.run('down').catch(() => {});
    throw e;
  });
  const nodes = await cl.ps();
  const oss = client({ host: 'localhost', port: PORT }, { bucket });
  return { cl, nodes, oss, data };
}

const sumStarted = async (nodes) =>
  (await Promise.all(nodes.filter((n) => n.pid).map((n) => nodeMetrics(n.port))))
    .reduce((s, m) => s + (m.osslive_transcodes_started_total ?? 0), 0);

function countSegments(dir) {
  let n = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (/^[^.].*-[0-9a-f]{32}-\d+\.ts$/.test(e.name)) n += 1;  // not the sidecars (".%m.<name>")
    }
  };
  walk(dir);
  return n;
}

async function segmentUrls(oss, key) {
  const url = await signedPlaylistUrl(oss, key);
  const text = (await fetchBuffer(url)).body.toString();
  return parsePlaylist(text).segments.map((s) => new URL(s.uri, url).href);
}

// `count` playlist names that nginx's ring spreads evenly over `nodes` (as many per node, give or
// take one): with a handful of playlists a plain hash can leave a node idle, and this measures
// what N busy nodes make, not how the hash fell.
function balancedNames(nodes, count) {
  const ring = nginxRing(nodes.map((x) => `127.0.0.1:${x.port}`));
  const want = new Map(nodes.map((x, i) => [`127.0.0.1:${x.port}`, Math.floor(count / nodes.length) + (i < count % nodes.length)]));
  const names = [];
  for (let i = 0; names.length < count; i += 1) {
    const owner = ring.owner(`/${bucket}/a/p${i}`);
    if (want.get(owner) > 0) {
      want.set(owner, want.get(owner) - 1);
      names.push(`p${i}`);
    }
  }
  return names;
}

async function partA(source) {
  console.log(`### a. Cold segments per minute (${PLAYLISTS} playlists of a ${SRC_SECONDS} s ${SRC_SIZE} source, ` +
    `${OUT_SIZE}, ${ST_MS / 1000} s segments, all asked for at once through nginx, prefetch off)\n`);
  console.log('| nodes | segments | wall s | segments/min | per node (transcodes) | sum of transcodes_started |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const n of NODE_COUNTS) {
    const { cl, nodes, oss, data } = await upCluster(`a${n}`, n, { transcode: { prefetch_limit: 0 } });
    try {
      await oss.put('in/src.mp4', source);
      const urls = [];
      for (const name of balancedNames(nodes, PLAYLISTS)) {
        await postPlaylist(oss, 'in/src.mp4', `a/${name}.m3u8`, params);
        urls.push(...await segmentUrls(oss, `a/${name}.m3u8`));
      }
      log(`${n} node(s): ${urls.length} cold segments`);
      const t0 = performance.now();
      const got = await Promise.all(urls.map((u) => fetchBuffer(u)));
      const seconds = (performance.now() - t0) / 1000;
      const bad = got.filter((r) => r.status !== 200).length;
      if (bad) throw new Error(`${bad} segment requests failed`);
      await waitIdle(nodes.map((x) => x.port));
      const per = await Promise.all(nodes.map(async (x) => (await nodeMetrics(x.port)).osslive_transcodes_started_total ?? 0));
      console.log(`| ${n} | ${urls.length} | ${seconds.toFixed(1)} | ${(urls.length / seconds * 60).toFixed(1)} | ` +
        `${per.join(' / ')} | ${per.reduce((a, b) => a + b, 0)} (stored ${countSegments(path.join(data, bucket))}) |`);
    } finally {
      await cl.run('down');
    }
  }
  console.log();
}

async function wrk(url) {
  const { stdout } = await execFileP('wrk', ['-t2', `-c${WRK_CONNECTIONS}`, `-d${WRK_SECONDS}s`, '--latency', url]);
  const rps = Number(/Requests\/sec:\s+(\S+)/.exec(stdout)[1]);
  const p50 = /^\s+50%\s+(\S+)/m.exec(stdout)[1];
  const p99 = /^\s+99%\s+(\S+)/m.exec(stdout)[1];
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  return { rps, p50, p99, non2xx };
}

async function partB(source) {
  const { cl, nodes, oss } = await upCluster('b', 3, {});
  try {
    await oss.put('in/src.mp4', source);
    await postPlaylist(oss, 'in/src.mp4', 'b/P.m3u8', params);
    const urls = await segmentUrls(oss, 'b/P.m3u8');
    const seg = await fetchBuffer(urls[0]);  // made once, stored from now on
    if (seg.status !== 200) throw new Error(`segment: ${seg.status}`);
    await waitIdle(nodes.map((x) => x.port));
    const owner = nginxRing(nodes.map((x) => `127.0.0.1:${x.port}`)).owner('/media/b/P');
    const direct = Object.assign(new URL(urls[0]), { host: owner }).href;
    console.log(`### b. A stored ${(seg.body.length / 1024).toFixed(0)} KiB segment (live hls/ts URL), wrk -t2 ` +
      `-c${WRK_CONNECTIONS} -d${WRK_SECONDS}s, median of ${WRK_ROUNDS} rounds each\n`);
    console.log('| path | requests/s | p50 | p99 | non-2xx |');
    console.log('| --- | --- | --- | --- | --- |');
    const rows = { direct: [], nginx: [] };
    for (let r = 0; r < WRK_ROUNDS; r += 1) {
      rows.direct.push(await wrk(direct));
      rows.nginx.push(await wrk(urls[0]));
    }
    for (const [name, runs] of Object.entries(rows)) {
      const m = runs.find((x) => x.rps === median(runs.map((y) => y.rps)));
      console.log(`| ${name === 'direct' ? `straight to the owning node (${owner})` : `through nginx (127.0.0.1:${PORT})`} | ` +
        `${m.rps.toFixed(0)} | ${m.p50} | ${m.p99} | ${runs.reduce((s, x) => s + x.non2xx, 0)} |`);
    }
    const ratio = median(rows.nginx.map((x) => x.rps)) / median(rows.direct.map((x) => x.rps));
    console.log(`\nnginx / direct requests per second: **${ratio.toFixed(2)}**\n`);
  } finally {
    await cl.run('down');
  }
}

async function partC() {
  const long = work.file('long.mp4');
  await ffmpeg([...lavfiVideo({ size: SRC_SIZE, duration: LOSS_SECONDS }), ...lavfiAudio({ duration: LOSS_SECONDS }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-c:a', 'aac', '-t', String(LOSS_SECONDS), long]);
  const { cl, nodes, oss, data } = await upCluster('c', 3, {});
  try {
    await oss.put('in/long.mp4', long);
    await postPlaylist(oss, 'in/long.mp4', 'c/P.m3u8', `${params},ta_10`);
    const urls = await segmentUrls(oss, 'c/P.m3u8');
    const ownerAddr = nginxRing(nodes.map((x) => `127.0.0.1:${x.port}`)).owner('/media/c/P');
    const owner = nodes.find((x) => `127.0.0.1:${x.port}` === ownerAddr);
    let killedCount = 0;
    let retries = 0;
    let worstAfterKill = 0;
    let killedAt = 0;
    for (let i = 0; i < urls.length; i += 1) {
      if (i === KILL_AFTER) {
        killedCount = (await nodeMetrics(owner.port)).osslive_transcodes_started_total ?? 0;
        process.kill(owner.pid, 'SIGKILL');
        killedAt = performance.now();
        log(`killed node${owner.index} (pid ${owner.pid}) after ${i} segments; it had started ${killedCount} transcodes`);
      }
      const t0 = performance.now();
      for (;;) {
        const r = await fetchBuffer(urls[i]).catch(() => ({ status: 0 }));
        if (r.status === 200) break;
        retries += 1;
        if (performance.now() - t0 > 120000) throw new Error(`segment ${i}: no answer in 120 s (${r.status})`);
        await sleep(500);
      }
      if (killedAt) worstAfterKill = Math.max(worstAfterKill, performance.now() - t0);
    }
    const alive = nodes.filter((x) => x !== owner);
    await waitIdle(alive.map((x) => x.port));
    const started = killedCount + await sumStarted(alive);
    const stored = countSegments(path.join(data, bucket));
    console.log(`### c. Duplicate transcodes during a node loss (${urls.length} segments of ${ST_MS / 1000} s, ${OUT_SIZE}, ` +
      `prefetch ta_10; the owner killed -9 after the player had ${KILL_AFTER} segments)\n`);
    console.log('| segments | stored | transcodes started (all nodes) | duplicates | player retries | slowest segment after the kill |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(`| ${urls.length} | ${stored} | ${started} | ${started - stored} | ${retries} | ${(worstAfterKill / 1000).toFixed(1)} s |`);
    console.log();
  } finally {
    await cl.run('down');
  }
}

try {
  const source = work.file('src.mp4');
  await ffmpeg([...lavfiVideo({ size: SRC_SIZE, duration: SRC_SECONDS }), ...lavfiAudio({ duration: SRC_SECONDS }),
    '-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-c:a', 'aac', '-t', String(SRC_SECONDS), source]);
  if (PARTS.includes('a')) await partA(source);
  if (PARTS.includes('b')) await partB(source);
  if (PARTS.includes('c')) await partC();
} finally {
  if (!process.env.CLUSTER_KEEP) work.remove();
}
