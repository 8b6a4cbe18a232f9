/**
 * `npm run bench`: the authenticated read (GET /api/me) and sign-in (POST /api/auth/login) under load, each beside
 * its bare-limit baseline measured in the same run on the same database. Prints a markdown report and writes it
 * to bench/results/latest.md. Exits non-zero only when the run itself is broken (a crash, errors or non-2xx
 * responses under load), never because a target is missed: on shared machines only the ratios mean anything.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Options, type RawResult, type Result } from 'autocannon';
import pg from 'pg';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { insertUser } from '../apps/server/src/modules/accounts/users.repository.js';
import { hashPassword } from '../apps/server/src/platform/auth/passwords.js';
import { newId, randomToken } from '../apps/server/src/platform/crypto.js';
import { type DatabaseTarget, type Dialect, openDatabase, resolveDatabaseTarget } from '../apps/server/src/platform/db/database.js';
import type { TargetKind, TargetMessage } from './target.js';

const here = import.meta.dirname;
const seconds = positive(process.env.BENCH_SECONDS, 10);
const loginSeconds = positive(process.env.BENCH_LOGIN_SECONDS, 5);
const warmupSeconds = positive(process.env.BENCH_WARMUP_SECONDS, 2);
const READ_CONNECTIONS = 50;
const LOGIN_CONNECTIONS = 10;
const READ_SLICES = 4;
const LOGIN_SLICES = 2;
const READ_TARGET = 0.7;
const PG_APP_ROLE = 'qinqing_app';
const USERNAME = 'bench_officer';
const PASSWORD = 'Lotus#River2026';

interface FreshDatabase {
  target: DatabaseTarget;
  /** PostgreSQL: the least-privilege role runtime connections switch to, as in production. */
  pgRole?: string;
  drop(): Promise<void>;
}

interface Measurement {
  label: string;
  /** Completed requests per second over all slices. */
  rps: number;
  result: Result;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  statementsPerRequest: number;
}

interface Comparison {
  dialect: Dialect;
  title: string;
  connections: number;
  seconds: number;
  app: Measurement;
  bare: Measurement;
}

