import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'text';

  // A job that must not run before a given time (a delivery retried with backoff). Null = as soon as possible.
  await db.schema.alterTable('jobs').addColumn('run_after', timestamp).execute();

  // In-app notifications: one row per recipient; `read_at` null = unread.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('enterprise_id', 'text', (c) => c.references('enterprises.id'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('read_at', timestamp)
    .execute();
  await db.schema.createIndex('notifications_user_created').on('notifications').columns(['user_id', 'created_at']).execute();
  // "My unread": the bell's count and the unread filter touch only unread rows.
  await db.schema
    .createIndex('notifications_user_unread')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .where(sql.ref('read_at'), 'is', null)
    .execute();

  // Each person's external channels. `address` is the e-mail address or the robot's webhook URL; the DingTalk
  // signing secret is SM4-encrypted like users.totp_secret_enc.
  await db.schema
    .createTable('notification_channels')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('address', 'text')
    .addColumn('secret_enc', 'text')
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_channels_pk', ['user_id', 'channel'])
    .execute();

  // One row per message to send through an external channel (a notification, or a test with no notification).
  // status: pending → sent | failed (retries used up) | cancelled (channel switched off before it went out).
  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.references('notifications.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', timestamp)
    .addColumn('last_error', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('sent_at', timestamp)
    .execute();
  // Due deliveries: pending ones by the time of their next attempt.
  await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notification_deliveries_user').on('notification_deliveries').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('notification_deliveries_notification').on('notification_deliveries').column('notification_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_deliveries').ifExists().execute();
  await db.schema.dropTable('notification_channels').ifExists().execute();
  await db.schema.dropTable('notifications').ifExists().execute();
  await db.schema.alterTable('jobs').dropColumn('run_after').execute();
}
