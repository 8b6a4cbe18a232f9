/**
 * `npm run bench`: each figure beside its bare-limit baseline measured in the same run on the same database.
 * Suites (BENCH_SUITES, comma-separated; default all): `me` (GET /api/me), `login` (POST /api/auth/login),
 * `list` (GET /api/enterprises at 100k, and 1M with BENCH_1M=1), `import` (100k enterprises from csv and xlsx),
 * `appeals` (KPI report, appeal list and appeal page at county scale: 20k enterprises, a year of 6,000 appeals).
 * Prints a markdown report and writes it to bench/results/latest.md. Exits non-zero only when the run itself is
 * broken (a crash, errors or non-2xx responses under load), never because a target is missed: on shared
 * machines only the ratios mean anything.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '../apps/server/src/platform/db/database.js';
import { type AppealsResult, appealsAppendix, appealsTargets, benchAppeals, renderAppeals } from './appeals.js';
import { sizeLabel } from './cache.js';
import { type FreshDatabase, type Measurement, type Target, compare, failures, freshDatabase, here, log, mib, pct, positive, ratio, seedUser, signIn, startTarget, warmupSeconds } from './harness.js';
import { type ImportRun, benchImport } from './import.js';
import { LIST_CONNECTIONS, type ListResult, benchList, listQueries } from './list.js';

const seconds = positive(process.env.BENCH_SECONDS, 10);
const loginSeconds = positive(process.env.BENCH_LOGIN_SECONDS, 5);
const READ_CONNECTIONS = 50;
const LOGIN_CONNECTIONS = 10;
const READ_SLICES = 4;
const LOGIN_SLICES = 2;
const READ_TARGET = 0.7;
const LIST_P99_TARGET_MS = 50;
const LIST_P99_TARGET_SIZE = 100_000;
const IMPORT_TARGET = 3;
const USERNAME = 'bench_officer';
const PASSWORD = 'Lotus#River2026';

const allSuites = ['me', 'login', 'list', 'import', 'appeals'] as const;
type Suite = (typeof allSuites)[number];
const suiteList = (variable: string, value: string) =>
  new Set<Suite>(
    value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => {
        if (!(allSuites as readonly string[]).includes(name)) throw new Error(`${variable}: unknown suite '${name}' (known: ${allSuites.join(', ')})`);
        return name as Suite;
      }),
  );
const suites = suiteList('BENCH_SUITES', process.env.BENCH_SUITES ?? allSuites.join(','));
/** The suites run on PostgreSQL (when QINQING_BENCH_PG_URL is set): BENCH_PG_SUITES, or the same as on SQLite. */
const pgSuites = process.env.BENCH_PG_SUITES ? suiteList('BENCH_PG_SUITES', process.env.BENCH_PG_SUITES) : suites;
const listSizes = process.env.BENCH_LIST_SIZES
  ? process.env.BENCH_LIST_SIZES.split(',').map((size) => positive(size, 100_000))
  : [100_000, ...(process.env.BENCH_1M === '1' ? [1_000_000] : [])];
