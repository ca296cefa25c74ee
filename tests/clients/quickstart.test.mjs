// The README's scripts/run.sh, run for real on this suite's own build folder (issue 17):
// - it compiles nothing there: run.sh and scripts/test.sh share one build configuration, so the
//   server test.sh built is the one run.sh starts (ninja: no work to do, the binary untouched);
// - once the server listens it prints the console's URL, the key, and one line to paste;
// - that line, run as printed, uploads a sample made with ffmpeg, makes a playlist and prints a
//   signed hls/sign,live_1 URL, which ffmpeg plays to the end;
// - started again on the same data, it shows the same key (the dev key is kept in the data folder),
//   also from a server that does not print its key again (read from the data folder then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryPath } from './lib/server.mjs';
import { ffmpeg, ffprobe, tempDir } from './lib/media.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_DIR = path.dirname(binaryPath());
const TRY_LINE = /^OSS_ENDPOINT=\S+ OSS_AK=\S+ OSS_SK=\S+ \S*try\.sh$/m;

// run.sh configures the build folder as test.sh does; a folder configured by hand with another
// build type keeps it (OSSLIVE_CMAKE_ARGS comes last), rather than being rebuilt by this test.
function cmakeArgs() {
  const type = readFileSync(path.join(BUILD_DIR, 'CMakeCache.txt'), 'utf8').match(/^CMAKE_BUILD_TYPE:STRING=(.*)$/m)?.[1];
  const inherited = process.env.OSSLIVE_CMAKE_ARGS ?? '';
  return type && type !== 'RelWithDebInfo' ? `${inherited} -DCMAKE_BUILD_TYPE=${type}` : inherited;
}

