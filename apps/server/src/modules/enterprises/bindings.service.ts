import { randomInt } from 'node:crypto';
import { normaliseCreditCode } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import { maskPhone } from '../../platform/audit/masking.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { type Clock, DAY } from '../../platform/clock.js';
import { newId, sha256Hex } from '../../platform/crypto.js';
import type { Db, Trx } from '../../platform/db/database.js';
import { conflict, invalidFields, notFound } from '../../platform/errors.js';
import type { Timeline } from '../../platform/timeline.js';
import { regionCondition } from './enterprises.access.js';
import type { EnterprisesService } from './enterprises.service.js';

// No 0/O, 1/I/L: invite codes are read out over the phone.
const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITE_LIFETIME_DAYS = 14;

function newInviteCode(): string {
  return Array.from({ length: 8 }, () => INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]).join('');
}

const normaliseInvite = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

/** Managers of enterprises: invite codes, claims, officer approval. An enterprise has many managers; a manager many enterprises. */
export function createBindingsService(deps: { db: Db; clock: Clock; audit: AuditService; timeline: Timeline; enterprises: EnterprisesService }) {
  const { db, clock, audit, timeline, enterprises } = deps;

  async function bind(trx: Trx, enterpriseId: string, user: { userId: string; username: string }, via: 'invite' | 'approval' | 'officer', actor: { userId: string; username: string; roles: readonly string[] }, ip: string | null) {
    const exists = await trx.selectFrom('enterprise_managers').select('user_id').where('enterprise_id', '=', enterpriseId).where('user_id', '=', user.userId).executeTakeFirst();
    if (exists) throw conflict('already a manager of this enterprise');
    await trx.insertInto('enterprise_managers').values({ enterprise_id: enterpriseId, user_id: user.userId, via, bound_at: clock.now().toISOString() }).execute();
    await audit.append(trx, { actor, action: 'enterprise.manager.bind', objectType: 'enterprise', objectId: enterpriseId, ip, result: 'success', detail: { userId: user.userId, username: user.username, via } });
    await timeline.append(trx, actor, { enterpriseId, type: 'enterprise.manager-bound', summary: `绑定企业管理员：${user.username}`, data: { userId: user.userId, via } });
  }

  /** Issue an invite code for an enterprise the officer can see; shown once, stored hashed. */
  async function createInvite(enterpriseId: string, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const code = newInviteCode();
    const expiresAt = new Date(clock.now().getTime() + INVITE_LIFETIME_DAYS * DAY).toISOString();
    await db.transaction().execute(async (trx) => {
      await enterprises.loadVisible(trx, enterpriseId, actor);
      await trx.insertInto('enterprise_invites').values({ id: newId(), enterprise_id: enterpriseId, code_hash: sha256Hex(code), created_by: actor.userId, created_at: clock.now().toISOString(), expires_at: expiresAt, used_at: null, used_by: null }).execute();
      await audit.append(trx, { actor, action: 'enterprise.invite.create', objectType: 'enterprise', objectId: enterpriseId, ip: ctx.ip, result: 'success', detail: { expiresAt } });
      await timeline.append(trx, actor, { enterpriseId, type: 'enterprise.invite-issued', summary: '签发企业绑定邀请码', data: { expiresAt } });
    });
    return { code, expiresAt };
  }

  /**
   * An enterprise user claims an enterprise by credit code: with a valid invite code they are bound at once,
   * without one a request waits for an officer.
   */
  async function claim(input: { creditCode: string; inviteCode?: string }, ctx: RequestContext): Promise<{ status: 'bound' | 'requested'; enterpriseId: string; enterpriseName: string }> {
    const actor = requireActor(ctx);
    const creditCode = normaliseCreditCode(input.creditCode);
    return db.transaction().execute(async (trx) => {
      const enterprise = await trx.selectFrom('enterprises').select(['id', 'name']).where('credit_code', '=', creditCode).executeTakeFirst();
      if (!enterprise) throw invalidFields([{ field: 'creditCode', message: 'no enterprise with this credit code is registered' }]);
      if (input.inviteCode) {
        const invite = await trx.selectFrom('enterprise_invites').selectAll().where('code_hash', '=', sha256Hex(normaliseInvite(input.inviteCode))).executeTakeFirst();
        const now = clock.now().toISOString();
        if (!invite || invite.enterprise_id !== enterprise.id || invite.used_at || invite.expires_at <= now) {
          throw invalidFields([{ field: 'inviteCode', message: 'invalid or expired invite code' }]);
        }
        await trx.updateTable('enterprise_invites').set({ used_at: now, used_by: actor.userId }).where('id', '=', invite.id).execute();
        await bind(trx, enterprise.id, actor, 'invite', actor, ctx.ip);
        return { status: 'bound' as const, enterpriseId: enterprise.id, enterpriseName: enterprise.name };
      }
      const pending = await trx.selectFrom('binding_requests').select('id').where('enterprise_id', '=', enterprise.id).where('user_id', '=', actor.userId).where('status', '=', 'pending').executeTakeFirst();
      if (pending) throw conflict('a request for this enterprise is already waiting');
      const id = newId();
      await trx.insertInto('binding_requests').values({ id, enterprise_id: enterprise.id, user_id: actor.userId, status: 'pending', created_at: clock.now().toISOString(), decided_at: null, decided_by: null }).execute();
      await audit.append(trx, { actor, action: 'enterprise.binding.request', objectType: 'enterprise', objectId: enterprise.id, ip: ctx.ip, result: 'success' });
      await timeline.append(trx, actor, { enterpriseId: enterprise.id, type: 'enterprise.binding-requested', summary: `申请绑定企业：${actor.username}`, data: { requestId: id } });
      return { status: 'requested' as const, enterpriseId: enterprise.id, enterpriseName: enterprise.name };
    });
  }

  /** Pending requests for enterprises in the officer's region. */
  async function findRequests(ctx: RequestContext) {
    const actor = requireActor(ctx);
    let query = db
      .selectFrom('binding_requests')
      .innerJoin('enterprises', 'enterprises.id', 'binding_requests.enterprise_id')
      .innerJoin('users', 'users.id', 'binding_requests.user_id')
      .select(['binding_requests.id', 'binding_requests.enterprise_id', 'enterprises.name as enterprise_name', 'binding_requests.user_id', 'users.username', 'users.display_name', 'binding_requests.status', 'binding_requests.created_at'])
      .where('binding_requests.status', '=', 'pending');
    query = actor.regionCode ? query.where((eb) => regionCondition(eb as never, actor.regionCode!)) : query.where((eb) => eb.lit(false));
    const rows = await query.orderBy('binding_requests.created_at').limit(200).execute();
    return rows.map((row) => ({
      id: row.id,
      enterpriseId: row.enterprise_id,
      enterpriseName: row.enterprise_name,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      status: row.status as 'pending',
      createdAt: row.created_at,
    }));
  }

  async function decideRequest(id: string, approve: boolean, ctx: RequestContext) {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => {
      const request = await trx.selectFrom('binding_requests').innerJoin('users', 'users.id', 'binding_requests.user_id').select(['binding_requests.id', 'binding_requests.enterprise_id', 'binding_requests.user_id', 'binding_requests.status', 'users.username']).where('binding_requests.id', '=', id).executeTakeFirst();
      if (!request || request.status !== 'pending') throw notFound();
      await enterprises.loadVisible(trx, request.enterprise_id, actor);
      await trx.updateTable('binding_requests').set({ status: approve ? 'approved' : 'rejected', decided_at: clock.now().toISOString(), decided_by: actor.userId }).where('id', '=', id).execute();
      if (approve) await bind(trx, request.enterprise_id, { userId: request.user_id, username: request.username }, 'approval', actor, ctx.ip);
      else {
        await audit.append(trx, { actor, action: 'enterprise.binding.reject', objectType: 'enterprise', objectId: request.enterprise_id, ip: ctx.ip, result: 'success', detail: { userId: request.user_id } });
        await timeline.append(trx, actor, { enterpriseId: request.enterprise_id, type: 'enterprise.binding-rejected', summary: `驳回绑定申请：${request.username}`, data: { userId: request.user_id } });
      }
    });
  }

  async function findManagers(enterpriseId: string, ctx: RequestContext) {
    const actor = requireActor(ctx);
    await enterprises.loadVisible(db, enterpriseId, actor);
    const rows = await db
      .selectFrom('enterprise_managers')
      .innerJoin('users', 'users.id', 'enterprise_managers.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.phone', 'enterprise_managers.bound_at', 'enterprise_managers.via'])
      .where('enterprise_managers.enterprise_id', '=', enterpriseId)
      .orderBy('enterprise_managers.bound_at')
      .limit(500)
      .execute();
    return rows.map((row) => ({ userId: row.id, username: row.username, displayName: row.display_name, phone: maskPhone(row.phone), boundAt: row.bound_at, via: row.via as 'invite' | 'approval' | 'officer' }));
  }

  /** The enterprises the signed-in user manages, for the enterprise switcher. */
  async function findMine(ctx: RequestContext) {
    const actor = requireActor(ctx);
    return db
      .selectFrom('enterprise_managers')
      .innerJoin('enterprises', 'enterprises.id', 'enterprise_managers.enterprise_id')
      .select(['enterprises.id', 'enterprises.name', 'enterprises.credit_code as creditCode'])
      .where('enterprise_managers.user_id', '=', actor.userId)
      .orderBy('enterprises.name')
      .execute();
  }

  return { createInvite, claim, findRequests, decideRequest, findManagers, findMine };
}

export type BindingsService = ReturnType<typeof createBindingsService>;
