import { type ApiToken, adminRoles, type PasswordProfile } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { API_TOKEN_PREFIX } from '../../platform/auth/auth.plugin.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import type { SessionStore } from '../../platform/auth/sessions.js';
import { matchTotpStep, newTotpSecret, totpQrDataUrl, totpUri } from '../../platform/auth/totp.js';
import { type Clock, DAY } from '../../platform/clock.js';
import { newId, randomToken, sha256Hex, sm4Decrypt, sm4Encrypt } from '../../platform/crypto.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, conflict, invalidFields, notFound } from '../../platform/errors.js';
import type { Settings } from '../../platform/settings.js';
import { findUserRowById } from './users.repository.js';

export interface AccountServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionStore;
  settings: Settings;
  secretKey: string;
}

/** Throw PASSWORD_POLICY naming the rule a new password breaks. */
export function assertPasswordPolicy(password: string, profile: PasswordProfile, username: string, field = 'newPassword') {
  const problem = checkPasswordPolicy(password, profile, username);
  if (problem) throw new AppError('PASSWORD_POLICY', { reason: problem.phrase, ...problem.params }, [{ field, message: problem.phrase, params: problem.params }]);
}

export function createAccountService(deps: AccountServiceDeps) {
  const { db, clock, audit, sessions, settings } = deps;

  /** Change one's own password; other sessions of the user end, this one stays. */
  async function changePassword(input: { currentPassword: string; newPassword: string }, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const user = await findUserRowById(db, actor.userId);
    if (!user) throw notFound();
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await audit.appendAlone(db, { actor, action: 'account.password.change', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'failure', detail: { reason: 'current password is wrong' } });
      throw invalidFields([{ field: 'currentPassword', message: 'current password is wrong' }]);
    }
    if (input.newPassword === input.currentPassword) throw invalidFields([{ field: 'newPassword', message: 'must differ from the current password' }]);
    assertPasswordPolicy(input.newPassword, await settings.passwordProfile(), user.username);
    const passwordHash = await hashPassword(input.newPassword);
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now, must_change_password: 0, updated_at: now }).where('id', '=', actor.userId).execute();
      await sessions.destroyAllFor(trx, actor.userId, actor.sessionId);
      await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', actor.userId).where('revoked_at', 'is', null).execute();
      await audit.append(trx, { actor, action: 'account.password.change', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'success' });
    });
  }

  /** Start TOTP enrolment: a new secret, kept encrypted and inactive until a code confirms it. */
  async function setupTotp(ctx: RequestContext) {
    const actor = requireActor(ctx);
    const user = await findUserRowById(db, actor.userId);
    if (!user) throw notFound();
    if (user.is_totp_enabled) throw conflict('two-factor authentication is already on');
    const secret = newTotpSecret();
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_secret_enc: sm4Encrypt(secret, deps.secretKey), updated_at: now }).where('id', '=', actor.userId).execute();
      await audit.append(trx, { actor, action: 'account.totp.setup', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'success' });
    });
    const otpauthUrl = totpUri(secret, user.username);
    return { secret, otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl) };
  }

  /** Confirm enrolment with a current code; the code's step is remembered so it cannot be used to sign in. */
  async function confirmTotp(code: string, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const user = await findUserRowById(db, actor.userId);
    if (!user) throw notFound();
    if (user.is_totp_enabled) throw conflict('two-factor authentication is already on');
    if (!user.totp_secret_enc) throw invalidFields([{ field: 'code', message: 'set up two-factor authentication first' }]);
    const step = matchTotpStep(sm4Decrypt(user.totp_secret_enc, deps.secretKey), code, clock.now());
    if (step === null) {
      await audit.appendAlone(db, { actor, action: 'account.totp.enable', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'failure' });
      throw new AppError('TOTP_INVALID');
    }
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ is_totp_enabled: 1, totp_last_step: step, updated_at: now }).where('id', '=', actor.userId).execute();
      await audit.append(trx, { actor, action: 'account.totp.enable', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'success' });
    });
  }

  async function listTokens(ctx: RequestContext): Promise<ApiToken[]> {
    const actor = requireActor(ctx);
    const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', actor.userId).orderBy('created_at', 'desc').execute();
    return rows.map(toApiToken);
  }

  /** Issue a personal API token. The secret is returned once; only its hash is kept. */
  async function createToken(input: { name: string; expiresInDays?: number }, ctx: RequestContext) {
    const actor = requireActor(ctx);
    if (actor.roles.some((role) => (adminRoles as readonly string[]).includes(role))) {
      throw new AppError('FORBIDDEN', {}, [{ field: 'name', message: 'administrators use their password and second factor, not API tokens' }]);
    }
    const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
    const now = clock.now();
    const row = {
      id: newId(),
      user_id: actor.userId,
      name: input.name,
      token_hash: sha256Hex(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      created_at: now.toISOString(),
      expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY).toISOString() : null,
      last_used_at: null,
      revoked_at: null,
    };
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('api_tokens').values(row).execute();
      await audit.append(trx, { actor, action: 'account.token.create', objectType: 'api_token', objectId: row.id, ip: ctx.ip, result: 'success', detail: { name: input.name, expiresAt: row.expires_at } });
    });
    return { token, apiToken: toApiToken(row) };
  }

  async function revokeToken(id: string, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
      if (!row) throw notFound();
      if (!row.revoked_at) await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
      await audit.append(trx, { actor, action: 'account.token.revoke', objectType: 'api_token', objectId: id, ip: ctx.ip, result: 'success' });
    });
  }

  return { changePassword, setupTotp, confirmTotp, listTokens, createToken, revokeToken };
}

export type AccountService = ReturnType<typeof createAccountService>;

function toApiToken(row: { id: string; name: string; prefix: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null }): ApiToken {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}
