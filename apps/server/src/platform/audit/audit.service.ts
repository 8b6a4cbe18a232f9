import { type Kysely, sql } from 'kysely';
import type { AuditEvent, AuditVerifyResult } from '@qinqing/contracts';
import type { Clock } from '../clock.js';
import { sm3Hex } from '../crypto.js';
import type { Db, Executor, Trx } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import { maskPersonalData } from './masking.js';

export const GENESIS_HASH = '0'.repeat(64);
// Any constant works; it names the one advisory lock that serialises appends to the chain on PostgreSQL.
const AUDIT_CHAIN_LOCK = 7_262_001;

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  /** Who acted; an unknown username at sign-in has no user id. */
  actor: { userId: string | null; username: string; roles: readonly string[] } | null;
  /** Dotted verb, e.g. `auth.login`, `user.create`, `access.denied`. */
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  ip: string | null;
  result: AuditResult;
  /** Before/after values and reasons; masked before it is stored. */
  detail?: Record<string, unknown>;
}

type AuditRow = Database['audit_events'];

/** The text an audit row's hash covers: every column but the hash, in a fixed order. */
export function hashInput(row: Omit<AuditRow, 'hash'>): string {
  return JSON.stringify([
    row.id,
    row.at,
    row.actor_user_id,
    row.actor_username,
    row.actor_roles,
    row.action,
    row.object_type,
    row.object_id,
    row.ip,
    row.result,
    row.detail,
    row.prev_hash,
  ]);
}

export function createAuditService({ clock }: { clock: Clock }) {
  /**
   * Append one row to the hash chain. Must run inside the transaction of the change it records, so the two
   * commit or roll back together.
   */
  async function append(trx: Trx, entry: AuditEntry): Promise<void> {
    if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
    const last = await trx.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const row: Omit<AuditRow, 'hash'> = {
      id: (last?.id ?? 0) + 1,
      at: clock.now().toISOString(),
      actor_user_id: entry.actor?.userId || null,
      actor_username: entry.actor?.username ?? null,
      actor_roles: entry.actor ? entry.actor.roles.join(',') : null,
      action: entry.action,
      object_type: entry.objectType ?? null,
      object_id: entry.objectId ?? null,
      ip: entry.ip,
      result: entry.result,
      detail: entry.detail ? JSON.stringify(maskPersonalData(entry.detail)) : null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    await trx.insertInto('audit_events').values({ ...row, hash: sm3Hex(hashInput(row)) }).execute();
  }

  /** Record an event that changes nothing else (a denial, a failed login) in a transaction of its own. */
  async function appendAlone(db: Db, entry: AuditEntry): Promise<void> {
    await db.transaction().execute((trx) => append(trx, entry));
  }

  return { append, appendAlone };
}

export type AuditService = ReturnType<typeof createAuditService>;

/** Walk the chain from the first row; report the first row whose id, link or hash does not hold. */
export async function verifyAuditChain(db: Executor | Kysely<Database>, batchSize = 2000): Promise<AuditVerifyResult> {
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return { intact: true, checked, firstBrokenId: null, reason: null };
    for (const row of rows) {
      const id = Number(row.id);
      if (id !== expectedId) return broken(checked, expectedId, `row ${expectedId} is missing`);
      if (row.prev_hash !== prevHash) return broken(checked, id, 'does not link to the previous row');
      const { hash, ...rest } = row;
      if (sm3Hex(hashInput({ ...rest, id })) !== hash) return broken(checked, id, 'content does not match its hash');
      prevHash = hash;
      expectedId += 1;
      checked += 1;
    }
  }
}

function broken(checked: number, id: number, reason: string): AuditVerifyResult {
  return { intact: false, checked, firstBrokenId: id, reason };
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: Number(row.id),
    at: row.at,
    actorUserId: row.actor_user_id,
    actorUsername: row.actor_username,
    actorRoles: row.actor_roles,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    ip: row.ip,
    result: row.result as AuditEvent['result'],
    detail: row.detail,
  };
}