// Starts `bash scripts/run.sh ARGS` from the repository root, as the README has it; resolves once
// the line to paste is out, with everything printed so far and a way to stop the server.
function startRunSh(args) {
  const child = spawn('bash', ['scripts/run.sh', ...args], {
    cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OSSLIVE_BUILD_DIR: BUILD_DIR, OSSLIVE_CMAKE_ARGS: cmakeArgs() },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run.sh printed no line to paste:\n${stdout}\n${stderr}`)), 180000);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (TRY_LINE.test(stdout)) { clearTimeout(timer); resolve(); }
    });
    closed.then(({ code }) => { clearTimeout(timer); reject(new Error(`run.sh exited ${code}:\n${stdout}\n${stderr}`)); });
  });
  return {
    ready: ready.then(() => stdout),
    output: () => stdout,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return closed;
    },
  };
}

function dryRun() {
  const r = spawnSync('cmake', ['--build', BUILD_DIR, '--target', 'osslive', '--', '-n'], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

test('run.sh on the suite\'s build compiles nothing, and its one line plays a signed URL to the end', async (t) => {
  // The suite's own build must be complete, or run.sh would rightly build (and this test would
  // replace the binary the other tests run).
  assert.match(dryRun(), /ninja: no work to do/, 'build the suite first (scripts/test.sh does)');
  const binaryBefore = statSync(binaryPath()).mtimeMs;
  const data = tempDir('osslive-quickstart-');
  t.after(() => data.remove());

  const server = startRunSh(['--listen', '127.0.0.1:0', '--data-dir', data.dir, '--log-level', 'warn']);
  t.after(() => server.stop());
  const out = await server.ready;

  // No rebuild: what test.sh built is what run.sh starts.
  assert.match(out, /^building osslive: up to date \(ninja: no work to do\)$/m, out);
  assert.doesNotMatch(out, /files to compile/, out);
  assert.equal(statSync(binaryPath()).mtimeMs, binaryBefore, 'run.sh relinked the server');

  // The console's URL answers with the console.
  const port = out.match(/^osslive listening on http:\/\/127\.0\.0\.1:(\d+)$/m)?.[1];
  assert.ok(port, out);
  const consoleUrl = `http://127.0.0.1:${port}/-/console`;
  assert.match(out, new RegExp(`^ {2}console: {2}${consoleUrl.replace(/\./g, '\\.')} `, 'm'), out);
  const page = await fetch(consoleUrl);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  await page.arrayBuffer();

  // The key shown is the dev key the server keeps in the data folder.
  const dev = JSON.parse(readFileSync(path.join(data.dir, '.osslive/dev-credentials.json'), 'utf8'));
  const keyLine = `  key:      AccessKeyId=${dev.access_key_id} AccessKeySecret=${dev.access_key_secret}`;
  assert.ok(out.split('\n').includes(keyLine), out);

  // The line to paste, run as printed from where run.sh was started.
  const line = out.match(TRY_LINE)[0];
  assert.equal(line, `OSS_ENDPOINT=http://127.0.0.1:${port} OSS_AK=${dev.access_key_id} OSS_SK=${dev.access_key_secret} scripts/try.sh`);
  const tried = spawnSync('bash', ['-c', line], { cwd: REPO, encoding: 'utf8', timeout: 180000 });
  assert.equal(tried.status, 0, tried.stdout + tried.stderr);
  const lines = tried.stdout.trimEnd().split('\n');
  assert.match(tried.stdout, /^making the playlist media\/out\/sample\.m3u8 \(hls\/m3u8,st_5000\)\.\.\. done: 20 s, 1280x720 at 25 fps$/m,
    tried.stdout);
  const url = lines.at(-1);
  assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/media/out/sample\\.m3u8\\?x-oss-process=hls/sign,live_1&OSSAccessKeyId=${dev.access_key_id}&Expires=\\d+&Signature=[^&]+$`));

  // It plays to the end: every picture and all of the sound of the 20 s sample.
  const copy = data.file('played.ts');
  await ffmpeg(['-i', url, '-map', '0', '-c', 'copy', copy], { timeoutMs: 180000 });
  const probe = await ffprobe(copy, ['-count_frames', '-show_streams', '-show_format']);
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  assert.equal(Number(video.nb_read_frames), 500, '20 s at 25 fps');
  assert.ok(audio, 'the sample has sound');
  assert.ok(Math.abs(Number(probe.format.duration) - 20) < 0.1, `duration ${probe.format.duration}`);

  assert.deepEqual(await server.stop(), { code: 0, signal: null }, 'SIGTERM reaches the server (run.sh execs it) and it stops cleanly');

  // Started again on the same data: the same key, whether or not the server prints it again.
  const again = startRunSh(['--listen', '127.0.0.1:0', '--data-dir', data.dir, '--log-level', 'warn']);
  t.after(() => again.stop());
  const out2 = await again.ready;
  assert.ok(out2.split('\n').includes(keyLine), out2);
  assert.deepEqual(await again.stop(), { code: 0, signal: null });
});

// What run.sh prints when the server's start-up lines carry no key: the dev key file in the data
// folder (--data-dir, or the config's data_dir), or the key given with the flags.
test('the line to paste carries the key the server uses when the server does not print it', () => {
  const data = tempDir('osslive-announce-');
  try {
    mkdirSync(data.file('.osslive'));
    writeFileSync(data.file('.osslive/dev-credentials.json'),
      JSON.stringify({ access_key_id: 'LTAIfromthefile', access_key_secret: 'secret-from-the-file' }));
    writeFileSync(data.file('config.json'), JSON.stringify({ data_dir: data.dir }));
    const announce = (args) => spawnSync('bash', ['scripts/lib/announce.sh', 'scripts/try.sh', ...args], {
      cwd: REPO, input: 'osslive listening on http://0.0.0.0:9100\n', encoding: 'utf8' }).stdout;
    for (const args of [['--config', 'config/osslive.json', '--data-dir', data.dir], ['--config', data.file('config.json')]]) {
      const out = announce(args);
      assert.match(out, /^ {2}key: {6}AccessKeyId=LTAIfromthefile AccessKeySecret=secret-from-the-file$/m, out);
      assert.match(out, /^OSS_ENDPOINT=http:\/\/127\.0\.0\.1:9100 OSS_AK=LTAIfromthefile OSS_SK=secret-from-the-file scripts\/try\.sh$/m, out);
      assert.match(out, /^ {2}console: {2}http:\/\/127\.0\.0\.1:9100\/-\/console /m, out);
    }
    const flags = announce(['--config', 'config/osslive.json', '--data-dir', data.dir, '--access-key-id', 'LTAIflag',
      '--access-key-secret', 'flag-secret']);
    assert.match(flags, /^OSS_ENDPOINT=\S+ OSS_AK=LTAIflag OSS_SK=flag-secret scripts\/try\.sh$/m, flags);
  } finally {
    data.remove();
  }
});
