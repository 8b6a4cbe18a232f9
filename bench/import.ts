/**
 * Import of 100k enterprises from csv and from xlsx through the real endpoints — upload → background check
 * (preview) → commit → `committed` — into an empty registry, beside a bare single-transaction multi-row insert of
 * the same enterprises rows measured in the same run on the same kind of database.
 */
import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { EnterpriseRow } from '../apps/server/src/modules/enterprises/enterprises.repository.js';
import { type Dialect, openDatabase } from '../apps/server/src/platform/db/database.js';
import { type ImportFile, cachedImportFiles, importRows } from './cache.js';
import { type FreshDatabase, type Target, freshDatabase, log, mib, seedUser, signIn, sleep, startTarget } from './harness.js';

const USERNAME = 'bench_importer';
const PASSWORD = 'Lotus#River2026';
/** 崇福镇: every demo enterprise lies in one of its villages, so the importer's region covers the file. */
const REGION = '330483107';
const POLL_MS = 100;
const TIMEOUT_MS = 15 * 60_000;

export interface ImportRun {
  dialect: Dialect;
  file: ImportFile;
  rows: number;
  /** Seconds from the start of the upload to `committed`. */
  total: number;
  upload: number;
  /** Upload accepted → status `preview` (parse and check in the background job). */
  check: number;
  /** Commit requested → `committed` (the one-transaction write in the background job). */
  commit: number;
  /** The bare single-transaction insert of the same rows, seconds, measured just before this import. */
  bare: number;
  rssPeak: number;
  summary: unknown;
}

export async function benchImport(dialect: Dialect, count: number): Promise<ImportRun[]> {
  const files = await cachedImportFiles(count);
  const rows = importRows(count);
  const runs: ImportRun[] = [];
  for (const file of files) {
    const bare = await bareInsert(dialect, rows);
    log(`${dialect}: bare insert of ${rows.length} enterprises rows in one transaction: ${bare.toFixed(2)} s`);
    runs.push({ ...(await importOnce(dialect, file, count)), bare });
  }
  return runs;
}

