// Starts the real osslive binary on a free loopback port with a fresh data folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// OSSLIVE_ENDPOINT (with OSSLIVE_ACCESS_KEY_ID/SECRET) points the tests at a server that is
// already running (docker compose's `tests` service) instead of starting the binary.
export const EXTERNAL_ENDPOINT = process.env.OSSLIVE_ENDPOINT;
export const ACCESS_KEY_ID = process.env.OSSLIVE_ACCESS_KEY_ID ?? 'LTAItestosslive000001';
export const ACCESS_KEY_SECRET = process.env.OSSLIVE_ACCESS_KEY_SECRET ?? 'test-secret-for-osslive-integration-0001';

export function binaryPath() {
  const bin = process.env.OSSLIVE_BIN;
  if (!bin) throw new Error('OSSLIVE_BIN must point at the built osslive binary (ctest sets it)');
  return bin;
}

// wrapper: a command line that runs the server (its path and arguments follow), e.g. unshare.
export async function startServer({ extraArgs = [], dataDir, env = {}, wrapper = [] } = {}) {
  if (EXTERNAL_ENDPOINT) {
    const url = new URL(EXTERNAL_ENDPOINT);
    return { endpoint: EXTERNAL_ENDPOINT, host: url.hostname, port: Number(url.port || 80), dataDir: undefined,
      child: undefined, external: true, stderr: () => '', async stop() { return { code: 0, signal: null }; } };
  }
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'osslive-test-'));
  const args = ['--listen', '127.0.0.1:0', '--data-dir', dir, '--access-key-id', ACCESS_KEY_ID,
    '--access-key-secret', ACCESS_KEY_SECRET, '--log-level', process.env.OSSLIVE_LOG_LEVEL ?? 'warn', ...extraArgs];
  const command = [...wrapper, binaryPath(), ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; if (process.env.OSSLIVE_TEST_VERBOSE) process.stderr.write(d); });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`osslive did not start: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/[^:]+:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`osslive exited ${code}: ${stderr}`)); });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint, host: 'localhost', port, dataDir: dir, child, external: false,
    stderr: () => stderr,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
        child.kill('SIGTERM');
        const result = await exited;
        if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
        return result;
      }
      if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
      return { code: child.exitCode, signal: null };
    },
  };
}
