/**
 * Inputs that take long to build, built once and kept under bench/.cache/ (gitignored), keyed by size and a hash
 * of everything that decides their content (migrations, the demo generator, the registry's checks and search
 * structures, the import/export columns), so a schema or generator change rebuilds them and nothing stale is
 * measured. BENCH_REBUILD=1 rebuilds regardless.
 *
 * - list databases: the demo town of 崇福镇 at 100k (the real `seedDemo`, exactly what `qinqing demo --enterprises`
 *   writes, without its year of appeals and visits) or 1M (seedDemo for the accounts, then a bulk loader for the
 *   enterprises, see bulkEnterprises);
 * - the appeals database: the demo at county scale (20k enterprises) with a year of 6,000 appeals and the demo's
 *   visits, played through the services by seedDemo;
 * - import files: 100k demo enterprises in the template's columns, as csv and xlsx.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { buildDemoWorld } from '../apps/server/src/modules/demo/demo-world.js';
import { enterpriseRow, seedDemo } from '../apps/server/src/modules/demo/demo.seed.js';
import { type EnterpriseRow, indexForSearch, parseList } from '../apps/server/src/modules/enterprises/enterprises.repository.js';
import { headers, rowToCells } from '../apps/server/src/modules/enterprises/transfer/columns.js';
import { UTF8_BOM, csvLine } from '../apps/server/src/modules/enterprises/transfer/csv.js';
import { MAX_UPLOAD_BYTES } from '../apps/server/src/modules/enterprises/transfer/imports.service.js';
import { xlsxStream } from '../apps/server/src/modules/enterprises/transfer/xlsx.js';
import { createAuditService } from '../apps/server/src/platform/audit/audit.service.js';
import { systemClock } from '../apps/server/src/platform/clock.js';
import { type DatabaseTarget, type Dialect, openDatabase } from '../apps/server/src/platform/db/database.js';
import { BENCH_SECRET_KEY } from './constants.js';
import { PG_APP_ROLE, adminQuery, here, log, pgTarget } from './harness.js';

export const cacheDir = join(here, '.cache');
const server = join(here, '..', 'apps', 'server', 'src');
const rebuild = process.env.BENCH_REBUILD === '1';
/** Bump when this file changes what it builds. */
const BUILDER_VERSION = 2;
/** Above this size the list database is bulk-loaded (seedDemo would take ~30 min for 1M). */
const BULK_ABOVE = 200_000;

/** Hash of files (paths relative to apps/server/src; directories: every file in them, names included, but `except`). */
function sourceHash(paths: string[], except: string[] = []): string {
  const hash = createHash('sha256').update(String(BUILDER_VERSION));
  const skipped = new Set(except.map((path) => join(server, path)));
  for (const path of paths) {
    const full = join(server, path);
    const files = statSync(full).isDirectory() ? readdirSync(full).sort().map((name) => join(full, name)) : [full];
    for (const file of files) if (!skipped.has(file)) hash.update(file.slice(server.length)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 10);
}

const worldSources = ['modules/demo', 'modules/enterprises/enterprise-input.ts', 'modules/enterprises/enterprises.repository.ts', 'modules/reference'];
export const schemaKey = () => sourceHash(['db/migrations', 'db/migrate.ts', ...worldSources]);
/**
 * The played year also depends on the services it goes through (their rules write the events) and the calendar;
 * not on the KPI report (appeal-kpi*.ts only read the events), which is what the suite measures before and after a change.
 */
const appealsKey = () =>
  sourceHash(
    ['db/migrations', 'db/migrate.ts', ...worldSources, 'modules/appeals', 'modules/visits', 'modules/enterprises/enterprises.service.ts', 'platform/calendar.ts', 'platform/calendar-sync.ts', 'platform/timeline.ts', 'platform/notifications.ts', 'platform/jobs.ts', 'modules/notifications'],
    ['modules/appeals/appeal-kpis.ts', 'modules/appeals/appeal-kpi-replay.ts', 'modules/appeals/appeal-kpi-summaries.ts'],
  );
const filesKey = () => sourceHash([...worldSources, 'modules/enterprises/transfer/columns.ts', 'modules/enterprises/transfer/csv.ts', 'modules/enterprises/transfer/xlsx.ts']);

export const sizeLabel = (size: number) => (size >= 1_000_000 && size % 1_000_000 === 0 ? `${size / 1_000_000}M` : size >= 1000 && size % 1000 === 0 ? `${size / 1000}k` : String(size));

/** A demo enterprise as a row, through the registry's own checks: the demo loader's own function. */
export const demoRow = enterpriseRow;

// ─── cached databases ─────────────────────────────────────────────────────────────────────────────────

export interface CachedDatabase {
  /** SQLite: the cached file (copy it before use); PostgreSQL: the cached database's name (use it as a TEMPLATE). */
  location: string;
  built: boolean;
  buildSeconds: number;
}

/** The demo town at `size` enterprises, built once per size and schema; SQLite file or PostgreSQL database. */
export function cachedListDatabase(dialect: Dialect, size: number): Promise<CachedDatabase> {
  return cachedDatabase(dialect, `list-${sizeLabel(size).toLowerCase()}`, schemaKey(), (target) => buildListDatabase(target, size));
}

/**
 * The demo at county scale with its year of appeals: `enterprises` enterprises, `appeals` appeals and the demo's
 * default number of visits, played through the services by seedDemo over the year before the build (its `now`).
 */
export function cachedAppealsDatabase(dialect: Dialect, size: { enterprises: number; appeals: number }): Promise<CachedDatabase> {
  const name = `appeals-${sizeLabel(size.enterprises).toLowerCase()}-${sizeLabel(size.appeals).toLowerCase()}`;
  return cachedDatabase(dialect, name, appealsKey(), async (target) => {
    await buildDemoDatabase(target, { enterprises: size.enterprises, appeals: size.appeals }, `the demo at ${sizeLabel(size.enterprises)} enterprises with a year of ${size.appeals} appeals`);
    await analyse(target);
  });
}

/** One cached database: `bench/.cache/<name>-<key>.db` (SQLite) or `qq_bench_cache_<name>_<key>` (PostgreSQL). */
async function cachedDatabase(dialect: Dialect, name: string, key: string, build: (target: DatabaseTarget) => Promise<void>): Promise<CachedDatabase> {
  const started = performance.now();
  if (dialect === 'sqlite') {
    mkdirSync(cacheDir, { recursive: true });
    const file = join(cacheDir, `${name}-${key}.db`);
    if (existsSync(file) && !rebuild) return { location: file, built: false, buildSeconds: 0 };
    for (const entry of readdirSync(cacheDir)) if (entry.startsWith(`${name}-`)) rmSync(join(cacheDir, entry), { force: true });
    const building = `${file}.building`;
    await build({ dialect, url: building });
    renameSync(building, file);
    return { location: file, built: true, buildSeconds: (performance.now() - started) / 1000 };
  }
  const prefix = `qq_bench_cache_${name.replace(/-/g, '_')}`;
  const database = `${prefix}_${key}`;
  const exists = await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.length && !rebuild) return { location: database, built: false, buildSeconds: 0 };
  const stale = await adminQuery<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}_%`]);
  for (const row of stale) await adminQuery(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  const building = `${database.slice(0, 50)}_building`;
  await adminQuery(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${building}`);
  try {
    await build(pgTarget(building));
    await adminQuery(`ALTER DATABASE ${building} RENAME TO ${database}`);
  } catch (error) {
    await adminQuery(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    throw error;
  }
  return { location: database, built: true, buildSeconds: (performance.now() - started) / 1000 };
}

