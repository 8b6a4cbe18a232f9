/**
 * What every suite of `npm run bench` shares: servers under test in child processes (target.ts), alternating
 * app/baseline load with autocannon, fresh databases, a seeded officer, sign-in, and small helpers.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Options, type RawResult, type Result } from 'autocannon';
import pg from 'pg';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { insertUser } from '../apps/server/src/modules/accounts/users.repository.js';
import { hashPassword } from '../apps/server/src/platform/auth/passwords.js';
import { newId, randomToken } from '../apps/server/src/platform/crypto.js';
import { type DatabaseTarget, type Dialect, openDatabase, resolveDatabaseTarget } from '../apps/server/src/platform/db/database.js';
import type { TargetKind, TargetMessage } from './target.js';

export const here = import.meta.dirname;
export const PG_APP_ROLE = 'qinqing_app';
export const warmupSeconds = positive(process.env.BENCH_WARMUP_SECONDS, 2);

export interface FreshDatabase {
  target: DatabaseTarget;
  /** PostgreSQL: the least-privilege role runtime connections switch to, as in production. */
  pgRole?: string;
  drop(): Promise<void>;
}

export interface Measurement {
  label: string;
  /** Completed requests per second over all slices. */
  rps: number;
  result: Result;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  statementsPerRequest: number;
}

export interface Side {
  label: string;
  target: Target;
  /** `url` is a path; `requests` (paths too) rotate per connection when given. */
  request: Partial<Options> & { url: string };
}

/**
 * Warm both sides up, then measure them in alternating slices (A B B A, B A A B, …) that add up to `duration`
 * seconds each, so a burst of noise from a neighbour on the shared machine lands on both sides about equally.
 * Slices are merged with autocannon's own aggregation (per-second throughput and latency histograms).
 * With `settle`, each warm-up and slice is followed by waiting until its server has finished the requests
 * autocannon left in flight (slow requests: they would otherwise run during the other side's slice).
 */
export async function compare(appSide: Side, bareSide: Side, connections: number, duration: number, slices: number, options: { settle?: boolean } = {}): Promise<{ app: Measurement; bare: Measurement }> {
  const optionsOf = (side: Side): Options => ({ ...side.request, url: `http://127.0.0.1:${side.target.port}${side.request.url}`, connections });
  const slice = duration / slices;
  const settle = async (side: Side) => {
    if (options.settle) await side.target.idle();
  };
  log(`${appSide.label} vs ${bareSide.label}: warm-up ${warmupSeconds}s each, then ${slices} alternating slices of ${slice}s each × ${connections} connections`);
  for (const side of [appSide, bareSide]) {
    await autocannon({ ...optionsOf(side), duration: warmupSeconds });
    await settle(side);
  }
  const order: Side[] = [];
  for (let i = 0; i < slices; i += 1) order.push(...((i % 2 === 0) === (Math.floor(i / 2) % 2 === 0) ? [appSide, bareSide] : [bareSide, appSide]));
  const raw = new Map<Side, RawResult[]>([[appSide, []], [bareSide, []]]);
  const before = new Map([[appSide, await appSide.target.mark()], [bareSide, await bareSide.target.mark()]]);
  for (const side of order) {
    raw.get(side)!.push(await autocannon({ ...optionsOf(side), duration: slice, skipAggregateResult: true }));
    await settle(side);
  }
  const measurement = async (side: Side): Promise<Measurement> => {
    const after = await side.target.mark();
    const runs = raw.get(side)!;
    const result = autocannon.aggregateResult(runs, optionsOf(side));
    const rps = runs.reduce((sum, run) => sum + run.totalCompletedRequests, 0) / runs.reduce((sum, run) => sum + run.duration, 0);
    log(`${side.label}: ${Math.round(rps)} req/s, p99 ${result.latency.p99} ms, ${failures(result)} failed`);
    return {
      label: side.label,
      rps,
      result,
      rssBefore: before.get(side)!.rss,
      rssPeak: after.peakRss,
      rssAfter: after.rss,
      statementsPerRequest: after.requests ? after.statements / after.requests : 0,
    };
  };
  return { app: await measurement(appSide), bare: await measurement(bareSide) };
}

// ─── servers under test (child processes, see target.ts) ──────────────────────────────────────────────

export interface Target {
  port: number;
  /** RSS now, peak RSS and requests/statements served since the previous mark. */
  mark(): Promise<Extract<TargetMessage, { type: 'mark' }>>;
  /** App target only: start recording the SQL it sends (compiled), or stop and return what was recorded. */
  capture(on: boolean): Promise<Extract<TargetMessage, { type: 'captured' }>>;
  /** Resolves when the server has no request left working (see target.ts). */
  idle(): Promise<Extract<TargetMessage, { type: 'idle' }>>;
  stop(): Promise<void>;
}

