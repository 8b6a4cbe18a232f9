/**
 * The filtered enterprise list, GET /api/enterprises, on the demo town at 100k (and 1M) enterprises under 50
 * connections, beside a bare Fastify route replaying the very SQL the app sent (captured in the app's process).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Dialect } from '../apps/server/src/platform/db/database.js';
import type { ListPlans } from './baselines.js';
import { type CachedDatabase, cachedListDatabase, sizeLabel } from './cache.js';
import { type FreshDatabase, type Measurement, PG_APP_ROLE, type Target, adminQuery, compare, newPgName, pgTarget, signIn, startTarget } from './harness.js';
import type { CapturedStatement } from './target.js';

export const LIST_CONNECTIONS = 50;
const LIST_SLICES = 4;
/** Sequential requests per query for the per-query latencies (single connection, no load; 3 when > 1 s). */
const PROBES = 15;

/** The rotation: realistic filters of an officer's day, each path of the search (gram table, FTS trigram, tags). */
export const listQueries: Array<{ name: string; path: string }> = [
  { name: 'no filter', path: '/api/enterprises' },
  { name: 'industry=19 (大类) & scale=above', path: '/api/enterprises?industry=19&scale=above' },
  { name: 'village & sort=-revenue', path: '/api/enterprises?region=330483107200&sort=-revenue' },
  { name: 'q=崇福 (2 chars: gram table)', path: `/api/enterprises?q=${encodeURIComponent('崇福')}` },
  { name: 'q=皮草有 (3 chars: trigram)', path: `/api/enterprises?q=${encodeURIComponent('皮草有')}` },
  { name: 'tags=专精特新', path: `/api/enterprises?tags=${encodeURIComponent('专精特新')}` },
  { name: 'page=50', path: '/api/enterprises?page=50' },
];

export interface QueryProfile {
  name: string;
  path: string;
  total: number;
  /** Median of sequential requests, ms. */
  appMs: number;
  bareMs: number;
  /** The registry statements (count and page) run alone on the database, median ms each, with their plans. */
  statements: Array<{ sql: string; parameters: unknown[]; ms: number; plan: string[] }>;
}

export interface ListResult {
  dialect: Dialect;
  size: number;
  cache: CachedDatabase;
  app: Measurement;
  bare: Measurement;
  seconds: number;
  queries: QueryProfile[];
  /** Statements the app sent that the baseline does not replay (writes, e.g. a session touch), if any. */
  dropped: string[];
}

