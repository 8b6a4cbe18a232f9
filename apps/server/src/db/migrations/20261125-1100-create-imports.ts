import type { Kysely } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'text';
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';

  // How many times a worker has taken a job: a job that keeps killing its worker is given up, not retried for ever.
  await db.schema.alterTable('jobs').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // An enterprise import: the uploaded file until it is parsed, then its errors and summary; the rows wait in
  // enterprise_import_rows until the commit writes them to enterprises in one transaction.
  await db.schema
    .createTable('enterprise_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file', blob)
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    // The importer's region at upload: officers of that region (or above) may follow the import too.
    .addColumn('region_code', 'text')
    .addColumn('job_id', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('committed_at', timestamp)
    .execute();
  await db.schema.createIndex('enterprise_imports_created_by').on('enterprise_imports').columns(['created_by', 'created_at']).execute();

  await db.schema
    .createTable('enterprise_import_rows')
    .addColumn('import_id', 'text', (c) => c.notNull().references('enterprise_imports.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull())
    /** The checked enterprise values (EnterpriseValues) as JSON. */
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_import_rows_pk', ['import_id', 'row_number'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('enterprise_import_rows').ifExists().execute();
  await db.schema.dropTable('enterprise_imports').ifExists().execute();
  await db.schema.alterTable('jobs').dropColumn('attempts').execute();
}
