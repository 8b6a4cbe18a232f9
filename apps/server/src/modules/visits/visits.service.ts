import type { CreateVisitInput, LastVisit, RecordVisitInput, UpdateVisitInput, Visit, VisitFilter, VisitListQuery, VisitStatus, Visitor } from '@qinqing/contracts';
import { VISIT_OVERLAP_DAYS } from '@qinqing/contracts';
import type { ExpressionBuilder } from 'kysely';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { Db, Executor, Trx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { AppError, conflict, invalidFields, notFound } from '../../platform/errors.js';
import type { Timeline } from '../../platform/timeline.js';
import { canViewEnterprise, visibleEnterprises } from '../enterprises/enterprises.access.js';
import { parseList } from '../enterprises/enterprises.repository.js';
import type { EnterprisesService } from '../enterprises/enterprises.service.js';
import { type ItemIssue, addDays, chinaToday, mayCancel, mayEdit, mayRecord, mergeFollowUps, mergeLinkedItems } from './visit-rules.js';
import { canEditVisit } from './visits.access.js';
import { type StoredFollowUp, type StoredProblem, type VisitRow, type VisitView, toVisit, toVisitListItem, visitRow, visitsWithNames } from './visits.repository.js';
import { findLinkableAppeal } from './appeal-link.js';
import { type VisitorNames, plannedEntry, recordedEntry, updatedEntry } from './visit-timeline.js';

export interface VisitsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
  enterprises: EnterprisesService;
}

/** Another unit's visit to the same enterprise near the date (the UI words it; `message` is added by the route). */
export interface OverlapWarning {
  visitId: string;
  status: 'planned' | 'done';
  date: string;
  organisationId: string | null;
  organisationName: string | null;
  visitorName: string;
}

type VisitsEB = ExpressionBuilder<Database, 'visits' | 'enterprises' | 'users' | 'organisations'>;

