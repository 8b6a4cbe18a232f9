import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { dialectOf } from '../platform/db/dialect.js';
import { syncReferenceData } from '../modules/reference/reference.js';
import { syncCalendar } from '../platform/calendar-sync.js';
import * as createPlatform from './migrations/20261125-0900-create-platform.js';
import * as createEnterprises from './migrations/20261125-1000-create-enterprises.js';
import * as createImports from './migrations/20261125-1100-create-imports.js';
import * as createCalendar from './migrations/20261125-1150-create-calendar.js';
import * as createAppeals from './migrations/20261125-1200-create-appeals.js';
import * as createNotifications from './migrations/20261125-1300-create-notifications.js';
import * as createVisits from './migrations/20261125-1400-create-visits.js';
import * as addAnswerAttachments from './migrations/20261125-1500-add-answer-attachments.js';
import * as encryptWebhookUrls from './migrations/20261125-1510-encrypt-webhook-urls.js';

export interface MigrateOptions {
  pgAppRole?: string;
  /** The SM4 key for secrets at rest, for migrations that encrypt stored values; resolved only if one needs it. */
  secretKey?: () => string;
}

/**
 * Every migration, in order. Listed explicitly so the bundle-free runtime (tsx) and tests see the same set. A
 * function is a migration that needs the run's options (the secret key).
 */
const migrations: Record<string, Migration | ((options: MigrateOptions) => Migration)> = {
  '20261125-0900-create-platform': createPlatform,
  '20261125-1000-create-enterprises': createEnterprises,
  '20261125-1100-create-imports': createImports,
  '20261125-1150-create-calendar': createCalendar,
  '20261125-1200-create-appeals': createAppeals,
  '20261125-1300-create-notifications': createNotifications,
  '20261125-1400-create-visits': createVisits,
  '20261125-1500-add-answer-attachments': addAnswerAttachments,
  '20261125-1510-encrypt-webhook-urls': encryptWebhookUrls.migration,
};

const providerFor = (options: MigrateOptions): MigrationProvider => ({
  getMigrations: async () => Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [name, typeof migration === 'function' ? migration(options) : migration])),
});

export class MigrationError extends Error {}

/** Bring the schema up to date; on PostgreSQL also (re)grant the runtime role its least privileges. */
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<string[]> {
  const migrator = new Migrator({ db, provider: providerFor(options), migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  await syncReferenceData(db);
  await syncCalendar(db);
  if (dialectOf(db) === 'postgres' && options.pgAppRole) await grantAppRole(db, options.pgAppRole);
  return (results ?? []).map((result) => result.migrationName);
}

/**
 * The runtime connections SET ROLE to this role: full use of the tables except the audit trail, which it may
 * only read and append to. The migrating (owner) account keeps schema rights.
 */
async function grantAppRole(db: Kysely<any>, role: string): Promise<void> {
  const name = sql.id(role);
  await sql`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${sql.lit(role)}) THEN CREATE ROLE ${name} NOLOGIN; END IF;
    END $$`.execute(db);
  await sql`GRANT ${name} TO CURRENT_USER`.execute(db).catch(() => undefined);
  await sql`GRANT USAGE ON SCHEMA public TO ${name}`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${name}`.execute(db);
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${name}`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON enterprise_events FROM ${name}`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON appeal_events FROM ${name}`.execute(db);
  await sql`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations, schema_migrations_lock FROM ${name}`.execute(db);
}
