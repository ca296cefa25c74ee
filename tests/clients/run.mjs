// Runs one client test file with node --test (spec reporter on stdout) and gives ctest an exit code
// that cannot pass by accident:
//   0   every test ran and passed (and at least one ran);
//   77  nothing failed, but something was skipped or left as a todo: ctest reports the test as
//       skipped (SKIP_RETURN_CODE), and scripts/test.sh fails a run with any skip;
//   1   anything else: a failure, no test at all, or node --test ending without its summary.
//   node run.mjs <file.test.mjs>      (from tests/clients; ctest does this)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKIPPED_EXIT = 77;

const file = process.argv[2];
if (!file) {
  console.error('usage: node run.mjs <file.test.mjs>');
  process.exit(1);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'osslive-outcome-'));
const summary = path.join(dir, 'outcome.json');
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${path.join(here, 'lib', 'outcome_reporter.mjs')}`, `--test-reporter-destination=${summary}`, file],
{ stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));

const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
let outcome = null;
try {
  outcome = JSON.parse(readFileSync(summary, 'utf8').trim().split('\n').at(-1));
} catch {
  // no summary: reported below
}
rmSync(dir, { recursive: true, force: true });

const say = (line) => console.log(`# run.mjs: ${line}`);
if (code !== 0 || signal) {
  say(`node --test ended with ${signal ?? `exit code ${code}`}`);
  process.exit(1);
}
if (!outcome) {
  say('node --test wrote no summary');
  process.exit(1);
}
const { passed, failed, skipped, todo } = outcome;
say(`${passed} passed, ${failed} failed, ${skipped.length} skipped, ${todo.length} todo`);
if (failed > 0) process.exit(1);
if (skipped.length || todo.length) {
  for (const name of skipped) say(`SKIPPED: ${name}`);
  for (const name of todo) say(`TODO (not a pass): ${name}`);
  process.exit(SKIPPED_EXIT);
}
if (passed === 0) {
  say('no test ran');
  process.exit(1);
}
