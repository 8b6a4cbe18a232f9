import { type CreateEnterpriseInput, type Enterprise, type EnterpriseFilter, type EnterpriseListQuery, type UpdateEnterpriseInput, hasPermission } from '@qinqing/contracts';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { Db, Dialect, Executor } from '../../platform/db/database.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { maskPhone } from '../../platform/audit/masking.js';
import type { Timeline } from '../../platform/timeline.js';
import { industryByCode, regionByCode } from '../reference/reference.js';
import { canViewEnterprise, visibleEnterprises } from './enterprises.access.js';
import { type EnterpriseValues, describeChanges, diffValues, requireValidEnterprise } from './enterprise-input.js';
import {
  type EnterpriseRow,
  type SearchMode,
  chooseSearchMode,
  countManagers,
  filterConditions,
  indexForSearch,
  listColumns,
  parseList,
  replaceTags,
  searchCondition,
  toEnterprise,
  toListItem,
} from './enterprises.repository.js';

export interface EnterprisesServiceDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
}

const sortColumns = { name: 'name', revenue: 'revenue', landArea: 'land_area', createdAt: 'created_at', updatedAt: 'updated_at' } as const;

/** An officer registers and moves enterprises only within their own area; otherwise they would lose sight of the record. */
function assertWithinScope(actor: Actor, regionCode: string) {
  if (!canViewEnterprise(actor, { regionCode, managerIds: [], instructorIds: [] })) throw invalidFields([{ field: 'regionCode', message: 'outside your area' }]);
}

