import type { Kysely } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

/**
 * Visits (走访) — plans and records in one table — and liaison points (企情联络点) with their member enterprises,
 * quarterly symposiums (座谈会) and who attended them. Dates a person picks (planned, visited, held) are
 * `YYYY-MM-DD` text in both dialects; lists inside a record (people met, problems, follow-ups, suggestions) are JSON.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const timestamp = dialectOf(db) === 'postgres' ? 'timestamptz' : 'text';

  await db.schema
    .createTable('visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id'))
    // planned | done | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('planned_on', 'text')
    .addColumn('visited_on', 'text')
    // The day the visit sits on in the calendar: visited_on once done, planned_on before; kept with the row so one index serves ranges.
    .addColumn('calendar_date', 'text', (c) => c.notNull())
    .addColumn('visitor_user_id', 'text', (c) => c.notNull().references('users.id'))
    // The visitor's unit when the visit was planned or recorded (a later move to another unit does not rewrite history).
    .addColumn('visitor_organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('people_met', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('topics', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('summary', 'text')
    // [{ id, text, appealId }]: appealId is set once the problem became an appeal.
    .addColumn('problems', 'text', (c) => c.notNull().defaultTo('[]'))
    // [{ id, text, dueOn, done, doneAt }]
    .addColumn('follow_ups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cancel_reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  // "Visits of an enterprise, newest first", "last visited, by whom" and the 7-day check.
  await db.schema.createIndex('visits_enterprise_date').on('visits').columns(['enterprise_id', 'calendar_date', 'id']).execute();
  // "Visits in a date range" (the calendar).
  await db.schema.createIndex('visits_date').on('visits').columns(['calendar_date', 'id']).execute();
  await db.schema.createIndex('visits_visitor_date').on('visits').columns(['visitor_user_id', 'calendar_date']).execute();

  await db.schema
    .createTable('liaison_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('host_enterprise_id', 'text', (c) => c.references('enterprises.id'))
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('address', 'text')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('liaison_points_region').on('liaison_points').columns(['region_code', 'name']).execute();

  await db.schema
    .createTable('liaison_point_members')
    .addColumn('liaison_point_id', 'text', (c) => c.notNull().references('liaison_points.id'))
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id'))
    .addColumn('joined_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('liaison_point_members_pk', ['liaison_point_id', 'enterprise_id'])
    .execute();
  await db.schema.createIndex('liaison_point_members_enterprise').on('liaison_point_members').column('enterprise_id').execute();

  await db.schema
    .createTable('symposiums')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('liaison_point_id', 'text', (c) => c.notNull().references('liaison_points.id'))
    .addColumn('held_on', 'text', (c) => c.notNull())
    // 2026Q3, derived from held_on when written.
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('notes', 'text')
    // [{ id, enterpriseId, text, appealId }]
    .addColumn('suggestions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('symposiums_point_date').on('symposiums').columns(['liaison_point_id', 'held_on']).execute();
  await db.schema.createIndex('symposiums_quarter').on('symposiums').columns(['quarter', 'held_on']).execute();

  await db.schema
    .createTable('symposium_attendees')
    .addColumn('symposium_id', 'text', (c) => c.notNull().references('symposiums.id'))
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('recorded_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('symposium_attendees_pk', ['symposium_id', 'enterprise_id', 'person_name'])
    .execute();
  await db.schema.createIndex('symposium_attendees_enterprise').on('symposium_attendees').column('enterprise_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['symposium_attendees', 'symposiums', 'liaison_point_members', 'liaison_points', 'visits']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
