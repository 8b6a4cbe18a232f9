/**
 * One server under test, in its own process so its RSS is its own and the load generator (run.ts) does not share
 * its event loop. Started by run.ts with fork(); configured by environment; talks over the IPC channel:
 *   → { type: 'ready', port }         listening on 127.0.0.1
 *   ← { type: 'mark' }                → { type: 'mark', rss, peakRss, requests, statements } since the last mark
 *   ← { type: 'idle' }                → { type: 'idle', waitedMs } once no request is left working (see idle below)
 *   ← { type: 'close' }               closes the server and the database, then exits
 */
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import type { KyselyPlugin } from 'kysely';
import { type Dialect, openDatabase } from '../apps/server/src/platform/db/database.js';
import { BENCH_SECRET_KEY } from './constants.js';

export type TargetKind = 'app' | 'bare-me' | 'bare-login' | 'bare-list' | 'bare-replay';

/** One statement as the database received it. */
export interface CapturedStatement {
  sql: string;
  parameters: unknown[];
}

export type TargetMessage =
  | { type: 'ready'; port: number }
  | { type: 'mark'; rss: number; peakRss: number; requests: number; statements: number }
  | { type: 'captured'; statements: CapturedStatement[] }
  | { type: 'idle'; waitedMs: number }
  | { type: 'error'; message: string };

const kind = process.env.BENCH_TARGET as TargetKind;
const dialect = process.env.BENCH_DIALECT as Dialect;
const url = process.env.BENCH_DB_URL!;

let statements = 0;
let requests = 0;
let peakRss = process.memoryUsage().rss;
/** While capturing: every statement compiled exactly as the driver will receive it (the list baseline replays them). */
let captured: CapturedStatement[] | null = null;
let compile: ((args: Parameters<KyselyPlugin['transformQuery']>[0]) => CapturedStatement) | null = null;
/**
 * Statements compiled and not answered yet, by query id: when each was compiled, and (while capturing) how. Kysely
 * also runs a plugin's transformQuery when a query builder is turned into a subquery of another (e.g. the KPI
 * report's `relevant` cases): such a "statement" is never sent, so statements are counted and captured when their
 * result arrives (transformResult), never on compilation alone. `idle` takes one that has had no result for
 * PHANTOM_MS for such a subquery (a real one waiting that long for a pooled connection has others finishing around
 * it); entries are dropped only after FORGET_MS. (Counting on compilation counted and replayed those subqueries.)
 */
const pending = new Map<unknown, { at: number; statement: CapturedStatement | null }>();
const PHANTOM_MS = 2000;
const FORGET_MS = 600_000;
let replaying = 0;
let lastActivity = performance.now();

function forgetPhantoms(now: number) {
  for (const [queryId, entry] of pending) if (now - entry.at > FORGET_MS) pending.delete(queryId);
}

// Counts every statement sent to the database, the same way for the app and the baselines.
const countStatements: KyselyPlugin = {
  transformQuery: (args) => {
    lastActivity = performance.now();
    if (pending.size > 10_000) forgetPhantoms(lastActivity);
    pending.set(args.queryId, { at: lastActivity, statement: captured && compile ? compile(args) : null });
    return args.node;
  },
  transformResult: async (args) => {
    lastActivity = performance.now();
    const entry = pending.get(args.queryId);
    // Results of compiled queries replayed by a baseline (db.executeQuery) arrive here too: those count themselves.
    if (entry) {
      pending.delete(args.queryId);
      statements += 1;
      if (captured && entry.statement) captured.push(entry.statement);
    }
    return args.result;
  },
};

/**
 * Resolves once no statement has been waiting for the database and none has started for QUIET_MS (or after
 * IDLE_LIMIT_MS, whichever first). When autocannon ends a slice it drops its connections, but the requests already
 * read keep running to completion (up to one per connection; 50 KPI reports are seconds of work): the runner waits
 * for them before loading the other side, so that they do not land on its slice.
 */
const QUIET_MS = 500;
const IDLE_LIMIT_MS = 120_000;
async function idle(): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < IDLE_LIMIT_MS) {
    const now = performance.now();
    const waiting = [...pending.values()].some((entry) => now - entry.at <= PHANTOM_MS);
    if (!waiting && replaying === 0 && now - lastActivity >= QUIET_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return performance.now() - started;
}

function send(message: TargetMessage) {
  process.send!(message);
}

async function main() {
  const database = openDatabase({ dialect, url }, { pgRole: process.env.BENCH_PG_ROLE || undefined });
  const db = database.db.withPlugin(countStatements);
  compile = (args) => {
    const query = database.db.getExecutor().compileQuery(args.node, args.queryId);
    return { sql: query.sql, parameters: [...query.parameters] };
  };
  let app: FastifyInstance;
  // Imported on demand so a baseline process does not carry the app's modules in its RSS.
  if (kind === 'app') {
    const { buildApp } = await import('../apps/server/src/app.js');
    app = await buildApp({ db, dialect, secretKey: BENCH_SECRET_KEY });
  } else {
    const { buildBareList, buildBareLogin, buildBareMe, buildBareReplay } = await import('./baselines.js');
    if (kind === 'bare-me') app = buildBareMe(db);
    else if (kind === 'bare-list') app = buildBareList(db, JSON.parse(readFileSync(process.env.BENCH_LIST_PLANS!, 'utf8')), () => (statements += 1));
    else if (kind === 'bare-replay')
      app = buildBareReplay(db, JSON.parse(readFileSync(process.env.BENCH_REPLAY_PLANS!, 'utf8')), {
        statement: () => {
          statements += 1;
          lastActivity = performance.now();
        },
        request: (delta) => {
          replaying += delta;
          lastActivity = performance.now();
        },
      });
    else app = buildBareLogin(process.env.BENCH_PASSWORD_HASH!);
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  // The background job worker (imports), started as main.ts starts it.
  if (kind === 'app' && process.env.BENCH_WORKER === '1') app.worker.start();
  app.server.on('request', () => {
    requests += 1;
  });
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);

  process.on('message', async (message: { type: string }) => {
    if (message.type === 'mark') {
      const rss = process.memoryUsage().rss;
      send({ type: 'mark', rss, peakRss: Math.max(peakRss, rss), requests, statements });
      peakRss = rss;
      requests = 0;
      statements = 0;
    } else if (message.type === 'idle') {
      send({ type: 'idle', waitedMs: await idle() });
    } else if (message.type === 'capture') {
      const on = (message as { on?: boolean }).on;
      send({ type: 'captured', statements: captured ?? [] });
      captured = on ? [] : null;
    } else if (message.type === 'close') {
      clearInterval(sampler);
      await app.close();
      await database.destroy();
      process.disconnect();
      setTimeout(() => process.exit(0), 2000).unref();
    }
  });
  const address = app.server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect();
});
