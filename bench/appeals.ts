/**
 * Appeals (诉求) at county scale: the demo played with 20,000 enterprises and a year of 6,000 appeals (cache.ts),
 * then, under 50 connections, each beside a bare Fastify route replaying the very SQL the app sent for the same URL
 * (captured in the app's process): the leader's KPI report for the played year, an officer's appeal list (first
 * page, todo=true, overdue=true) and one appeal page.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as AutocannonClient } from 'autocannon';
import { sql } from 'kysely';
import { isOverdueOn } from '../apps/server/src/modules/appeals/appeal-rows.js';
import { closedStatuses } from '../apps/server/src/modules/appeals/appeal-rules.js';
import { type Dialect, openDatabase } from '../apps/server/src/platform/db/database.js';
import type { ListPlans } from './baselines.js';
import { type CachedDatabase, cachedAppealsDatabase, sizeLabel } from './cache.js';
import { type FreshDatabase, type Measurement, type Target, compare, log, positive, signIn, startTarget } from './harness.js';
import { type QueryProfile, median, profileStatements, workingCopy } from './list.js';

export const APPEALS_CONNECTIONS = 50;
const ENTERPRISES = positive(process.env.BENCH_APPEALS_ENTERPRISES, 20_000);
const APPEALS = positive(process.env.BENCH_APPEALS, 6_000);
/** Sequential requests per endpoint for the latencies without load (5 when one takes over a second). */
const PROBES = 15;
/**
 * The KPI load: a slice lasts KPI_QUEUE_MULTIPLE times the time the queued reports take to be answered (one per
 * connection, at the median measured alone), at most KPI_MAX_SLICE_SECONDS. When 50 queued reports would not fit,
 * fewer connections are used (see benchAppeals): the run stays bounded and the throughput is still the server's.
 */
const KPI_QUEUE_MULTIPLE = 3;
const KPI_MAX_SLICE_SECONDS = positive(process.env.BENCH_KPI_MAX_SLICE_SECONDS, 15);
/** autocannon's per-request timeout for the KPI load (its default, 10 s, is shorter than a queue of 50 reports may be). */
const KPI_TIMEOUT_SECONDS = 120;
/**
 * Periods the computed KPI load cycles through. An app instance keeps its last 50 reports (appeal-kpis.ts); a period
 * asked again after R others is answered from them if fewer than 50 of those R have finished (and stored their
 * report) since the period was last stored — requests in flight, and the slowest under load finish seconds after
 * they were sent (128 still let ~6 % through on SQLite, whose slowest reports waited ~13 s under 24 connections).
 */
const KPI_ROTATION = 256;

export const APPEALS_TARGETS = {
  kpiP99Ms: 1000,
  listShare: 0.5,
  pageShare: 0.7,
};

export interface AppealsEndpoint {
  key: 'kpi' | 'kpiCached' | 'list' | 'todo' | 'overdue' | 'page';
  name: string;
  who: 'leader' | 'officer';
  /** The URL (the first of the rotation, if any). */
  path: string;
  /** The computed KPI report: the periods requests cycle through. */
  rotation?: string[];
  /** What the app answered: the list's total, the KPI report's units, the page's events. */
  answer: string;
  /** Sequential requests without load, ms. */
  app: { median: number; max: number; probes: number };
  bare: { median: number; max: number; probes: number };
  /** Statements one request sends (reads replayed by the baseline), and those of the auth plugin among them. */
  statements: number;
  authStatements: number;
  /** The module's statements (not the auth plugin's) run alone on the database, with their plans. */
  profiles: QueryProfile['statements'];
}

type Endpoint = Pick<AppealsEndpoint, 'key' | 'name' | 'who' | 'path' | 'rotation'>;

export interface AppealsComparison {
  key: 'kpi' | 'kpiCached' | 'list' | 'page';
  title: string;
  paths: string[];
  seconds: number;
  slices: number;
  connections: number;
  app: Measurement;
  bare: Measurement;
  /** KPI only: the slice was capped below KPI_QUEUE_MULTIPLE × the queue time. */
  capped?: boolean;
  /** KPI only: one report alone at the median, s (app side), from which fewer connections were chosen. */
  perRequestSeconds?: number;
}

