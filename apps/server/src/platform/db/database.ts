import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql, type DatabaseConnection, type Driver, Kysely, PostgresDialect, SqliteDialect, type SqliteDialectConfig, SqliteDriver, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Anything queries can run on: the pool or an open transaction. */
export type Executor = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, for backup/restore and logs: a file path or a URL without its password. */
  location: string;
  destroy(): Promise<void>;
}

export interface DatabaseTarget {
  dialect: Dialect;
  /** SQLite: absolute file path. PostgreSQL: connection URL. */
  url: string;
}

/** DATABASE_URL unset → ./data/qinqing.db; a path or sqlite: URL → that file; postgres:// → PostgreSQL. */
export function resolveDatabaseTarget(databaseUrl: string | undefined, cwd = process.cwd()): DatabaseTarget {
  if (!databaseUrl) return { dialect: 'sqlite', url: resolve(cwd, 'data/qinqing.db') };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { dialect: 'postgres', url: databaseUrl };
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  return { dialect: 'sqlite', url: path === ':memory:' ? path : resolve(cwd, path) };
}

// PostgreSQL returns int8 as string and timestamps as Date; normalise to number and ISO string so both
// dialects hand the same shapes to the code above them.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1184, (value) => new Date(value).toISOString());
pg.types.setTypeParser(1114, (value) => new Date(`${value}Z`).toISOString());

export interface OpenOptions {
  /** PostgreSQL only: role every runtime connection switches to (least privilege); unset for migrations. */
  pgRole?: string;
  poolSize?: number;
}

export function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): DatabaseHandle {
  if (target.dialect === 'sqlite') {
    if (target.url !== ':memory:') mkdirSync(dirname(target.url), { recursive: true });
    const sqlite = new SQLite(target.url);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MiB page cache (default 2 MiB): the registry's indexes at county scale stay in memory.
    sqlite.pragma('cache_size = -65536');
    // Let the planner know the data (sqlite_stat1): without statistics it trusts a scope column that matches every row.
    sqlite.pragma('optimize = 0x10002');
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', location: target.url, destroy: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
  const role = options.pgRole;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: role
        ? async (connection) => {
            await connection.executeQuery(CompiledQuery.raw(`SET ROLE "${role}"`));
          }
        : undefined,
    }),
  });
  return { db, dialect: 'postgres', location: redactUrl(target.url), destroy: () => db.destroy() };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

/** Prepared statements kept per SQL text. Kysely prepares every query anew; compiling the SQL was a quarter of the
 * CPU of a busy SQLite server (the demo's history, the API under load). */
const STATEMENT_CACHE_SIZE = 500;

function withStatementCache(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      const cached = cache.get(text);
      // A statement still being iterated (a streamed query) cannot run again until it finishes: use a fresh one.
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached); // most recently used last
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (!cached) {
        cache.set(text, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: a transaction that reads and then writes (every audited
 * change) takes the write lock up front, so a second process (the CLI beside a running server) waits on
 * busy_timeout instead of failing with SQLITE_BUSY at its first write.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Refresh the planner's statistics after a bulk write (demo load, import): on a fresh table the planner would
 * otherwise pick an index that matches every row (e.g. the town an officer's scope is) and scan them all.
 */
export async function refreshStatistics(db: Executor): Promise<void> {
  await sql`ANALYZE`.execute(db);
}