/**
 * The list database. No year of appeals and visits (`appeals: 0, visits: 0`): an officer's enterprise list reads
 * none of them, and playing them (3,000 appeals and 2,000 visits at 100k) would add ~1 min to a SQLite build and
 * several on PostgreSQL, and rebuild the cache whenever the appeals or visits services change.
 */
async function buildListDatabase(target: DatabaseTarget, size: number) {
  const bulk = size > BULK_ABOVE;
  // The bulk path seeds the accounts with a one-enterprise town (enterprise 0 is the same in every size).
  await buildDemoDatabase(target, { enterprises: bulk ? 1 : size, appeals: 0, visits: 0 }, `the demo town at ${sizeLabel(size)} enterprises`);
  if (bulk) await bulkEnterprises(target, size);
  await analyse(target);
}

/** The CLI's `demo` command, minus the CLI: the same seedDemo, the same 10k-enterprise transactions. */
async function buildDemoDatabase(target: DatabaseTarget, options: { enterprises: number; appeals: number; visits?: number }, what: string) {
  log(`building ${what} into ${target.dialect === 'sqlite' ? target.url : 'a PostgreSQL database'} (once; then cached)`);
  if (target.dialect === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(target.url + suffix, { force: true });
  const handle = openDatabase(target, { poolSize: 4 });
  const started = performance.now();
  try {
    await migrateToLatest(handle.db, target.dialect === 'postgres' ? { pgAppRole: PG_APP_ROLE } : {});
    const password = process.env.QINQING_DEMO_PASSWORD ?? 'Qinqing@2026';
    let nextReport = 0.1;
    const summary = await seedDemo({ db: handle.db, clock: systemClock, audit: createAuditService({ clock: systemClock }), secretKey: BENCH_SECRET_KEY }, password, {
      ...options,
      actor: { userId: null, username: 'bench', roles: [] },
      chunkSize: 10_000,
      onProgress: ({ enterprises, totalEnterprises }) => {
        if (enterprises / totalEnterprises + 1e-9 < nextReport) return;
        while (nextReport <= enterprises / totalEnterprises + 1e-9) nextReport += 0.1;
        log(`  ${Math.round((100 * enterprises) / totalEnterprises)} % of the enterprises (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      },
    });
    if (summary.appeals) log(`  played ${summary.appeals.appeals} appeals and ${summary.appeals.visits} visits (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await handle.destroy();
  }
  log(`seeded ${what} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function analyse(target: DatabaseTarget) {
  if (target.dialect === 'sqlite') {
    const sqlite = new SQLite(target.url);
    sqlite.exec('ANALYZE');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
  } else {
    const analyse = openDatabase(target, { poolSize: 1 });
    try {
      await sql`ANALYZE`.execute(analyse.db);
    } finally {
      await analyse.destroy();
    }
  }
}

/**
 * Enterprises 1 … size−1 of the demo world in big transactions (50k enterprises each) with multi-row inserts: the
 * same rows seedDemo would write (checkEnterpriseInput via demoRow), their tags, and their search structures
 * through the repository's own indexForSearch. Not written: their managers, instructors and
 * `enterprise.created` events — an officer's list reads none of them, and they are most of seedDemo's time.
 * A bench-only shortcut for 1M, never used for the 100k figures.
 */
async function bulkEnterprises(target: DatabaseTarget, size: number) {
  const world = buildDemoWorld({ enterprises: size });
  const handle = openDatabase(target, { poolSize: 1 });
  const now = new Date().toISOString();
  const started = performance.now();
  const CHUNK = 50_000;
  try {
    for (let from = 1; from < size; from += CHUNK) {
      const rows = world.enterprises(from, Math.min(size, from + CHUNK)).map((enterprise) => demoRow(enterprise, now));
      await handle.db.transaction().execute(async (trx) => {
        const per = Math.floor(30_000 / Object.keys(rows[0]).length);
        for (let start = 0; start < rows.length; start += per) await trx.insertInto('enterprises').values(rows.slice(start, start + per)).execute();
        const tags = rows.flatMap((row) => parseList<string>(row.tags).map((tag) => ({ enterprise_id: row.id, tag })));
        for (let start = 0; start < tags.length; start += 10_000) await trx.insertInto('enterprise_tags').values(tags.slice(start, start + 10_000)).execute();
        await indexForSearch(trx, target.dialect, rows, { fresh: true });
      });
      const done = Math.min(size, from + CHUNK);
      if (done % 200_000 < CHUNK) log(`  bulk: ${done - 1} enterprises (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await handle.destroy();
  }
}

// ─── import files ─────────────────────────────────────────────────────────────────────────────────────

export interface ImportFile {
  format: 'csv' | 'xlsx';
  path: string;
  filename: string;
  bytes: number;
  /** csv: utf-8, or gbk when utf-8 would exceed the upload limit (what Excel/WPS on Chinese Windows save). */
  encoding?: 'utf-8' | 'gbk';
}

/**
 * `count` demo enterprises in the import template's columns (the export's own rowToCells, phones unmasked, so the
 * file imports cleanly and round-trips), as csv and xlsx. The csv is UTF-8 with BOM when it fits the upload
 * limit, else GBK (2 bytes per Chinese character instead of 3).
 */
export async function cachedImportFiles(count: number): Promise<ImportFile[]> {
  mkdirSync(cacheDir, { recursive: true });
  const base = join(cacheDir, `import-${sizeLabel(count).toLowerCase()}-${filesKey()}`);
  const metaPath = `${base}.json`;
  if (existsSync(metaPath) && !rebuild) {
    const files = JSON.parse(readFileSync(metaPath, 'utf8')) as ImportFile[];
    if (files.every((file) => existsSync(file.path))) return files;
  }
  for (const name of readdirSync(cacheDir)) if (name.startsWith(`import-${sizeLabel(count).toLowerCase()}-`)) rmSync(join(cacheDir, name), { force: true });
  log(`writing the ${sizeLabel(count)}-row import files (once; then cached)`);
  const now = new Date().toISOString();
  const world = buildDemoWorld({ enterprises: count });
  const cells = world.enterprises(0, count).map((enterprise) => rowToCells(demoRow(enterprise, now), { revealPhones: true }));
  let text = csvLine(headers);
  for (const row of cells) text += csvLine(row);
  let csv: Buffer = Buffer.from(UTF8_BOM + text);
  let encoding: 'utf-8' | 'gbk' = 'utf-8';
  if (csv.length > MAX_UPLOAD_BYTES) {
    csv = iconv.encode(text, 'gbk');
    encoding = 'gbk';
  }
  const files: ImportFile[] = [
    { format: 'csv', path: `${base}.csv`, filename: `企业名录-${sizeLabel(count)}.csv`, bytes: csv.length, encoding },
    { format: 'xlsx', path: `${base}.xlsx`, filename: `企业名录-${sizeLabel(count)}.xlsx`, bytes: 0 },
  ];
  writeFileSync(files[0].path, csv);
  await pipeline(xlsxStream('企业名录', headers, cells), createWriteStream(files[1].path));
  files[1].bytes = statSync(files[1].path).size;
  writeFileSync(metaPath, JSON.stringify(files, null, 2));
  return files;
}

/** The rows an import of the cached file writes (same checks, same values), for the bare-insert baseline. */
export function importRows(count: number): EnterpriseRow[] {
  const now = new Date().toISOString();
  return buildDemoWorld({ enterprises: count }).enterprises(0, count).map((enterprise) => demoRow(enterprise, now));
}
