// A cluster from scripts/cluster.sh (N osslive nodes on one data folder behind nginx) driven from
// a test: the script's commands, each node's metrics, nginx's access log, and the ring that nginx's
// `hash ... consistent` builds, computed here the way nginx does, to say which node owns a playlist.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { REPO_DIR } from './browser.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, binaryPath } from './server.mjs';

const run = promisify(execFile);

// Whether every port is free on 127.0.0.1.
export async function portsFree(ports) {
  for (const port of ports) {
    const free = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

export function clusterScript(dataDir, port) {
  const env = { ...process.env, OSSLIVE_CLUSTER_DATA: dataDir, OSSLIVE_CLUSTER_PORT: String(port),
    OSSLIVE_BIN: binaryPath(), OSSLIVE_ACCESS_KEY_ID: ACCESS_KEY_ID, OSSLIVE_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET };
  const state = path.join(dataDir, '.cluster');
  const script = path.join(REPO_DIR, 'scripts/cluster.sh');
  return {
    port, state, endpoint: `http://127.0.0.1:${port}`,
    async run(...args) {
      const { stdout } = await run(script, args, { env, timeout: 90000, cwd: REPO_DIR });
      return stdout;
    },
    // [{name, index, pid (null when not running), port}]
    async ps() {
      const out = await this.run('ps');
      return out.trim().split('\n').filter(Boolean).map((line) => {
        const [name, pid, nodePort] = line.split(' ');
        return { name, index: Number(name.slice(4)), pid: pid === '-' ? null : Number(pid), port: Number(nodePort), line };
      });
    },
    // nginx's access log: [{method, uri, status, upstreams (every node tried, in order), upstream (the last), key}]
    accessLog() {
      let text = '';
      try { text = readFileSync(path.join(state, 'nginx-access.log'), 'utf8'); } catch { return []; }
      return text.trim().split('\n').filter(Boolean).map((line) => {
        const m = /"(\S+) (\S+)" (\d+) \d+ upstream=(.*?) upstream_status=(.*?) key=(\S+)/.exec(line);
        if (!m) return null;
        const upstreams = m[4].split(', ');
        return { method: m[1], uri: m[2], status: Number(m[3]), upstreams, upstream: upstreams.at(-1), key: m[6], line };
      }).filter(Boolean);
    },
  };
}

// One node's /-/metrics as {name: value}.
export async function nodeMetrics(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/-/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^(osslive_[a-z_]+) (\S+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

// Waits until no node has a segment job queued or running (twice in a row, 200 ms apart).
export async function waitIdle(ports, { timeoutMs = 60000 } = {}) {
  const until = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < until) {
    const all = await Promise.all(ports.map((p) => nodeMetrics(p).catch(() => ({}))));
    const busy = all.some((m) => (m.osslive_transcodes_running ?? 0) + (m.osslive_transcode_queue_depth ?? 0) > 0);
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= 2) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the cluster did not become idle');
}

// ---- the ring nginx builds for `hash $key consistent` (ngx_http_upstream_hash_module) ----------
// Each server "host:port" gets 160 points (weight 1): CRC32 of host, a NUL and the port, continued
// with the previous point's four bytes. A key goes to the first point at or after CRC32(key).
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crcUpdate(state, bytes) {
  let c = state;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return c >>> 0;
}
export const crc32 = (bytes) => (crcUpdate(0xffffffff, bytes) ^ 0xffffffff) >>> 0;

export function nginxRing(servers) {
  const points = [];
  for (const server of servers) {
    const colon = server.lastIndexOf(':');
    const base = crcUpdate(0xffffffff, Buffer.concat([Buffer.from(server.slice(0, colon)), Buffer.from([0]),
      Buffer.from(server.slice(colon + 1))]));
    let prev = 0;
    for (let j = 0; j < 160; j++) {
      const le = Buffer.alloc(4);
      le.writeUInt32LE(prev);
      const hash = (crcUpdate(base, le) ^ 0xffffffff) >>> 0;
      points.push({ hash, server });
      prev = hash;
    }
  }
  points.sort((a, b) => a.hash - b.hash);
  return {
    owner(key) {
      const h = crc32(Buffer.from(key));
      let lo = 0;
      let hi = points.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (points[mid].hash < h) lo = mid + 1;
        else hi = mid;
      }
      return points[lo % points.length].server;
    },
  };
}

// The routing key nginx's map makes of a path (config/nginx-cluster.conf): a segment or a playlist
// becomes the playlist's name without ".m3u8"; anything else stays itself.
export function liveKey(uri) {
  const segment = /^(.+)-[0-9a-f]{32}-[0-9]+\.(?:ts|vtt)$/.exec(uri);
  if (segment) return segment[1];
  const playlist = /^(.+)\.m3u8$/.exec(uri);
  return playlist ? playlist[1] : uri;
}
