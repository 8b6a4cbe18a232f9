import { type CreateUserInput, type Role, type UpdateUserInput, type User, violatesAdminSeparation } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import type { SessionStore } from '../../platform/auth/sessions.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { Db, Trx } from '../../platform/db/database.js';
import { AppError, invalidFields, notFound } from '../../platform/errors.js';
import type { Settings } from '../../platform/settings.js';
import { assertPasswordPolicy } from './account.service.js';
import { type UserFilter, findRolesOf, findUserRowById, findUserRowByUsername, findUsers, getUserView, insertUser, replaceRoles } from './users.repository.js';

export interface UsersServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionStore;
  settings: Settings;
}

/** Account administration (系统管理员) and role assignment (安全管理员). */
export function createUsersService(deps: UsersServiceDeps) {
  const { db, clock, audit, sessions, settings } = deps;

  async function assertOrganisation(trx: Trx, organisationId: string | null | undefined) {
    if (!organisationId) return;
    const found = await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
    if (!found) throw invalidFields([{ field: 'organisationId', message: 'unknown organisation' }]);
  }

  function assertRoles(roles: readonly Role[]) {
    if (violatesAdminSeparation(roles)) throw new AppError('ADMIN_SEPARATION', {}, [{ field: 'roles', message: 'sysadmin, secadmin and auditadmin are exclusive' }]);
  }

  async function view(trx: Trx, id: string): Promise<User> {
    const user = await getUserView(trx, id, clock.now());
    if (!user) throw notFound();
    return user;
  }

  async function find(filter: UserFilter) {
    return findUsers(db, filter, clock.now());
  }

  async function getById(id: string) {
    const user = await getUserView(db, id, clock.now());
    if (!user) throw notFound();
    return user;
  }

  /** Create an account with an initial password the user must change at first sign-in. */
  async function createUser(input: CreateUserInput, ctx: RequestContext): Promise<User> {
    const actor = requireActor(ctx);
    assertRoles(input.roles);
    assertPasswordPolicy(input.password, await settings.passwordProfile(), input.username, 'password');
    const passwordHash = await hashPassword(input.password);
    const now = clock.now().toISOString();
    const id = newId();
    return db.transaction().execute(async (trx) => {
      if (await findUserRowByUsername(trx, input.username)) throw invalidFields([{ field: 'username', message: 'username already taken' }]);
      await assertOrganisation(trx, input.organisationId);
      await insertUser(trx, {
        id,
        username: input.username,
        displayName: input.displayName,
        organisationId: input.organisationId ?? null,
        phone: input.phone ?? null,
        passwordHash,
        mustChangePassword: true,
        now,
      });
      await replaceRoles(trx, id, [...new Set(input.roles)]);
      const created = await view(trx, id);
      await audit.append(trx, { actor, action: 'user.create', objectType: 'user', objectId: id, ip: ctx.ip, result: 'success', detail: { after: created } });
      return created;
    });
  }

  async function updateUser(id: string, input: UpdateUserInput, ctx: RequestContext): Promise<User> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await view(trx, id);
      await assertOrganisation(trx, input.organisationId);
      await trx
        .updateTable('users')
        .set({
          ...(input.displayName === undefined ? {} : { display_name: input.displayName }),
          ...(input.organisationId === undefined ? {} : { organisation_id: input.organisationId }),
          ...(input.phone === undefined ? {} : { phone: input.phone }),
          updated_at: clock.now().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const after = await view(trx, id);
      await audit.append(trx, { actor, action: 'user.update', objectType: 'user', objectId: id, ip: ctx.ip, result: 'success', detail: { before, after } });
      return after;
    });
  }

  /** Disable or enable an account; disabling ends every session and stops its API tokens at once. */
  async function setEnabled(id: string, isEnabled: boolean, ctx: RequestContext): Promise<User> {
    const actor = requireActor(ctx);
    if (!isEnabled && id === actor.userId) throw invalidFields([{ field: 'id', message: 'you cannot disable yourself' }]);
    return db.transaction().execute(async (trx) => {
      await view(trx, id);
      await trx.updateTable('users').set({ is_enabled: isEnabled ? 1 : 0, updated_at: clock.now().toISOString() }).where('id', '=', id).execute();
      if (!isEnabled) await sessions.destroyAllFor(trx, id);
      await audit.append(trx, { actor, action: isEnabled ? 'user.enable' : 'user.disable', objectType: 'user', objectId: id, ip: ctx.ip, result: 'success' });
      return view(trx, id);
    });
  }

  async function unlock(id: string, ctx: RequestContext): Promise<User> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      await view(trx, id);
      await trx.updateTable('users').set({ locked_until: null, failed_attempts: 0, updated_at: clock.now().toISOString() }).where('id', '=', id).execute();
      await audit.append(trx, { actor, action: 'user.unlock', objectType: 'user', objectId: id, ip: ctx.ip, result: 'success' });
      return view(trx, id);
    });
  }

  /** Set a temporary password; the user must change it at next sign-in and their sessions end. */
  async function resetPassword(id: string, newPassword: string, ctx: RequestContext): Promise<void> {
    const actor = requireActor(ctx);
    const target = await findUserRowById(db, id);
    if (!target) throw notFound();
    assertPasswordPolicy(newPassword, await settings.passwordProfile(), target.username);
    const passwordHash = await hashPassword(newPassword);
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now, must_change_password: 1, updated_at: now }).where('id', '=', id).execute();
      await sessions.destroyAllFor(trx, id);
      await audit.append(trx, { actor, action: 'user.password.reset', objectType: 'user', objectId: id, ip: ctx.ip, result: 'success' });
    });
  }

  /** Replace a user's roles (安全管理员 only); the three administrator roles stay with separate accounts. */
  async function assignRoles(id: string, roles: Role[], ctx: RequestContext): Promise<User> {
    const actor = requireActor(ctx);
    if (id === actor.userId) throw invalidFields([{ field: 'roles', message: 'you cannot change your own roles' }]);
    const unique = [...new Set(roles)];
    assertRoles(unique);
    return db.transaction().execute(async (trx) => {
      const before = (await findRolesOf(trx, [id])).get(id) ?? [];
      await view(trx, id);
      await replaceRoles(trx, id, unique);
      await audit.append(trx, { actor, action: 'user.roles.assign', objectType: 'user', objectId: id, ip: ctx.ip, result: 'success', detail: { before, after: unique } });
      return view(trx, id);
    });
  }

  return { find, getById, createUser, updateUser, setEnabled, unlock, resetPassword, assignRoles };
}

export type UsersService = ReturnType<typeof createUsersService>;
