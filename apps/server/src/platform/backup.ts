import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrateToLatest } from '../db/migrate.js';
import { type DatabaseTarget, openDatabase } from './db/database.js';
import { dialectOf } from './db/dialect.js';

/** Row count per application table, keyed by table name in alphabetical order. */
export type RowCounts = Record<string, number>;

/** A backup or restore that could not be done; the message says what to fix. */
export class BackupError extends Error {}

// Kysely's bookkeeping, not application data; restored with the rest but not worth counting.
const MIGRATION_TABLES = new Set(['schema_migrations', 'schema_migrations_lock']);

/** Count the rows of every application table (both dialects), for backup reports and restore checks. */
export async function countRows(db: Kysely<any>): Promise<RowCounts> {
  const tables =
    dialectOf(db) === 'postgres'
      ? await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(db)
      : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
  const counts: RowCounts = {};
  for (const { name } of tables.rows) {
    if (MIGRATION_TABLES.has(name)) continue;
    const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(db);
    counts[name] = Number(rows[0].n);
  }
  return counts;
}

export interface BackupResult {
  file: string;
  counts: RowCounts;
}

/**
 * Write a consistent copy of the database to `file` while the server may keep running. SQLite: the online
 * backup API; PostgreSQL: `pg_dump --format=custom` from the same snapshot the row counts are read in.
 * The copy appears under `file` only once complete (written beside it, then renamed).
 */
export async function backupDatabase(target: DatabaseTarget, file: string): Promise<BackupResult> {
  const destination = resolve(file);
  const partial = join(dirname(destination), `.${basename(destination)}.partial-${process.pid}`);
  mkdirSync(dirname(destination), { recursive: true });
  try {
    const counts = target.dialect === 'sqlite' ? await backupSqlite(target, partial) : await backupPostgres(target, partial);
    fsyncFile(partial);
    renameSync(partial, destination);
    fsyncFile(dirname(destination));
    return { file: destination, counts };
  } finally {
    rmSync(partial, { force: true });
  }
}

async function backupSqlite(target: DatabaseTarget, partial: string): Promise<RowCounts> {
  assertSqliteFile(target);
  const source = new SQLite(target.url, { readonly: true, fileMustExist: true });
  try {
    await source.backup(partial);
  } finally {
    source.close();
  }
  return inspectSqliteFile(partial);
}

async function backupPostgres(target: DatabaseTarget, partial: string): Promise<RowCounts> {
  const owner = openDatabase(target, { poolSize: 1 });
  try {
    // pg_dump joins this transaction's snapshot, so the counts describe exactly the rows in the dump.
    return await owner.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const { rows } = await sql<{ snapshot: string }>`SELECT pg_export_snapshot() AS snapshot`.execute(trx);
        const counts = await countRows(trx);
        await runPgTool('pg_dump', ['--format=custom', `--snapshot=${rows[0].snapshot}`, '--file', partial], target.url);
        return counts;
      });
  } finally {
    await owner.destroy();
  }
}

export interface RestoreOptions {
  /** PostgreSQL: the role runtime connections SET ROLE to; re-granted its least privileges after the restore. */
  pgAppRole: string;
  /** The secret key, for migrations that encrypt stored values (asked only when one does). */
  secretKey?: () => string;
}

/**
 * Replace the database's contents with a backup made by `backupDatabase`, then migrate it to this version.
 * Stop the server first: SQLite swaps the file underneath it; PostgreSQL drops and recreates the tables.
 */
export async function restoreDatabase(target: DatabaseTarget, file: string, options: RestoreOptions): Promise<RowCounts> {
  const source = resolve(file);
  if (!existsSync(source)) throw new BackupError(`no backup file at ${source}`);
  if (target.dialect === 'sqlite') await restoreSqlite(target, source);
  else await restorePostgres(target, source);

  const owner = openDatabase(target, { poolSize: 1 });
  try {
    // A backup from an older version gets the newer migrations; on PostgreSQL this also re-grants the app role.
    await migrateToLatest(owner.db, { pgAppRole: options.pgAppRole, secretKey: options.secretKey });
    return await countRows(owner.db);
  } finally {
    await owner.destroy();
  }
}

async function restoreSqlite(target: DatabaseTarget, source: string): Promise<void> {
  if (target.url === ':memory:') throw new BackupError('cannot restore into an in-memory database');
  mkdirSync(dirname(target.url), { recursive: true });
  // Copy beside the database so the final rename is atomic (same file system), and check the copy, not the
  // original, so the file checked is the file installed.
  const staged = join(dirname(target.url), `.${basename(target.url)}.restore-${process.pid}`);
  try {
    copyFileSync(source, staged);
    await inspectSqliteFile(staged, source);
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${staged}${suffix}`, { force: true });
    fsyncFile(staged);
    // A stale WAL or journal would be replayed onto the restored file and corrupt it.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target.url}${suffix}`, { force: true });
    renameSync(staged, target.url);
    fsyncFile(dirname(target.url));
  } finally {
    rmSync(staged, { force: true });
  }
}

async function restorePostgres(target: DatabaseTarget, source: string): Promise<void> {
  // One transaction: a failed restore leaves the database as it was. Privileges are not taken from the dump
  // (the role may be named differently here); migrateToLatest grants them afresh.
  await runPgTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', source],
    target.url,
  );
}

/** Open a SQLite backup, check it is whole and is a Qinqing database, and count its rows. */
async function inspectSqliteFile(path: string, label = path): Promise<RowCounts> {
  const raw = new SQLite(path, { fileMustExist: true });
  try {
    raw.pragma('schema_version');
  } catch (error) {
    raw.close();
    throw new BackupError(`${label} is not a SQLite database (${messageOf(error)})`);
  }
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const integrity = raw.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`${label} is damaged: ${String(integrity)}`);
    const hasMigrations = raw.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
    if (!hasMigrations) throw new BackupError(`${label} is not a Qinqing database (no schema_migrations table)`);
    return await countRows(db);
  } finally {
    await db.destroy();
  }
}

function assertSqliteFile(target: DatabaseTarget) {
  if (target.url === ':memory:') throw new BackupError('cannot back up an in-memory database');
  if (!existsSync(target.url)) throw new BackupError(`no database at ${target.url}`);
}

/**
 * Run pg_dump or pg_restore against a connection URL. The password travels in PGPASSWORD, not on the command
 * line where `ps` would show it.
 */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const parsed = new URL(url);
  // A server left running would otherwise make the tool wait for its locks indefinitely.
  const env: NodeJS.ProcessEnv = { ...process.env, PGOPTIONS: `${process.env.PGOPTIONS ?? ''} -c lock_timeout=15s`.trim() };
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.password = '';
  const database = parsed.toString();
  const fullArgs = [...args, '--dbname', database];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tool, fullArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${tool} not found on PATH: install the PostgreSQL client tools (package postgresql-client) of the server's major version or newer`
            : `${tool} could not start: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new BackupError(`${tool} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`));
    });
  });
}

function fsyncFile(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
