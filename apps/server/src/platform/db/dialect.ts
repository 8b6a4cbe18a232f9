import { type Kysely, PostgresAdapter } from 'kysely';
import type { Dialect } from './database.js';

/** The dialect behind a Kysely instance, for the few places (DDL, locks) where the two differ. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