const importRows = positive(process.env.BENCH_IMPORT_ROWS, 100_000);

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
  const lists: ListResult[] = [];
  const imports: ImportRun[] = [];
  const appeals: AppealsResult[] = [];
  const skipped: string[] = [];
  const started = Date.now();
  log(`suites: ${[...suites].join(', ')}; dialects: ${dialects.join(', ')}${dialects.includes('postgres') && pgSuites !== suites ? ` (on postgres: ${[...pgSuites].join(', ')})` : ''}`);
  for (const dialect of dialects) {
    const run = dialect === 'postgres' ? pgSuites : suites;
    if (run.has('me') || run.has('login')) {
      const fresh = await freshDatabase(dialect);
      try {
        comparisons.push(...(await benchDatabase(dialect, fresh, run)));
      } finally {
        await fresh.drop();
      }
    }
    if (run.has('list')) {
      for (const size of listSizes) lists.push(await benchList(dialect, size, seconds));
    }
    if (run.has('import')) imports.push(...(await benchImport(dialect, importRows)));
    if (run.has('appeals')) appeals.push(await benchAppeals(dialect, seconds));
  }
  const report = render({ comparisons, lists, imports, appeals, skipped }, (Date.now() - started) / 1000);
  console.log(`\n${report}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.md'), report);
  console.log(`written to bench/results/latest.md`);
  const measured = [...comparisons, ...lists, ...appeals.flatMap((a) => a.comparisons)].flatMap((c) => [c.app, c.bare]);
  const broken = measured.filter((m) => failures(m.result) > 0);
  if (broken.length) {
    console.error(`run invalid: errors or non-2xx responses in ${broken.map((m) => m.label).join(', ')}`);
    process.exitCode = 1;
  }
}

async function benchDatabase(dialect: Dialect, fresh: FreshDatabase, suites: Set<Suite>): Promise<Comparison[]> {
  log(`${dialect}: seeding ${fresh.target.dialect === 'sqlite' ? fresh.target.url : 'a fresh database'}`);
  const passwordHash = await seedUser(fresh.target, { username: USERNAME, password: PASSWORD, role: 'officer', regionCode: '330483107' });
  const loginBody = JSON.stringify({ username: USERNAME, password: PASSWORD });
  const loginRequest = { method: 'POST' as const, body: loginBody, headers: { 'content-type': 'application/json' } };
  const targets: Target[] = [];
  const out: Comparison[] = [];
  try {
    // All three servers run side by side (an idle one costs nothing) so the runs can alternate.
    const [app, bareMe, bareLogin] = await Promise.all([
      startTarget('app', fresh, {}, targets),
      startTarget('bare-me', fresh, {}, targets),
      startTarget('bare-login', fresh, { BENCH_PASSWORD_HASH: passwordHash }, targets),
    ]);
    const { cookie } = await signIn(app, loginBody);
    if (suites.has('me')) {
      const read = await compare(
        { label: `app GET /api/me (${dialect})`, target: app, request: { url: '/api/me', headers: { cookie } } },
        { label: `bare GET /me (${dialect})`, target: bareMe, request: { url: '/me', headers: { cookie } } },
        READ_CONNECTIONS,
        seconds,
        READ_SLICES,
      );
      out.push({ dialect, title: 'Authenticated read: GET /api/me', connections: READ_CONNECTIONS, seconds, app: read.app, bare: read.bare });
    }
    if (suites.has('login')) {
      const login = await compare(
        { label: `app POST /api/auth/login (${dialect})`, target: app, request: { url: '/api/auth/login', ...loginRequest } },
        { label: `bare argon2id verify (${dialect})`, target: bareLogin, request: { url: '/login', ...loginRequest } },
        LOGIN_CONNECTIONS,
        loginSeconds,
        LOGIN_SLICES,
      );
      out.push({ dialect, title: 'Sign-in: POST /api/auth/login', connections: LOGIN_CONNECTIONS, seconds: loginSeconds, app: login.app, bare: login.bare });
    }
    return out;
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
  }
}

// ─── report ───────────────────────────────────────────────────────────────────────────────────────────

function measurementTable(lines: string[], app: Measurement, bare: Measurement) {
  lines.push('| | req/s | p50 ms | p97.5 ms | p99 ms | errors | non-2xx | SQL statements / request | server RSS MiB before → peak → after |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const m of [app, bare]) {
    const r = m.result;
    lines.push(
      `| ${m.label.replace(/ \([^)]*\)$/, '')} | ${m.rps < 10 ? m.rps.toFixed(2) : Math.round(m.rps)} | ${r.latency.p50} | ${r.latency.p97_5} | ${r.latency.p99} | ${r.errors + r.timeouts} | ${r.non2xx} | ${m.statementsPerRequest.toFixed(1)} | ${mib(m.rssBefore)} → ${mib(m.rssPeak)} → ${mib(m.rssAfter)} |`,
    );
  }
  lines.push(`| **app ÷ bare** | **${pct(share(app, bare))}** | ×${ratio(app.result.latency.p50, bare.result.latency.p50)} | ×${ratio(app.result.latency.p97_5, bare.result.latency.p97_5)} | ×${ratio(app.result.latency.p99, bare.result.latency.p99)} | | | | |`);
  lines.push('');
}

/** One decimal, so a value just under a target never prints as the target itself. */
const pct1 = (value: number) => `${(value * 100).toFixed(1)} %`;
const share = (app: Measurement, bare: Measurement) => (bare.rps ? app.rps / bare.rps : 0);
const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms.toFixed(1));

function render(results: { comparisons: Comparison[]; lists: ListResult[]; imports: ImportRun[]; appeals: AppealsResult[]; skipped: string[] }, elapsed: number): string {
  const { comparisons, lists, imports, appeals, skipped } = results;
  const lines: string[] = [];
  const cpu = cpus();
  lines.push(`# Benchmark results — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
  lines.push('');
  lines.push(`Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}. Suites: ${[...suites].join(', ')}${process.env.QINQING_BENCH_PG_URL && pgSuites !== suites ? `; on PostgreSQL: ${[...pgSuites].join(', ')}` : ''}.`);
  lines.push(`Load: autocannon in the runner process, each server in its own child process, loopback only. App and baseline alternate in slices (A B B A B A A B) after a ${warmupSeconds} s warm-up each (discarded); req/s = completed requests ÷ measured seconds. Whole run ${elapsed.toFixed(0)} s.`);
  lines.push('');
  for (const c of comparisons) {
    lines.push(`## ${c.title} — ${c.dialect}`);
    lines.push('');
    lines.push(`${c.connections} connections, ${c.seconds} s.`);
    lines.push('');
    measurementTable(lines, c.app, c.bare);
  }
  for (const l of lists) {
    lines.push(`## Enterprise list: GET /api/enterprises — ${l.dialect}, ${sizeLabel(l.size)} enterprises`);
    lines.push('');
    lines.push(
      `${LIST_CONNECTIONS} connections, ${l.seconds} s per side, each connection rotating through the ${listQueries.length} queries below as the demo \`officer\` (崇福镇). Baseline: a bare Fastify route replaying the compiled statements the app sent for the same URL (captured in the app's process), through the same driver on the same database file. Database: ${l.cache.built ? `built in this run (${l.cache.buildSeconds.toFixed(0)} s)` : 'from bench/.cache'}.${l.dropped.length ? ` Not replayed (writes): ${l.dropped.join('; ')}.` : ''}`,
    );
    lines.push('');
    measurementTable(lines, l.app, l.bare);
    lines.push('Per query, no load (median of sequential requests), and the registry statements run alone on the database:');
    lines.push('');
    lines.push('| query | total | app ms | bare ms | count SQL ms | page SQL ms |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const q of l.queries) {
      const [count, page] = [q.statements.find((s) => /count\(\*\)/i.test(s.sql)), q.statements.find((s) => !/count\(\*\)/i.test(s.sql))];
      lines.push(`| \`${decodeURIComponent(q.path.replace('/api/enterprises', '') || '(none)')}\` | ${q.total} | ${fmt(q.appMs)} | ${fmt(q.bareMs)} | ${count ? fmt(count.ms) : '–'} | ${page ? fmt(page.ms) : '–'} |`);
    }
    lines.push('');
  }
  if (imports.length) {
    lines.push(`## Import of ${imports[0].rows} enterprises`);
    lines.push('');
    lines.push(
      'Through the real endpoints as an officer of 崇福镇, into a fresh database with that one account and an empty registry: `POST /api/enterprises/imports` (multipart) → poll `GET …/:id` every 100 ms until `preview` → `POST …/:id/commit` → poll until `committed`. The job worker runs in the app process as in production: it polls the jobs table once a second when idle, and the upload and the commit request wake it as soon as their job is queued (`jobs.wake`), so neither hand-off waits for the poll. Baseline: the same enterprises rows (the registry\'s own checks on the same demo enterprises) inserted with batched multi-row INSERTs on one prepared statement in one transaction into the enterprises table of a fresh database — measured just before each import.',
    );
    lines.push('');
    lines.push('| | file | upload s | check (→ preview) s | commit (→ committed) s | **upload → committed s** | bare insert s | **total ÷ bare** | commit ÷ bare | server RSS peak MiB |');
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const run of imports) {
      lines.push(
        `| ${run.file.format}, ${run.dialect} | ${mib(run.file.bytes)} MiB${run.file.encoding ? ` ${run.file.encoding}` : ''} | ${run.upload.toFixed(1)} | ${run.check.toFixed(1)} | ${run.commit.toFixed(1)} | **${run.total.toFixed(1)}** | ${run.bare.toFixed(2)} | **×${(run.total / run.bare).toFixed(1)}** | ×${(run.commit / run.bare).toFixed(1)} | ${mib(run.rssPeak)} |`,
      );
    }
    lines.push('');
    lines.push(`Summary reported by the import: ${JSON.stringify(imports[0].summary)}.`);
    lines.push('');
  }
  for (const result of appeals) renderAppeals(lines, result, measurementTable);
  if (skipped.length) {
    lines.push(`Skipped: ${skipped.join('; ')}.`);
    lines.push('');
  }
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | measured | result |');
  lines.push('|---|---:|---|');
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  for (const c of comparisons) {
    const value = share(c.app, c.bare);
    if (c.title.startsWith('Authenticated read')) lines.push(`| GET /api/me throughput ≥ ${pct(READ_TARGET)} of the bare route (${c.dialect}) | ${pct1(value)} | ${verdict(value >= READ_TARGET)} |`);
    else lines.push(`| sign-in throughput as a share of argon2id verify alone (${c.dialect}; report only, no target) | ${pct(value)} | — |`);
  }
  for (const l of lists) {
    const where = `${l.dialect}, ${sizeLabel(l.size)}`;
    const p99 = l.app.result.latency.p99;
    if (l.dialect === 'sqlite' && l.size === LIST_P99_TARGET_SIZE) lines.push(`| list p99 ≤ ${LIST_P99_TARGET_MS} ms under ${LIST_CONNECTIONS} connections (${where}) | ${p99} ms | ${verdict(p99 <= LIST_P99_TARGET_MS)} |`);
    else lines.push(`| list p99 under ${LIST_CONNECTIONS} connections (${where}; report only) | ${p99} ms | — |`);
    const value = share(l.app, l.bare);
    lines.push(`| list throughput ≥ ${pct(READ_TARGET)} of the bare route running the same SQL (${where}) | ${pct1(value)} | ${verdict(value >= READ_TARGET)} |`);
  }
  for (const run of imports) {
    const value = run.total / run.bare;
    lines.push(`| import of ${run.rows} from ${run.file.format} within ×${IMPORT_TARGET} of the bare insert (${run.dialect}) | ×${value.toFixed(1)} (${run.total.toFixed(1)} s vs ${run.bare.toFixed(2)} s) | ${verdict(value <= IMPORT_TARGET)} |`);
  }
  for (const result of appeals) lines.push(...appealsTargets(result, verdict, pct1));
  lines.push('');
  if (lists.length) {
    lines.push('## Appendix: the registry statements of each list query and their plans');
    lines.push('');
    for (const l of lists) {
      lines.push(`### ${l.dialect}, ${sizeLabel(l.size)}`);
      lines.push('');
      for (const q of l.queries) {
        for (const s of q.statements) {
          lines.push(`\`${decodeURIComponent(q.path)}\` — ${fmt(s.ms)} ms alone; parameters ${JSON.stringify(s.parameters)}`);
          lines.push('');
          lines.push('```');
          lines.push(s.sql);
          lines.push('--');
          lines.push(...s.plan);
          lines.push('```');
          lines.push('');
        }
      }
    }
  }
  if (appeals.length) {
    lines.push('## Appendix: the appeals module\'s statements of each endpoint and their plans');
    lines.push('');
    for (const result of appeals) appealsAppendix(lines, result);
  }
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
