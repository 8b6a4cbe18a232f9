import { type Clock, HOUR, MINUTE } from '../clock.js';
import { randomToken, sha256Hex } from '../crypto.js';
import type { Db, Executor } from '../db/database.js';

export const SESSION_COOKIE = 'qq_session';
export const IDLE_TIMEOUT_MS = 30 * MINUTE;
export const ABSOLUTE_LIFETIME_MS = 12 * HOUR;
// Writing last_seen_at on every request would turn reads into writes; a minute of slack is harmless.
const TOUCH_INTERVAL_MS = MINUTE;

export interface SessionRow {
  id: string;
  userId: string;
  csrfToken: string;
}

/** Sessions live in the database (hashed ids) so any app instance can serve any request. */
export function createSessionStore({ db, clock }: { db: Db; clock: Clock }) {
  /** Start a new session (always a new id: no fixation). Returns the cookie value, shown once. */
  async function create(trx: Executor, userId: string, ip: string | null, userAgent: string | null) {
    const token = randomToken();
    const now = clock.now();
    const csrfToken = randomToken(24);
    await trx
      .insertInto('sessions')
      .values({
        id: sha256Hex(token),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ABSOLUTE_LIFETIME_MS).toISOString(),
        ip,
        user_agent: userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return { token, csrfToken, sessionId: sha256Hex(token) };
  }

  /** The live session for a cookie value, or null when unknown, idle too long or past its absolute lifetime. */
  async function resolve(token: string): Promise<SessionRow | null> {
    const id = sha256Hex(token);
    const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const now = clock.now().getTime();
    const lastSeen = new Date(row.last_seen_at).getTime();
    if (now >= new Date(row.expires_at).getTime() || now - lastSeen >= IDLE_TIMEOUT_MS) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
      return null;
    }
    if (now - lastSeen >= TOUCH_INTERVAL_MS) {
      await db.updateTable('sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', id).execute();
    }
    return { id, userId: row.user_id, csrfToken: row.csrf_token };
  }

  async function destroy(trx: Executor, sessionId: string) {
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  async function destroyAllFor(trx: Executor, userId: string, exceptSessionId?: string) {
    let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
    await query.execute();
  }

  /** Housekeeping: drop sessions past either limit. */
  async function purgeExpired() {
    const now = clock.now();
    await db
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', now.toISOString()),
          eb('last_seen_at', '<=', new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString()),
        ]),
      )
      .execute();
  }

  return { create, resolve, destroy, destroyAllFor, purgeExpired };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
