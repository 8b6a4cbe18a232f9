import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'text';
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  const serial = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const serialType = dialect === 'postgres' ? 'bigserial' : 'integer';

  // Reference tables, filled from apps/server/src/modules/reference/*.json by syncReferenceData.
  await db.schema
    .createTable('industries')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('parent', 'text')
    .execute();
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('parent', 'text')
    .execute();

  await db.schema
    .createTable('enterprises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('credit_code', 'text', (c) => c.notNull().unique())
    .addColumn('is_credit_code_override', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('legal_representative', 'text')
    .addColumn('registered_capital', real)
    .addColumn('established_on', 'text')
    .addColumn('industry_code', 'text', (c) => c.notNull())
    // Denormalised ancestors so "industry at any level" and "region at any level" are indexed equality tests.
    .addColumn('industry_section', 'text', (c) => c.notNull())
    .addColumn('industry_division', 'text')
    .addColumn('industry_group', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('region_county', 'text', (c) => c.notNull())
    .addColumn('region_township', 'text')
    .addColumn('revenue', real)
    .addColumn('scale', 'text', (c) => c.notNull())
    .addColumn('scale_override_reason', 'text')
    .addColumn('land_area', real)
    .addColumn('park', 'text')
    .addColumn('address', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('former_names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('contacts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  for (const column of ['industry_section', 'industry_division', 'industry_group', 'industry_code', 'region_county', 'region_township', 'region_code', 'scale', 'status', 'park', 'name', 'updated_at']) {
    await db.schema.createIndex(`enterprises_${column}`).on('enterprises').column(column).execute();
  }
  await db.schema.createIndex('enterprises_township_name').on('enterprises').columns(['region_township', 'name']).execute();
  // Industry + scale within a town (规上 fur enterprises …) counted from the index alone.
  await db.schema.createIndex('enterprises_division_scale_township').on('enterprises').columns(['industry_division', 'scale', 'region_township']).execute();

  await db.schema
    .createTable('enterprise_tags')
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_tags_pk', ['enterprise_id', 'tag'])
    .execute();
  await db.schema.createIndex('enterprise_tags_tag').on('enterprise_tags').columns(['tag', 'enterprise_id']).execute();

  // Search. 3+ characters: a trigram index over name, former names and address (substring match).
  // 1–2 characters (too short for trigrams): every character and character pair of the same text, as words —
  // an FTS5 unicode61 index on SQLite, a GIN-indexed text[] on PostgreSQL. Both build far faster than a
  // (gram, enterprise) B-tree at ~50 grams per enterprise.
  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE enterprises_fts USING fts5(enterprise_id UNINDEXED, text, tokenize = 'trigram')`.execute(db);
    await sql`CREATE VIRTUAL TABLE enterprises_fts_short USING fts5(enterprise_id UNINDEXED, grams, tokenize = 'unicode61')`.execute(db);
    // How many enterprises each short term matches: a term in most addresses (崇福) is cheaper to find by scanning.
    await sql`CREATE VIRTUAL TABLE enterprises_fts_short_vocab USING fts5vocab(enterprises_fts_short, 'row')`.execute(db);
  } else {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`ALTER TABLE enterprises ADD COLUMN search_text text NOT NULL DEFAULT ''`.execute(db);
    await sql`ALTER TABLE enterprises ADD COLUMN search_grams text[] NOT NULL DEFAULT '{}'`.execute(db);
    await sql`CREATE INDEX enterprises_search_trgm ON enterprises USING gin (search_text gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX enterprises_search_grams ON enterprises USING gin (search_grams)`.execute(db);
  }

  await db.schema
    .createTable('enterprise_managers')
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('bound_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_managers_pk', ['enterprise_id', 'user_id'])
    .execute();
  await db.schema.createIndex('enterprise_managers_user').on('enterprise_managers').column('user_id').execute();

  await db.schema
    .createTable('enterprise_instructors')
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('assigned_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_instructors_pk', ['enterprise_id', 'user_id'])
    .execute();
  await db.schema.createIndex('enterprise_instructors_user').on('enterprise_instructors').column('user_id').execute();

  await db.schema
    .createTable('enterprise_invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .addColumn('used_by', 'text')
    .execute();

  await db.schema
    .createTable('binding_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('decided_at', timestamp)
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('binding_requests_status').on('binding_requests').columns(['status', 'created_at']).execute();

  // The enterprise file's timeline: one append-only table every module writes in the transaction of its change.
  await db.schema
    .createTable('enterprise_events')
    .addColumn('id', serialType, serial)
    .addColumn('enterprise_id', 'text', (c) => c.notNull().references('enterprises.id'))
    .addColumn('at', timestamp, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('enterprise_events_enterprise').on('enterprise_events').columns(['enterprise_id', 'id']).execute();

  // Background jobs live in the database so any instance can run, report and resume them.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', timestamp)
    .execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'created_at']).execute();

  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER enterprise_events_no_update BEFORE UPDATE ON enterprise_events
      BEGIN SELECT RAISE(ABORT, 'enterprise_events is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER enterprise_events_no_delete BEFORE DELETE ON enterprise_events
      BEGIN SELECT RAISE(ABORT, 'enterprise_events is append-only'); END`.execute(db);
  } else {
    await sql`CREATE TRIGGER enterprise_events_no_change BEFORE UPDATE OR DELETE ON enterprise_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    await sql`DROP TABLE IF EXISTS enterprises_fts`.execute(db);
    await sql`DROP TABLE IF EXISTS enterprises_fts_short_vocab`.execute(db);
    await sql`DROP TABLE IF EXISTS enterprises_fts_short`.execute(db);
  }
  for (const table of ['jobs', 'enterprise_events', 'binding_requests', 'enterprise_invites', 'enterprise_instructors', 'enterprise_managers', 'enterprise_tags', 'enterprises', 'regions', 'industries']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
