// The demo is loaded all or nothing: one database transaction around the whole seed, the services' own
// transactions included. The services take a `db` and open `db.transaction()` for each change, as they do for a
// person; here they get a `db` whose every query runs on the one connection that holds the demo's transaction, and
// whose `transaction()` is a savepoint in it. A killed or failed load therefore leaves the database exactly as
// empty as it was, and the next start loads the whole town again.

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
 * throws (or never committed at all when the process dies: SQLite ignores the unfinished WAL frames, PostgreSQL
 * aborts the transaction of a closed connection).
 *
 * A service's `transaction()` on that `Db` is a savepoint: committed, it is released; rolled back (the overdue sweep
 * rolls back a case another instance already handled, and carries on), its writes are undone and the load goes on,
 * as with a transaction of its own. The connection is lent to one user at a time, as the SQLite driver does: a
 * transaction holds it until it ends, and queries side by side (Promise.all) take turns.
 */
export async function inOneTransaction<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  const dialect = dialectOf(db);
  return db.getExecutor().provideConnection(async (connection) => {
    // SQLite: take the write lock at once (a second process waits on busy_timeout instead of interleaving).
    await connection.executeQuery(CompiledQuery.raw(dialect === 'sqlite' ? 'begin immediate' : 'begin'));
    const driver = new JoinedTransactionDriver(connection);
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
    } catch (error) {
      driver.close();
      await connection.executeQuery(CompiledQuery.raw('rollback'));
      throw error;
    }
    driver.close();
    await connection.executeQuery(CompiledQuery.raw('commit'));
    return result;
  });
}

const SAVEPOINT = 'demo_step';

/** Lends the connection that holds the outer transaction, one user at a time; transactions on it are savepoints. */
class JoinedTransactionDriver implements Driver {
  #closed = false;
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  constructor(private readonly connection: DatabaseConnection) {}

  /** The outer transaction ends: whatever still holds this Db fails instead of writing outside it. */
  close() {
    this.#closed = true;
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    if (this.#closed) {
      release();
      throw new Error('demo load: its transaction has ended');
    }
    this.#release = release;
    return this.connection;
  }

  async releaseConnection() {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${SAVEPOINT}`));
  }

  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${SAVEPOINT}`));
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${SAVEPOINT}`));
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${SAVEPOINT}`));
  }

  async destroy() {}
}
