import { type Me, type Role, permissionsOf } from '@qinqing/contracts';
import type { RequestContext } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { pendingStepFor } from '../../platform/auth/pending.js';
import { dummyPasswordHash, verifyPassword } from '../../platform/auth/passwords.js';
import type { SessionStore } from '../../platform/auth/sessions.js';
import { matchTotpStep } from '../../platform/auth/totp.js';
import { type Clock, MINUTE } from '../../platform/clock.js';
import { sm4Decrypt } from '../../platform/crypto.js';
import type { Db, Trx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Settings } from '../../platform/settings.js';
import { findRolesOf, findUserRowByUsername, getUserView } from './users.repository.js';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_DURATION_MS = 30 * MINUTE;
/** Failed sign-ins from one address within the window before it is refused outright, whatever the username. */
export const IP_FAILURE_LIMIT = 20;
export const IP_WINDOW_MS = 15 * MINUTE;

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: SessionStore;
  settings: Settings;
  secretKey: string;
  isDemo: boolean;
}

export interface LoginRequest {
  username: string;
  password: string;
  totpCode?: string;
  userAgent: string | null;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, clock, audit, sessions, settings } = deps;

  /** Build what /api/me and login answer: the user as shown, permissions, CSRF token and any pending step. */
  async function describeSession(userId: string, csrfToken: string, pending: Me['pending']): Promise<Me> {
    const user = await getUserView(db, userId, clock.now());
    if (!user) throw new AppError('UNAUTHENTICATED');
    return { user, permissions: [...permissionsOf(user.roles)], csrfToken, pending, isDemo: deps.isDemo };
  }

  /**
   * Verify password (and TOTP where enrolled), count failures toward the 30-minute lock, and open a new
   * session. Every outcome is audited in the transaction that records it.
   */
  async function login(input: LoginRequest, ctx: RequestContext): Promise<{ me: Me; sessionToken: string }> {
    const now = clock.now();
    const ip = ctx.ip ?? 'unknown';
    const username = input.username.trim();

    const failure = async (trx: Trx, reason: string, user?: { id: string; username: string }, roles: Role[] = []) => {
      await trx.insertInto('login_attempts').values({ ip, username, at: now.toISOString(), is_success: 0 }).execute();
      await audit.append(trx, {
        actor: user ? { userId: user.id, username: user.username, roles } : { userId: null, username, roles: [] },
        action: 'auth.login',
        objectType: 'user',
        objectId: user?.id ?? null,
        ip,
        result: 'failure',
        detail: { reason },
      });
    };
    // Failures must be committed even though the request fails, so they run in their own transaction.
    const fail = async (error: AppError, reason: string, user?: { id: string; username: string }, roles: Role[] = [], extra?: (trx: Trx) => Promise<void>) => {
      await db.transaction().execute(async (trx) => {
        await extra?.(trx);
        await failure(trx, reason, user, roles);
      });
      throw error;
    };

    const recentFailures = await db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('is_success', '=', 0)
      .where('at', '>', new Date(now.getTime() - IP_WINDOW_MS).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(recentFailures.n) >= IP_FAILURE_LIMIT) {
      await audit.appendAlone(db, { actor: { userId: null, username, roles: [] }, action: 'auth.login', ip, result: 'denied', detail: { reason: 'too many failures from this address' } });
      throw new AppError('RATE_LIMITED');
    }

    const user = await findUserRowByUsername(db, username);
    if (!user) {
      await verifyPassword(await dummyPasswordHash(), input.password);
      return fail(new AppError('INVALID_CREDENTIALS'), 'unknown username');
    }
    const roles = (await findRolesOf(db, [user.id])).get(user.id) ?? [];
    const lockedUntil = user.locked_until && new Date(user.locked_until) > now ? user.locked_until : null;
    if (lockedUntil) {
      return fail(new AppError('ACCOUNT_LOCKED', { until: formatLocal(lockedUntil) }, { lockedUntil }), 'account locked', user, roles);
    }
    if (!user.is_enabled) {
      await verifyPassword(user.password_hash, input.password);
      return fail(new AppError('INVALID_CREDENTIALS'), 'account disabled', user, roles);
    }

    const countFailure = async (error: AppError, reason: string): Promise<never> => {
      const attempts = user.failed_attempts + 1;
      const locks = attempts >= MAX_FAILED_ATTEMPTS;
      const until = new Date(now.getTime() + LOCK_DURATION_MS).toISOString();
      return fail(
        locks ? new AppError('ACCOUNT_LOCKED', { until: formatLocal(until) }, { lockedUntil: until }) : error,
        locks ? `${reason}; locked after ${attempts} failures` : reason,
        user,
        roles,
        async (trx) => {
          await trx
            .updateTable('users')
            .set(locks ? { failed_attempts: 0, locked_until: until, updated_at: now.toISOString() } : { failed_attempts: attempts })
            .where('id', '=', user.id)
            .execute();
          if (locks) await sessions.destroyAllFor(trx, user.id);
        },
      );
    };

    if (!(await verifyPassword(user.password_hash, input.password))) return countFailure(new AppError('INVALID_CREDENTIALS'), 'wrong password');

    let totpStep: number | null = null;
    if (user.is_totp_enabled && user.totp_secret_enc) {
      if (!input.totpCode) throw new AppError('TOTP_REQUIRED');
      const step = matchTotpStep(sm4Decrypt(user.totp_secret_enc, deps.secretKey), input.totpCode, now);
      if (step === null) return countFailure(new AppError('TOTP_INVALID'), 'wrong TOTP code');
      if (user.totp_last_step !== null && step <= Number(user.totp_last_step)) return countFailure(new AppError('TOTP_INVALID'), 'TOTP code reused');
      totpStep = step;
    }

    const opened = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ failed_attempts: 0, locked_until: null, last_login_at: now.toISOString(), ...(totpStep === null ? {} : { totp_last_step: totpStep }) })
        .where('id', '=', user.id)
        .execute();
      await trx.insertInto('login_attempts').values({ ip, username, at: now.toISOString(), is_success: 1 }).execute();
      const session = await sessions.create(trx, user.id, ctx.ip, input.userAgent);
      await audit.append(trx, {
        actor: { userId: user.id, username: user.username, roles },
        action: 'auth.login',
        objectType: 'user',
        objectId: user.id,
        ip,
        result: 'success',
        detail: { secondFactor: totpStep !== null },
      });
      return session;
    });
    const pending = pendingStepFor(user, roles, now, await settings.passwordProfile());
    return { me: await describeSession(user.id, opened.csrfToken, pending), sessionToken: opened.token };
  }

  /** Destroy the session server-side, so the old cookie is worthless even if replayed. */
  async function logout(ctx: RequestContext): Promise<void> {
    const actor = ctx.actor;
    if (!actor?.sessionId) return;
    await db.transaction().execute(async (trx) => {
      await sessions.destroy(trx, actor.sessionId!);
      await audit.append(trx, { actor, action: 'auth.logout', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'success' });
    });
  }

  return { login, logout, describeSession };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Lock times are shown in China Standard Time, the users' clock. */
function formatLocal(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
