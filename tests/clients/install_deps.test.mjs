// scripts/install-deps.sh with stand-ins for dpkg-query, apt-get, npm and sudo first on PATH (issue
// 17). The stand-ins print what the real ones print on a fresh machine (dpkg's "Selecting previously
// unselected package ...", npm's warnings), on stdout and stderr: none of it may reach the terminal,
// all of it must be in the step's log under the build folder, and a failing step must show its log's
// path and end and fail the script. The script runs in a scratch copy of the repository's layout, so
// the stand-in npm touches no real node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const STAND_INS = {
  // Every package missing, unless FAKE_ALL_INSTALLED is set.
  'dpkg-query': `#!/bin/bash
[[ -n $FAKE_ALL_INSTALLED ]] || exit 1
for p in "$@"; do [[ $p == -* ]] || echo "$p install ok installed"; done`,
  sudo: `#!/bin/bash
[[ $1 == -v ]] && exit 0
exec "$@"`,
  'apt-get': `#!/bin/bash
echo "apt-get $*" >>"$FAKE_CALLS"
if [[ $1 == update ]]; then
  echo "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]"
  echo "Reading package lists..."
  exit 0
fi
echo "debconf: delaying package configuration, since apt-utils is not installed" >&2
for p in "$@"; do
  [[ $p == -* || $p == install ]] && continue
  echo "Selecting previously unselected package $p."
  echo "Preparing to unpack .../\${p}_1.0-1_amd64.deb ..."
  echo "Unpacking $p (1.0-1) ..."
done
if [[ -n $FAKE_APT_FAIL ]]; then
  echo "E: Sub-process /usr/bin/dpkg returned an error code (1)" >&2
  exit 100
fi
for p in "$@"; do [[ $p == -* || $p == install ]] || echo "Setting up $p (1.0-1) ..."; done`,
  npm: `#!/bin/bash
echo "npm $* in $PWD" >>"$FAKE_CALLS"
echo "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory." >&2
if [[ -n $FAKE_NPM_FAIL && $PWD == */tests/clients ]]; then
  echo "npm ERR! code E404"
  echo "npm ERR! 404 Not Found - GET https://registry.npmjs.org/playwright-core - Not found"
  exit 1
fi
mkdir -p node_modules/hls.js/dist && touch node_modules/hls.js/dist/hls.min.js node_modules/.package-lock.json
echo "added 3 packages in 2s"`,
};

const NOISE = [/Selecting previously unselected package/, /Preparing to unpack/, /Unpacking /, /Setting up /,
  /debconf:/, /Reading package lists/, /npm WARN/, /added 3 packages/];

function scratchRepo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'osslive-install-deps-'));
  for (const file of ['scripts/install-deps.sh', 'scripts/lib/steps.sh']) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(REPO, file), path.join(dir, file));
  }
  for (const folder of ['src/console', 'tests/clients']) {
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, folder, 'package-lock.json'), '{}\n');
  }
  mkdirSync(path.join(dir, 'bin'));
  for (const [name, text] of Object.entries(STAND_INS)) {
    writeFileSync(path.join(dir, 'bin', name), `${text}\n`);
    chmodSync(path.join(dir, 'bin', name), 0o755);
  }
  return dir;
}

// Runs the scratch copy's install-deps.sh; the terminal is stdout and stderr together.
function installDeps(repo, { args = ['--test'], env = {} } = {}) {
  const calls = path.join(repo, 'calls.txt');
  writeFileSync(calls, '');
  const r = spawnSync('bash', [path.join(repo, 'scripts/install-deps.sh'), ...args], {
    env: { ...process.env, PATH: `${path.join(repo, 'bin')}:${process.env.PATH}`, FAKE_CALLS: calls,
      OSSLIVE_BUILD_DIR: '', ...env },
    encoding: 'utf8', timeout: 60000,
  });
  const terminal = r.stdout + r.stderr;
  return { code: r.status, terminal, calls: readFileSync(calls, 'utf8') };
}

const log = (repo, buildDir, name) => readFileSync(path.join(repo, buildDir, 'logs', `${name}.log`), 'utf8');