/**
 * The app's KPI report beyond the load: its first report after a start (which builds the instance's summaries of
 * every appeal's events, appeal-kpis.ts), and a new period's report right after one more step was written (which
 * replays only that step), ms.
 */
export interface KpiFreshness {
  firstMs: number;
  afterStep: { median: number; max: number; probes: number };
}

export interface AppealsFacts {
  enterprises: number;
  appeals: number;
  events: number;
  parts: number;
  open: number;
  overdueParts: number;
  firstDay: string;
  lastDay: string;
  pageAppeal: { number: string; events: number; status: string };
}

export interface AppealsResult {
  dialect: Dialect;
  cache: CachedDatabase;
  facts: AppealsFacts;
  endpoints: AppealsEndpoint[];
  comparisons: AppealsComparison[];
  kpiFreshness: KpiFreshness;
  /** Statements the app sent that the baseline does not replay (writes, e.g. a session touch), if any. */
  dropped: string[];
}

/** The auth plugin's reads (session, user with its organisation, roles, password profile): counted and replayed, not profiled. */
const authStatement = (sqlText: string) =>
  /^select .* from "(sessions|settings|user_roles)" where "(id|key|user_id)" = (\?|\$1)$/.test(sqlText) ||
  /^select .* from "users"( left join "organisations" on "organisations"\."id" = "users"\."organisation_id")? where "(users"\.")?id" = (\?|\$1)$/.test(sqlText);

