import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

const script = resolve(import.meta.dirname, '../../../scripts/pg-throwaway.sh');

/**
 * PostgreSQL for the dual-dialect tests: QINQING_TEST_PG_URL if given, else a throwaway cluster when the
 * server binaries are installed. QINQING_REQUIRE_PG=1 (CI) turns "no PostgreSQL" into a failure, not a skip.
 */
export default function setup(project: TestProject) {
  let url = process.env.QINQING_TEST_PG_URL ?? null;
  let dir: string | null = null;
  const hasBinaries = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0;
  if (!url && hasBinaries) {
    // Another cluster (another checkout, another session) may hold a random port: try a few.
    for (let attempt = 1; !url; attempt += 1) {
      dir = mkdtempSync(join(tmpdir(), 'qinqing-pg-'));
      const port = String(20000 + Math.floor(Math.random() * 20000));
      try {
        url = execFileSync('bash', [script, 'start', dir, port], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        dir = null;
        if (attempt >= 5) throw error;
      }
    }
  }
  if (!url && process.env.QINQING_REQUIRE_PG === '1') {
    throw new Error('QINQING_REQUIRE_PG=1 but no PostgreSQL: set QINQING_TEST_PG_URL or install the server binaries');
  }
  project.provide('pgUrl', url);
  return () => {
    if (dir) {
      execFileSync('bash', [script, 'stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
