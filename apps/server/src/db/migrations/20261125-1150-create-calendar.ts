import type { Kysely } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  const timestamp = dialectOf(db) === 'postgres' ? 'timestamptz' : 'text';

  // Only the days that differ from Monday–Friday: holidays on weekdays, 调休 workdays on weekends.
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('is_workday', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    // 'chinese-days' (synced from the package after every migration) or 'manual' (never overwritten by the sync).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // Years whose official notice is in calendar_days: their dates are authoritative, any other year's are estimated.
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_years').ifExists().execute();
  await db.schema.dropTable('calendar_days').ifExists().execute();
}
