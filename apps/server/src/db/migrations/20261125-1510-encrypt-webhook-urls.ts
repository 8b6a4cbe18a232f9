import type { Kysely, Migration } from 'kysely';
import { sm4Decrypt, sm4Encrypt } from '../../platform/crypto.js';

/**
 * The DingTalk / 浙政钉 robot's webhook URL carries the robot's access_token, a credential: it moves out of
 * `notification_channels.address` (plain text) into `address_enc`, SM4-encrypted with the secret key like the
 * robot's signing secret and users' TOTP seeds. Also adds `topics`: each person's per-topic channel choices (JSON).
 *
 * Encrypting needs the secret key, which the runner passes as a function so that it is resolved only when rows
 * need it (`qinqing migrate` on PostgreSQL without QINQING_SECRET_KEY still works on a database with no robot);
 * rows to encrypt and no key is an error before anything changes. All in one transaction on both dialects.
 */
export interface SecretKeyOptions {
  /** The SM4 key for secrets at rest (32 hex characters); asked only when rows must be encrypted or decrypted. */
  secretKey?: () => string;
}

function keyOf(options: SecretKeyOptions, why: string): string {
  const key = options.secretKey?.();
  if (!key) throw new Error(`${why} needs the secret key (QINQING_SECRET_KEY, or secret.key beside the SQLite database)`);
  return key;
}

export function migration(options: SecretKeyOptions): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const rows = await db
        .selectFrom('notification_channels')
        .select(['user_id', 'channel', 'address'])
        .where('channel', '=', 'dingtalk')
        .where('address', 'is not', null)
        .execute();
      // Asked before anything changes: SQLite's migrations run outside a transaction.
      const key = rows.length > 0 ? keyOf(options, `encrypting ${rows.length} stored robot webhook URL(s)`) : '';
      await inTransaction(db, async (trx) => {
        await trx.schema.alterTable('notification_channels').addColumn('address_enc', 'text').execute();
        await trx.schema.alterTable('notification_channels').addColumn('topics', 'text').execute();
        for (const row of rows) {
          await trx
            .updateTable('notification_channels')
            .set({ address_enc: sm4Encrypt(row.address as string, key), address: null })
            .where('user_id', '=', row.user_id)
            .where('channel', '=', row.channel)
            .execute();
        }
      });
    },

    async down(db: Kysely<any>): Promise<void> {
      const rows = await db.selectFrom('notification_channels').select(['user_id', 'channel', 'address_enc']).where('address_enc', 'is not', null).execute();
      const key = rows.length > 0 ? keyOf(options, `decrypting ${rows.length} stored robot webhook URL(s)`) : '';
      await inTransaction(db, async (trx) => {
        for (const row of rows) {
          await trx
            .updateTable('notification_channels')
            .set({ address: sm4Decrypt(row.address_enc as string, key) })
            .where('user_id', '=', row.user_id)
            .where('channel', '=', row.channel)
            .execute();
        }
        await trx.schema.alterTable('notification_channels').dropColumn('topics').execute();
        await trx.schema.alterTable('notification_channels').dropColumn('address_enc').execute();
      });
    },
  };
}

/** PostgreSQL's migrations already run in one transaction; SQLite's do not, so this one opens its own. */
async function inTransaction(db: Kysely<any>, run: (trx: Kysely<any>) => Promise<void>): Promise<void> {
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}
