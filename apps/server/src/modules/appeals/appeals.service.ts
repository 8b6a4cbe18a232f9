import type {
  Appeal,
  AppealAction,
  AppealListItem,
  AppealListQuery,
  AppealPart,
  AppealStatus,
  CreateAppealInput,
  CreateAppealCategoryInput,
  UpsertAppealCategoryInput,
} from '@qinqing/contracts';
import { appealActionInputs, hasPermission } from '@qinqing/contracts';
import type { z } from 'zod';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { maskPhone } from '../../platform/audit/masking.js';
import { type Calendar, addCalendarDays } from '../../platform/calendar.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { ExpressionBuilder } from 'kysely';
import type { Db, Dialect, Executor, Trx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { containsPattern } from '../../platform/db/text.js';
import { AppError, invalidFields, notFound } from '../../platform/errors.js';
import type { Notifications } from '../../platform/notifications.js';
import type { Timeline } from '../../platform/timeline.js';
import { isWithinRegion } from '../enterprises/enterprises.access.js';
import {
  MAX_EXTENSION_DAYS,
  MAX_REDO,
  REPORT_AFTER_DAYS,
  chinaDate,
  closedStatuses,
  isActivePart,
  isPartOverdue,
  partPrecondition,
  statusFromParts,
  transitions,
} from './appeal-rules.js';
import { type AppealAccessFacts, canViewAppeal, visibleAppeals } from './appeals.access.js';

/** How appeals tell people (platform/notifications: in-app at once, e-mail and robot webhooks from the job table). */
export type Notify = Notifications['notify'];

export interface AppealsServiceDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
  calendar: Calendar;
  notify: Notify;
}

type AppealRow = Awaited<ReturnType<typeof selectAppeal>>;
type PartRow = Awaited<ReturnType<typeof selectParts>>[number];

const actionNames: Record<AppealAction, string> = {
  submit: '提交诉求',
  accept: '受理',
  decline: '不予受理',
  merge: '合并',
  dispatch: '交办',
  sign: '签收',
  return: '退单',
  pause: '暂停计时（等待企业）',
  resume: '恢复计时',
  request_extension: '申请延期',
  decide_extension: '延期审批',
  answer: '答复办结',
  rate: '评价',
  redo: '重办',
  urge: '催办',
  report: '通报',
  supervise: '督办',
  archive: '归档',
};

const ratingNames = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const;

function selectAppeal(executor: Executor, id: string) {
  return executor
    .selectFrom('appeals')
    .innerJoin('enterprises', 'enterprises.id', 'appeals.enterprise_id')
    .selectAll('appeals')
    .select(['enterprises.name as enterprise_name', 'enterprises.credit_code', 'enterprises.region_code'])
    .where('appeals.id', '=', id)
    .executeTakeFirst();
}

function selectParts(executor: Executor, appealIds: string[]) {
  return executor
    .selectFrom('appeal_parts')
    .innerJoin('organisations', 'organisations.id', 'appeal_parts.organisation_id')
    .selectAll('appeal_parts')
    .select(['organisations.name as organisation_name', 'organisations.kind as organisation_kind'])
    .where('appeal_parts.appeal_id', 'in', appealIds.length ? appealIds : [''])
    .orderBy('appeal_parts.dispatched_at')
    .orderBy('appeal_parts.id')
    .execute();
}

const stale = (current: Appeal) => new AppError('CONFLICT', { reason: 'someone changed this appeal first' }, { current });
const wrongState = (action: AppealAction) => new AppError('CONFLICT', { reason: 'this step is not open in the current state' }, { action });

