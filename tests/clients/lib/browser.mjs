// Debian's Chromium driven by playwright-core (never a downloaded browser), a tiny static server
// for pages on a second origin, and the artifacts folder ctest gives (OSSLIVE_ARTIFACTS).
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLIENTS_DIR = path.resolve(here, '..');
export const REPO_DIR = path.resolve(CLIENTS_DIR, '../..');
export const CHROMIUM = process.env.OSSLIVE_CHROMIUM ?? '/usr/bin/chromium';

// The flags this machine needs (no sandbox as root, no GPU, no calls home) plus autoplay, so a
// player may start without a click.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required'];

// Throws, naming what to install, when Chromium is not there: scripts/install-deps.sh --test
// installs it, so on a machine it prepared a missing browser is a failure, never a skip.
export function requireBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium, or scripts/install-deps.sh --test)`);
}

// One browser with a fresh profile; close() removes it.
export async function launchBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), 'osslive-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 900 },
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const messages = [];
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
      page.messages = messages;
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifactsDir() {
  const dir = process.env.OSSLIVE_ARTIFACTS ?? path.join(REPO_DIR, 'build', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json' };

// Serves `routes` ({'/player.html': '/abs/file', ...}) on 127.0.0.1 at a free port: the page's own
// origin, different from the server's, so every call to osslive is cross-origin.
export async function servePages(routes) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    const file = routes[url.pathname];
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size, 'Cache-Control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`, port, requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// A test page (pages/<name>.html with pages/<name>.js, pages/watch.js and hls.js) on its own
// origin, opened in a fresh browser: { pages, browser, page }.
export async function openTestPage(name) {
  const pages = await servePages({
    [`/${name}.html`]: path.join(CLIENTS_DIR, `pages/${name}.html`),
    [`/${name}.js`]: path.join(CLIENTS_DIR, `pages/${name}.js`),
    '/watch.js': path.join(CLIENTS_DIR, 'pages/watch.js'),
    '/hls.js': path.join(CLIENTS_DIR, 'node_modules/hls.js/dist/hls.js'),
  });
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`${pages.origin}/${name}.html`);
  return { pages, browser, page };
}
