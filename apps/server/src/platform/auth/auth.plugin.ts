import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Role, hasPermission } from '@qinqing/contracts';
import type { RouteAccess } from '../access.js';
import type { Actor, RequestContext } from '../actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Clock } from '../clock.js';
import { sha256Hex } from '../crypto.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { SESSION_COOKIE, type SessionStore } from './sessions.js';
import { pendingStepFor } from './pending.js';
import type { PasswordProfile } from '@qinqing/contracts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyInstance {
    /** Every registered route with its access rule, for the access-matrix test and the OpenAPI document. */
    routeAccess: Array<{ method: string; url: string; access: RouteAccess; body?: unknown }>;
  }
}

export interface AuthPluginOptions {
  db: Db;
  clock: Clock;
  sessions: SessionStore;
  audit: AuditService;
  passwordProfile: () => Promise<PasswordProfile>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const API_TOKEN_PREFIX = 'qq_pat_';

/**
 * Resolves the actor (session cookie or Bearer API token) and enforces the route's access rule before
 * the body is even parsed. A route under /api without a rule stops start-up.
 */
export const authPlugin = fp(async (app: FastifyInstance, options: AuthPluginOptions) => {
  const { db, clock, sessions, audit } = options;
  app.decorate('routeAccess', []);
  app.decorateRequest('ctx', null as unknown as RequestContext);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const rule = route.config?.access;
    if (!rule) throw new Error(`route ${String(route.method)} ${route.url} has no access rule`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access: rule, body: route.schema?.body });
    }
  });

  async function loadActor(userId: string, via: Actor['via'], session?: { id: string; csrfToken: string }): Promise<Actor | null> {
    const user = await db
      .selectFrom('users')
      .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select(['users.id', 'users.username', 'users.organisation_id', 'users.is_enabled', 'users.locked_until', 'users.must_change_password', 'users.password_changed_at', 'users.is_totp_enabled', 'organisations.region_code'])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!user || !user.is_enabled) return null;
    if (user.locked_until && new Date(user.locked_until) > clock.now()) return null;
    const roleRows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    const roles = roleRows.map((row) => row.role as Role);
    const pending = via === 'session' ? pendingStepFor(user, roles, clock.now(), await options.passwordProfile()) : null;
    return { userId: user.id, username: user.username, roles, organisationId: user.organisation_id, regionCode: user.region_code, via, sessionId: session?.id, csrfToken: session?.csrfToken, pending };
  }

  async function authenticate(request: FastifyRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      if (!token.startsWith(API_TOKEN_PREFIX)) return null;
      const row = await db
        .selectFrom('api_tokens')
        .select(['id', 'user_id', 'expires_at', 'revoked_at', 'last_used_at'])
        .where('token_hash', '=', sha256Hex(token))
        .executeTakeFirst();
      const now = clock.now();
      if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at) <= now)) return null;
      const actor = await loadActor(row.user_id, 'token');
      if (!actor) return null;
      if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
        await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
      }
      return actor;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return null;
    const session = await sessions.resolve(cookie);
    if (!session) return null;
    return loadActor(session.userId, 'session', session);
  }

  async function deny(request: FastifyRequest, reason: string, code: 'NOT_FOUND' | 'CSRF_INVALID' | 'UNAUTHENTICATED') {
    await audit.appendAlone(db, {
      actor: request.ctx.actor,
      action: 'access.denied',
      objectType: 'route',
      objectId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      ip: request.ip,
      result: 'denied',
      detail: { reason, path: request.url.split('?')[0] },
    });
    throw new AppError(code);
  }

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    request.ctx = { actor: null, ip: request.ip };
    const rule = request.routeOptions.config?.access;
    if (!rule) return; // not an /api route (static files, 404 handler)
    request.ctx.actor = await authenticate(request);
    if (rule.kind === 'public') return;
    const actor = request.ctx.actor;
    if (!actor) {
      // Anonymous callers are counted as denials only when they present credentials that failed.
      if (request.headers.authorization || request.cookies[SESSION_COOKIE]) await deny(request, 'invalid or expired credentials', 'UNAUTHENTICATED');
      throw new AppError('UNAUTHENTICATED');
    }
    if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      if (request.headers['x-csrf-token'] !== actor.csrfToken) await deny(request, 'missing or wrong CSRF token', 'CSRF_INVALID');
    }
    if (actor.pending && !(rule.kind === 'signed-in' && rule.allowPending)) {
      throw new AppError(actor.pending === 'password_change' ? 'PASSWORD_CHANGE_REQUIRED' : 'TOTP_ENROLLMENT_REQUIRED');
    }
    if (rule.kind === 'permission' && !hasPermission(actor.roles, rule.permission)) {
      await deny(request, `lacks ${rule.permission}`, 'NOT_FOUND');
    }
  });
});