/** Fork a server under test; it is added to `started` as soon as it exists so the caller can always stop it. */
export async function startTarget(kind: TargetKind, fresh: Pick<FreshDatabase, 'target' | 'pgRole'>, env: Record<string, string>, started: Target[]): Promise<Target> {
  const child = fork(join(here, 'target.ts'), [], {
    // BENCH_CPU_PROF=<dir>: the app's process writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
    execArgv: ['--import', 'tsx', ...(kind === 'app' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, ...env, BENCH_TARGET: kind, BENCH_DIALECT: fresh.target.dialect, BENCH_DB_URL: fresh.target.url, BENCH_PG_ROLE: fresh.pgRole ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const target: Target = {
    port: 0,
    mark: () => {
      const reply = nextMessage(child, 'mark', 120_000);
      child.send({ type: 'mark' });
      return reply;
    },
    capture: (on) => {
      const reply = nextMessage(child, 'captured', 10_000);
      child.send({ type: 'capture', on });
      return reply;
    },
    idle: () => {
      const reply = nextMessage(child, 'idle', 180_000);
      child.send({ type: 'idle' });
      return reply;
    },
    stop: () => stop(child),
  };
  started.push(target);
  target.port = (await nextMessage(child, 'ready', 60_000)).port;
  return target;
}

function nextMessage<K extends 'ready' | 'mark' | 'captured' | 'idle'>(child: ChildProcess, type: K, timeoutMs: number): Promise<Extract<TargetMessage, { type: K }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`server under test sent no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: TargetMessage) => {
      if (message.type === type) done(null, message as Extract<TargetMessage, { type: K }>);
      else if (message.type === 'error') done(new Error(`server under test failed: ${message.message}`));
    };
    const onExit = (code: number | null) => done(new Error(`server under test exited (${code}) before '${type}'`));
    function done(error: Error | null, message?: Extract<TargetMessage, { type: K }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ type: 'close' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ─── databases and users ──────────────────────────────────────────────────────────────────────────────

/** A fresh, migrated database: a SQLite file in a temp dir, or a new database beside QINQING_BENCH_PG_URL. */
export async function freshDatabase(dialect: Dialect): Promise<FreshDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-bench-'));
    const target = resolveDatabaseTarget(join(dir, 'bench.db'));
    const owner = openDatabase(target);
    try {
      await migrateToLatest(owner.db);
    } finally {
      await owner.destroy();
    }
    return { target, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = newPgName('qq_bench');
  const target = pgTarget(name);
  const drop = async () => void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
    const owner = openDatabase(target, { poolSize: 1 });
    try {
      await migrateToLatest(owner.db, { pgAppRole: PG_APP_ROLE });
    } finally {
      await owner.destroy();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { target, pgRole: PG_APP_ROLE, drop };
}

export function newPgName(prefix: string): string {
  return `${prefix}_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
}

/** A database beside QINQING_BENCH_PG_URL (same server and owner). */
export function pgTarget(name: string): DatabaseTarget {
  const url = new URL(process.env.QINQING_BENCH_PG_URL!);
  url.pathname = `/${name}`;
  return resolveDatabaseTarget(url.toString());
}

/** One statement on the maintenance database of QINQING_BENCH_PG_URL (CREATE/DROP DATABASE …). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(statement: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: process.env.QINQING_BENCH_PG_URL! });
  await client.connect();
  try {
    return (await client.query<R>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

/** One user with one role in their own organisation, as the test factories make them; returns the stored hash. */
export async function seedUser(target: DatabaseTarget, user: { username: string; password: string; role: 'officer'; regionCode: string }): Promise<string> {
  const handle = openDatabase(target, { poolSize: 1 });
  try {
    const now = new Date().toISOString();
    const organisationId = newId();
    const userId = newId();
    const passwordHash = await hashPassword(user.password);
    await handle.db.insertInto('organisations').values({ id: organisationId, name: '基准测试单位', kind: 'department', region_code: user.regionCode, parent_id: null, is_enabled: 1, created_at: now, updated_at: now }).execute();
    await insertUser(handle.db, {
      id: userId,
      username: user.username,
      displayName: '基准 用户',
      organisationId,
      phone: '13800001234',
      passwordHash,
      mustChangePassword: false,
      now,
    });
    await handle.db.insertInto('user_roles').values({ user_id: userId, role: user.role }).execute();
    return passwordHash;
  } finally {
    await handle.destroy();
  }
}

/** Sign in through the real endpoint; returns the `qq_session=…` cookie and CSRF token after checking GET /api/me accepts them. */
export async function signIn(target: Target, body: string): Promise<{ cookie: string; csrfToken: string }> {
  const base = `http://127.0.0.1:${target.port}`;
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('qq_session='))?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no session cookie');
  const me = await fetch(`${base}/api/me`, { headers: { cookie } });
  if (me.status !== 200) throw new Error(`GET /api/me with the new session: ${me.status} ${await me.text()}`);
  const { csrfToken, pending } = (await me.json()) as { csrfToken: string; pending: string | null };
  if (pending) throw new Error(`the session is pending '${pending}'; the benchmark needs a fully signed-in user`);
  return { cookie, csrfToken };
}

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────────

export function failures(result: Result): number {
  return result.errors + result.timeouts + result.non2xx;
}

export const pct = (value: number) => `${Math.round(value * 100)} %`;
export const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '–');
export const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
export const log = (message: string) => console.error(`[bench] ${message}`);

export function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