export async function benchList(dialect: Dialect, size: number, seconds: number): Promise<ListResult> {
  const cache = await cachedListDatabase(dialect, size);
  const work = await workingCopy(dialect, cache);
  const targets: Target[] = [];
  try {
    const app = await startTarget('app', work, {}, targets);
    const password = process.env.QINQING_DEMO_PASSWORD ?? 'Qinqing@2026';
    const { cookie } = await signIn(app, JSON.stringify({ username: 'officer', password }));
    const get = async (target: Target, path: string) => {
      let response: Response;
      try {
        response = await fetch(`http://127.0.0.1:${target.port}${path}`, { headers: { cookie } });
      } catch {
        // A kept-alive socket the server closed while a slow query held its event loop: once more on a new one.
        response = await fetch(`http://127.0.0.1:${target.port}${path}`, { headers: { cookie, connection: 'close' } });
      }
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as { total: number | string; items: unknown[] };
    };

    // Capture what one request of each query sends (after a first request, so caches and the session are warm).
    const plans: ListPlans = {};
    const totals = new Map<string, number>();
    const dropped = new Set<string>();
    for (const query of listQueries) {
      await get(app, query.path);
      await app.capture(true);
      const body = await get(app, query.path);
      const { statements } = await app.capture(false);
      totals.set(query.path, Number(body.total));
      plans[query.path] = statements.filter((statement) => {
        const read = /^\s*(select|with)\b/i.test(statement.sql);
        if (!read) dropped.add(statement.sql.slice(0, 80));
        return read;
      });
    }
    const plansFile = join(tmpdir(), `qinqing-bench-plans-${process.pid}.json`);
    writeFileSync(plansFile, JSON.stringify(plans));
    const bare = await startTarget('bare-list', work, { BENCH_LIST_PLANS: plansFile }, targets);
    rmSync(plansFile, { force: true });

    const queries: QueryProfile[] = [];
    for (const query of listQueries) {
      const bareBody = await get(bare, `/list${query.path.slice('/api/enterprises'.length)}`);
      if (Number(bareBody.total) !== totals.get(query.path)) throw new Error(`bare route disagrees on ${query.path}: ${bareBody.total} vs ${totals.get(query.path)}`);
      const appMs = await medianMs(() => get(app, query.path));
      const bareMs = await medianMs(() => get(bare, `/list${query.path.slice('/api/enterprises'.length)}`));
      const registry = plans[query.path].filter((statement) => /"enterprises"/.test(statement.sql));
      queries.push({ name: query.name, path: query.path, total: totals.get(query.path)!, appMs, bareMs, statements: await profileStatements(dialect, work, registry) });
    }

    const { app: appResult, bare: bareResult } = await compare(
      { label: `app GET /api/enterprises (${dialect}, ${sizeLabel(size)})`, target: app, request: { url: '/api/enterprises', headers: { cookie }, requests: listQueries.map((query) => ({ method: 'GET', path: query.path })) } },
      { label: `bare same SQL (${dialect}, ${sizeLabel(size)})`, target: bare, request: { url: '/list', headers: { cookie }, requests: listQueries.map((query) => ({ method: 'GET', path: `/list${query.path.slice('/api/enterprises'.length)}` })) } },
      LIST_CONNECTIONS,
      seconds,
      LIST_SLICES,
    );
    return { dialect, size, cache, app: appResult, bare: bareResult, seconds, queries, dropped: [...dropped] };
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    await work.drop();
  }
}

/** A throwaway copy of the cached database, so sign-ins and sessions never accumulate in the cache. */
export async function workingCopy(dialect: Dialect, cache: CachedDatabase): Promise<FreshDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-bench-list-'));
    const file = join(dir, 'list.db');
    copyFileSync(cache.location, file);
    return { target: { dialect, url: file }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = newPgName('qq_bench_list');
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${cache.location}`);
  return { target: pgTarget(name), pgRole: PG_APP_ROLE, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined) };
}

async function medianMs(run: () => Promise<unknown>, probes = PROBES): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < probes; i += 1) {
    // A query slower than a second gets three probes, not fifteen: the run stays bounded at 1M.
    if (i === 3 && median(times) > 1000) break;
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Each statement run alone on the database (median of a few runs) with its plan: where a slow query spends its time. */
export async function profileStatements(dialect: Dialect, work: FreshDatabase, statements: CapturedStatement[]): Promise<QueryProfile['statements']> {
  if (dialect === 'sqlite') {
    const sqlite = new SQLite(work.target.url, { readonly: true });
    try {
      sqlite.pragma('cache_size = -65536');
      return statements.map((statement) => {
        const prepared = sqlite.prepare(statement.sql);
        const times: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          const started = performance.now();
          prepared.all(...(statement.parameters as unknown[]));
          times.push(performance.now() - started);
        }
        const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...(statement.parameters as unknown[])) as Array<{ id: number; parent: number; detail: string }>;
        const depth = new Map<number, number>([[0, -1]]);
        const lines = plan.map((row) => {
          const level = (depth.get(row.parent) ?? 0) + 1;
          depth.set(row.id, level);
          return `${'  '.repeat(level)}${row.detail}`;
        });
        return { ...statement, ms: median(times), plan: lines };
      });
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: work.target.url });
  await client.connect();
  try {
    await client.query(`SET ROLE ${PG_APP_ROLE}`);
    const out: QueryProfile['statements'] = [];
    for (const statement of statements) {
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        await client.query(statement.sql, statement.parameters);
        times.push(performance.now() - started);
      }
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.sql}`, statement.parameters);
      out.push({ ...statement, ms: median(times), plan: plan.rows.map((row) => row['QUERY PLAN']) });
    }
    return out;
  } finally {
    await client.end();
  }
}