/** Appeals (诉求): submission, the loop of domain-rules §5 on the working-day clock, and its history. */
export function createAppealsService(deps: AppealsServiceDeps) {
  const { db, clock, audit, timeline, calendar, notify } = deps;
  const today = () => chinaDate(clock.now());

  // ── who may see, and who is told ───────────────────────────────────────────────────────────────────────────

  async function accessFacts(executor: Executor, appeal: { id: string; enterprise_id: string; region_code: string }) {
    const [managers, instructors, units] = await Promise.all([
      executor.selectFrom('enterprise_managers').select('user_id').where('enterprise_id', '=', appeal.enterprise_id).execute(),
      executor.selectFrom('enterprise_instructors').select('user_id').where('enterprise_id', '=', appeal.enterprise_id).execute(),
      executor.selectFrom('appeal_parts').select('organisation_id').where('appeal_id', '=', appeal.id).execute(),
    ]);
    return {
      regionCode: appeal.region_code,
      managerIds: managers.map((row) => row.user_id),
      instructorIds: instructors.map((row) => row.user_id),
      unitIds: units.map((row) => row.organisation_id),
    };
  }

  async function loadVisible(executor: Executor, id: string, actor: Actor): Promise<NonNullable<AppealRow>> {
    return (await loadVisibleWithFacts(executor, id, actor)).row;
  }

  /** The row and the facts its access was decided on, or NOT_FOUND (missing and invisible look the same). */
  async function loadVisibleWithFacts(executor: Executor, id: string, actor: Actor) {
    const row = await selectAppeal(executor, id);
    const facts = row ? await accessFacts(executor, row) : null;
    if (!row || !facts || !canViewAppeal(actor, facts)) throw notFound();
    return { row, facts };
  }

  /** Enabled users holding a role, narrowed in SQL to some organisations or to units whose area holds a region. */
  async function usersWithRole(executor: Executor, role: string, where: { organisationIds: string[] } | { areaOf: string }) {
    let query = executor
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select('users.id')
      .where('user_roles.role', '=', role)
      .where('users.is_enabled', '=', 1);
    query = 'organisationIds' in where
      ? query.where('users.organisation_id', 'in', where.organisationIds.length ? where.organisationIds : [''])
      : query.where('organisations.region_code', 'in', regionsContaining(where.areaOf));
    return (await query.execute()).map((row) => row.id);
  }

  const officersFor = (executor: Executor, region: string) => usersWithRole(executor, 'officer', { areaOf: region });
  const leadersFor = (executor: Executor, region: string) => usersWithRole(executor, 'leader', { areaOf: region });
  const unitPeople = (executor: Executor, organisationIds: string[]) => usersWithRole(executor, 'handler', { organisationIds });
  async function enterprisePeople(executor: Executor, appeal: { enterprise_id: string; submitted_by: string | null }) {
    const managers = await executor.selectFrom('enterprise_managers').select('user_id').where('enterprise_id', '=', appeal.enterprise_id).execute();
    return [...new Set([...managers.map((row) => row.user_id), ...(appeal.submitted_by ? [appeal.submitted_by] : [])])];
  }

  async function tell(trx: Trx, appeal: { id: string; number: string; title: string; enterprise_id: string }, userIds: string[], kind: string, what: string, actor: Actor | null) {
    const recipients = [...new Set(userIds)].filter((id) => id !== actor?.userId);
    if (recipients.length === 0) return;
    await notify(trx, {
      userIds: recipients,
      kind: `appeal.${kind}`,
      title: `诉求 ${appeal.number}：${what}`,
      body: `「${appeal.title}」${what}`,
      link: `/appeals/${appeal.id}`,
      enterpriseId: appeal.enterprise_id,
    });
  }

  // ── the record of every step ───────────────────────────────────────────────────────────────────────────────

  interface Step {
    action: AppealAction;
    part?: Pick<PartRow, 'id' | 'organisation_id'> & { organisation_name?: string };
    from?: string | null;
    to?: string | null;
    partFrom?: string | null;
    partTo?: string | null;
    data?: Record<string, unknown>;
  }

  /** One step: its appeal event, the enterprise file's timeline entry and the audit row, in the change's transaction. */
  async function record(trx: Trx, appeal: { id: string; number: string; title: string; enterprise_id: string }, actor: Actor | null, ip: string | null, step: Step) {
    const now = clock.now();
    // The history shows people by name (张三), not by account (zhangsan).
    const person = actor?.userId ? await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst() : undefined;
    await trx
      .insertInto('appeal_events')
      .values({
        appeal_id: appeal.id,
        part_id: step.part?.id ?? null,
        organisation_id: step.part?.organisation_id ?? null,
        action: step.action,
        from_status: step.from ?? null,
        to_status: step.to ?? null,
        part_from: step.partFrom ?? null,
        part_to: step.partTo ?? null,
        actor_user_id: actor?.userId || null,
        actor_name: person?.display_name ?? actor?.username ?? '系统',
        at: now.toISOString(),
        day: chinaDate(now),
        data: step.data ? JSON.stringify(step.data) : null,
      })
      .execute();
    const unit = step.part?.organisation_name ? `（${step.part.organisation_name}）` : '';
    await timeline.append(trx, actor, {
      enterpriseId: appeal.enterprise_id,
      type: `appeal.${step.action}`,
      summary: `诉求 ${appeal.number}「${appeal.title}」${actionNames[step.action]}${unit}`,
      data: { appealId: appeal.id, number: appeal.number, ...(step.to ? { status: step.to } : {}), ...(step.data ?? {}) },
    });
    await audit.append(trx, {
      actor: actor ?? { userId: null, username: 'system', roles: [] },
      action: `appeal.${step.action}`,
      objectType: 'appeal',
      objectId: appeal.id,
      ip,
      result: 'success',
      detail: { number: appeal.number, ...(step.part ? { partId: step.part.id, organisationId: step.part.organisation_id } : {}), from: step.from, to: step.to, ...(step.data ?? {}) },
    });
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────────────

  function toPart(row: PartRow, day: string): AppealPart {
    return {
      id: row.id,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      organisationKind: row.organisation_kind,
      part: row.part,
      isLead: row.is_lead === 1,
      status: row.status as AppealPart['status'],
      dispatchedAt: String(row.dispatched_at),
      signedAt: row.signed_at ? String(row.signed_at) : null,
      answeredAt: row.answered_at ? String(row.answered_at) : null,
      answer: row.answer,
      dueDate: row.due_date,
      dueEstimated: row.due_estimated === 1,
      pausedSince: row.paused_since,
      pausedDays: row.paused_days,
      extensionRequest: row.extension_days !== null ? { days: row.extension_days, reason: row.extension_reason ?? '', requestedAt: String(row.extension_requested_at) } : null,
      returnCount: row.return_count,
      overdue: isPartOverdue(row, day),
    };
  }

  /** The earliest deadline among the open parts: what the case's clock shows. */
  function caseDue(parts: PartRow[]): string | null {
    const open = parts.filter((part) => part.status === 'dispatched' || part.status === 'signed').map((part) => part.due_date).sort();
    return open[0] ?? null;
  }

  function toListItem(row: NonNullable<AppealRow>, parts: PartRow[], day: string, actor: Actor): AppealListItem {
    const due = caseDue(parts);
    const mine = actor.roles.includes('handler') ? parts.filter((part) => part.organisation_id === actor.organisationId).at(-1) : undefined;
    return {
      id: row.id,
      number: row.number,
      enterpriseId: row.enterprise_id,
      enterpriseName: row.enterprise_name,
      categoryCode: row.category_code,
      title: row.title,
      urgency: row.urgency as AppealListItem['urgency'],
      status: row.status as AppealStatus,
      dueDate: due,
      dueEstimated: parts.some((part) => part.due_date === due && part.due_estimated === 1 && (part.status === 'dispatched' || part.status === 'signed')),
      myPartStatus: (mine?.status as AppealListItem['myPartStatus']) ?? null,
      myPartDueDate: mine?.due_date ?? null,
      overdue: parts.some((part) => isPartOverdue(part, day)),
      supervised: row.supervised === 1,
      units: [...new Set(parts.filter((part) => isActivePart(part.status)).map((part) => part.organisation_name))],
      rating: row.rating as AppealListItem['rating'],
      createdAt: String(row.created_at),
      updatedAt: String(row.updated_at),
    };
  }

  /** What this actor may do now: `action` for the case, `action:partId` for a unit's part. */
  function allowedActions(actor: Actor, row: NonNullable<AppealRow>, parts: PartRow[], managerIds: readonly string[]): string[] {
    const allowed: string[] = [];
    const status = row.status as AppealStatus;
    for (const [action, rule] of Object.entries(transitions) as Array<[AppealAction, (typeof transitions)[AppealAction]]>) {
      if (rule.system || action === 'submit' || !rule.from.includes(status)) continue;
      const permitted = rule.permissions.filter((permission) => hasPermission(actor.roles, permission));
      if (permitted.length === 0) continue;
      if (rule.part) {
        for (const part of parts) {
          if (!rule.part.includes(part.status as AppealPart['status'])) continue;
          const ownUnit = part.organisation_id === actor.organisationId;
          if (!permitted.includes('appeals:manage') && !ownUnit) continue;
          if (partPrecondition(action, part)) continue;
          allowed.push(`${action}:${part.id}`);
        }
        continue;
      }
      if (action === 'rate') {
        if (permitted.includes('appeals:rate') && managerIds.includes(actor.userId)) allowed.push('rate');
        if (permitted.includes('appeals:manage')) allowed.push('callback_rating');
        continue;
      }
      if (action === 'urge' && !parts.some((part) => part.status === 'dispatched' || part.status === 'signed')) continue;
      allowed.push(action);
    }
    return allowed;
  }

  async function buildAppeal(executor: Executor, row: NonNullable<AppealRow>, actor: Actor, knownFacts?: AppealAccessFacts): Promise<Appeal> {
    const day = today();
    const [parts, events, facts, attachments] = await Promise.all([
      selectParts(executor, [row.id]),
      executor
        .selectFrom('appeal_events')
        .leftJoin('organisations', 'organisations.id', 'appeal_events.organisation_id')
        .select(['appeal_events.id', 'appeal_events.action', 'appeal_events.part_id', 'organisations.name as organisation_name', 'appeal_events.from_status', 'appeal_events.to_status', 'appeal_events.actor_name', 'appeal_events.at', 'appeal_events.data'])
        .where('appeal_events.appeal_id', '=', row.id)
        .orderBy('appeal_events.id')
        .execute(),
      knownFacts ?? accessFacts(executor, row),
      executor
        .selectFrom('appeal_attachments')
        .select(['id', 'filename', 'content_type', 'size', 'uploaded_by_name', 'created_at'])
        .where('appeal_id', '=', row.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    ]);
    return {
      ...toListItem(row, parts, day, actor),
      description: row.description,
      creditCode: row.credit_code,
      origin: { kind: row.origin_kind as Appeal['origin']['kind'], id: row.origin_id },
      submittedByName: row.submitted_by_name,
      contactName: row.contact_name,
      contactPhone: row.contact_phone ? maskPhone(row.contact_phone) : null,
      declineReason: row.decline_reason,
      mergedIntoId: row.merged_into_id,
      ratingComment: row.rating_comment,
      redoCount: row.redo_count,
      version: row.version,
      parts: parts.map((part) => toPart(part, day)),
      events: events.map((event) => ({
        id: Number(event.id),
        action: event.action as AppealAction,
        partId: event.part_id,
        organisationName: event.organisation_name ?? null,
        fromStatus: event.from_status,
        toStatus: event.to_status,
        actorName: event.actor_name,
        at: String(event.at),
        data: event.data ? (JSON.parse(event.data) as Record<string, unknown>) : null,
      })),
      attachments: attachments.map((file) => ({ id: file.id, filename: file.filename, contentType: file.content_type, size: Number(file.size), uploadedByName: file.uploaded_by_name, createdAt: String(file.created_at) })),
      allowedActions: allowedActions(actor, row, parts, facts.managerIds),
    };
  }

  async function getAppeal(id: string, ctx: RequestContext): Promise<Appeal> {
    const actor = requireActor(ctx);
    const { row, facts } = await loadVisibleWithFacts(db, id, actor);
    return buildAppeal(db, row, actor, facts);
  }

  function scoped(actor: Actor, query: AppealListQuery, executor: Executor = db) {
    const day = today();
    return executor
      .selectFrom('appeals')
      .innerJoin('enterprises', 'enterprises.id', 'appeals.enterprise_id')
      .where(visibleAppeals(actor))
      .where((eb) => {
        const conditions = [];
        if (query.status) conditions.push(eb('appeals.status', '=', query.status));
        if (query.state === 'open') conditions.push(eb('appeals.status', 'not in', [...closedStatuses]));
        if (query.state === 'closed') conditions.push(eb('appeals.status', 'in', [...closedStatuses]));
        if (query.categoryCode) conditions.push(eb('appeals.category_code', '=', query.categoryCode));
        if (query.enterpriseId) conditions.push(eb('appeals.enterprise_id', '=', query.enterpriseId));
        if (query.dates === 'activity' && (query.from || query.to)) {
          let moved = eb.selectFrom('appeal_events').select('appeal_events.id').whereRef('appeal_events.appeal_id', '=', 'appeals.id');
          if (query.from) moved = moved.where('appeal_events.day', '>=', query.from);
          if (query.to) moved = moved.where('appeal_events.day', '<=', query.to);
          if (query.organisationId) moved = moved.where('appeal_events.organisation_id', '=', query.organisationId);
          // …and the parts still open whose deadline fell in the period (the KPIs' overdue ones).
          let due = eb.selectFrom('appeal_parts as due_part').select('due_part.id').whereRef('due_part.appeal_id', '=', 'appeals.id').where('due_part.status', 'in', ['dispatched', 'signed']);
          if (query.from) due = due.where('due_part.due_date', '>=', query.from);
          if (query.to) due = due.where('due_part.due_date', '<=', query.to);
          if (query.organisationId) due = due.where('due_part.organisation_id', '=', query.organisationId);
          conditions.push(eb.or([eb.exists(moved), eb.exists(due)]));
        } else {
          if (query.from) conditions.push(eb('appeals.created_at', '>=', startOfChinaDay(query.from)));
          if (query.to) conditions.push(eb('appeals.created_at', '<', startOfChinaDay(nextDay(query.to))));
        }
        if (query.organisationId) {
          conditions.push(eb.exists(eb.selectFrom('appeal_parts').select('appeal_parts.id').whereRef('appeal_parts.appeal_id', '=', 'appeals.id').where('appeal_parts.organisation_id', '=', query.organisationId)));
        }
        if (query.overdue) {
          const overdue = eb.exists(
            eb
              .selectFrom('appeal_parts')
              .select('appeal_parts.id')
              .whereRef('appeal_parts.appeal_id', '=', 'appeals.id')
              .where('appeal_parts.status', 'in', ['dispatched', 'signed'])
              .where('appeal_parts.paused_since', 'is', null)
              .where('appeal_parts.due_date', '<', day),
          );
          conditions.push(query.overdue === 'true' ? overdue : eb.not(overdue));
        }
        if (query.todo) conditions.push(todoCondition(eb, actor, day));
        if (query.q) {
          const pattern = containsPattern(query.q);
          conditions.push(eb.or([eb(eb.fn('lower', ['appeals.title']), 'like', pattern), eb(eb.fn('lower', ['appeals.number']), 'like', pattern), eb(eb.fn('lower', ['enterprises.name']), 'like', pattern)]));
        }
        return eb.and(conditions);
      });
  }

  /** What waits for this actor, by role (several roles: any of them). */
  function todoCondition(eb: ExpressionBuilder<Database, 'appeals' | 'enterprises'>, actor: Actor, day: string) {
    const parts = () => eb.selectFrom('appeal_parts').select('appeal_parts.id').whereRef('appeal_parts.appeal_id', '=', 'appeals.id');
    const waiting = [];
    if (hasPermission(actor.roles, 'appeals:handle') && actor.organisationId) {
      waiting.push(eb.exists(parts().where('appeal_parts.organisation_id', '=', actor.organisationId).where('appeal_parts.status', 'in', ['dispatched', 'signed'])));
    }
    if (hasPermission(actor.roles, 'appeals:manage')) {
      waiting.push(eb('appeals.status', 'in', ['pending', 'accepted']));
      waiting.push(eb.exists(parts().where('appeal_parts.extension_days', 'is not', null)));
    }
    if (hasPermission(actor.roles, 'appeals:rate')) {
      waiting.push(eb.and([eb('appeals.status', '=', 'answered'), eb.exists(eb.selectFrom('enterprise_managers').select('enterprise_managers.user_id').whereRef('enterprise_managers.enterprise_id', '=', 'appeals.enterprise_id').where('enterprise_managers.user_id', '=', actor.userId))]));
    }
    if (hasPermission(actor.roles, 'appeals:supervise')) {
      waiting.push(eb.exists(parts().where('appeal_parts.status', 'in', ['dispatched', 'signed']).where('appeal_parts.paused_since', 'is', null).where('appeal_parts.due_date', '<', day)));
    }
    return waiting.length ? eb.or(waiting) : eb.lit(false);
  }

  async function findAppeals(query: AppealListQuery, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const base = scoped(actor, query);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    let ordered = base.selectAll('appeals').select(['enterprises.name as enterprise_name', 'enterprises.credit_code', 'enterprises.region_code']);
    if (query.todo) {
      // 待办 in the order it is worked: a unit's parts awaiting signature, an officer's new cases, then the earliest
      // deadline (the unit's own part for a unit), then the newest.
      const mine = actor.roles.includes('handler') && actor.organisationId ? actor.organisationId : null;
      const openParts = (eb: ExpressionBuilder<Database, 'appeals' | 'enterprises'>) => {
        let parts = eb.selectFrom('appeal_parts as todo_part').whereRef('todo_part.appeal_id', '=', 'appeals.id').where('todo_part.status', 'in', ['dispatched', 'signed']);
        if (mine) parts = parts.where('todo_part.organisation_id', '=', mine);
        return parts;
      };
      ordered = ordered
        .orderBy((eb) =>
          eb
            .case()
            .when(mine ? eb.exists(openParts(eb).select('todo_part.id').where('todo_part.status', '=', 'dispatched')) : eb.lit(false))
            .then(0)
            .when('appeals.status', '=', 'pending')
            .then(1)
            .when('appeals.status', '=', 'accepted')
            .then(2)
            .else(3)
            .end(),
        )
        .orderBy((eb) => openParts(eb).select((inner) => inner.fn.min('todo_part.due_date').as('due')), (ob) => ob.asc().nullsLast());
    }
    const rows = await ordered
      .orderBy('appeals.created_at', 'desc')
      .orderBy('appeals.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    const parts = await selectParts(db, rows.map((row) => row.id));
    const day = today();
    return { items: rows.map((row) => toListItem(row, parts.filter((part) => part.appeal_id === row.id), day, actor)), total: Number(total) };
  }

  /** Open appeals of the same enterprise whose titles share words with a new one: offered before submitting. */
  async function findSimilar(enterpriseId: string, title: string, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const rows = await scoped(actor, { enterpriseId, state: 'open', page: 1, pageSize: 200 })
      .selectAll('appeals')
      .select(['enterprises.name as enterprise_name', 'enterprises.credit_code', 'enterprises.region_code'])
      .orderBy('appeals.created_at', 'desc')
      .limit(200)
      .execute();
    const parts = await selectParts(db, rows.map((row) => row.id));
    const day = today();
    return rows
      .map((row) => ({ row, score: similarity(title, row.title) }))
      .filter(({ score }) => title.length === 0 || score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 5)
      .map(({ row, score }) => ({ ...toListItem(row, parts.filter((part) => part.appeal_id === row.id), day, actor), similarity: Math.round(score * 100) / 100 }));
  }

  // ── categories ─────────────────────────────────────────────────────────────────────────────────────────────

  async function listCategories() {
    const rows = await db.selectFrom('appeal_categories').selectAll().orderBy('sort_order').orderBy('code').execute();
    return rows.map((row) => ({ code: row.code, name: row.name, nameEn: row.name_en, deadlineDays: row.deadline_days, isEnabled: row.is_enabled === 1, sortOrder: row.sort_order }));
  }

  /** A new category; its code is the identifier appeals keep, so an existing one is never overwritten. */
  async function createCategory(input: CreateAppealCategoryInput, ctx: RequestContext) {
    return saveCategory(input.code, input, 'create', ctx);
  }

  async function updateCategory(code: string, input: UpsertAppealCategoryInput, ctx: RequestContext) {
    return saveCategory(code, input, 'update', ctx);
  }

  async function saveCategory(code: string, input: UpsertAppealCategoryInput, mode: 'create' | 'update', ctx: RequestContext) {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('appeal_categories').selectAll().where('code', '=', code).executeTakeFirst();
      if (mode === 'create' && before) throw invalidFields([{ field: 'code', message: 'code already in use' }]);
      if (mode === 'update' && !before) throw notFound();
      const values = { name: input.name, name_en: input.nameEn, deadline_days: input.deadlineDays, is_enabled: input.isEnabled ? 1 : 0, sort_order: input.sortOrder };
      if (before) await trx.updateTable('appeal_categories').set(values).where('code', '=', code).execute();
      else await trx.insertInto('appeal_categories').values({ code, ...values }).execute();
      await audit.append(trx, { actor, action: `appeal-category.${mode}`, objectType: 'appeal_category', objectId: code, ip: ctx.ip, result: 'success', detail: { before, after: values } });
    });
    return (await listCategories()).find((category) => category.code === code)!;
  }

  // ── submitting ─────────────────────────────────────────────────────────────────────────────────────────────

  async function nextNumber(trx: Trx, year: number): Promise<string> {
    const bumped = await trx.updateTable('appeal_counters').set((eb) => ({ last: eb('last', '+', 1) })).where('year', '=', year).returning('last').executeTakeFirst();
    let last = bumped?.last;
    if (last === undefined) {
      await trx.insertInto('appeal_counters').values({ year, last: 1 }).execute();
      last = 1;
    }
    return `SQ${year}-${String(last).padStart(6, '0')}`;
  }

  function defaultOrigin(actor: Actor): 'web' | 'officer' | 'visit' | 'api' {
    if (actor.via === 'token') return 'api';
    if (actor.roles.includes('enterprise')) return 'web';
    if (actor.roles.includes('instructor') && !actor.roles.includes('officer')) return 'visit';
    return 'officer';
  }

  async function submitAppeal(input: CreateAppealInput, ctx: RequestContext): Promise<Appeal> {
    const actor = requireActor(ctx);
    const id = await db.transaction().execute((trx) => submitIn(trx, input, actor, ctx.ip));
    return getAppeal(id, ctx);
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
    await record(trx, appeal, actor, ip, { action: 'submit', to: 'pending', data: { categoryCode: category.code, origin: appeal.origin_kind } });
    await tell(trx, appeal, await officersFor(trx, enterprise.region_code), 'submitted', `${enterprise.name} 提交了新诉求，待受理`, actor);
    return appeal.id;
  }

  // ── the loop ───────────────────────────────────────────────────────────────────────────────────────────────

  type Inputs = typeof appealActionInputs;
  type ActionInput<K extends keyof Inputs> = z.infer<Inputs[K]>;

  /**
   * Open a change: the appeal must be visible, at the version the caller decided on (else 409 with the current
   * state), and in a state the table allows. Bumping the version first takes the row lock on PostgreSQL, so of
   * two people acting on the same version exactly one wins.
   */
  async function begin(trx: Trx, id: string, version: number, action: AppealAction, actor: Actor) {
    const visible = await loadVisible(trx, id, actor);
    const bumped = await trx.updateTable('appeals').set({ version: version + 1, updated_at: clock.now().toISOString() }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    // Read again: on PostgreSQL the UPDATE waited for the winner, whose commit a new statement now sees.
    if (Number(bumped.numUpdatedRows) === 0) throw stale(await buildAppeal(trx, (await selectAppeal(trx, id)) ?? visible, actor));
    const row = (await selectAppeal(trx, id))!;
    if (!transitions[action].from.includes(row.status as AppealStatus)) throw wrongState(action);
    return row;
  }

  /** The part an action is about: one of this appeal's, and (for a unit's actions) one of the actor's unit. */
  async function partFor(trx: Trx, appealId: string, partId: string, action: AppealAction, actor: Actor, asManager: boolean) {
    const part = (await selectParts(trx, [appealId])).find((candidate) => candidate.id === partId);
    if (!part || (!asManager && part.organisation_id !== actor.organisationId)) throw notFound();
    if (!transitions[action].part!.includes(part.status as AppealPart['status'])) throw wrongState(action);
    const problem = partPrecondition(action, part);
    if (problem) throw new AppError('CONFLICT', { reason: problem });
    return part;
  }

  async function setStatus(trx: Trx, id: string, status: AppealStatus, extra: Partial<{ decline_reason: string; merged_into_id: string; rating: string; rating_comment: string | null; redo_count: number; supervised: number }> = {}) {
    await trx.updateTable('appeals').set({ status, ...extra }).where('id', '=', id).execute();
  }

  /** After a part moved: the case's state follows from its parts. */
  async function settle(trx: Trx, row: NonNullable<AppealRow>) {
    const status = statusFromParts(await selectParts(trx, [row.id]));
    if (status !== row.status) await setStatus(trx, row.id, status);
    return status;
  }

  async function act<T>(id: string, version: number, action: AppealAction, ctx: RequestContext, change: (trx: Trx, row: NonNullable<AppealRow>, actor: Actor) => Promise<T>): Promise<Appeal> {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => change(trx, await begin(trx, id, version, action, actor), actor));
    return getAppeal(id, ctx);
  }

  const accept = (id: string, input: ActionInput<'accept'>, ctx: RequestContext) =>
    act(id, input.version, 'accept', ctx, async (trx, row, actor) => {
      await setStatus(trx, id, 'accepted');
      await record(trx, row, actor, ctx.ip, { action: 'accept', from: row.status, to: 'accepted' });
      await tell(trx, row, await enterprisePeople(trx, row), 'accepted', '已受理', actor);
    });

  const decline = (id: string, input: ActionInput<'decline'>, ctx: RequestContext) =>
    act(id, input.version, 'decline', ctx, async (trx, row, actor) => {
      await setStatus(trx, id, 'declined', { decline_reason: input.reason });
      await record(trx, row, actor, ctx.ip, { action: 'decline', from: row.status, to: 'declined', data: { reason: input.reason } });
      await tell(trx, row, await enterprisePeople(trx, row), 'declined', `不予受理：${input.reason}`, actor);
    });

  const merge = (id: string, input: ActionInput<'merge'>, ctx: RequestContext) =>
    act(id, input.version, 'merge', ctx, async (trx, row, actor) => {
      const target = await selectAppeal(trx, input.intoId);
      if (!target || target.id === row.id || target.enterprise_id !== row.enterprise_id || closedStatuses.includes(target.status as AppealStatus)) {
        throw invalidFields([{ field: 'intoId', message: 'an open appeal of the same enterprise' }]);
      }
      await setStatus(trx, id, 'merged', { merged_into_id: target.id });
      await record(trx, row, actor, ctx.ip, { action: 'merge', from: row.status, to: 'merged', data: { intoId: target.id, intoNumber: target.number } });
      await record(trx, target, actor, ctx.ip, { action: 'merge', from: target.status, to: target.status, data: { mergedFromId: row.id, mergedFromNumber: row.number } });
      await trx.updateTable('appeals').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', target.id).execute();
      await tell(trx, row, await enterprisePeople(trx, row), 'merged', `与诉求 ${target.number} 合并办理`, actor);
    });

  const dispatch = (id: string, input: ActionInput<'dispatch'>, ctx: RequestContext) =>
    act(id, input.version, 'dispatch', ctx, async (trx, row, actor) => {
      const existing = await selectParts(trx, [id]);
      const category = await trx.selectFrom('appeal_categories').select('deadline_days').where('code', '=', row.category_code).executeTakeFirstOrThrow();
      const seen = new Set(existing.filter((part) => isActivePart(part.status)).map((part) => part.organisation_id));
      const units = await trx.selectFrom('organisations').select(['id', 'name', 'kind', 'is_enabled']).where('id', 'in', input.parts.map((part) => part.organisationId)).execute();
      const issues = input.parts.flatMap((part, index) => {
        const unit = units.find((candidate) => candidate.id === part.organisationId);
        if (!unit || unit.is_enabled !== 1 || !['department', 'outside_unit', 'government'].includes(unit.kind)) return [{ field: `parts.${index}.organisationId`, message: 'not a unit appeals can be dispatched to' }];
        if (seen.has(part.organisationId)) return [{ field: `parts.${index}.organisationId`, message: 'already handling this appeal' }];
        seen.add(part.organisationId);
        return [];
      });
      if (issues.length) throw invalidFields(issues);
      const now = clock.now();
      const day = chinaDate(now);
      const created: Array<{ part: PartRow; due: { date: string; estimated: boolean } }> = [];
      for (const [index, wanted] of input.parts.entries()) {
        const days = wanted.days ?? category.deadline_days;
        const due = await calendar.addWorkdays(day, days, trx);
        const unit = units.find((candidate) => candidate.id === wanted.organisationId)!;
        const part = {
          id: newId(),
          appeal_id: id,
          organisation_id: unit.id,
          part: wanted.part ?? null,
          is_lead: wanted.isLead || (input.parts.length === 1 && existing.length === 0) ? 1 : 0,
          status: 'dispatched',
          days,
          // A millisecond apart, so the parts keep the order they were listed in.
          dispatched_at: new Date(now.getTime() + index).toISOString(),
          dispatched_on: day,
          signed_at: null,
          answered_at: null,
          answered_on: null,
          answer: null,
          due_date: due.date,
          due_estimated: due.estimated ? 1 : 0,
          paused_since: null,
          paused_days: 0,
          extension_days: null,
          extension_reason: null,
          extension_requested_at: null,
          return_count: 0,
          urged_for: null,
          reported_for: null,
        };
        await trx.insertInto('appeal_parts').values(part).execute();
        created.push({ part: { ...part, organisation_name: unit.name, organisation_kind: unit.kind }, due });
      }
      const status = await settle(trx, row);
      for (const { part, due } of created) {
        await record(trx, row, actor, ctx.ip, { action: 'dispatch', part, from: row.status, to: status, partTo: 'dispatched', data: { days: part.days, dueDate: due.date, estimated: due.estimated, part: part.part } });
      }
      await tell(trx, row, await unitPeople(trx, input.parts.map((part) => part.organisationId)), 'dispatched', '已交办到本单位，请签收', actor);
      if (row.status === 'accepted' && status !== row.status) await tell(trx, row, await enterprisePeople(trx, row), 'dispatched', `已交办：${units.map((unit) => unit.name).join('、')}`, actor);
    });

  /** A unit's step on its part. */
  function partAction<K extends 'sign' | 'return' | 'pause' | 'resume' | 'requestExtension' | 'answer'>(key: K, action: AppealAction) {
    return (id: string, partId: string, input: ActionInput<K>, ctx: RequestContext) =>
      act(id, input.version, action, ctx, async (trx, row, actor) => {
        const part = await partFor(trx, id, partId, action, actor, false);
        await onPart[key](trx, row, part, input as never, actor, ctx.ip);
      });
  }

  const onPart = {
    async sign(trx: Trx, row: NonNullable<AppealRow>, part: PartRow, _input: ActionInput<'sign'>, actor: Actor, ip: string | null) {
      await trx.updateTable('appeal_parts').set({ status: 'signed', signed_at: clock.now().toISOString() }).where('id', '=', part.id).execute();
      const status = await settle(trx, row);
      await record(trx, row, actor, ip, { action: 'sign', part, from: row.status, to: status, partFrom: part.status, partTo: 'signed' });
    },
    async return(trx: Trx, row: NonNullable<AppealRow>, part: PartRow, input: ActionInput<'return'>, actor: Actor, ip: string | null) {
      await trx.updateTable('appeal_parts').set({ status: 'returned', return_count: part.return_count + 1 }).where('id', '=', part.id).execute();
      const status = await settle(trx, row);
      await record(trx, row, actor, ip, { action: 'return', part, from: row.status, to: status, partFrom: part.status, partTo: 'returned', data: { reason: input.reason } });
      await tell(trx, row, await officersFor(trx, row.region_code), 'returned', `${part.organisation_name} 退单：${input.reason}`, actor);
    },
    async pause(trx: Trx, row: NonNullable<AppealRow>, part: PartRow, input: ActionInput<'pause'>, actor: Actor, ip: string | null) {
      await trx.updateTable('appeal_parts').set({ paused_since: today() }).where('id', '=', part.id).execute();
      await record(trx, row, actor, ip, { action: 'pause', part, from: row.status, to: row.status, data: { reason: input.reason, since: today() } });
      await tell(trx, row, await enterprisePeople(trx, row), 'paused', `${part.organisation_name} 等待企业补充材料：${input.reason}`, actor);
    },
    async resume(trx: Trx, row: NonNullable<AppealRow>, part: PartRow, _input: ActionInput<'resume'>, actor: Actor, ip: string | null) {
      // Working days in (paused since, today] are not counted: the deadline moves by as many working days.
      const paused = await calendar.workdaysBetween(part.paused_since!, today(), trx);
      const due = await calendar.addWorkdays(part.due_date, paused.days, trx);
      await trx
        .updateTable('appeal_parts')
        .set({ paused_since: null, paused_days: part.paused_days + paused.days, due_date: due.date, due_estimated: due.estimated || part.due_estimated === 1 ? 1 : 0 })
        .where('id', '=', part.id)
        .execute();
      await record(trx, row, actor, ip, { action: 'resume', part, from: row.status, to: row.status, data: { pausedDays: paused.days, since: part.paused_since, dueDate: due.date } });
    },
    async requestExtension(trx: Trx, row: NonNullable<AppealRow>, part: PartRow, input: ActionInput<'requestExtension'>, actor: Actor, ip: string | null) {
      const granted = await grantedExtensionDays(trx, part.id);
      if (granted + input.days > MAX_EXTENSION_DAYS) throw invalidFields([{ field: 'days', message: 'at most {n} more working days', params: { n: MAX_EXTENSION_DAYS - granted } } as never]);
      await trx.updateTable('appeal_parts').set({ extension_days: input.days, extension_reason: input.reason, extension_requested_at: clock.now().toISOString() }).where('id', '=', part.id).execute();
      await record(trx, row, actor, ip, { action: 'request_extension', part, from: row.status, to: row.status, data: { days: input.days, reason: input.reason } });
      await tell(trx, row, await officersFor(trx, row.region_code), 'extension-requested', `${part.organisation_name} 申请延期 ${input.days} 个工作日`, actor);
    },
    async answer(trx: Trx, row: NonNullable<AppealRow>, part: PartRow, input: ActionInput<'answer'>, actor: Actor, ip: string | null) {
      const now = clock.now();
      await trx.updateTable('appeal_parts').set({ status: 'answered', answered_at: now.toISOString(), answered_on: chinaDate(now), answer: input.answer }).where('id', '=', part.id).execute();
      const status = await settle(trx, row);
      await record(trx, row, actor, ip, { action: 'answer', part, from: row.status, to: status, partFrom: part.status, partTo: 'answered', data: { answer: input.answer, dueDate: part.due_date, onTime: chinaDate(now) <= part.due_date } });
      if (status === 'answered') await tell(trx, row, await enterprisePeople(trx, row), 'answered', '已办结答复，请评价', actor);
    },
  };

  async function grantedExtensionDays(executor: Executor, partId: string) {
    const decisions = await executor.selectFrom('appeal_events').select('data').where('part_id', '=', partId).where('action', '=', 'decide_extension').execute();
    return decisions.map((event) => JSON.parse(event.data ?? '{}') as { approve?: boolean; days?: number }).reduce((sum, data) => sum + (data.approve ? (data.days ?? 0) : 0), 0);
  }

  const decideExtension = (id: string, partId: string, input: ActionInput<'decideExtension'>, ctx: RequestContext) =>
    act(id, input.version, 'decide_extension', ctx, async (trx, row, actor) => {
      const part = await partFor(trx, id, partId, 'decide_extension', actor, true);
      const days = part.extension_days!;
      const due = input.approve ? await calendar.addWorkdays(part.due_date, days, trx) : { date: part.due_date, estimated: part.due_estimated === 1 };
      await trx
        .updateTable('appeal_parts')
        .set({ extension_days: null, extension_reason: null, extension_requested_at: null, due_date: due.date, due_estimated: due.estimated ? 1 : 0 })
        .where('id', '=', part.id)
        .execute();
      await record(trx, row, actor, ctx.ip, { action: 'decide_extension', part, from: row.status, to: row.status, data: { approve: input.approve, days, dueDate: due.date, comment: input.comment ?? null } });
      await tell(trx, row, await unitPeople(trx, [part.organisation_id]), 'extension-decided', input.approve ? `延期 ${days} 个工作日已批准，新期限 ${due.date}` : '延期申请未批准', actor);
    });

  /** The enterprise's rating, or one an officer took on a return call (回访). 不满意 reopens the case (重办). */
  function rateAs(via: 'enterprise' | 'callback') {
    return (id: string, input: ActionInput<'rate'>, ctx: RequestContext) =>
      act(id, input.version, 'rate', ctx, async (trx, row, actor) => {
        if (via === 'enterprise') {
          const managers = await trx.selectFrom('enterprise_managers').select('user_id').where('enterprise_id', '=', row.enterprise_id).execute();
          if (!managers.some((manager) => manager.user_id === actor.userId)) throw notFound();
        }
        const redo = input.rating === 'dissatisfied' && row.redo_count < MAX_REDO;
        await setStatus(trx, id, redo ? 'in_progress' : 'rated', { rating: input.rating, rating_comment: input.comment ?? null, ...(redo ? { redo_count: row.redo_count + 1 } : {}) });
        await record(trx, row, actor, ctx.ip, { action: 'rate', from: row.status, to: redo ? 'in_progress' : 'rated', data: { rating: input.rating, comment: input.comment ?? null, via } });
        const unitIds = (await selectParts(trx, [id])).filter((part) => part.status === 'answered').map((part) => part.organisation_id);
        await tell(trx, row, [...(await officersFor(trx, row.region_code)), ...(await unitPeople(trx, unitIds))], 'rated', `企业评价：${ratingNames[input.rating]}`, actor);
        if (!redo) return;
        const today_ = today();
        const parts = (await selectParts(trx, [id])).filter((part) => part.status === 'answered');
        for (const part of parts) {
          const due = await calendar.addWorkdays(today_, part.days, trx);
          await trx
            .updateTable('appeal_parts')
            .set({ status: 'signed', answered_at: null, answered_on: null, answer: null, due_date: due.date, due_estimated: due.estimated ? 1 : 0, paused_days: 0, urged_for: null, reported_for: null })
            .where('id', '=', part.id)
            .execute();
          await record(trx, row, null, ctx.ip, { action: 'redo', part, from: 'answered', to: 'in_progress', partFrom: 'answered', partTo: 'signed', data: { dueDate: due.date, round: row.redo_count + 1 } });
        }
        await tell(trx, row, await unitPeople(trx, parts.map((part) => part.organisation_id)), 'redo', `企业不满意，重办，新期限 ${parts[0] ? (await calendar.addWorkdays(today_, parts[0].days, trx)).date : ''}`, actor);
      });
  }

  const urge = (id: string, input: ActionInput<'urge'>, ctx: RequestContext) =>
    act(id, input.version, 'urge', ctx, async (trx, row, actor) => {
      const open = (await selectParts(trx, [id])).filter((part) => part.status === 'dispatched' || part.status === 'signed');
      if (open.length === 0) throw wrongState('urge');
      for (const part of open) await record(trx, row, actor, ctx.ip, { action: 'urge', part, from: row.status, to: row.status, data: { message: input.message ?? null, dueDate: part.due_date } });
      await tell(trx, row, await unitPeople(trx, open.map((part) => part.organisation_id)), 'urged', `催办${input.message ? `：${input.message}` : ''}`, actor);
    });

  const supervise = (id: string, input: ActionInput<'supervise'>, ctx: RequestContext) =>
    act(id, input.version, 'supervise', ctx, async (trx, row, actor) => {
      await setStatus(trx, id, row.status as AppealStatus, { supervised: 1 });
      await record(trx, row, actor, ctx.ip, { action: 'supervise', from: row.status, to: row.status, data: { instruction: input.instruction } });
      const units = (await selectParts(trx, [id])).filter((part) => isActivePart(part.status)).map((part) => part.organisation_id);
      await tell(trx, row, [...(await unitPeople(trx, units)), ...(await officersFor(trx, row.region_code))], 'supervised', `领导督办：${input.instruction}`, actor);
    });

  const archive = (id: string, input: ActionInput<'archive'>, ctx: RequestContext) =>
    act(id, input.version, 'archive', ctx, async (trx, row, actor) => {
      await setStatus(trx, id, 'archived');
      await record(trx, row, actor, ctx.ip, { action: 'archive', from: row.status, to: 'archived', data: { note: input.note ?? null } });
    });

  // ── the overdue sweep (催办 the working day after the deadline, 通报 five working days later) ──────────────

  /**
   * Run by the job worker (and `qinqing appeals sweep`): idempotent, so any instance may run it any number of
   * times a day. Returns how many parts were urged and reported.
   */
  async function sweepOverdue(): Promise<{ urged: number; reported: number }> {
    const day = today();
    const candidates = await db
      .selectFrom('appeal_parts')
      .select(['id', 'appeal_id', 'due_date', 'urged_for', 'reported_for'])
      .where('status', 'in', ['dispatched', 'signed'])
      .where('paused_since', 'is', null)
      .where('due_date', '<', day)
      .execute();
    let urged = 0;
    let reported = 0;
    if (candidates.length === 0) return { urged: 0, reported: 0 };
    // One calendar load for all: from the oldest deadline to well past today (deadlines are before today).
    const oldest = candidates.reduce((min, candidate) => (candidate.due_date < min ? candidate.due_date : min), day);
    const span = await calendar.span(oldest, addCalendarDays(day, 60));
    for (const candidate of candidates) {
      const urgeOn = span.addWorkdays(candidate.due_date, 1).date;
      const reportOn = span.addWorkdays(candidate.due_date, 1 + REPORT_AFTER_DAYS).date;
      const doUrge = day >= urgeOn && candidate.urged_for !== candidate.due_date;
      const doReport = day >= reportOn && candidate.reported_for !== candidate.due_date;
      if (!doUrge && !doReport) continue;
      await db.transaction().execute(async (trx) => {
        // Lock the case first: a second instance sweeping at the same moment waits here, then sees urged_for set.
        await trx.updateTable('appeals').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', candidate.appeal_id).execute();
        const part = (await selectParts(trx, [candidate.appeal_id])).find((row) => row.id === candidate.id);
        const row = await selectAppeal(trx, candidate.appeal_id);
        if (!part || !row || !isPartOverdue(part, day) || (part.urged_for === part.due_date && (part.reported_for === part.due_date || !doReport))) {
          throw new NothingToDo();
        }
        if (doUrge && part.urged_for !== part.due_date) {
          await trx.updateTable('appeal_parts').set({ urged_for: part.due_date }).where('id', '=', part.id).execute();
          await record(trx, row, null, null, { action: 'urge', part, from: row.status, to: row.status, data: { automatic: true, dueDate: part.due_date } });
          await tell(trx, row, await unitPeople(trx, [part.organisation_id]), 'urged', `已超期（期限 ${part.due_date}），系统催办`, null);
          urged += 1;
        }
        if (doReport && part.reported_for !== part.due_date) {
          await trx.updateTable('appeal_parts').set({ reported_for: part.due_date }).where('id', '=', part.id).execute();
          await record(trx, row, null, null, { action: 'report', part, from: row.status, to: row.status, data: { automatic: true, dueDate: part.due_date } });
          const people = [...(await unitPeople(trx, [part.organisation_id])), ...(await leadersFor(trx, row.region_code)), ...(await officersFor(trx, row.region_code))];
          await tell(trx, row, people, 'reported', `${part.organisation_name} 超期 ${REPORT_AFTER_DAYS} 个工作日未办结，予以通报`, null);
          reported += 1;
        }
      }).catch((error: unknown) => {
        if (!(error instanceof NothingToDo)) throw error; // rolled back: the version bump is undone too
      });
    }
    return { urged, reported };
  }

  return {
    getAppeal,
    findAppeals,
    findSimilar,
    listCategories,
    createCategory,
    updateCategory,
    submitAppeal,
    submitIn,
    accept,
    decline,
    merge,
    dispatch,
    sign: partAction('sign', 'sign'),
    returnPart: partAction('return', 'return'),
    pause: partAction('pause', 'pause'),
    resume: partAction('resume', 'resume'),
    requestExtension: partAction('requestExtension', 'request_extension'),
    answer: partAction('answer', 'answer'),
    decideExtension,
    rate: rateAs('enterprise'),
    rateOnCallback: rateAs('callback'),
    urge,
    supervise,
    archive,
    sweepOverdue,
    loadVisible,
  };
}

export type AppealsService = ReturnType<typeof createAppealsService>;

/** Thrown to roll back a sweep transaction that found its work already done by another instance. */
class NothingToDo extends Error {}

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

/** The UTC instant at which a China calendar day starts. */
export function startOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The appeals service, for the job worker and tests (the overdue sweep). */
    appeals: AppealsService;
  }
}

/** The division codes whose area holds a region: 330483107200 → 330000, 330400, 330483, 330483107, 330483107200. */
export function regionsContaining(region: string): string[] {
  const codes = [`${region.slice(0, 2)}0000`, `${region.slice(0, 4)}00`, region.slice(0, 6)];
  if (region.length >= 9) codes.push(region.slice(0, 9));
  if (region.length >= 12) codes.push(region.slice(0, 12));
  return [...new Set(codes)].filter((code) => isWithinRegion(region, code));
}
