import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

/** Appeals (诉求): the case, its units' parts (会办), its append-only event history, attachments, categories. */
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'text';
  const serial = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const serialType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('appeal_categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('deadline_days', 'integer', (c) => c.notNull())
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(100))
    .execute();

  // Yearly counters for the human case number (SQ2026-000123); a row lock serialises concurrent submissions.
  await db.schema
    .createTable('appeal_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id'))
    .addColumn('category_code', 'text', (c) => c.notNull().references('appeal_categories.code'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('origin_kind', 'text', (c) => c.notNull())
    .addColumn('origin_id', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_by_name', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('decline_reason', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('rating', 'text')
    .addColumn('rating_comment', 'text')
    .addColumn('redo_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supervised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeals_enterprise').on('appeals').columns(['enterprise_id', 'created_at']).execute();
  await db.schema.createIndex('appeals_status').on('appeals').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('appeals_created').on('appeals').columns(['created_at']).execute();

  await db.schema
    .createTable('appeal_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeals.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('part', 'text')
    .addColumn('is_lead', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('dispatched_at', timestamp, (c) => c.notNull())
    .addColumn('dispatched_on', 'text', (c) => c.notNull())
    .addColumn('signed_at', timestamp)
    .addColumn('answered_at', timestamp)
    .addColumn('answered_on', 'text')
    .addColumn('answer', 'text')
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('due_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_since', 'text')
    .addColumn('paused_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_days', 'integer')
    .addColumn('extension_reason', 'text')
    .addColumn('extension_requested_at', timestamp)
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urged_for', 'text')
    .addColumn('reported_for', 'text')
    .execute();
  await db.schema.createIndex('appeal_parts_appeal').on('appeal_parts').columns(['appeal_id']).execute();
  await db.schema.createIndex('appeal_parts_unit').on('appeal_parts').columns(['organisation_id', 'status']).execute();
  await db.schema.createIndex('appeal_parts_due').on('appeal_parts').columns(['status', 'due_date']).execute();

  // Every step of every appeal: the KPIs are recomputed from these rows, never typed in.
  await db.schema
    .createTable('appeal_events')
    .addColumn('id', serialType, serial)
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeals.id'))
    .addColumn('part_id', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('part_from', 'text')
    .addColumn('part_to', 'text')
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', timestamp, (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('appeal_events_appeal').on('appeal_events').columns(['appeal_id', 'id']).execute();
  await db.schema.createIndex('appeal_events_day').on('appeal_events').columns(['day']).execute();

  await db.schema
    .createTable('appeal_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeals.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', blob, (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('uploaded_by_name', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeal_attachments_appeal').on('appeal_attachments').columns(['appeal_id']).execute();

  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER appeal_events_no_update BEFORE UPDATE ON appeal_events
      BEGIN SELECT RAISE(ABORT, 'appeal_events is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER appeal_events_no_delete BEFORE DELETE ON appeal_events
      BEGIN SELECT RAISE(ABORT, 'appeal_events is append-only'); END`.execute(db);
  } else {
    await sql`CREATE TRIGGER appeal_events_no_change BEFORE UPDATE OR DELETE ON appeal_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  }

  // The categories of the issue, with time limits from domain-rules §5 (咨询 3, 求助 5, 复杂 7–13); editable.
  const categories: Array<[string, string, string, number]> = [
    ['policy', '政策咨询', 'Policy question', 3],
    ['financing', '融资需求', 'Financing', 5],
    ['land', '用地用房', 'Land and premises', 10],
    ['utilities', '水电气保障', 'Power, water and gas', 7],
    ['environment', '环保', 'Environment', 7],
    ['workforce', '用工与子女入学', 'Workforce and schooling', 7],
    ['export', '外贸物流', 'Export and logistics', 5],
    ['permits', '审批许可', 'Permits', 7],
    ['other', '其他', 'Other', 5],
  ];
  await db
    .insertInto('appeal_categories')
    .values(categories.map(([code, name, nameEn, days], index) => ({ code, name, name_en: nameEn, deadline_days: days, is_enabled: 1, sort_order: (index + 1) * 10 })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['appeal_attachments', 'appeal_events', 'appeal_parts', 'appeals', 'appeal_counters', 'appeal_categories']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