test('one line per step; the noise of apt and npm only in the logs under the build folder', (t) => {
  const repo = scratchRepo();
  t.after(() => rmSync(repo, { recursive: true, force: true }));
  const r = installDeps(repo, { env: { OSSLIVE_BUILD_DIR: 'out' } });
  assert.equal(r.code, 0, r.terminal);
  for (const noise of NOISE) assert.doesNotMatch(r.terminal, noise, `on the terminal:\n${r.terminal}`);
  const lines = r.terminal.trimEnd().split('\n');
  assert.equal(lines.length, 3, r.terminal);
  assert.match(lines[0], /^installing \d+ apt packages \(about 1 min on 2 cores, plus the download\)\.\.\. done in \d+ s$/);
  assert.match(lines[1], /^installing the console's player \(npm: hls\.js, .*\)\.\.\. done in \d+ s$/);
  assert.match(lines[2], /^installing the test clients \(npm: .*\)\.\.\. done in \d+ s$/);
  // What ran, and where its output went (OSSLIVE_BUILD_DIR names the build folder).
  assert.match(r.calls, /^apt-get update$/m);
  assert.match(r.calls, /^apt-get install -y --no-install-recommends .*\bffmpeg\b.*\bchromium\b/m);
  assert.match(r.calls, /^npm ci .* in .*\/src\/console$/m);
  assert.match(r.calls, /^npm ci .* in .*\/tests\/clients$/m);
  const apt = log(repo, 'out', 'apt');
  assert.match(apt, /^Selecting previously unselected package build-essential\.$/m);
  assert.match(apt, /^Preparing to unpack \.\.\.\/ffmpeg_1\.0-1_amd64\.deb \.\.\.$/m);
  assert.match(apt, /^debconf: delaying package configuration/m, 'stderr goes to the log too');
  assert.match(apt, /^Setting up chromium \(1\.0-1\) \.\.\.$/m);
  assert.match(log(repo, 'out', 'npm-console'), /npm WARN deprecated[\s\S]*added 3 packages/);
  assert.match(log(repo, 'out', 'npm-tests'), /added 3 packages/);
  assert.ok(!existsSync(path.join(repo, 'build')), 'no default build folder when OSSLIVE_BUILD_DIR names another');

  // Again: nothing is missing now, so one line and no apt or npm.
  const again = installDeps(repo, { env: { OSSLIVE_BUILD_DIR: 'out', FAKE_ALL_INSTALLED: '1' } });
  assert.equal(again.code, 0, again.terminal);
  assert.match(again.terminal, /^apt packages: all \d+ installed\n$/);
  assert.equal(again.calls, '');
});

test('a failing apt step prints where its log is and how it ends, and fails the script', (t) => {
  const repo = scratchRepo();
  t.after(() => rmSync(repo, { recursive: true, force: true }));
  const r = installDeps(repo, { args: [], env: { FAKE_APT_FAIL: '1' } });
  assert.equal(r.code, 100, r.terminal);
  assert.match(r.terminal, /^installing \d+ apt packages .*\.\.\. FAILED \(exit 100, after \d+ s\)$/m);
  assert.match(r.terminal, /^the whole output is in build\/logs\/apt\.log; its end:$/m);
  // The end of the log: the last packages unpacked, then apt's error.
  assert.match(r.terminal, /^ {2}\| Unpacking python3 \(1\.0-1\) \.\.\.\n {2}\| E: Sub-process \/usr\/bin\/dpkg returned an error code \(1\)$/m);
  // Not the whole log: its beginning stays in the file.
  assert.doesNotMatch(r.terminal, /Selecting previously unselected package build-essential/);
  assert.match(log(repo, 'build', 'apt'), /Selecting previously unselected package build-essential/);
  assert.doesNotMatch(r.calls, /^npm/m, 'no step after the failed one');
  assert.doesNotMatch(r.calls, /chromium/, 'without --test, no test packages');
});

test('a failing npm step for the test clients prints its log\'s end and fails the script', (t) => {
  const repo = scratchRepo();
  t.after(() => rmSync(repo, { recursive: true, force: true }));
  const r = installDeps(repo, { env: { FAKE_ALL_INSTALLED: '1', FAKE_NPM_FAIL: '1' } });
  assert.notEqual(r.code, 0, r.terminal);
  assert.match(r.terminal, /^apt packages: all \d+ installed$/m);
  assert.match(r.terminal, /^installing the console's player .*\.\.\. done in \d+ s$/m);
  assert.match(r.terminal, /^installing the test clients .*\.\.\. FAILED \(exit 1, after \d+ s\)$/m);
  assert.match(r.terminal, /^the whole output is in build\/logs\/npm-tests\.log; its end:$/m);
  assert.match(r.terminal, /^ {2}\| npm ERR! 404 Not Found - GET https:\/\/registry\.npmjs\.org\/playwright-core/m);
  assert.doesNotMatch(r.terminal, /added 3 packages/, 'the console step\'s output stays in its log');
});
