/**
 * One server under test, in its own process so its RSS is its own and the load generator (run.ts) does not share
 * its event loop. Started by run.ts with fork(); configured by environment; talks over the IPC channel:
 *   → { type: 'ready', port }         listening on 127.0.0.1
 *   ← { type: 'mark' }                → { type: 'mark', rss, peakRss, requests, statements } since the last mark
 *   ← { type: 'close' }               closes the server and the database, then exits
 */
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { type Dialect, openDatabase } from '../apps/server/src/platform/db/database.js';

export type TargetKind = 'app' | 'bare-me' | 'bare-login';
const BENCH_SECRET_KEY = '00112233445566778899aabbccddeeff';

export type TargetMessage =
  | { type: 'ready'; port: number }
  | { type: 'mark'; rss: number; peakRss: number; requests: number; statements: number }
  | { type: 'error'; message: string };

const kind = process.env.BENCH_TARGET as TargetKind;
const dialect = process.env.BENCH_DIALECT as Dialect;
const url = process.env.BENCH_DB_URL!;

let statements = 0;
let requests = 0;
let peakRss = process.memoryUsage().rss;

// Counts every statement sent to the database, the same way for the app and the baselines.
const countStatements: KyselyPlugin = {
  transformQuery: (args) => {
    statements += 1;
    return args.node;
  },
  transformResult: async (args) => args.result,
};

function send(message: TargetMessage) {
  process.send!(message);
}

async function main() {
  const database = openDatabase({ dialect, url }, { pgRole: process.env.BENCH_PG_ROLE || undefined });
  const db = database.db.withPlugin(countStatements);
  let app: FastifyInstance;
  // Imported on demand so a baseline process does not carry the app's modules in its RSS.
  if (kind === 'app') {
    const { buildApp } = await import('../apps/server/src/app.js');
    app = await buildApp({ db, dialect, secretKey: BENCH_SECRET_KEY });
  } else {
    const { buildBareLogin, buildBareMe } = await import('./baselines.js');
    app = kind === 'bare-me' ? buildBareMe(db) : buildBareLogin(process.env.BENCH_PASSWORD_HASH!);
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
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
