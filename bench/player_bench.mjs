// The browser side of bench/player_bench.sh: hls.js in Debian's Chromium (playwright-core) plays the
// same source from osslive (live transcoding) and as static HLS made by the ffmpeg CLI and served
// by nginx, taking turns, and prints what a viewer waits for, as ratios to the static figures:
//   startup    page load -> `playing`: osslive with every segment cold (initd_0), with the default
//              initd right after the POST, and with the default initd once it is done
//   seek       seek to the middle -> the picture moves again (every segment cold)
//   viewers    two viewers at 1x at once, one seeking to the middle after PLAYER_SEEK_AFTER_S: stalls
//   rate2/4    one viewer at 2x and at 4x from a cold playlist: stalls
//   long       seek into a part of a 2-hour source nothing has touched -> the picture moves again
// Reads OSS_ENDPOINT / OSS_AK / OSS_SK (bench_start) and PLAYER_* set by the driver. Markdown on
// stdout, progress on stderr.
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from '../tests/clients/lib/browser.mjs';
import { postPlaylist, signedPlaylistUrl } from '../tests/clients/lib/live.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OSS = createRequire(path.join(here, '../tests/clients/package.json'))('ali-oss');

const env = (name, fallback) => process.env[name] ?? fallback;
const ENDPOINT = env('OSS_ENDPOINT');
if (!ENDPOINT) throw new Error('OSS_ENDPOINT is not set (run bench/player_bench.sh)');
const PORT = new URL(ENDPOINT).port;
const STATIC = env('PLAYER_STATIC');  // nginx: the page, hls.js and the static HLS
const BUCKET = env('PLAYER_BUCKET', 'bench');
const ROUNDS = Number(env('PLAYER_ROUNDS', 3));
const PARTS = env('PLAYER_PARTS', 'startup,seek,viewers,rate2,rate4,long').split(',');
const PARAMS = env('PLAYER_PARAMS', '');  // extra hls/m3u8 parameters for every osslive playlist
const SEEK_AFTER_S = Number(env('PLAYER_SEEK_AFTER_S', 6));
const LONG_SEEK_TO = Number(env('PLAYER_LONG_SEEK_TO', 0.6));