/** The enterprise registry: records, search, counts, the file's timeline. */
export function createEnterprisesService(deps: EnterprisesServiceDeps) {
  const { db, dialect, clock, audit, timeline } = deps;

  /** A filtered, scoped query over enterprises: the one place lists, counts and exports start from. */
  function scopedQuery(actor: Actor, filter: EnterpriseFilter, mode: SearchMode = 'index', executor: Executor = db) {
    return executor
      .selectFrom('enterprises')
      .where(visibleEnterprises(actor))
      .where((eb) => eb.and([...filterConditions(eb, filter), ...(filter.q ? [searchCondition(eb, dialect, filter.q, mode)] : [])]));
  }

  async function findEnterprises(query: EnterpriseListQuery, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const base = scopedQuery(actor, query, await chooseSearchMode(db, dialect, query.q));
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const [column, direction] = query.sort?.startsWith('-') ? [sortColumns[query.sort.slice(1) as keyof typeof sortColumns], 'desc' as const] : [sortColumns[(query.sort ?? 'name') as keyof typeof sortColumns], 'asc' as const];
    const rows = await base
      .select([...listColumns])
      // Missing figures sort last in both directions and both dialects (PostgreSQL would put NULLs first in DESC).
      .orderBy(column, (ob) => (direction === 'desc' ? ob.desc() : ob.asc()).nullsLast())
      .orderBy('id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    return { items: rows.map(toListItem), total: Number(total) };
  }

  /** Every matching row (for export), in name order, streamed in pages to keep memory flat. */
  async function* iterateEnterprises(filter: EnterpriseFilter, ctx: RequestContext, pageSize = 2000) {
    const actor = requireActor(ctx);
    const mode = await chooseSearchMode(db, dialect, filter.q);
    let after: { name: string; id: string } | null = null;
    for (;;) {
      let query = scopedQuery(actor, filter, mode).selectAll();
      if (after) {
        const { name, id } = after;
        query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
      }
      const rows = await query.orderBy('name').orderBy('id').limit(pageSize).execute();
      if (rows.length === 0) return;
      yield rows as EnterpriseRow[];
      const last: EnterpriseRow = rows[rows.length - 1];
      after = { name: last.name, id: last.id };
    }
  }

  async function countEnterprises(filter: EnterpriseFilter, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const base = scopedQuery(actor, filter, await chooseSearchMode(db, dialect, filter.q));
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const byIndustry = await base.select(['industry_division as code', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('industry_division').orderBy('count', 'desc').execute();
    // Regions one level below what is being looked at: a town's villages, a county's towns.
    const regionLevel = (filter.region ?? actor.regionCode ?? '').length >= 9 ? 'region_code' : 'region_township';
    const byRegion = await base.select([`${regionLevel} as code`, (eb) => eb.fn.countAll<number>().as('count')]).groupBy(regionLevel).orderBy('count', 'desc').execute();
    const byScale = await base.select(['scale', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('scale').execute();
    return {
      total: Number(total),
      byIndustry: byIndustry.map((row) => ({ code: row.code ?? '', name: industryByCode(row.code ?? '')?.name ?? '—', count: Number(row.count) })),
      byRegion: byRegion.map((row) => ({ code: row.code ?? '', name: regionByCode(row.code ?? '')?.name ?? '—', count: Number(row.count) })),
      byScale: byScale.map((row) => ({ scale: row.scale as 'above' | 'below', count: Number(row.count) })),
    };
  }

  /** The facts the access rule needs about one enterprise. */
  async function accessFacts(executor: Executor, row: EnterpriseRow) {
    const [managers, instructors] = await Promise.all([
      executor.selectFrom('enterprise_managers').select('user_id').where('enterprise_id', '=', row.id).execute(),
      executor.selectFrom('enterprise_instructors').select('user_id').where('enterprise_id', '=', row.id).execute(),
    ]);
    return { regionCode: row.region_code, managerIds: managers.map((m) => m.user_id), instructorIds: instructors.map((i) => i.user_id) };
  }

  /** The row, or NOT_FOUND when it does not exist or the actor may not see it (the two are indistinguishable). */
  async function loadVisible(executor: Executor, id: string, actor: Actor): Promise<EnterpriseRow> {
    const row = await executor.selectFrom('enterprises').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !canViewEnterprise(actor, await accessFacts(executor, row))) throw notFound();
    return row;
  }

  async function getEnterprise(id: string, ctx: RequestContext): Promise<Enterprise> {
    const actor = requireActor(ctx);
    const row = await loadVisible(db, id, actor);
    return toEnterprise(row, await countManagers(db, id));
  }

  /** Full contact phones for a caller allowed to reveal personal data; every reveal is audited. */
  async function revealContacts(id: string, ctx: RequestContext) {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, id, actor);
      await audit.append(trx, { actor, action: 'enterprise.contacts.reveal', objectType: 'enterprise', objectId: id, ip: ctx.ip, result: 'success' });
      return toEnterprise(row, await countManagers(trx, id), true).contacts;
    });
  }

  async function createEnterprise(input: CreateEnterpriseInput, ctx: RequestContext): Promise<{ enterprise: Enterprise; warnings: unknown[] }> {
    const actor = requireActor(ctx);
    const { values, warnings } = requireValidEnterprise(input, { mayOverride: hasPermission(actor.roles, 'enterprises:override-credit-code') });
    assertWithinScope(actor, values.region_code);
    const now = clock.now().toISOString();
    const id = newId();
    const enterprise = await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('enterprises').select('id').where('credit_code', '=', values.credit_code).executeTakeFirst();
      if (existing) throw invalidFields([{ field: 'creditCode', message: 'credit code already registered' }]);
      const row: EnterpriseRow = { id, ...values, created_at: now, updated_at: now };
      await trx.insertInto('enterprises').values(row).execute();
      await replaceTags(trx, id, parseList<string>(values.tags));
      await indexForSearch(trx, dialect, [row], { fresh: true });
      const view = toEnterprise(row, 0);
      await audit.append(trx, {
        actor,
        action: values.is_credit_code_override ? 'enterprise.create.override-credit-code' : 'enterprise.create',
        objectType: 'enterprise',
        objectId: id,
        ip: ctx.ip,
        result: 'success',
        detail: { after: view },
      });
      await timeline.append(trx, actor, { enterpriseId: id, type: 'enterprise.created', summary: `建档：${values.name}`, data: { creditCode: values.credit_code, override: values.is_credit_code_override === 1 } });
      return view;
    });
    return { enterprise, warnings };
  }

  async function updateEnterprise(id: string, input: UpdateEnterpriseInput, ctx: RequestContext): Promise<Enterprise> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await loadVisible(trx, id, actor);
      const current = toEnterprise(before, 0, true);
      const merged: CreateEnterpriseInput = {
        creditCode: before.credit_code,
        overrideCreditCodeCheck: before.is_credit_code_override === 1,
        name: current.name,
        formerNames: current.formerNames,
        legalRepresentative: current.legalRepresentative,
        registeredCapital: current.registeredCapital,
        establishedOn: current.establishedOn,
        industryCode: current.industryCode,
        regionCode: current.regionCode,
        revenue: current.revenue,
        scaleOverride: current.scaleOverrideReason ? current.scale : null,
        scaleOverrideReason: current.scaleOverrideReason,
        landArea: current.landArea,
        park: current.park,
        address: current.address,
        contacts: current.contacts.map((contact) => ({ name: contact.name, title: contact.title ?? null, phone: contact.phone })),
        tags: current.tags,
        status: current.status,
        ...input,
      };
      // A phone sent back exactly as it was shown (masked) means "unchanged": keep the stored number.
      if (input.contacts) {
        merged.contacts = input.contacts.map((contact) => {
          if (!contact.phone?.includes('*')) return contact;
          const same = current.contacts.find((stored) => stored.phone && maskPhone(stored.phone) === contact.phone && stored.name === contact.name)
            ?? current.contacts.find((stored) => stored.phone && maskPhone(stored.phone) === contact.phone);
          return same ? { ...contact, phone: same.phone } : contact;
        });
      }
      // A rename keeps the old name as a former name, so searches by it still find the enterprise.
      if (input.name && input.name !== before.name && !input.formerNames) merged.formerNames = [...new Set([...(current.formerNames ?? []), before.name])];
      const { values } = requireValidEnterprise(merged, { mayOverride: true });
      assertWithinScope(actor, values.region_code);
      const changes = diffValues(before as EnterpriseValues, values);
      if (Object.keys(changes).length === 0) return toEnterprise(before, await countManagers(trx, id));
      const now = clock.now().toISOString();
      const after: EnterpriseRow = { ...before, ...values, updated_at: now };
      await trx.updateTable('enterprises').set({ ...values, updated_at: now }).where('id', '=', id).execute();
      if (changes.tags) await replaceTags(trx, id, parseList<string>(values.tags));
      if (changes.name || changes.former_names || changes.address) await indexForSearch(trx, dialect, [after]);
      await audit.append(trx, { actor, action: 'enterprise.update', objectType: 'enterprise', objectId: id, ip: ctx.ip, result: 'success', detail: { changes } });
      await timeline.append(trx, actor, { enterpriseId: id, type: 'enterprise.updated', summary: `修改：${describeChanges(changes)}`, data: { changes } });
      return toEnterprise(after, await countManagers(trx, id));
    });
  }

  async function findTimeline(id: string, query: { page: number; pageSize: number }, ctx: RequestContext) {
    const actor = requireActor(ctx);
    await loadVisible(db, id, actor);
    const base = db.selectFrom('enterprise_events').where('enterprise_id', '=', id);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('id', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute();
    return {
      total: Number(total),
      items: rows.map((row) => ({ id: Number(row.id), enterpriseId: row.enterprise_id, at: row.at, type: row.type, actorName: row.actor_name, summary: row.summary, data: row.data ? JSON.parse(row.data) : null })),
    };
  }

  return { findEnterprises, iterateEnterprises, countEnterprises, getEnterprise, revealContacts, createEnterprise, updateEnterprise, findTimeline, loadVisible, scopedQuery };
}

export type EnterprisesService = ReturnType<typeof createEnterprisesService>;
