import type { AuditService } from '../../platform/audit/audit.service.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { newTotpSecret, totpUri } from '../../platform/auth/totp.js';
import type { Clock } from '../../platform/clock.js';
import { newId, sm4Decrypt, sm4Encrypt } from '../../platform/crypto.js';
import type { Db } from '../../platform/db/database.js';
import { insertUser, replaceRoles } from '../accounts/users.repository.js';
import { demoAccounts, demoOrganisations, demoTotpRoles } from './demo-accounts.js';

export interface DemoSeedDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretKey: string;
}

/** True when the database has no accounts yet, the only time the demo is loaded. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !row;
}

/** Load the demo town (organisations and one account per role) in one transaction. */
export async function seedDemo({ db, clock, audit, secretKey }: DemoSeedDeps, password: string): Promise<void> {
  const now = clock.now().toISOString();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('settings').values({ key: 'demo', value: 'true' }).execute();
    const ids = new Map<string, string>();
    for (const org of demoOrganisations) {
      const id = newId();
      ids.set(org.key, id);
      await trx
        .insertInto('organisations')
        .values({ id, name: org.name, kind: org.kind, region_code: org.regionCode, parent_id: org.parent ? ids.get(org.parent)! : null, is_enabled: 1, created_at: now, updated_at: now })
        .execute();
    }
    for (const account of demoAccounts) {
      const id = newId();
      const withTotp = demoTotpRoles.includes(account.username);
      await insertUser(trx, {
        id,
        username: account.username,
        displayName: account.displayName,
        organisationId: ids.get(account.organisation)!,
        phone: account.phone,
        passwordHash,
        mustChangePassword: false,
        totpSecretEnc: withTotp ? sm4Encrypt(newTotpSecret(), secretKey) : null,
        now,
      });
      await replaceRoles(trx, id, [account.username]);
    }
    await audit.append(trx, { actor: null, action: 'demo.seed', ip: null, result: 'success', detail: { organisations: demoOrganisations.length, accounts: demoAccounts.length } });
  });
}

/** The demo accounts' TOTP secrets, for the start-up banner. */
export async function demoTotpSecrets(db: Db, secretKey: string): Promise<Array<{ username: string; secret: string; uri: string }>> {
  const rows = await db.selectFrom('users').select(['username', 'totp_secret_enc']).where('username', 'in', demoTotpRoles).where('is_totp_enabled', '=', 1).orderBy('username').execute();
  return rows.map((row) => {
    const secret = sm4Decrypt(row.totp_secret_enc!, secretKey);
    return { username: row.username, secret, uri: totpUri(secret, row.username) };
  });
}