async function importOnce(dialect: Dialect, file: ImportFile, count: number): Promise<Omit<ImportRun, 'bare'>> {
  const fresh = await freshDatabase(dialect);
  const targets: Target[] = [];
  try {
    await seedUser(fresh.target, { username: USERNAME, password: PASSWORD, role: 'officer', regionCode: REGION });
    const app = await startTarget('app', fresh, { BENCH_WORKER: '1' }, targets);
    const { cookie, csrfToken } = await signIn(app, JSON.stringify({ username: USERNAME, password: PASSWORD }));
    const base = `http://127.0.0.1:${app.port}/api/enterprises/imports`;
    const headers = { cookie, 'x-csrf-token': csrfToken };
    const bytes = readFileSync(file.path);
    await app.mark();
    log(`${dialect}: importing ${file.filename} (${mib(file.bytes)} MiB${file.encoding ? `, ${file.encoding}` : ''})`);

    const started = performance.now();
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: file.format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), file.filename);
    const uploaded = await fetch(base, { method: 'POST', headers, body: form });
    if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${(await uploaded.text()).slice(0, 500)}`);
    const { id } = (await uploaded.json()) as { id: string };
    const accepted = performance.now();
    const preview = await waitFor(base, id, headers, 'preview');
    if (preview.errorCount) throw new Error(`the import file has ${preview.errorCount} errors, e.g. ${JSON.stringify(preview.errors.slice(0, 3))}`);
    const checked = performance.now();
    const commit = await fetch(`${base}/${id}/commit`, { method: 'POST', headers });
    if (commit.status !== 202) throw new Error(`commit: ${commit.status} ${(await commit.text()).slice(0, 500)}`);
    const done = await waitFor(base, id, headers, 'committed');
    const committed = performance.now();
    const mark = await app.mark();

    const handle = openDatabase(fresh.target, { poolSize: 1 });
    try {
      const { n } = await handle.db.selectFrom('enterprises').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(n) !== count) throw new Error(`after the import the registry holds ${n} enterprises, expected ${count}`);
    } finally {
      await handle.destroy();
    }
    const seconds = (from: number, to: number) => (to - from) / 1000;
    const run = { dialect, file, rows: count, total: seconds(started, committed), upload: seconds(started, accepted), check: seconds(accepted, checked), commit: seconds(checked, committed), rssPeak: mark.peakRss, summary: done.summary };
    log(`${dialect} ${file.format}: ${run.total.toFixed(1)} s (upload ${run.upload.toFixed(1)}, check ${run.check.toFixed(1)}, commit ${run.commit.toFixed(1)})`);
    return run;
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    await fresh.drop();
  }
}

interface ImportStatus {
  status: string;
  progress: number;
  errorCount: number;
  errors: unknown[];
  summary: unknown;
}

async function waitFor(base: string, id: string, headers: Record<string, string>, wanted: 'preview' | 'committed'): Promise<ImportStatus> {
  const deadline = performance.now() + TIMEOUT_MS;
  let resets = 0;
  while (performance.now() < deadline) {
    let response: Response;
    try {
      response = await fetch(`${base}/${id}`, { headers });
    } catch (error) {
      // A kept-alive socket the server closed while a job held its event loop: ask again on a new one.
      if (++resets > 20) throw error;
      await sleep(POLL_MS);
      continue;
    }
    if (response.status !== 200) throw new Error(`import status: ${response.status} ${(await response.text()).slice(0, 300)}`);
    const status = (await response.json()) as ImportStatus;
    if (status.status === wanted) return status;
    if (status.status === 'failed') throw new Error(`the import failed: ${JSON.stringify(status.errors).slice(0, 500)}`);
    await sleep(POLL_MS);
  }
  throw new Error(`the import did not reach '${wanted}' within ${TIMEOUT_MS / 60_000} min`);
}

/**
 * The bare limit: the same enterprises rows, batched multi-row INSERTs on one prepared statement, one
 * transaction, into the enterprises table (with its indexes) of a fresh migrated database — nothing else.
 * SQLite through better-sqlite3 with the app's pragmas; PostgreSQL through one pg client.
 */
async function bareInsert(dialect: Dialect, rows: EnterpriseRow[]): Promise<number> {
  const fresh: FreshDatabase = await freshDatabase(dialect);
  try {
    const columns = Object.keys(rows[0]) as Array<keyof EnterpriseRow>;
    const values = rows.map((row) => columns.map((column) => row[column]));
    if (dialect === 'sqlite') {
      const sqlite = new SQLite(fresh.target.url);
      try {
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('synchronous = FULL');
        sqlite.pragma('foreign_keys = ON');
        sqlite.pragma('cache_size = -65536');
        const per = Math.floor(30_000 / columns.length);
        const tuple = `(${columns.map(() => '?').join(',')})`;
        const statement = (n: number) => sqlite.prepare(`INSERT INTO enterprises (${columns.join(',')}) VALUES ${Array(n).fill(tuple).join(',')}`);
        const full = statement(per);
        const started = performance.now();
        sqlite.transaction(() => {
          for (let start = 0; start < values.length; start += per) {
            const chunk = values.slice(start, start + per);
            (chunk.length === per ? full : statement(chunk.length)).run(chunk.flat());
          }
        })();
        return (performance.now() - started) / 1000;
      } finally {
        sqlite.close();
      }
    }
    const client = new pg.Client({ connectionString: fresh.target.url });
    await client.connect();
    try {
      const per = Math.floor(65_000 / columns.length);
      const text = (n: number) => `INSERT INTO enterprises (${columns.join(',')}) VALUES ${Array.from({ length: n }, (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(',')})`).join(',')}`;
      const fullText = text(per);
      const started = performance.now();
      await client.query('BEGIN');
      for (let start = 0; start < values.length; start += per) {
        const chunk = values.slice(start, start + per);
        await client.query({ name: chunk.length === per ? 'bare_insert' : undefined, text: chunk.length === per ? fullText : text(chunk.length), values: chunk.flat() });
      }
      await client.query('COMMIT');
      return (performance.now() - started) / 1000;
    } finally {
      await client.end();
    }
  } finally {
    await fresh.drop();
  }
}