export async function benchAppeals(dialect: Dialect, seconds: number): Promise<AppealsResult> {
  const cache = await cachedAppealsDatabase(dialect, { enterprises: ENTERPRISES, appeals: APPEALS });
  const work = await workingCopy(dialect, cache);
  const targets: Target[] = [];
  try {
    const facts = await factsOf(work);
    log(`${dialect}: ${facts.enterprises} enterprises, ${facts.appeals} appeals, ${facts.events} events, played ${facts.firstDay} … ${facts.lastDay}`);
    const app = await startTarget('app', work, {}, targets);
    const password = process.env.QINQING_DEMO_PASSWORD ?? 'Qinqing@2026';
    const cookies = {
      leader: (await signIn(app, JSON.stringify({ username: 'leader', password }))).cookie,
      officer: (await signIn(app, JSON.stringify({ username: 'officer', password }))).cookie,
    };
    const get = async (target: Target, path: string, who: keyof typeof cookies) => {
      const response = await fetch(`http://127.0.0.1:${target.port}${path}`, { headers: { cookie: cookies[who] } });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET ${path} as ${who}: ${response.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as Record<string, unknown>;
    };

    // The year's report as a new question each time: the played year with its start moved k days earlier (no
    // event lies before the history, so every one reads and replays the same events). The app keeps the last
    // REPORT_CACHE_SIZE reports per instance; cycling through more periods than that, none is answered from it.
    const kpiPath = (k: number) => `/api/appeals/kpis?from=${addDays(facts.firstDay, -k)}&to=${facts.lastDay}`;
    const kpiRotation = Array.from({ length: KPI_ROTATION }, (_, k) => kpiPath(k + 1));
    const pageId = await pageAppealId(work, facts.pageAppeal.number);
    const endpoints: Endpoint[] = [
      { key: 'kpi', name: `KPI report, computed (${facts.firstDay} − k days … ${facts.lastDay}, k = 1…${KPI_ROTATION})`, who: 'leader', path: kpiRotation[0], rotation: kpiRotation },
      { key: 'kpiCached', name: `KPI report, repeated (${facts.firstDay} … ${facts.lastDay})`, who: 'leader', path: kpiPath(0) },
      { key: 'list', name: 'list, first page', who: 'officer', path: '/api/appeals' },
      { key: 'todo', name: 'list, todo=true', who: 'officer', path: '/api/appeals?todo=true' },
      { key: 'overdue', name: 'list, overdue=true', who: 'officer', path: '/api/appeals?overdue=true' },
      { key: 'page', name: `appeal page (${facts.pageAppeal.number}, ${facts.pageAppeal.events} events)`, who: 'officer', path: `/api/appeals/${pageId}` },
    ];

    // Capture what one request sends: after a first request (caches and the session warm), except for the
    // computed report, whose first request for a period is the one that computes.
    const plans: ListPlans = {};
    const answers = new Map<string, { text: string; total?: number }>();
    const dropped = new Set<string>();
    const captureOf = async (endpoint: Endpoint, path: string, warm: boolean) => {
      if (warm) await get(app, path, endpoint.who);
      await app.capture(true);
      const body = await get(app, path, endpoint.who);
      const { statements } = await app.capture(false);
      answers.set(path, describe(endpoint.key, body));
      plans[path] = statements.filter((statement) => {
        const read = /^\s*(select|with)\b/i.test(statement.sql);
        if (!read) dropped.add(statement.sql.slice(0, 80));
        return read;
      });
    };
    // The instance's first report builds its summaries of the events; every later one, whatever its period, passes
    // over them (and replays the steps written since). Time that first one apart, then capture the others alike.
    const firstStarted = performance.now();
    await get(app, kpiPath(-1), 'leader');
    const firstMs = performance.now() - firstStarted;
    log(`first KPI report of the instance: ${fmt(firstMs)} ms`);
    log(`capturing the statements of ${kpiRotation.length} computed KPI reports and of the other endpoints`);
    for (const path of kpiRotation) await captureOf(endpoints[0], path, false);
    const counts = new Set(kpiRotation.map((path) => plans[path].length));
    if (counts.size !== 1) throw new Error(`computed KPI reports sent different numbers of statements: ${[...counts].join(', ')}`);
    for (const endpoint of endpoints.slice(1)) await captureOf(endpoint, endpoint.path, true);
    const plansFile = join(tmpdir(), `qinqing-bench-appeals-${process.pid}.json`);
    writeFileSync(plansFile, JSON.stringify(plans));
    const bare = await startTarget('bare-replay', work, { BENCH_REPLAY_PLANS: plansFile }, targets);
    rmSync(plansFile, { force: true });

    const profiled: AppealsEndpoint[] = [];
    let fresh = KPI_ROTATION + 1;
    for (const endpoint of endpoints) {
      const replayed = (await get(bare, `/replay${endpoint.path}`, endpoint.who)) as { results: Array<{ count: number; rows?: Array<Record<string, unknown>> }> };
      const statements = plans[endpoint.path];
      if (replayed.results.length !== statements.length) throw new Error(`bare route replayed ${replayed.results.length} statements for ${endpoint.path}, expected ${statements.length}`);
      const expected = answers.get(endpoint.path)!.total;
      if (expected !== undefined) {
        const counted = replayed.results.flatMap((result) => result.rows ?? []).find((row) => 'total' in row);
        if (Number(counted?.total) !== expected) throw new Error(`bare route disagrees on ${endpoint.path}: total ${counted?.total} vs ${expected}`);
      }
      log(`${endpoint.name}: ${answers.get(endpoint.path)!.text}; ${statements.length} statements; timing alone`);
      // The computed report alone: a period never asked before each time (the app); the bare route has no cache.
      let turn = 0;
      const appTimes = await probe(() => get(app, endpoint.rotation ? kpiPath(fresh++) : endpoint.path, endpoint.who));
      const bareTimes = await probe(() => get(bare, `/replay${endpoint.rotation ? endpoint.rotation[turn++ % endpoint.rotation.length] : endpoint.path}`, endpoint.who));
      const own = statements.filter((statement) => !authStatement(statement.sql));
      profiled.push({
        ...endpoint,
        answer: answers.get(endpoint.path)!.text,
        app: appTimes,
        bare: bareTimes,
        statements: statements.length,
        authStatements: statements.length - own.length,
        profiles: await profileStatements(dialect, work, own),
      });
    }

    const side = (label: string, target: Target, who: keyof typeof cookies, paths: string[], prefix: string, extra: { timeout?: number; rotate?: boolean } = {}) => {
      const { rotate, ...options } = extra;
      const request = { url: `${prefix}${paths[0]}`, headers: { cookie: cookies[who] }, ...options };
      if (rotate) {
        // One rotation shared by all connections: every request takes the next period, so a period comes back only
        // after KPI_ROTATION − 1 others (autocannon's own `requests` cycle per connection, in step). Each
        // connection gets its own request object: autocannon builds a shared one once for all first requests.
        let next = 0;
        const setupRequest = (built: { path?: string }) => ({ ...built, path: `${prefix}${paths[next++ % paths.length]}` });
        return { label: `${label} (${dialect})`, target, request: { ...request, setupClient: (client: AutocannonClient) => client.setRequests([{ method: 'GET' as const, path: request.url, setupRequest }]) } };
      }
      const requests = paths.length > 1 ? paths.map((path) => ({ method: 'GET' as const, path: `${prefix}${path}` })) : undefined;
      return { label: `${label} (${dialect})`, target, request: { ...request, ...(requests ? { requests } : {}) } };
    };
    const comparisons: AppealsComparison[] = [];

    // The computed report: slices long enough for the queued reports to be answered several times over (see
    // README); 50 connections unless 50 queued reports would outlast the slice, then as many as fit (at least 2).
    const kpi = profiled.find((endpoint) => endpoint.key === 'kpi')!;
    const perRequest = Math.max(kpi.app.median, kpi.bare.median) / 1000;
    const kpiConnections = Math.min(APPEALS_CONNECTIONS, Math.max(2, Math.floor(KPI_MAX_SLICE_SECONDS / (KPI_QUEUE_MULTIPLE * perRequest))));
    const wanted = KPI_QUEUE_MULTIPLE * kpiConnections * perRequest;
    const kpiSlice = Math.min(KPI_MAX_SLICE_SECONDS, Math.max(seconds / 2, Math.ceil(wanted)));
    if (kpiConnections < APPEALS_CONNECTIONS) log(`KPI report: ${fmt(kpi.app.median)} ms alone; ${APPEALS_CONNECTIONS} queued would take ${(APPEALS_CONNECTIONS * perRequest).toFixed(0)} s a round: loading with ${kpiConnections} connections`);
    const kpiResult = await compare(
      side('app GET /api/appeals/kpis as leader, computed', app, 'leader', kpiRotation, '', { timeout: KPI_TIMEOUT_SECONDS, rotate: true }),
      side('bare same SQL', bare, 'leader', kpiRotation, '/replay', { timeout: KPI_TIMEOUT_SECONDS, rotate: true }),
      kpiConnections,
      kpiSlice * 2,
      2,
      { settle: true },
    );
    comparisons.push({
      key: 'kpi',
      title: "Leader's KPI report for the played year, computed (a period not asked before)",
      paths: kpiRotation,
      seconds: kpiSlice * 2,
      slices: 2,
      connections: kpiConnections,
      ...kpiResult,
      capped: wanted > kpiSlice,
      perRequestSeconds: kpi.app.median / 1000,
    });

    const cached = profiled.find((endpoint) => endpoint.key === 'kpiCached')!;
    const cachedResult = await compare(
      side('app GET /api/appeals/kpis as leader, repeated', app, 'leader', [cached.path], ''),
      side('bare same SQL', bare, 'leader', [cached.path], '/replay'),
      APPEALS_CONNECTIONS,
      seconds,
      4,
      { settle: true },
    );
    comparisons.push({ key: 'kpiCached', title: "Leader's KPI report for the played year, repeated (nothing changed since it was computed)", paths: [cached.path], seconds, slices: 4, connections: APPEALS_CONNECTIONS, ...cachedResult });

    const listPaths = profiled.filter((endpoint) => ['list', 'todo', 'overdue'].includes(endpoint.key)).map((endpoint) => endpoint.path);
    const listResult = await compare(
      side('app GET /api/appeals as officer', app, 'officer', listPaths, ''),
      side('bare same SQL', bare, 'officer', listPaths, '/replay'),
      APPEALS_CONNECTIONS,
      seconds,
      4,
      { settle: true },
    );
    comparisons.push({ key: 'list', title: "Officer's appeal list (first page, todo=true, overdue=true in rotation)", paths: listPaths, seconds, slices: 4, connections: APPEALS_CONNECTIONS, ...listResult });

    const page = profiled.find((endpoint) => endpoint.key === 'page')!;
    const pageResult = await compare(side('app GET /api/appeals/:id as officer', app, 'officer', [page.path], ''), side('bare same SQL', bare, 'officer', [page.path], '/replay'), APPEALS_CONNECTIONS, seconds, 4, { settle: true });
    comparisons.push({ key: 'page', title: 'One appeal page', paths: [page.path], seconds, slices: 4, connections: APPEALS_CONNECTIONS, ...pageResult });

    // Last (it writes): one more step (an 督办 event on an open case; the case's row is left as it is) before each report of a new
    // period, so the report replays that step on top of what the instance keeps.
    const afterStep = await probe(async () => {
      await writeStep(work, facts.lastDay);
      await get(app, kpiPath(fresh++), 'leader');
    });
    log(`KPI report after one new step: median ${fmt(afterStep.median)} ms, slowest ${fmt(afterStep.max)} ms`);

    return { dialect, cache, facts, endpoints: profiled, comparisons, kpiFreshness: { firstMs, afterStep }, dropped: [...dropped] };
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    await work.drop();
  }
}

/** 'YYYY-MM-DD' plus `days` (negative: earlier). */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A short description of an answer, and the list's total to check the baseline against. */
function describe(key: AppealsEndpoint['key'], body: Record<string, unknown>): { text: string; total?: number } {
  if (key === 'kpi' || key === 'kpiCached') {
    const report = body as { units: unknown[]; totals: { submitted: number; open: number; overdue: number; answered: number } };
    return { text: `${report.units.length} units; submitted ${report.totals.submitted}, answered ${report.totals.answered}, open ${report.totals.open}, overdue now ${report.totals.overdue}` };
  }
  if (key === 'page') {
    const appeal = body as { events: unknown[]; parts: unknown[] };
    return { text: `${appeal.events.length} events, ${appeal.parts.length} parts` };
  }
  const page = body as { total: number; items: unknown[] };
  return { text: `total ${page.total}, ${page.items.length} on the page`, total: Number(page.total) };
}

async function probe(run: () => Promise<unknown>): Promise<{ median: number; max: number; probes: number }> {
  const times: number[] = [];
  for (let i = 0; i < PROBES; i += 1) {
    if (i === 5 && median(times) > 1000) break;
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { median: median(times), max: Math.max(...times), probes: times.length };
}

/** What the working copy holds, read directly (owner connection on PostgreSQL; reads only). */
async function factsOf(work: FreshDatabase): Promise<AppealsFacts> {
  const handle = openDatabase(work.target, { poolSize: 1 });
  const db = handle.db;
  try {
    const count = async (table: 'enterprises' | 'appeals' | 'appeal_events' | 'appeal_parts') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const span = await db.selectFrom('appeal_events').select((eb) => [eb.fn.min<string>('day').as('first'), eb.fn.max<string>('day').as('last')]).executeTakeFirstOrThrow();
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const open = await db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'not in', [...closedStatuses]).executeTakeFirstOrThrow();
    const overdue = await db
      .selectFrom('appeal_parts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => isOverdueOn(eb, today))
      .executeTakeFirstOrThrow();
    // The page: a closed case with as many events as the demo's typical long case (10), the first by number.
    const page = await db
      .selectFrom('appeals')
      .innerJoin(db.selectFrom('appeal_events').select(['appeal_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('appeal_id').as('counted'), 'counted.appeal_id', 'appeals.id')
      .select(['appeals.number', 'appeals.status', 'counted.n'])
      .orderBy(sql`abs(${sql.ref('counted.n')} - 10)`)
      .orderBy('appeals.number')
      .limit(1)
      .executeTakeFirstOrThrow();
    return {
      enterprises: await count('enterprises'),
      appeals: await count('appeals'),
      events: await count('appeal_events'),
      parts: await count('appeal_parts'),
      open: Number(open.n),
      overdueParts: Number(overdue.n),
      firstDay: span.first,
      lastDay: span.last,
      pageAppeal: { number: page.number, events: Number(page.n), status: page.status },
    };
  } finally {
    await handle.destroy();
  }
}

/** Append a 'supervise' step to the newest open case's history (owner connection), dated `day`. */
async function writeStep(work: FreshDatabase, day: string) {
  const handle = openDatabase(work.target, { poolSize: 1 });
  try {
    const last = await handle.db
      .selectFrom('appeal_events')
      .innerJoin('appeals', 'appeals.id', 'appeal_events.appeal_id')
      .select(['appeal_events.appeal_id', 'appeals.status', 'appeal_events.actor_user_id', 'appeal_events.actor_name'])
      .where('appeals.status', 'not in', [...closedStatuses])
      .orderBy('appeal_events.id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto('appeal_events')
      .values({ appeal_id: last.appeal_id, part_id: null, organisation_id: null, action: 'supervise', from_status: last.status, to_status: last.status, part_from: null, part_to: null, actor_user_id: last.actor_user_id, actor_name: last.actor_name, at: new Date().toISOString(), day, data: JSON.stringify({ instruction: '请加快办理（bench）' }) })
      .execute();
  } finally {
    await handle.destroy();
  }
}

async function pageAppealId(work: FreshDatabase, number: string): Promise<string> {
  const handle = openDatabase(work.target, { poolSize: 1 });
  try {
    return (await handle.db.selectFrom('appeals').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
  } finally {
    await handle.destroy();
  }
}

// ─── report ───────────────────────────────────────────────────────────────────────────────────────────

const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms.toFixed(1));

export function renderAppeals(lines: string[], result: AppealsResult, measurementTable: (lines: string[], app: Measurement, bare: Measurement) => void) {
  const { facts, dialect } = result;
  lines.push(`## Appeals (诉求) at county scale — ${dialect}`);
  lines.push('');
  lines.push(
    `The demo played by \`seedDemo\` with ${facts.enterprises} enterprises and a year of ${facts.appeals} appeals (${facts.events} events, ${(facts.events / facts.appeals).toFixed(1)} per appeal; ${facts.parts} units' parts; ${facts.open} open, ${facts.overdueParts} parts overdue today), steps from ${facts.firstDay} to ${facts.lastDay}. Database: ${result.cache.built ? `built in this run (${result.cache.buildSeconds.toFixed(0)} s)` : 'from bench/.cache'}. Baseline: a bare Fastify route (\`GET /replay/<the app's URL>\`) replaying, in order, the compiled statements the app sent for the same URL (captured in the app's process) through the same driver on the same database, answering each statement's rows (only their number above 100 rows).${result.dropped.length ? ` Not replayed (writes): ${result.dropped.join('; ')}.` : ''}`,
  );
  lines.push('');
  for (const c of result.comparisons) {
    lines.push(`### ${c.title}`);
    lines.push('');
    if (c.key === 'kpiCached') {
      lines.push(
        `${c.connections} connections, ${c.seconds} s per side in ${c.slices} alternating slices, as the demo \`leader\`, the same URL every time: \`${decodeURIComponent(c.paths[0])}\`. Nothing changes in the database during the run, so the app answers from the reports it keeps per instance (appeal-kpis.ts) once it has checked that nothing they depend on changed; the baseline replays the statements of such a request.`,
      );
    } else if (c.key === 'kpi') {
      const fewer =
        c.connections < APPEALS_CONNECTIONS
          ? ` **${c.connections} connections, not ${APPEALS_CONNECTIONS}**: one report takes ${fmt(c.perRequestSeconds! * 1000)} ms alone, so ${APPEALS_CONNECTIONS} queued reports would take ~${(APPEALS_CONNECTIONS * c.perRequestSeconds!).toFixed(0)} s a round and the run would not stay bounded; the server is saturated either way (one event loop), so the req/s are its throughput, and by Little's law ${APPEALS_CONNECTIONS} connections would wait ~${APPEALS_CONNECTIONS} ÷ req/s each.`
          : '';
      lines.push(
        `${c.connections} connections, ${c.seconds} s per side in ${c.slices} alternating slices (A B B A), as the demo \`leader\`: \`${decodeURIComponent(c.paths[0])}\` with \`from\` moved k days earlier, k = 1…${c.paths.length}, each request taking the next k for all connections — no event lies before the played year, so each is the year's report over every event, and none is one of the last 50 the app keeps (the app answers it from its per-appeal summaries of the events; nothing changes in the database during the run). The baseline replays the statements captured for each of these URLs (the first request for each, the one that computed).${fewer} A slice lasts ${KPI_QUEUE_MULTIPLE}× the time the queued reports take at the median measured alone (at least half of BENCH_SECONDS, at most ${KPI_MAX_SLICE_SECONDS} s)${c.capped ? ' — **capped**: the queue outlasts a third of the slice, so the slowest requests of each slice are cut off and the p99 understates' : ''}; each server finishes what autocannon left in flight before the other side starts.`,
      );
    } else {
      lines.push(
        `${c.connections} connections, ${c.seconds} s per side in ${c.slices} alternating slices, as the demo \`officer\` (崇福镇)${c.paths.length > 1 ? `, each connection rotating through ${c.paths.map((path) => `\`${path}\``).join(', ')}` : `: \`${c.paths[0].replace(/[^/]+$/, ':id')}\``}.`,
      );
    }
    lines.push('');
    measurementTable(lines, c.app, c.bare);
    if (c.key === 'kpi') {
      const { firstMs, afterStep } = result.kpiFreshness;
      lines.push(
        `The app's first report after its start, which reads every event once into its per-appeal summaries: ${fmt(firstMs)} ms (before the capture; not in the figures above). A new period's report right after one more step was written (an 督办 appended to an open case, then the report, ${afterStep.probes} times; after the load): median ${fmt(afterStep.median)} ms, slowest ${fmt(afterStep.max)} ms.`,
      );
      lines.push('');
    }
    if (c.key === 'kpi' && c.app.statementsPerRequest < c.bare.statementsPerRequest - 0.05) {
      lines.push(`**Not all computed:** the app sent ${c.app.statementsPerRequest.toFixed(1)} statements a request against the replay's ${c.bare.statementsPerRequest.toFixed(1)}: some reports came from what it keeps, and its figures are too good.`);
      lines.push('');
    }
  }
  lines.push("Per endpoint, no load (sequential requests), and the module's own statements (not the auth plugin's four reads) run alone on the database:");
  lines.push('');
  lines.push('| endpoint | as | answer | statements / request | app ms (median / slowest) | bare ms (median / slowest) | module SQL alone, ms (sum; slowest statement) |');
  lines.push('|---|---|---|---:|---:|---:|---:|');
  for (const e of result.endpoints) {
    const sum = e.profiles.reduce((total, s) => total + s.ms, 0);
    const slowest = Math.max(0, ...e.profiles.map((s) => s.ms));
    lines.push(`| ${e.name} | ${e.who} | ${e.answer} | ${e.statements} (${e.authStatements} auth) | ${fmt(e.app.median)} / ${fmt(e.app.max)} | ${fmt(e.bare.median)} / ${fmt(e.bare.max)} | ${fmt(sum)}; ${fmt(slowest)} |`);
  }
  lines.push('');
}

export function appealsTargets(result: AppealsResult, verdict: (ok: boolean) => string, pct1: (value: number) => string): string[] {
  const out: string[] = [];
  const where = `${result.dialect}, ${sizeLabel(result.facts.enterprises)} enterprises, ${result.facts.appeals} appeals`;
  const share = (c: AppealsComparison) => (c.bare.rps ? c.app.rps / c.bare.rps : 0);
  for (const c of result.comparisons) {
    if (c.key === 'kpiCached') {
      const p99 = c.app.result.latency.p99;
      out.push(`| KPI report p99 ≤ ${APPEALS_TARGETS.kpiP99Ms} ms under ${APPEALS_CONNECTIONS} connections, repeated (${where}) | ${p99} ms | ${verdict(p99 <= APPEALS_TARGETS.kpiP99Ms)} |`);
      out.push(`| KPI report throughput, repeated, as a share of the bare route replaying its SQL (${where}; report only) | ${pct1(share(c))} | — |`);
    } else if (c.key === 'kpi') {
      const p99 = c.app.result.latency.p99;
      if (c.connections === APPEALS_CONNECTIONS) {
        out.push(`| KPI report p99 ≤ ${APPEALS_TARGETS.kpiP99Ms} ms under ${APPEALS_CONNECTIONS} connections, computed (${where}) | ${p99} ms | ${verdict(p99 <= APPEALS_TARGETS.kpiP99Ms)} |`);
      } else {
        // Closed loop, one event loop: every request waits for the ones queued before it.
        const estimate = c.app.rps ? (APPEALS_CONNECTIONS / c.app.rps) * 1000 : Number.POSITIVE_INFINITY;
        out.push(
          `| KPI report p99 ≤ ${APPEALS_TARGETS.kpiP99Ms} ms under ${APPEALS_CONNECTIONS} connections, computed (${where}) — estimated: ${APPEALS_CONNECTIONS} ÷ the ${c.app.rps.toFixed(2)} req/s measured at ${c.connections} connections (p99 there: ${p99} ms) | ≈ ${fmt(estimate)} ms | ${verdict(estimate <= APPEALS_TARGETS.kpiP99Ms)} |`,
        );
      }
      const alone = result.endpoints.find((e) => e.key === 'kpi')!.app;
      out.push(`| KPI report ≤ ${APPEALS_TARGETS.kpiP99Ms} ms one request at a time, computed, slowest of ${alone.probes} (${where}) | ${fmt(alone.max)} ms | ${verdict(alone.max <= APPEALS_TARGETS.kpiP99Ms)} |`);
      out.push(`| KPI report throughput, computed, as a share of the bare route replaying its SQL (${where}; report only: what the app adds to that SQL is its work on the summaries it keeps, and the framework) | ${pct1(share(c))} | — |`);
    } else if (c.key === 'list') {
      out.push(`| appeal list throughput ≥ ${Math.round(APPEALS_TARGETS.listShare * 100)} % of the bare route running the same SQL (${where}) | ${pct1(share(c))} | ${verdict(share(c) >= APPEALS_TARGETS.listShare)} |`);
      out.push(`| appeal list p99 under ${APPEALS_CONNECTIONS} connections (${where}; report only) | ${c.app.result.latency.p99} ms | — |`);
    } else {
      out.push(`| appeal page throughput ≥ ${Math.round(APPEALS_TARGETS.pageShare * 100)} % of the bare route running the same SQL (${where}) | ${pct1(share(c))} | ${verdict(share(c) >= APPEALS_TARGETS.pageShare)} |`);
    }
  }
  return out;
}

export function appealsAppendix(lines: string[], result: AppealsResult) {
  lines.push(`### Appeals, ${result.dialect}`);
  lines.push('');
  for (const e of result.endpoints) {
    lines.push(`#### ${e.name} — \`${decodeURIComponent(e.path)}\` as ${e.who}`);
    lines.push('');
    for (const s of e.profiles) {
      const parameters = s.parameters.length > 8 ? `${JSON.stringify(s.parameters.slice(0, 3)).slice(0, -1)}, … (${s.parameters.length} in all)]` : JSON.stringify(s.parameters);
      lines.push(`${fmt(s.ms)} ms alone; parameters ${parameters}`);
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
