import type { Role, User } from '@qinqing/contracts';
import { maskPhone } from '../../platform/audit/masking.js';
import type { Executor } from '../../platform/db/database.js';
import { containsPattern } from '../../platform/db/text.js';
import type { Database } from '../../platform/db/schema.js';

export type UserRow = Database['users'];

export async function findUserRowById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserRowByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findRolesOf(db: Executor, userIds: string[]): Promise<Map<string, Role[]>> {
  const result = new Map<string, Role[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return result;
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', userIds).orderBy('role').execute();
  for (const row of rows) result.get(row.user_id)?.push(row.role as Role);
  return result;
}

export async function replaceRoles(db: Executor, userId: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roles.length > 0) await db.insertInto('user_roles').values(roles.map((role) => ({ user_id: userId, role }))).execute();
}

export interface UserFilter {
  q?: string;
  role?: Role;
  organisationId?: string;
  page: number;
  pageSize: number;
}

/** A page of users as the API shows them (phones masked). */
export async function findUsers(db: Executor, filter: UserFilter, now: Date): Promise<{ items: User[]; total: number }> {
  let query = db.selectFrom('users');
  if (filter.q) {
    const like = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([eb(eb.fn('lower', ['users.username']), 'like', like), eb(eb.fn('lower', ['users.display_name']), 'like', like)]),
    );
  }
  if (filter.role) {
    const role = filter.role;
    query = query.where((eb) => eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', role)));
  }
  if (filter.organisationId) query = query.where('users.organisation_id', '=', filter.organisationId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .selectAll('users')
    .select('organisations.name as organisation_name')
    .orderBy('users.username')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  const roles = await findRolesOf(db, rows.map((row) => row.id));
  return { items: rows.map((row) => toUser(row, roles.get(row.id) ?? [], row.organisation_name, now)), total: Number(total) };
}

export async function getUserView(db: Executor, id: string, now: Date): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .selectAll('users')
    .select('organisations.name as organisation_name')
    .where('users.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const roles = await findRolesOf(db, [id]);
  return toUser(row, roles.get(id) ?? [], row.organisation_name, now);
}

export function toUser(row: UserRow, roles: Role[], organisationName: string | null, now: Date): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    organisationId: row.organisation_id,
    organisationName,
    roles,
    phone: maskPhone(row.phone),
    isEnabled: row.is_enabled === 1,
    isLocked: !!row.locked_until && new Date(row.locked_until) > now,
    hasTotp: row.is_totp_enabled === 1,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}


export interface NewUserRow {
  id: string;
  username: string;
  displayName: string;
  organisationId: string | null;
  phone: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  /** SM4-encrypted TOTP secret when the account starts with a second factor enrolled (demo, tests). */
  totpSecretEnc?: string | null;
  now: string;
}

/** Insert one account row with its lifecycle columns at their starting values. */
export async function insertUser(db: Executor, user: NewUserRow): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      username: user.username,
      display_name: user.displayName,
      organisation_id: user.organisationId,
      phone: user.phone,
      password_hash: user.passwordHash,
      password_changed_at: user.now,
      must_change_password: user.mustChangePassword ? 1 : 0,
      is_enabled: 1,
      failed_attempts: 0,
      locked_until: null,
      totp_secret_enc: user.totpSecretEnc ?? null,
      is_totp_enabled: user.totpSecretEnc ? 1 : 0,
      totp_last_step: null,
      last_login_at: null,
      created_at: user.now,
      updated_at: user.now,
    })
    .execute();
}
