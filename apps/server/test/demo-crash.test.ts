import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.js';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { createTestClock } from '../src/platform/clock.js';
import { type DatabaseTarget, type Dialect, openDatabase } from '../src/platform/db/database.js';
import { TEST_PG_ROLE, TEST_SECRET_KEY, createAuditService, createTestDatabase, dialects } from './harness.js';

const serverDir = resolve(import.meta.dirname, '..');
const PASSWORD = 'Crash#Demo2026';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

/** The real server (`node --import tsx src/main.ts`) with QINQING_DEMO=1 on this database. */
function startServer(target: DatabaseTarget): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: target.url,
      PORT: '0',
      HOST: '127.0.0.1',
      QINQING_DEMO: '1',
      QINQING_DEMO_PASSWORD: PASSWORD,
      QINQING_LOG_LEVEL: 'warn',
      QINQING_SECRET_KEY: TEST_SECRET_KEY,
      QINQING_PG_APP_ROLE: TEST_PG_ROLE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((done) => child.once('exit', done));
  return { child, output: () => output, exited };
}

async function waitFor(server: Started, pattern: RegExp, timeoutMs: number) {
  for (const started = Date.now(); !pattern.test(server.output()); ) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`server exited before ${pattern}:\n${server.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${server.output()}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function stop(server: Started, signal: NodeJS.Signals) {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  await server.exited;
}

/** Is a write transaction open on the database right now (the load's)? */
async function writeTransactionOpen(target: DatabaseTarget): Promise<boolean> {
  if (target.dialect === 'sqlite') {
    const observer = new SQLite(target.url, { timeout: 0 });
    try {
      observer.exec('BEGIN IMMEDIATE');
      observer.exec('ROLLBACK');
      return false;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
      throw error;
    } finally {
      observer.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
    );
    return rows[0].n > 0;
  } finally {
    await client.end();
  }
}

/** Rows in every table of the database but the job queue (the started server schedules its sweep there). */
async function tableCounts(target: DatabaseTarget): Promise<Record<string, number>> {
  const handle = openDatabase(target);
  try {
    const tables =
      target.dialect === 'sqlite'
        ? (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'`.execute(handle.db)).rows.map((row) => row.name)
        : (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(handle.db)).rows.map((row) => row.name);
    const counts: Record<string, number> = {};
    for (const table of tables.filter((name) => name !== 'jobs').sort()) {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(handle.db);
      counts[table] = Number(rows[0].n);
    }
    return counts;
  } finally {
    await handle.destroy();
  }
}

describe.each(dialects())('the demo load killed with SIGKILL half-way through its history (%s)', (dialect: Dialect) => {
  it('leaves the database empty; the next start loads the whole town (the counts of a clean load) with an intact audit chain', { timeout: 240_000 }, async () => {
    const { target, drop } = await createTestDatabase(dialect);
    const clean = await createTestDatabase(dialect);
    try {
      const empty = await tableCounts(target);

      // 1. First start: killed while it plays the year of appeals, inside the load's transaction.
      const killed = startServer(target);
      try {
        await waitFor(killed, /now a year of appeals and visits/, 90_000);
        await new Promise((done) => setTimeout(done, 700));
        expect(await writeTransactionOpen(target)).toBe(true);
        expect(killed.output()).not.toContain('is running');
      } finally {
        await stop(killed, 'SIGKILL');
      }
      expect(killed.output()).not.toContain('is running');
      // Nothing of it is left: not the people and enterprises loaded before the history, not the steps played.
      expect(await tableCounts(target)).toEqual(empty);

      // 2. The next start loads the whole demo.
      const restarted = startServer(target);
      try {
        await waitFor(restarted, /auditadmin\s+[A-Z2-7]{32}/, 180_000);
        expect(restarted.output()).toMatch(/running at http:\/\/localhost:\d+/);
      } finally {
        await stop(restarted, 'SIGTERM');
      }
      const loaded = await tableCounts(target);
      expect(loaded.enterprises).toBe(929);
      expect(loaded.appeals).toBeGreaterThan(250);

      // 3. The same rows as a clean load at the same "now" (the history ends then; the demo accounts' passwords are set then).
      const handle = openDatabase(target);
      let end: Date;
      try {
        expect(await verifyAuditChain(handle.db)).toMatchObject({ intact: true });
        const officer = await handle.db.selectFrom('users').select('password_changed_at').where('username', '=', 'officer').executeTakeFirstOrThrow();
        end = new Date(officer.password_changed_at!);
      } finally {
        await handle.destroy();
      }
      const reference = openDatabase(clean.target, { pgRole: dialect === 'postgres' ? TEST_PG_ROLE : undefined });
      try {
        const clock = createTestClock(end);
        await seedDemo({ db: reference.db, clock, audit: createAuditService({ clock }), secretKey: TEST_SECRET_KEY }, PASSWORD);
      } finally {
        await reference.destroy();
      }
      expect(loaded).toEqual(await tableCounts(clean.target));
    } finally {
      await drop();
      await clean.drop();
    }
  });
});
