import type { Appeal, AppealAction, AppealListItem, AppealListQuery, AppealPart, AppealStatus } from '@qinqing/contracts';
import { hasPermission } from '@qinqing/contracts';
import type { ExpressionBuilder } from 'kysely';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import { maskPhone } from '../../platform/audit/masking.js';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { containsPattern } from '../../platform/db/text.js';
import { notFound } from '../../platform/errors.js';
import type { AppealContext } from './appeal-context.js';
import { closedStatuses, isActivePart, isOpenPart, isPartOverdue, openPartStatuses, partPrecondition, transitions } from './appeal-rules.js';
import { type AppealRow, type PartRow, accessFacts, isOverdueOn, selectAppeal, selectParts, withPart } from './appeal-rows.js';
import { type AppealAccessFacts, canViewAppeal, visibleAppeals } from './appeals.access.js';

/** Reading appeals: one appeal as its page shows it (with the steps open to the reader), the list and its filters. */
export function createAppealQueries(context: AppealContext) {
  const { db, today } = context;

  async function loadVisible(executor: Executor, id: string, actor: Actor): Promise<AppealRow> {
    return (await loadVisibleWithFacts(executor, id, actor)).row;
  }

  /** The row and the facts its access was decided on, or NOT_FOUND (missing and invisible look the same). */
  async function loadVisibleWithFacts(executor: Executor, id: string, actor: Actor) {
    const row = await selectAppeal(executor, id);
    const facts = row ? await accessFacts(executor, row) : null;
    if (!row || !facts || !canViewAppeal(actor, facts)) throw notFound();
    return { row, facts };
  }

  async function buildAppeal(executor: Executor, row: AppealRow, actor: Actor, knownFacts?: AppealAccessFacts): Promise<Appeal> {
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
        .select(['id', 'part_id', 'filename', 'content_type', 'size', 'uploaded_by_name', 'created_at'])
        .where('appeal_id', '=', row.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    ]);
    // The appeal's own files, and each unit's answer's files with its part.
    const files = attachments.map((file) => ({ partId: file.part_id, id: file.id, filename: file.filename, contentType: file.content_type, size: Number(file.size), uploadedByName: file.uploaded_by_name, createdAt: String(file.created_at) }));
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
      parts: parts.map((part) => ({ ...toPart(part, day), attachments: files.filter((file) => file.partId === part.id).map(({ partId: _, ...file }) => file) })),
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
      attachments: files.filter((file) => file.partId === null).map(({ partId: _, ...file }) => file),
      allowedActions: allowedActions(actor, row, parts, facts.managerIds),
    };
  }

  async function getAppeal(id: string, ctx: RequestContext): Promise<Appeal> {
    const actor = requireActor(ctx);
    const { row, facts } = await loadVisibleWithFacts(db, id, actor);
    return buildAppeal(db, row, actor, facts);
  }

  /** The appeals this actor may see, narrowed by the list's filters (appeals joined with their enterprises). */
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
          let moved = eb.selectFrom('appeal_events').select('appeal_events.appeal_id');
          if (query.from) moved = moved.where('appeal_events.day', '>=', query.from);
          if (query.to) moved = moved.where('appeal_events.day', '<=', query.to);
          if (query.organisationId) {
            // The unit's steps, except those on a part since withdrawn (撤回交办: it counts for its unit in no KPI).
            moved = moved
              .where('appeal_events.organisation_id', '=', query.organisationId)
              .where((inner) => inner.or([inner('appeal_events.part_id', 'is', null), inner('appeal_events.part_id', 'not in', inner.selectFrom('appeal_parts').select('appeal_parts.id').where('appeal_parts.status', '=', 'withdrawn'))]));
          }
          // …and the parts still open whose deadline fell in the period (the KPIs' overdue ones).
          const due = withPart(eb, (parts) => {
            let open = parts.where('appeal_parts.status', 'in', [...openPartStatuses]);
            if (query.from) open = open.where('appeal_parts.due_date', '>=', query.from);
            if (query.to) open = open.where('appeal_parts.due_date', '<=', query.to);
            if (query.organisationId) open = open.where('appeal_parts.organisation_id', '=', query.organisationId);
            return open;
          });
          conditions.push(eb.or([eb('appeals.id', 'in', moved), due]));
        } else {
          if (query.from) conditions.push(eb('appeals.created_at', '>=', startOfChinaDay(query.from)));
          if (query.to) conditions.push(eb('appeals.created_at', '<', startOfChinaDay(nextDay(query.to))));
        }
        const unit = query.organisationId;
        // A unit's cases: those it holds a part of, a withdrawn part not counting.
        if (unit) conditions.push(withPart(eb, (parts) => parts.where('appeal_parts.organisation_id', '=', unit).where('appeal_parts.status', '!=', 'withdrawn')));
        if (query.overdue) {
          const overdue = withPart(eb, (parts) => parts.where((inner) => isOverdueOn(inner, day)));
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

  /** The scoped appeals as rows (what `selectAppeal` reads for one), to order and page. */
  function scopedRows(actor: Actor, query: AppealListQuery) {
    return scoped(actor, query).selectAll('appeals').select(['enterprises.name as enterprise_name', 'enterprises.credit_code', 'enterprises.region_code']);
  }

  /** What waits for this actor, by role (several roles: any of them). */
  function todoCondition(eb: ExpressionBuilder<Database, 'appeals' | 'enterprises'>, actor: Actor, day: string) {
    const waiting = [];
    const unit = actor.organisationId;
    if (hasPermission(actor.roles, 'appeals:handle') && unit) {
      waiting.push(withPart(eb, (parts) => parts.where('appeal_parts.organisation_id', '=', unit).where('appeal_parts.status', 'in', [...openPartStatuses])));
    }
    if (hasPermission(actor.roles, 'appeals:manage')) {
      waiting.push(eb('appeals.status', 'in', ['pending', 'accepted']));
      waiting.push(withPart(eb, (parts) => parts.where('appeal_parts.extension_days', 'is not', null)));
    }
    if (hasPermission(actor.roles, 'appeals:rate')) {
      waiting.push(eb.and([eb('appeals.status', '=', 'answered'), eb('appeals.enterprise_id', 'in', eb.selectFrom('enterprise_managers').select('enterprise_managers.enterprise_id').where('enterprise_managers.user_id', '=', actor.userId))]));
    }
    if (hasPermission(actor.roles, 'appeals:supervise')) {
      waiting.push(withPart(eb, (parts) => parts.where((inner) => isOverdueOn(inner, day))));
    }
    return waiting.length ? eb.or(waiting) : eb.lit(false);
  }

  async function findAppeals(query: AppealListQuery, ctx: RequestContext) {
    const actor = requireActor(ctx);
    const { total } = await scoped(actor, query).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    let ordered = scopedRows(actor, query);
    if (query.todo) {
      // 待办 in the order it is worked: a unit's parts awaiting signature, an officer's new cases, then the earliest
      // deadline (the unit's own part for a unit), then the newest.
      const mine = actor.roles.includes('handler') && actor.organisationId ? actor.organisationId : null;
      const openParts = (eb: ExpressionBuilder<Database, 'appeals' | 'enterprises'>) => {
        let parts = eb.selectFrom('appeal_parts as todo_part').whereRef('todo_part.appeal_id', '=', 'appeals.id').where('todo_part.status', 'in', [...openPartStatuses]);
        if (mine) parts = parts.where('todo_part.organisation_id', '=', mine);
        return parts;
      };
      ordered = ordered
        .orderBy((eb) =>
          eb
            .case()
            .when(mine ? withPart(eb, (parts) => parts.where('appeal_parts.organisation_id', '=', mine).where('appeal_parts.status', '=', 'dispatched')) : eb.lit(false))
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
    return { items: await listItems(rows, actor), total: Number(total) };
  }

  /** List items for some rows, their parts read in one query. */
  async function listItems(rows: AppealRow[], actor: Actor): Promise<AppealListItem[]> {
    const parts = await selectParts(db, rows.map((row) => row.id));
    const day = today();
    return rows.map((row) => toListItem(row, parts.filter((part) => part.appeal_id === row.id), day, actor));
  }

  return { loadVisible, loadVisibleWithFacts, buildAppeal, getAppeal, scopedRows, findAppeals, listItems };
}

export type AppealQueries = ReturnType<typeof createAppealQueries>;

function toPart(row: PartRow, day: string): Omit<AppealPart, 'attachments'> {
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
  const open = parts.filter((part) => isOpenPart(part.status)).map((part) => part.due_date).sort();
  return open[0] ?? null;
}

function toListItem(row: AppealRow, parts: PartRow[], day: string, actor: Actor): AppealListItem {
  const due = caseDue(parts);
  const mine = actor.roles.includes('handler') ? parts.filter((part) => part.organisation_id === actor.organisationId && part.status !== 'withdrawn').at(-1) : undefined;
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
    dueEstimated: parts.some((part) => part.due_date === due && part.due_estimated === 1 && isOpenPart(part.status)),
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
export function allowedActions(actor: Actor, row: AppealRow, parts: PartRow[], managerIds: readonly string[]): string[] {
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
    if (action === 'urge' && !parts.some((part) => isOpenPart(part.status))) continue;
    allowed.push(action);
  }
  return allowed;
}

/** The UTC instant at which a China calendar day starts. */
export function startOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
