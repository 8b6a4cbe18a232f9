// The demo is loaded all or nothing: one database transaction around the whole seed, the services' own
// transactions included. The services take a `db` and open `db.transaction()` for each change, as they do for a
// person; here they get a `db` whose every query runs on the one connection that holds the demo's transaction, and
// whose `transaction()` opens nothing (its queries simply join the outer one). A killed or failed load therefore
// leaves the database exactly as empty as it was, and the next start loads the whole town again.

import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/dialect.js';
import type { Database } from '../../platform/db/schema.js';

/**
 * Run `work` with a `Db` inside ONE transaction of `db`, committed when `work` returns and rolled back when it
 * throws (or never committed at all when the process dies: SQLite drops the unfinished WAL frames, PostgreSQL
 * aborts the transaction of a closed connection).
 *
 * The inner `transaction()` calls cost no statement: no savepoint, because the demo stops at the first failed
 * step anyway. Should a service's transaction roll back and the service carry on regardless, its half-done
 * writes would still be in the outer transaction; so a rollback breaks the handle: every later query fails and
 * the whole load rolls back.
 */
export async function inOneTransaction<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  const dialect = dialectOf(db);
  return db.getExecutor().provideConnection(async (connection) => {
    // SQLite: take the write lock at once (a second process waits on busy_timeout instead of interleaving).
    await connection.executeQuery(CompiledQuery.raw(dialect === 'sqlite' ? 'begin immediate' : 'begin'));
    const driver = new JoinedTransactionDriver(serialised(connection));
    const joined = new Kysely<Database>({
      dialect: {
        createAdapter: () => db.getExecutor().adapter,
        createDriver: () => driver,
        createQueryCompiler: () => (dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
        createIntrospector: (inner) => (dialect === 'sqlite' ? new SqliteIntrospector(inner) : new PostgresIntrospector(inner)),
      },
    });
    let result: T;
    try {
      result = await work(joined);
      driver.close('the demo transaction has ended');
    } catch (error) {
      driver.close('the demo transaction has ended');
      await connection.executeQuery(CompiledQuery.raw('rollback'));
      throw error;
    }
    await connection.executeQuery(CompiledQuery.raw('commit'));
    return result;
  });
}

/**
 * One query at a time on the connection: a service may run queries side by side (Promise.all), which a pool
 * spreads over connections; pg would queue them on one client but calls that deprecated.
 */
function serialised(connection: DatabaseConnection): DatabaseConnection {
  let tail: Promise<void> = Promise.resolve();
  async function turn(): Promise<() => void> {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }
  return {
    async executeQuery(query) {
      const release = await turn();
      try {
        return await connection.executeQuery(query);
      } finally {
        release();
      }
    },
    async *streamQuery(query, chunkSize) {
      const release = await turn();
      try {
        yield* connection.streamQuery(query, chunkSize);
      } finally {
        release();
      }
    },
  };
}

/** Hands out the connection that holds the outer transaction; transactions opened on it join that one. */
class JoinedTransactionDriver implements Driver {
  #closedBecause: string | null = null;

  constructor(private readonly connection: DatabaseConnection) {}

  close(reason: string) {
    this.#closedBecause ??= reason;
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#closedBecause) throw new Error(`demo load: ${this.#closedBecause}`);
    return this.connection;
  }

  async beginTransaction() {}

  async commitTransaction() {}

  async rollbackTransaction() {
    this.close('a step rolled back its transaction, so the whole load rolls back');
  }

  async releaseConnection() {}

  async destroy() {}
}