const log = (...a) => console.error('[player_bench]', ...a);
const median = (xs) => {
  const a = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (!a.length) return NaN;
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
const sec = (ms) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
const load = async () => (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ');

const oss = new OSS({
  accessKeyId: env('OSS_AK'), accessKeySecret: env('OSS_SK'), endpoint: `http://localhost:${PORT}`,
  region: 'oss-cn-hangzhou', sldEnable: true, bucket: BUCKET, timeout: 600000, retryMax: 0,
});
// ali-oss signs for localhost; the browser goes to 127.0.0.1 (V1 signatures do not cover the host).
const loopback = (url) => url.replace(`http://localhost:${PORT}`, `http://127.0.0.1:${PORT}`);

async function metrics() {
  const text = await (await fetch(`${ENDPOINT}/-/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return out;
}

// Every measurement starts on a quiet server: no segment job queued or running.
async function idle(timeoutMs = 600000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = await metrics();
    if (!m.osslive_transcode_queue_depth && !m.osslive_transcodes_running) return;
    if (Date.now() > until) throw new Error('the server did not go idle');
    await sleep(100);
  }
}

let playlists = 0;
// A new playlist (a new key, so nothing of it exists yet), signed for hls/sign,live_1.
async function osslivePlaylist(sourceKey, params) {
  const key = `p${++playlists}/P.m3u8`;
  const all = [params, PARAMS].filter(Boolean).join(',');
  const r = await postPlaylist(oss, sourceKey, key, all);
  return { url: loopback(await signedPlaylistUrl(oss, key, { expires: 24 * 3600 })), duration: r.json.Duration };
}

const SOURCES = {
  film: { key: 'in/film.mp4', static: `${STATIC}/film/index.m3u8`, seconds: Number(env('PLAYER_FILM_SECONDS', 30)) },
  long: { key: 'in/long.mp4', static: `${STATIC}/long/index.m3u8`, seconds: Number(env('PLAYER_LONG_SECONDS', 7200)) },
};

// What each server variant plays; `prepare` runs before the page opens.
const VARIANTS = {
  cold: { label: 'osslive, every segment cold (initd_0)',
    prepare: (src) => osslivePlaylist(src.key, 'initd_0') },
  initdNow: { label: 'osslive, default initd, right after the POST',
    prepare: (src) => osslivePlaylist(src.key, '') },
  initdMade: { label: 'osslive, default initd, once made',
    prepare: async (src) => { const p = await osslivePlaylist(src.key, ''); await idle(); return p; } },
  static: { label: 'static HLS (ffmpeg CLI, nginx)',
    prepare: async (src) => ({ url: src.static, duration: src.seconds }) },
};

let browser;
async function openPage(url, rate = 1) {
  const page = await browser.newPage();
  await page.goto(`${STATIC}/player_page.html#src=${encodeURIComponent(url)}&rate=${rate}`);
  return page;
}
const state = (page) => page.evaluate(() => window.bench.state());
async function waitFor(page, fn, arg, timeoutMs) {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 50 });
  } catch (e) {
    const s = await state(page).catch(() => null);
    throw new Error(`${e.message}\npage: ${page.url()}\nstate: ${JSON.stringify(s)?.slice(0, 3000)}\n` +
      `console: ${page.messages.slice(-20).join('\n')}`);
  }
}
const checkErrors = (s, what) => { if (s.errors.length) throw new Error(`${what}: ${s.errors.join('; ')}`); };

// ---- the measurements ----
async function startup(variant) {
  const p = await VARIANTS[variant].prepare(SOURCES.film);
  const page = await openPage(p.url);
  try {
    await waitFor(page, () => window.bench.startedMs !== null || window.bench.errors.length, null, 120000);
    const s = await state(page);
    checkErrors(s, `startup ${variant}`);
    return { ms: s.startedMs };
  } finally {
    await page.close();
  }
}

async function seekAfterStart(page, to, settleMs = 2000) {
  await waitFor(page, () => window.bench.startedMs !== null || window.bench.errors.length, null, 120000);
  await sleep(settleMs);
  return page.evaluate((t) => window.bench.seek(t), to);
}

async function seekMiddle(variant) {
  const p = await VARIANTS[variant].prepare(SOURCES.film);
  const page = await openPage(p.url);
  try {
    const ms = await seekAfterStart(page, p.duration / 2);
    checkErrors(await state(page), `seek ${variant}`);
    return { ms };
  } finally {
    await page.close();
  }
}

async function longSeek(variant) {
  const p = await VARIANTS[variant].prepare(SOURCES.long);
  const page = await openPage(p.url);
  try {
    // An instant inside a segment, off any keyframe of the source: the segment and the GOP it
    // starts in were never touched.
    const ms = await seekAfterStart(page, p.duration * LONG_SEEK_TO + 3.3);
    checkErrors(await state(page), `long seek ${variant}`);
    return { ms };
  } finally {
    await page.close();
  }
}

const stallSummary = (s) => ({
  count: s.stalls.length,
  ms: s.stalls.reduce((sum, x) => sum + (x.ms ?? 0), 0),
  list: s.stalls.map((x) => `${x.at.toFixed(1)}s:${x.ms === null ? 'unfinished' : Math.round(x.ms)}ms`).join(' '),
});

async function playToEnd(page, seconds, rate) {
  const limitMs = (seconds / rate) * 1000 * 3 + 60000;
  await waitFor(page, () => window.bench.ended || window.bench.errors.length, null, limitMs);
  return state(page);
}

async function atRate(variant, rate) {
  const p = await VARIANTS[variant].prepare(SOURCES.film);
  const page = await openPage(p.url, rate);
  try {
    const s = await playToEnd(page, p.duration, rate);
    checkErrors(s, `${rate}x ${variant}`);
    return stallSummary(s);
  } finally {
    await page.close();
  }
}

async function twoViewers(variant) {
  const p = await VARIANTS[variant].prepare(SOURCES.film);
  const [a, b] = [await openPage(p.url), await openPage(p.url)];
  try {
    const seek = seekAfterStart(b, p.duration / 2, SEEK_AFTER_S * 1000);
    const [sa, seekMs] = [await playToEnd(a, p.duration, 1), await seek];
    const sb = await playToEnd(b, p.duration, 1);
    checkErrors(sa, `viewer A ${variant}`);
    checkErrors(sb, `viewer B ${variant}`);
    const A = stallSummary(sa);
    const B = stallSummary(sb);
    return { count: A.count + B.count, ms: A.ms + B.ms, seekMs, list: `A[${A.list}] B[${B.list}]` };
  } finally {
    await a.close();
    await b.close();
  }
}

const PLANS = {
  startup: { run: startup, variants: ['cold', 'initdNow', 'initdMade', 'static'] },
  seek: { run: seekMiddle, variants: ['cold', 'static'] },
  viewers: { run: twoViewers, variants: ['cold', 'static'] },
  rate2: { run: (v) => atRate(v, 2), variants: ['cold', 'static'] },
  rate4: { run: (v) => atRate(v, 4), variants: ['cold', 'static'] },
  long: { run: longSeek, variants: ['cold', 'static'] },
};

async function main() {
  browser = await launchBrowser();
  const results = {};  // part -> variant -> [result]
  console.log(`\nload average at the start of the runs: ${await load()}\n`);
  console.log('| round | part | server | result | load |');
  console.log('| --- | --- | --- | --- | --- |');
  for (let round = 1; round <= ROUNDS; ++round) {
    for (const part of PARTS) {
      const plan = PLANS[part];
      // Take turns: odd rounds start with osslive, even rounds with the static server.
      const order = round % 2 ? plan.variants : [...plan.variants].reverse();
      for (const variant of order) {
        await idle();
        const r = await plan.run(variant);
        ((results[part] ??= {})[variant] ??= []).push(r);
        const shown = r.ms !== undefined && r.count === undefined ? `${sec(r.ms)} s`
          : `${r.count} stalls, ${sec(r.ms)} s${r.seekMs !== undefined ? `, seek ${sec(r.seekMs)} s` : ''} ${r.list}`;
        console.log(`| ${round} | ${part} | ${VARIANTS[variant].label} | ${shown} | ${await load()} |`);
        log(`round ${round} ${part} ${variant}: ${shown}`);
      }
    }
  }
  await browser.close();
  summary(results);
}

function summary(results) {
  const med = (part, variant, field = 'ms') => median((results[part]?.[variant] ?? []).map((r) => r[field]));
  const runs = (part, variant) => (results[part]?.[variant] ?? []).map((r) => sec(r.ms)).join(', ');
  const row = (what, part, variant, target) => {
    const o = med(part, variant);
    const s = med(part, 'static');
    const ratio = o / s;
    const verdict = target === undefined ? '' : ratio <= target ? 'met' : 'MISSED';
    console.log(`| ${what} | ${sec(o)} (${runs(part, variant)}) | ${sec(s)} (${runs(part, 'static')}) | **${ratio.toFixed(2)}** | ${target === undefined ? '' : `<= ${target}`} ${verdict} |`);
  };
  console.log(`\n### medians of ${ROUNDS} rounds (seconds; the runs in brackets)\n`);
  console.log('| figure | osslive | static HLS | ratio | target |');
  console.log('| --- | --- | --- | --- | --- |');
  if (results.startup) {
    row('startup (page load -> playing), every segment cold', 'startup', 'cold', 1.3);
    row('startup, default initd, right after the POST', 'startup', 'initdNow', 1.1);
    row('startup, default initd, once made', 'startup', 'initdMade', 1.1);
  }
  if (results.seek) row('seek to the middle -> playing (cold)', 'seek', 'cold');
  if (results.long) {
    const o = med('long', 'cold');
    console.log(`| seek into an untouched part of a 2-hour source -> playing | ${sec(o)} (${runs('long', 'cold')}) | ${sec(med('long', 'static'))} (${runs('long', 'static')}) | ${(o / med('long', 'static')).toFixed(2)} | <= 0.8 s ${o <= 800 ? 'met' : 'MISSED'} |`);
  }
  const stalls = (what, part, target) => {
    const all = (v) => results[part]?.[v] ?? [];
    const total = (v) => all(v).reduce((n, r) => n + r.count, 0);
    const seconds = (v) => all(v).reduce((n, r) => n + r.ms, 0);
    console.log(`| ${what} | ${total('cold')} stalls, ${sec(seconds('cold'))} s in ${all('cold').length} runs | ${total('static')} stalls, ${sec(seconds('static'))} s | | ${target} ${total('cold') === 0 ? 'met' : 'MISSED'} |`);
  };
  if (results.viewers) {
    stalls('stalls at 1x, two viewers, one seeking (cold)', 'viewers', 'none');
    console.log(`| (the seeking viewer: seek -> playing) | ${sec(med('viewers', 'cold', 'seekMs'))} | ${sec(med('viewers', 'static', 'seekMs'))} | ${(med('viewers', 'cold', 'seekMs') / med('viewers', 'static', 'seekMs')).toFixed(2)} | |`);
  }
  if (results.rate2) stalls('stalls at 2x, one viewer (cold)', 'rate2', 'none');
  if (results.rate4) stalls('stalls at 4x, one viewer (cold)', 'rate4', '(reported)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
