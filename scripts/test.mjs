#!/usr/bin/env node
// `npm test`: build the web app (the browser tests need it), run every Vitest project — server on SQLite and
// PostgreSQL, contracts, web, end-to-end in Chromium — and close with the line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const outDir = join(root, '.tmp');
mkdirSync(outDir, { recursive: true });
const report = join(outDir, 'vitest-report.json');
rmSync(report, { force: true });

const run = (cmd, cmdArgs) => spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });

if (!only || only === 'e2e') {
  const build = run('npm', ['run', 'build', '-w', 'apps/web']);
  if (build.status !== 0) {
    console.error('web build failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const projects = only ? ['--project', only] : [];
const vitest = run('npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests + countFilesFailedOutsideTests(result);
  skipped = result.numPendingTests + result.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
if (vitest.status !== 0 && failed === 0) failed = 1; // the runner failed outside any test (setup, collection)
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);

/** Test files that failed without a failing test (an import error, a failing beforeAll) count once each. */
function countFilesFailedOutsideTests(result) {
  return result.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')).length;
}
