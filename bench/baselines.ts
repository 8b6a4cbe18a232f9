import Fastify, { type FastifyInstance } from 'fastify';
import { CompiledQuery } from 'kysely';
import { sha256Hex } from '../apps/server/src/platform/crypto.js';
import type { Db } from '../apps/server/src/platform/db/database.js';
import { verifyPassword } from '../apps/server/src/platform/auth/passwords.js';

/**
 * The bare-limit baselines: plain Fastify, no plugins, no schemas, no hooks. Each route does only the work the
 * real endpoint cannot avoid, so "app ÷ baseline" measures what the framework layers around it cost.
 */

/**
 * GET /me running, in order, the six statements one authenticated GET /api/me runs in the app (the child
 * process counts statements per request for both, so a drift here shows in the report):
 * auth plugin — session by hashed id, user, roles, password-profile setting;
 * describeSession — user ⋈ organisation view, roles.
 */
export function buildBareMe(db: Db): FastifyInstance {
  const app = Fastify();
  app.get('/me', async (request, reply) => {
    const token = readCookie(request.headers.cookie, 'qq_session');
    if (!token) return reply.status(401).send({ code: 'UNAUTHENTICATED' });
    const session = await db.selectFrom('sessions').selectAll().where('id', '=', sha256Hex(token)).executeTakeFirst();
    if (!session) return reply.status(401).send({ code: 'UNAUTHENTICATED' });
    const userId = session.user_id;
    await db
      .selectFrom('users')
      .select(['id', 'username', 'organisation_id', 'is_enabled', 'locked_until', 'must_change_password', 'password_changed_at', 'is_totp_enabled'])
      .where('id', '=', userId)
      .executeTakeFirst();
    await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    await db.selectFrom('settings').select('value').where('key', '=', 'security.passwordProfile').executeTakeFirst();
    const user = await db
      .selectFrom('users')
      .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
      .selectAll('users')
      .select('organisations.name as organisation_name')
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!user) return reply.status(401).send({ code: 'UNAUTHENTICATED' });
    const roles = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', [userId]).orderBy('role').execute();
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        organisationId: user.organisation_id,
        organisationName: user.organisation_name,
        roles: roles.map((row) => row.role),
        isEnabled: user.is_enabled === 1,
        lastLoginAt: user.last_login_at,
        createdAt: user.created_at,
      },
      csrfToken: session.csrf_token,
      pending: user.must_change_password ? 'password_change' : null,
    };
  });
  return app;
}

/** POST /login doing nothing but the argon2id verify against the user's stored hash (same parameters). */
export function buildBareLogin(passwordHash: string): FastifyInstance {
  const app = Fastify();
  app.post('/login', async (request, reply) => {
    const { password } = request.body as { password: string };
    if (!(await verifyPassword(passwordHash, password))) return reply.status(401).send({ code: 'INVALID_CREDENTIALS' });
    return { ok: true };
  });
  return app;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/** The statements one app request sent, captured in the app's process (target.ts), by request URL. */
export type ListPlans = Record<string, Array<{ sql: string; parameters: unknown[] }>>;

/**
 * GET /list?… replaying, in order, exactly the compiled statements (SQL text and parameters) the app sent for
 * GET /api/enterprises?… — the auth plugin's reads, the count and the page — through the same Kysely driver on
 * the same database file; answers with the page's rows and the count. No validation, no mapping, no hooks.
 */
export function buildBareList(db: Db, plans: ListPlans, countStatement: () => void): FastifyInstance {
  const app = Fastify();
  const search = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');
  const byQuery = new Map(Object.entries(plans).map(([url, statements]) => [search(url), statements.map((s) => CompiledQuery.raw(s.sql, s.parameters))]));
  app.get('/list', async (request, reply) => {
    const statements = byQuery.get(search(request.url));
    if (!statements) return reply.status(404).send({ code: 'NOT_FOUND' });
    let total: unknown = null;
    let items: unknown[] = [];
    for (const statement of statements) {
      countStatement();
      const { rows } = await db.executeQuery<Record<string, unknown>>(statement);
      if (rows.length === 1 && 'total' in rows[0]) total = rows[0].total;
      else items = rows;
    }
    return { items, total };
  });
  return app;
}

/** The replay answers with a statement's rows up to this many, else only their number. */
const REPLAY_ROWS = 100;

/**
 * GET /replay/<the app's path and query> replaying, in order, the compiled statements (SQL text and parameters) the
 * app sent for that URL — the auth plugin's reads and the module's — through the same Kysely driver on the same
 * database; no validation, no mapping, no hooks. It answers with each statement's rows when there are at most
 * REPLAY_ROWS of them, else only their number: the app does not send the 40k events a KPI report reads either, it
 * digests them, and serialising them here would charge the baseline for work the app does not do.
 */
export function buildBareReplay(db: Db, plans: ListPlans, track: { statement(): void; request(delta: 1 | -1): void }): FastifyInstance {
  const app = Fastify();
  const byUrl = new Map(Object.entries(plans).map(([url, statements]) => [url, statements.map((s) => CompiledQuery.raw(s.sql, s.parameters))]));
  app.get('/replay/*', async (request, reply) => {
    const statements = byUrl.get(request.url.slice('/replay'.length));
    if (!statements) return reply.status(404).send({ code: 'NOT_FOUND' });
    track.request(1);
    try {
      const results: Array<{ count: number; rows?: unknown[] }> = [];
      for (const statement of statements) {
        track.statement();
        const { rows } = await db.executeQuery<Record<string, unknown>>(statement);
        results.push(rows.length <= REPLAY_ROWS ? { count: rows.length, rows } : { count: rows.length });
      }
      return { results };
    } finally {
      track.request(-1);
    }
  });
  return app;
}
