// Helpers for the robustness tests (issue 7): servers started from a config file, the server
// process seen through /proc (peak memory, descriptors, limits), hard kills and restarts, raw
// V1-signed requests whose body the test paces itself, and idle / slow-header connections.
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, startServer } from './server.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const md5hex = (buf) => createHash('md5').update(buf).digest('hex').toUpperCase();
export const mib = (kb) => (kb / 1024).toFixed(1);

// Starts osslive with `config` (docs/configuration.md) written to a file and passed as --config;
// the usual test flags (listen, data dir, key) still come from startServer and win.
export async function startWithConfig(config, options = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'osslive-config-'));
  const file = path.join(dir, 'osslive.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  const server = await startServer({ ...options, extraArgs: ['--config', file, ...(options.extraArgs ?? [])] });
  return Object.assign(server, { configFile: file });
}

// ---- the server process through /proc ----

export function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), peakKb: kb('VmHWM'), threads: Number(text.match(/^Threads:\s+(\d+)/m)?.[1]) };
}

// Resets VmHWM (the peak resident set) to the current RSS, so the next reading is the peak of
// what happened in between (Linux >= 4.0, needs the same user or root).
export function resetPeak(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

// Open descriptors by kind: sockets, regular files (by path) and the rest (pipes, eventfd, epoll).
export function descriptors(pid) {
  const out = { total: 0, sockets: 0, files: [], other: 0 };
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target;
    try { target = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }  // closed meanwhile
    out.total += 1;
    if (target.startsWith('socket:')) out.sockets += 1;
    else if (target.startsWith('/')) out.files.push(target);
    else out.other += 1;
  }
  return out;
}

export function openFileLimit(pid) {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const [soft, hard] = line.trim().split(/\s+/).slice(3, 5).map(Number);
  return { soft, hard };
}

// Waits until fn() is truthy (polling), or throws with `what` after timeoutMs.
export async function waitFor(fn, { timeoutMs = 10000, everyMs = 50, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// SIGKILL: no drain, no destructors, exactly what a crash or an OOM kill leaves behind.
export async function killHard(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

// ---- raw signed requests ----

// V1 header signature (docs/api.md) for requests the test writes by hand.
export function v1Headers({ method, bucket, key = '', subresource = '', contentType = '', headers = {} }) {
  const date = new Date().toUTCString();
  const resource = `/${bucket}/${key}${subresource ? `?${subresource}` : ''}`;
  const toSign = `${method}\n\n${contentType}\n${date}\n${resource}`;
  const signature = createHmac('sha1', ACCESS_KEY_SECRET).update(toSign).digest('base64');
  return { ...headers, Date: date, Authorization: `OSS ${ACCESS_KEY_ID}:${signature}`,
    ...(contentType ? { 'Content-Type': contentType } : {}) };
}

// A signed PUT whose body the caller writes at its own pace: returns the request (write to it,
// end it) and a promise of {status, headers, body} or {error} when the connection dies.
export function pacedPut(server, { bucket, key, length, subresource = '' }) {
  const headers = v1Headers({ method: 'PUT', bucket, key, subresource, headers: { 'Content-Length': String(length) } });
  const req = http.request({ host: '127.0.0.1', port: server.port, method: 'PUT', headers, agent: false,
    path: `/${bucket}/${encodeURI(key)}${subresource ? `?${subresource}` : ''}` });
  const done = new Promise((resolve) => {
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', (error) => resolve({ error }));
    });
    req.on('error', (error) => resolve({ error }));
  });
  return { req, done };
}

// Writes `body` in `chunk`-byte pieces, waiting for the socket to drain; `pause(sent)` may delay.
export async function writePaced(req, body, { chunk = 256 * 1024, pause = null } = {}) {
  for (let sent = 0; sent < body.length; sent += chunk) {
    if (req.destroyed) return sent;
    // The server may answer and close before the body is complete (507, 400): stop writing then.
    if (!req.write(body.subarray(sent, sent + chunk))) {
      await new Promise((resolve) => {
        const done = () => { req.off('drain', done); req.off('close', done); resolve(); };
        req.on('drain', done);
        req.on('close', done);
      });
    }
    if (pause) await pause(sent + chunk);
  }
  return body.length;
}

// ---- connections ----

// Opens n TCP connections that send nothing; resolves once all are connected.
export async function openIdle(port, n, { batch = 100 } = {}) {
  const sockets = [];
  for (let i = 0; i < n; i += batch) {
    const group = Array.from({ length: Math.min(batch, n - i) }, () => new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.on('connect', () => resolve(s));
      s.on('error', reject);
    }));
    sockets.push(...(await Promise.all(group)));
  }
  for (const s of sockets) {
    s.closedAt = null;
    s.on('close', () => { s.closedAt = Date.now(); });
    s.on('error', () => {});
  }
  return sockets;
}

// Slowloris: a request line and headers one byte every `everyMs`, never finished.
export function slowHeaders(port, { everyMs = 200 } = {}) {
  const text = 'GET /-/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(100000);
  const s = net.connect({ host: '127.0.0.1', port });
  let i = 0;
  s.openedAt = Date.now();
  s.closedAt = null;
  s.received = '';
  const timer = setInterval(() => { if (!s.destroyed && i < text.length) s.write(text[i++]); }, everyMs);
  s.on('data', (d) => { s.received += d; });
  s.on('close', () => { s.closedAt = Date.now(); clearInterval(timer); });
  s.on('error', () => {});
  s.stop = () => { clearInterval(timer); s.destroy(); };
  return s;
}

// One GET /-/health on a fresh connection; resolves with its latency in ms.
export function healthLatency(port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: '/-/health', agent: false, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`health answered ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e6);
      });
    });
    req.on('timeout', () => req.destroy(new Error('health did not answer within 10 s')));
    req.on('error', reject);
  });
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