/** Visit plans and records (走访): plan → record as done, or cancel; the shared calendar; last visit; the 7-day warning. */
export function createVisitsService(deps: VisitsServiceDeps) {
  const { db, clock, audit, timeline, enterprises } = deps;

  async function accessFacts(executor: Executor, enterpriseId: string, regionCode: string) {
    const [managers, instructors] = await Promise.all([
      executor.selectFrom('enterprise_managers').select('user_id').where('enterprise_id', '=', enterpriseId).execute(),
      executor.selectFrom('enterprise_instructors').select('user_id').where('enterprise_id', '=', enterpriseId).execute(),
    ]);
    return { regionCode, managerIds: managers.map((row) => row.user_id), instructorIds: instructors.map((row) => row.user_id) };
  }

  /** The visit with its names, or NOT_FOUND when it does not exist or its enterprise is outside the caller's scope. */
  async function loadVisible(executor: Executor, id: string, actor: Actor): Promise<{ row: VisitView; canEdit: boolean }> {
    const row = (await visitsWithNames(executor).where('visits.id', '=', id).executeTakeFirst()) as VisitView | undefined;
    if (!row) throw notFound();
    const facts = await accessFacts(executor, row.enterprise_id, row.enterprise_region_code);
    // Same rule as the registry: an enterprise one may not see, and its visits, do not exist for them.
    if (!canViewEnterprise(actor, facts)) throw notFound();
    return { row, canEdit: canEditVisit(actor, { visitorUserId: row.visitor_user_id }, facts) };
  }

  async function loadEditable(trx: Trx, id: string, actor: Actor) {
    const loaded = await loadVisible(trx, id, actor);
    if (!loaded.canEdit) throw new AppError('FORBIDDEN');
    return loaded.row;
  }

  async function reload(executor: Executor, id: string, actor: Actor): Promise<Visit> {
    const { row, canEdit } = await loadVisible(executor, id, actor);
    return toVisit(row, canEdit);
  }

  async function organisationOf(executor: Executor, userId: string): Promise<{ id: string | null; name: string | null; displayName: string }> {
    const row = await executor
      .selectFrom('users')
      .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select(['users.organisation_id as id', 'organisations.name as name', 'users.display_name as displayName'])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    return { id: row?.id ?? null, name: row?.name ?? null, displayName: row?.displayName ?? '' };
  }

  /**
   * Other units' visits to the same enterprise within 7 days either side of `date` (done, or planned and not
   * cancelled): the shared calendar's warning against visiting an enterprise twice in a week. Never an error.
   */
  async function findOverlaps(executor: Executor, visit: { id: string; enterpriseId: string; date: string; visitorUserId: string; organisationId: string | null }): Promise<OverlapWarning[]> {
    const rows = await visitsWithNames(executor)
      .where('visits.enterprise_id', '=', visit.enterpriseId)
      .where('visits.id', '!=', visit.id)
      .where('visits.status', '!=', 'cancelled')
      .where('visits.calendar_date', '>=', addDays(visit.date, -VISIT_OVERLAP_DAYS))
      .where('visits.calendar_date', '<=', addDays(visit.date, VISIT_OVERLAP_DAYS))
      .where('visits.visitor_user_id', '!=', visit.visitorUserId)
      .where((eb) =>
        visit.organisationId === null
          ? eb('visits.visitor_organisation_id', 'is not', null)
          : eb.or([eb('visits.visitor_organisation_id', '!=', visit.organisationId), eb('visits.visitor_organisation_id', 'is', null)]),
      )
      .orderBy('visits.calendar_date', 'desc')
      .execute();
    return (rows as VisitView[]).map((row) => ({
      visitId: row.id,
      status: row.status as 'planned' | 'done',
      date: row.calendar_date,
      organisationId: row.visitor_organisation_id,
      organisationName: row.organisation_name,
      visitorName: row.visitor_name,
    }));
  }

  function checkVisitedOn(visitedOn: string, field = 'visitedOn'): ItemIssue[] {
    return visitedOn > chinaToday(clock.now()) ? [{ field, message: 'a visit cannot be recorded before it happens' }] : [];
  }

  function details(input: Pick<CreateVisitInput, 'problems' | 'followUps'>, existing: { problems: StoredProblem[]; followUps: StoredFollowUp[] }, at: string) {
    const problems = input.problems
      ? mergeLinkedItems(existing.problems, input.problems, 'problems', (item, previous, id) => ({ id, text: item.text, appealId: previous?.appealId ?? null }))
      : { items: existing.problems, issues: [] };
    const followUps = input.followUps ? mergeFollowUps(existing.followUps, input.followUps, at) : existing.followUps;
    return { problems: problems.items, followUps, issues: problems.issues };
  }

  async function appendRecorded(trx: Trx, actor: Actor, row: VisitRow, names: VisitorNames, fromPlan?: { plannedOn: string | null }) {
    await timeline.append(trx, actor, recordedEntry(row, names, fromPlan));
  }

  /** Plan a visit, or record one that took place; the answer carries other units' visits within 7 days. */
  async function createVisit(input: CreateVisitInput, ctx: RequestContext): Promise<{ visit: Visit; warnings: OverlapWarning[] }> {
    const actor = requireActor(ctx);
    const issues: ItemIssue[] = [];
    if (input.status === 'planned') {
      if (!input.plannedOn) issues.push({ field: 'plannedOn', message: 'required' });
      if (input.visitedOn) issues.push({ field: 'visitedOn', message: 'only a done visit has a visit date' });
    } else {
      if (!input.visitedOn) issues.push({ field: 'visitedOn', message: 'required' });
      else issues.push(...checkVisitedOn(input.visitedOn));
    }
    if (issues.length) throw invalidFields(issues);
    const at = clock.now().toISOString();
    const id = newId();
    return db.transaction().execute(async (trx) => {
      const enterprise = await enterprises.loadVisible(trx, input.enterpriseId, actor);
      const unit = await organisationOf(trx, actor.userId);
      const merged = details(input, { problems: [], followUps: [] }, at);
      const row = visitRow({
        id,
        enterpriseId: enterprise.id,
        status: input.status,
        plannedOn: input.plannedOn ?? null,
        visitedOn: input.status === 'done' ? input.visitedOn! : null,
        visitorUserId: actor.userId,
        visitorOrganisationId: unit.id,
        peopleMet: input.peopleMet,
        topics: input.topics,
        summary: input.summary ?? null,
        problems: merged.problems,
        followUps: merged.followUps,
        createdBy: actor.userId,
        at,
      });
      await trx.insertInto('visits').values(row).execute();
      if (row.status === 'done') {
        await appendRecorded(trx, actor, row, { visitorName: unit.displayName, organisationName: unit.name });
      } else {
        await timeline.append(trx, actor, plannedEntry(row, { visitorName: unit.displayName, organisationName: unit.name }));
      }
      await audit.append(trx, { actor, action: row.status === 'done' ? 'visit.record' : 'visit.plan', objectType: 'visit', objectId: id, ip: ctx.ip, result: 'success', detail: { after: row } });
      const warnings = await findOverlaps(trx, { id, enterpriseId: row.enterprise_id, date: row.calendar_date, visitorUserId: actor.userId, organisationId: unit.id });
      return { visit: await reload(trx, id, actor), warnings };
    });
  }

  /** A plan becomes a record of what happened. */
  async function recordVisit(id: string, input: RecordVisitInput, ctx: RequestContext): Promise<{ visit: Visit; warnings: OverlapWarning[] }> {
    const actor = requireActor(ctx);
    const dateIssues = checkVisitedOn(input.visitedOn);
    return db.transaction().execute(async (trx) => {
      const before = await loadEditable(trx, id, actor);
      if (!mayRecord(before.status as VisitStatus)) throw conflict('only a planned visit can be recorded');
      if (dateIssues.length) throw invalidFields(dateIssues);
      const at = clock.now().toISOString();
      const merged = details(input, { problems: parseList(before.problems), followUps: parseList(before.follow_ups) }, at);
      if (merged.issues.length) throw invalidFields(merged.issues);
      const changes = {
        status: 'done',
        visited_on: input.visitedOn,
        calendar_date: input.visitedOn,
        ...(input.peopleMet ? { people_met: JSON.stringify(input.peopleMet.map((person) => ({ name: person.name, position: person.position ?? null }))) } : {}),
        ...(input.topics ? { topics: JSON.stringify(input.topics) } : {}),
        ...(input.summary !== undefined ? { summary: input.summary ?? null } : {}),
        problems: JSON.stringify(merged.problems),
        follow_ups: JSON.stringify(merged.followUps),
        updated_at: at,
      };
      await trx.updateTable('visits').set(changes).where('id', '=', id).execute();
      const after: VisitRow = { ...stripNames(before), ...changes };
      await appendRecorded(trx, actor, after, { visitorName: before.visitor_name, organisationName: before.organisation_name }, { plannedOn: before.planned_on });
      await audit.append(trx, { actor, action: 'visit.record', objectType: 'visit', objectId: id, ip: ctx.ip, result: 'success', detail: { before: stripNames(before), after } });
      const warnings = await findOverlaps(trx, { id, enterpriseId: before.enterprise_id, date: input.visitedOn, visitorUserId: before.visitor_user_id, organisationId: before.visitor_organisation_id });
      return { visit: await reload(trx, id, actor), warnings };
    });
  }

  /** Change a plan or a record; problems that became appeals stay as they are. */
  async function updateVisit(id: string, input: UpdateVisitInput, ctx: RequestContext): Promise<{ visit: Visit; warnings: OverlapWarning[] }> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await loadEditable(trx, id, actor);
      const status = before.status as VisitStatus;
      if (!mayEdit(status)) throw conflict('a cancelled visit cannot be changed');
      const issues: ItemIssue[] = [];
      if (input.plannedOn !== undefined && status !== 'planned') issues.push({ field: 'plannedOn', message: 'only a planned visit can be moved' });
      if (input.visitedOn !== undefined) {
        if (status !== 'done') issues.push({ field: 'visitedOn', message: 'only a done visit has a visit date' });
        else issues.push(...checkVisitedOn(input.visitedOn));
      }
      const at = clock.now().toISOString();
      const merged = details(input, { problems: parseList(before.problems), followUps: parseList(before.follow_ups) }, at);
      issues.push(...merged.issues);
      if (issues.length) throw invalidFields(issues);
      const changes: Partial<VisitRow> = {
        ...(input.plannedOn !== undefined ? { planned_on: input.plannedOn, calendar_date: input.plannedOn } : {}),
        ...(input.visitedOn !== undefined ? { visited_on: input.visitedOn, calendar_date: input.visitedOn } : {}),
        ...(input.peopleMet ? { people_met: JSON.stringify(input.peopleMet.map((person) => ({ name: person.name, position: person.position ?? null }))) } : {}),
        ...(input.topics ? { topics: JSON.stringify(input.topics) } : {}),
        ...(input.summary !== undefined ? { summary: input.summary ?? null } : {}),
        ...(input.problems ? { problems: JSON.stringify(merged.problems) } : {}),
        ...(input.followUps ? { follow_ups: JSON.stringify(merged.followUps) } : {}),
      };
      const changed = Object.fromEntries(Object.entries(changes).filter(([key, value]) => before[key as keyof VisitRow] !== value));
      if (Object.keys(changed).length > 0) {
        await trx.updateTable('visits').set({ ...changed, updated_at: at }).where('id', '=', id).execute();
        const beforeValues = Object.fromEntries(Object.keys(changed).map((key) => [key, before[key as keyof VisitRow]]));
        await timeline.append(trx, actor, updatedEntry({ ...stripNames(before), ...changed }, Object.keys(changed)));
        await audit.append(trx, { actor, action: 'visit.update', objectType: 'visit', objectId: id, ip: ctx.ip, result: 'success', detail: { before: beforeValues, after: changed } });
      }
      const date = (changed.calendar_date as string | undefined) ?? before.calendar_date;
      const warnings = changed.calendar_date ? await findOverlaps(trx, { id, enterpriseId: before.enterprise_id, date, visitorUserId: before.visitor_user_id, organisationId: before.visitor_organisation_id }) : [];
      return { visit: await reload(trx, id, actor), warnings };
    });
  }

  /** A plan that will not happen; the reason stays on the record and the enterprise file. */
  async function cancelVisit(id: string, reason: string, ctx: RequestContext): Promise<Visit> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await loadEditable(trx, id, actor);
      if (!mayCancel(before.status as VisitStatus)) throw conflict('only a planned visit can be cancelled');
      const at = clock.now().toISOString();
      await trx.updateTable('visits').set({ status: 'cancelled', cancel_reason: reason, updated_at: at }).where('id', '=', id).execute();
      await timeline.append(trx, actor, {
        enterpriseId: before.enterprise_id,
        type: 'visit.cancelled',
        summary: `取消走访计划：${before.planned_on}，${reason}`,
        data: { visitId: id, plannedOn: before.planned_on, reason },
      });
      await audit.append(trx, { actor, action: 'visit.cancel', objectType: 'visit', objectId: id, ip: ctx.ip, result: 'success', detail: { reason, plannedOn: before.planned_on } });
      return reload(trx, id, actor);
    });
  }

  /**
   * Remember which appeal a problem became (after POST /api/appeals with origin { kind: 'visit', id }). The appeal
   * must exist, concern the same enterprise and, when it names an origin, name this visit.
   */
  async function linkProblemAppeal(id: string, problemId: string, appealId: string, ctx: RequestContext): Promise<Visit> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await loadEditable(trx, id, actor);
      const problems = parseList<StoredProblem>(before.problems);
      const problem = problems.find((item) => item.id === problemId);
      if (!problem) throw notFound();
      if (problem.appealId === appealId) return toVisit(before, true);
      if (problem.appealId) throw conflict('this item already became another appeal');
      await findLinkableAppeal(trx, appealId, { enterpriseId: before.enterprise_id, kind: 'visit', id });
      if (problems.some((item) => item.appealId === appealId)) throw conflict('the appeal is already linked to another item');
      const next = problems.map((item) => (item.id === problemId ? { ...item, appealId } : item));
      await trx.updateTable('visits').set({ problems: JSON.stringify(next), updated_at: clock.now().toISOString() }).where('id', '=', id).execute();
      await audit.append(trx, { actor, action: 'visit.problem.link-appeal', objectType: 'visit', objectId: id, ip: ctx.ip, result: 'success', detail: { problemId, appealId, text: problem.text } });
      return reload(trx, id, actor);
    });
  }

  async function getVisit(id: string, ctx: RequestContext): Promise<Visit> {
    return reload(db, id, requireActor(ctx));
  }

  /** Scoped, filtered visits: the calendar (a date range, oldest first) and the list (newest first). */
  function scopedQuery(actor: Actor, filter: VisitFilter) {
    let query = visitsWithNames(db).where((eb) => visibleEnterprises(actor)(eb as unknown as ExpressionBuilder<Database, 'enterprises'>));
    if (filter.from) query = query.where('visits.calendar_date', '>=', filter.from);
    if (filter.to) query = query.where('visits.calendar_date', '<=', filter.to);
    if (filter.enterpriseId) query = query.where('visits.enterprise_id', '=', filter.enterpriseId);
    if (filter.visitorId) query = query.where('visits.visitor_user_id', '=', filter.visitorId);
    if (filter.organisationId) query = query.where('visits.visitor_organisation_id', '=', filter.organisationId);
    if (filter.mine === 'true') query = query.where('visits.visitor_user_id', '=', actor.userId);
    if (filter.status) query = query.where('visits.status', '=', filter.status);
    return query;
  }

  async function findVisits(query: VisitListQuery, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const base = scopedQuery(actor, query);
    const { total } = await base.clearSelect().select((eb: VisitsEB) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .orderBy('visits.calendar_date', query.order)
      .orderBy('visits.id', query.order)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    const items = (rows as VisitView[]).map(toVisitListItem);
    return { items, total: Number(total), hasMore: (query.page - 1) * query.pageSize + items.length < Number(total) };
  }

  /** Every matching visit, newest first, a page at a time (export). */
  async function* iterateVisits(filter: VisitFilter, ctx: RequestContext, pageSize = 1000) {
    const actor = requireActor(ctx);
    for (let page = 0; ; page += 1) {
      const rows = (await scopedQuery(actor, filter).orderBy('visits.calendar_date', 'desc').orderBy('visits.id', 'desc').limit(pageSize).offset(page * pageSize).execute()) as VisitView[];
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < pageSize) return;
    }
  }

  /** Visitors and units that appear in the visits one may see: filter choices and the calendar's legend. */
  async function findVisitors(ctx: RequestContext): Promise<Visitor[]> {
    const actor = requireActor(ctx);
    const rows = await scopedQuery(actor, {})
      .clearSelect()
      .select(['users.id as userId', 'users.display_name as displayName', 'visits.visitor_organisation_id as organisationId', 'organisations.name as organisationName'])
      .distinct()
      .orderBy('organisations.name')
      .orderBy('users.display_name')
      .limit(1000)
      .execute();
    return rows.map((row) => ({ userId: row.userId, displayName: row.displayName, organisationId: row.organisationId, organisationName: row.organisationName ?? null }));
  }

  /** 最近走访 on the enterprise file: the latest record, the next plan, how many records. */
  async function findLastVisit(enterpriseId: string, ctx: RequestContext): Promise<LastVisit> {
    const actor = requireActor(ctx);
    await enterprises.loadVisible(db, enterpriseId, actor);
    const last = (await visitsWithNames(db).where('visits.enterprise_id', '=', enterpriseId).where('visits.status', '=', 'done').orderBy('visits.calendar_date', 'desc').orderBy('visits.created_at', 'desc').limit(1).executeTakeFirst()) as VisitView | undefined;
    const next = (await visitsWithNames(db)
      .where('visits.enterprise_id', '=', enterpriseId)
      .where('visits.status', '=', 'planned')
      .where('visits.calendar_date', '>=', chinaToday(clock.now()))
      .orderBy('visits.calendar_date', 'asc')
      .limit(1)
      .executeTakeFirst()) as VisitView | undefined;
    const { count } = await db.selectFrom('visits').select((eb) => eb.fn.countAll<number>().as('count')).where('enterprise_id', '=', enterpriseId).where('status', '=', 'done').executeTakeFirstOrThrow();
    return {
      lastVisit: last ? { visitId: last.id, visitedOn: last.calendar_date, visitorName: last.visitor_name, organisationName: last.organisation_name } : null,
      nextPlan: next ? { visitId: next.id, plannedOn: next.calendar_date, visitorName: next.visitor_name, organisationName: next.organisation_name } : null,
      doneCount: Number(count),
    };
  }

  return { createVisit, recordVisit, updateVisit, cancelVisit, linkProblemAppeal, getVisit, findVisits, iterateVisits, findVisitors, findLastVisit };
}

function stripNames(view: VisitView): VisitRow {
  const { enterprise_name: _name, enterprise_region_code: _region, visitor_name: _visitor, organisation_name: _organisation, ...row } = view;
  return row;
}

export type VisitsService = ReturnType<typeof createVisitsService>;
