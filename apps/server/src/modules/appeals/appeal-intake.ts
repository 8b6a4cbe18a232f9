import type { Appeal, AppealListItem, CreateAppealInput } from '@qinqing/contracts';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import { newId } from '../../platform/crypto.js';
import type { Trx } from '../../platform/db/database.js';
import { invalidFields } from '../../platform/errors.js';
import type { AppealContext } from './appeal-context.js';
import type { AppealQueries } from './appeal-queries.js';
import { chinaDate } from './appeal-rules.js';
import { accessFacts } from './appeal-rows.js';
import { canViewAppeal } from './appeals.access.js';

/** A new appeal: the open ones of the same enterprise offered first (similar titles), then submission. */
export function createAppealIntake(context: AppealContext, queries: AppealQueries) {
  const { db, clock, record, tell, officersFor } = context;

  /** Open appeals of the same enterprise whose titles share words with a new one: offered before submitting. */
  async function findSimilar(enterpriseId: string, title: string, ctx: RequestContext): Promise<Array<AppealListItem & { similarity: number }>> {
    const actor = requireActor(ctx);
    const rows = await queries
      .scopedRows(actor, { enterpriseId, state: 'open', page: 1, pageSize: 200 })
      .orderBy('appeals.created_at', 'desc')
      .limit(200)
      .execute();
    const best = rows
      .map((row) => ({ row, score: similarity(title, row.title) }))
      .filter(({ score }) => title.length === 0 || score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    const items = await queries.listItems(best.map(({ row }) => row), actor);
    return items.map((item, index) => ({ ...item, similarity: Math.round(best[index]!.score * 100) / 100 }));
  }

  async function nextNumber(trx: Trx, year: number): Promise<string> {
    const bumped = await trx.updateTable('appeal_counters').set((eb) => ({ last: eb('last', '+', 1) })).where('year', '=', year).returning('last').executeTakeFirst();
    let last = bumped?.last;
    if (last === undefined) {
      await trx.insertInto('appeal_counters').values({ year, last: 1 }).execute();
      last = 1;
    }
    return `SQ${year}-${String(last).padStart(6, '0')}`;
  }

  async function submitAppeal(input: CreateAppealInput, ctx: RequestContext): Promise<Appeal> {
    const actor = requireActor(ctx);
    const id = await db.transaction().execute((trx) => submitIn(trx, input, actor, ctx.ip));
    return queries.getAppeal(id, ctx);
  }

  /** Submit inside a caller's transaction (Open311, demo): the enterprise must be one the actor may see. */
  async function submitIn(trx: Trx, input: CreateAppealInput, actor: Actor, ip: string | null): Promise<string> {
    const enterprise = await trx.selectFrom('enterprises').select(['id', 'name', 'region_code']).where('id', '=', input.enterpriseId).executeTakeFirst();
    const facts = enterprise ? await accessFacts(trx, { id: '', enterprise_id: enterprise.id, region_code: enterprise.region_code }) : null;
    if (!enterprise || !facts || !canViewAppeal(actor, { ...facts, unitIds: [] })) throw invalidFields([{ field: 'enterpriseId', message: 'unknown enterprise' }]);
    const category = await trx.selectFrom('appeal_categories').select(['code', 'is_enabled']).where('code', '=', input.categoryCode).executeTakeFirst();
    if (!category || category.is_enabled !== 1) throw invalidFields([{ field: 'categoryCode', message: 'unknown category' }]);
    const now = clock.now();
    const user = actor.userId ? await trx.selectFrom('users').select(['display_name', 'phone']).where('id', '=', actor.userId).executeTakeFirst() : undefined;
    const appeal = {
      id: newId(),
      number: await nextNumber(trx, Number(chinaDate(now).slice(0, 4))),
      enterprise_id: enterprise.id,
      category_code: category.code,
      title: input.title,
      description: input.description,
      urgency: input.urgency,
      origin_kind: input.origin?.kind ?? defaultOrigin(actor),
      origin_id: input.origin?.id ?? null,
      submitted_by: actor.userId || null,
      submitted_by_name: user?.display_name ?? actor.username,
      contact_name: input.contactName ?? (actor.roles.includes('enterprise') ? (user?.display_name ?? null) : null),
      contact_phone: input.contactPhone ?? (actor.roles.includes('enterprise') ? (user?.phone ?? null) : null),
      status: 'pending',
      version: 1,
      decline_reason: null,
      merged_into_id: null,
      rating: null,
      rating_comment: null,
      redo_count: 0,
      supervised: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('appeals').values(appeal).execute();
    // The name read above is the one the history shows: no second read of it.
    await record(trx, appeal, { ...actor, displayName: user?.display_name ?? null }, ip, { action: 'submit', to: 'pending', data: { categoryCode: category.code, origin: appeal.origin_kind } });
    await tell(trx, appeal, await officersFor(trx, enterprise.region_code), 'submitted', `${enterprise.name} 提交了新诉求，待受理`, actor);
    return appeal.id;
  }

  return { findSimilar, submitAppeal, submitIn };
}

function defaultOrigin(actor: Actor): 'web' | 'officer' | 'visit' | 'api' {
  if (actor.via === 'token') return 'api';
  if (actor.roles.includes('enterprise')) return 'web';
  if (actor.roles.includes('instructor') && !actor.roles.includes('officer')) return 'visit';
  return 'officer';
}

/** Title likeness: shared character bigrams over the smaller set (Chinese titles have no spaces). */
export function similarity(a: string, b: string): number {
  const grams = (text: string) => {
    const clean = text.replace(/\s+/g, '');
    const set = new Set<string>();
    for (let i = 0; i + 1 < clean.length; i += 1) set.add(clean.slice(i, i + 2));
    return set;
  };
  const left = grams(a);
  const right = grams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared += 1;
  return shared / Math.min(left.size, right.size);
}