async function main() {
  const dialects: Dialect[] = process.env.QINQING_BENCH_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const comparisons: Comparison[] = [];
  const started = Date.now();
  for (const dialect of dialects) {
    const fresh = await freshDatabase(dialect);
    try {
      comparisons.push(...(await benchDatabase(dialect, fresh)));
    } finally {
      await fresh.drop();
    }
  }
  const report = render(comparisons, (Date.now() - started) / 1000);
  console.log(`\n${report}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.md'), report);
  console.log(`written to bench/results/latest.md`);
  const broken = comparisons.flatMap((c) => [c.app, c.bare]).filter((m) => failures(m.result) > 0);
  if (broken.length) {
    console.error(`run invalid: errors or non-2xx responses in ${broken.map((m) => m.label).join(', ')}`);
    process.exitCode = 1;
  }
}

async function benchDatabase(dialect: Dialect, fresh: FreshDatabase): Promise<Comparison[]> {
  log(`${dialect}: seeding ${fresh.target.dialect === 'sqlite' ? fresh.target.url : 'a fresh database'}`);
  const passwordHash = await seedUser(fresh.target);
  const loginBody = JSON.stringify({ username: USERNAME, password: PASSWORD });
  const loginRequest = { method: 'POST' as const, body: loginBody, headers: { 'content-type': 'application/json' } };
  const targets: Target[] = [];
  try {
    // All three servers run side by side (an idle one costs nothing) so the runs can alternate.
    const [app, bareMe, bareLogin] = await Promise.all([
      startTarget('app', fresh, {}, targets),
      startTarget('bare-me', fresh, {}, targets),
      startTarget('bare-login', fresh, { BENCH_PASSWORD_HASH: passwordHash }, targets),
    ]);
    const cookie = await signIn(app, loginBody);
    const read = await compare(
      { label: `app GET /api/me (${dialect})`, target: app, request: { url: '/api/me', headers: { cookie } } },
      { label: `bare GET /me (${dialect})`, target: bareMe, request: { url: '/me', headers: { cookie } } },
      READ_CONNECTIONS,
      seconds,
      READ_SLICES,
    );
    const login = await compare(
      { label: `app POST /api/auth/login (${dialect})`, target: app, request: { url: '/api/auth/login', ...loginRequest } },
      { label: `bare argon2id verify (${dialect})`, target: bareLogin, request: { url: '/login', ...loginRequest } },
      LOGIN_CONNECTIONS,
      loginSeconds,
      LOGIN_SLICES,
    );
    return [
      { dialect, title: 'Authenticated read: GET /api/me', connections: READ_CONNECTIONS, seconds, app: read.app, bare: read.bare },
      { dialect, title: 'Sign-in: POST /api/auth/login', connections: LOGIN_CONNECTIONS, seconds: loginSeconds, app: login.app, bare: login.bare },
    ];
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
  }
}

interface Side {
  label: string;
  target: Target;
  request: Partial<Options> & { url: string };
}

/**
 * Warm both sides up, then measure them in alternating slices (A B B A, B A A B, …) that add up to `duration`
 * seconds each, so a burst of noise from a neighbour on the shared machine lands on both sides about equally.
 * Slices are merged with autocannon's own aggregation (per-second throughput and latency histograms).
 */
async function compare(appSide: Side, bareSide: Side, connections: number, duration: number, slices: number): Promise<{ app: Measurement; bare: Measurement }> {
  const optionsOf = (side: Side): Options => ({ ...side.request, url: `http://127.0.0.1:${side.target.port}${side.request.url}`, connections });
  const slice = duration / slices;
  log(`${appSide.label} vs ${bareSide.label}: warm-up ${warmupSeconds}s each, then ${slices} alternating slices of ${slice}s each × ${connections} connections`);
  for (const side of [appSide, bareSide]) await autocannon({ ...optionsOf(side), duration: warmupSeconds });
  const order: Side[] = [];
  for (let i = 0; i < slices; i += 1) order.push(...((i % 2 === 0) === (Math.floor(i / 2) % 2 === 0) ? [appSide, bareSide] : [bareSide, appSide]));
  const raw = new Map<Side, RawResult[]>([[appSide, []], [bareSide, []]]);
  const before = new Map([[appSide, await appSide.target.mark()], [bareSide, await bareSide.target.mark()]]);
  for (const side of order) raw.get(side)!.push(await autocannon({ ...optionsOf(side), duration: slice, skipAggregateResult: true }));
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

interface Target {
  port: number;
  /** RSS now, peak RSS and requests/statements served since the previous mark. */
  mark(): Promise<Extract<TargetMessage, { type: 'mark' }>>;
  stop(): Promise<void>;
}

/** Fork a server under test; it is added to `started` as soon as it exists so the caller can always stop it. */
async function startTarget(kind: TargetKind, fresh: FreshDatabase, env: Record<string, string>, started: Target[]): Promise<Target> {
  const child = fork(join(here, 'target.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, BENCH_TARGET: kind, BENCH_DIALECT: fresh.target.dialect, BENCH_DB_URL: fresh.target.url, BENCH_PG_ROLE: fresh.pgRole ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const target: Target = {
    port: 0,
    mark: () => {
      const reply = nextMessage(child, 'mark', 10_000);
      child.send({ type: 'mark' });
      return reply;
    },
    stop: () => stop(child),
  };
  started.push(target);
  target.port = (await nextMessage(child, 'ready', 60_000)).port;
  return target;
}

function nextMessage<K extends 'ready' | 'mark'>(child: ChildProcess, type: K, timeoutMs: number): Promise<Extract<TargetMessage, { type: K }>> {
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

// ─── database and user ────────────────────────────────────────────────────────────────────────────────

/** A fresh, migrated database: a SQLite file in a temp dir, or a new database beside QINQING_BENCH_PG_URL. */
async function freshDatabase(dialect: Dialect): Promise<FreshDatabase> {
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
  const base = process.env.QINQING_BENCH_PG_URL!;
  const name = `qq_bench_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  await adminQuery(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const target = resolveDatabaseTarget(url.toString());
  const drop = () => adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  try {
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

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** One officer in their own organisation, as the test factories make them; returns the stored hash. */
async function seedUser(target: DatabaseTarget): Promise<string> {
  const handle = openDatabase(target, { poolSize: 1 });
  try {
    const now = new Date().toISOString();
    const organisationId = newId();
    const userId = newId();
    const passwordHash = await hashPassword(PASSWORD);
    await handle.db.insertInto('organisations').values({ id: organisationId, name: '基准测试单位', kind: 'department', region_code: '330483107', parent_id: null, is_enabled: 1, created_at: now, updated_at: now }).execute();
    await insertUser(handle.db, {
      id: userId,
      username: USERNAME,
      displayName: '基准 用户',
      organisationId,
      phone: '13800001234',
      passwordHash,
      mustChangePassword: false,
      now,
    });
    await handle.db.insertInto('user_roles').values({ user_id: userId, role: 'officer' }).execute();
    return passwordHash;
  } finally {
    await handle.destroy();
  }
}

/** Sign in through the real endpoint; returns the `qq_session=…` cookie after checking GET /api/me accepts it. */
async function signIn(target: Target, body: string): Promise<string> {
  const base = `http://127.0.0.1:${target.port}`;
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('qq_session='))?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no session cookie');
  const me = await fetch(`${base}/api/me`, { headers: { cookie } });
  if (me.status !== 200) throw new Error(`GET /api/me with the new session: ${me.status} ${await me.text()}`);
  return cookie;
}

// ─── report ───────────────────────────────────────────────────────────────────────────────────────────

function render(comparisons: Comparison[], elapsed: number): string {
  const lines: string[] = [];
  const cpu = cpus();
  lines.push(`# Benchmark results — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}.`);
  lines.push(`Load: autocannon in the runner process, each server in its own child process, loopback only. App and baseline alternate in slices (A B B A B A A B) after a ${warmupSeconds} s warm-up each (discarded); req/s = completed requests ÷ measured seconds. Whole run ${elapsed.toFixed(0)} s.`);
  lines.push('');
  for (const c of comparisons) {
    lines.push(`## ${c.title} — ${c.dialect}`);
    lines.push('');
    lines.push(`${c.connections} connections, ${c.seconds} s.`);
    lines.push('');
    lines.push('| | req/s | p50 ms | p97.5 ms | p99 ms | errors | non-2xx | SQL statements / request | server RSS MiB before → peak → after |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const m of [c.app, c.bare]) {
      const r = m.result;
      lines.push(
        `| ${m.label.replace(/ \(\w+\)$/, '')} | ${Math.round(m.rps)} | ${r.latency.p50} | ${r.latency.p97_5} | ${r.latency.p99} | ${r.errors + r.timeouts} | ${r.non2xx} | ${m.statementsPerRequest.toFixed(1)} | ${mib(m.rssBefore)} → ${mib(m.rssPeak)} → ${mib(m.rssAfter)} |`,
      );
    }
    lines.push(`| **app ÷ bare** | **${pct(throughputRatio(c))}** | ×${ratio(c.app.result.latency.p50, c.bare.result.latency.p50)} | ×${ratio(c.app.result.latency.p97_5, c.bare.result.latency.p97_5)} | ×${ratio(c.app.result.latency.p99, c.bare.result.latency.p99)} | | | | |`);
    lines.push('');
  }
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | measured | result |');
  lines.push('|---|---:|---|');
  for (const c of comparisons) {
    const share = throughputRatio(c);
    if (c.title.startsWith('Authenticated read')) {
      lines.push(`| GET /api/me throughput ≥ ${pct(READ_TARGET)} of the bare route (${c.dialect}) | ${pct(share)} | ${share >= READ_TARGET ? 'PASS' : 'MISS'} |`);
    } else {
      lines.push(`| sign-in throughput as a share of argon2id verify alone (${c.dialect}; report only, no target) | ${pct(share)} | — |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

function throughputRatio(c: Comparison): number {
  return c.bare.rps ? c.app.rps / c.bare.rps : 0;
}

function failures(result: Result): number {
  return result.errors + result.timeouts + result.non2xx;
}

const pct = (value: number) => `${Math.round(value * 100)} %`;
const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '–');
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const log = (message: string) => console.error(`[bench] ${message}`);

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
