import type { Appeal, AppealAction, AppealPart, AppealStatus } from '@qinqing/contracts';
import { type appealActionInputs, appealActionNamesZh, appealRatingNamesZh } from '@qinqing/contracts';
import type { z } from 'zod';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import { newId } from '../../platform/crypto.js';
import type { Executor, Trx } from '../../platform/db/database.js';
import { AppError, invalidFields, notFound } from '../../platform/errors.js';
import type { AppealContext, NamedActor } from './appeal-context.js';
import type { AppealQueries } from './appeal-queries.js';
import { MAX_EXTENSION_DAYS, MAX_REDO, chinaDate, closedStatuses, isActivePart, isOpenPart, partPrecondition, statusFromParts, transitions } from './appeal-rules.js';
import { type AppealRow, type PartRow, accessFacts, selectAppeal, selectParts } from './appeal-rows.js';
import { type AppealAccessFacts, canViewAppeal } from './appeals.access.js';

type Inputs = typeof appealActionInputs;
export type ActionInput<K extends keyof Inputs> = z.infer<Inputs[K]>;

const stale = (current: Appeal) => new AppError('CONFLICT', { reason: 'someone changed this appeal first' }, { current });
const wrongState = (action: AppealAction) => new AppError('CONFLICT', { reason: 'this step is not open in the current state' }, { action });

/**
 * The loop of domain-rules §5 after submission: each step one transaction (version bump, the change, its
 * appeal event, timeline entry and audit row, the notices), answering with the appeal as it now stands.
 */
export function createAppealWorkflow(context: AppealContext, queries: AppealQueries) {
  const { db, clock, calendar, today, record, tell, officersFor, unitPeople } = context;
  const { loadVisibleWithFacts, buildAppeal } = queries;

  /**
   * Open a change: the appeal must be visible, at the version the caller decided on (else 409 with the current
   * state), and in a state the table allows. Bumping the version first takes the row lock on PostgreSQL, so of
   * two people acting on the same version exactly one wins; the bump answers with the row as it now stands (with
   * its enterprise's name and region and the actor's display name), and the access facts are read after it, once
   * per step, for the check here, the notices and the answer. Someone who may not see the appeal gets a 404 and
   * the transaction, bump included, rolls back.
   */
  async function begin(trx: Trx, id: string, version: number, action: AppealAction, actor: Actor) {
    const bumped = await trx
      .updateTable('appeals')
      .set({ version: version + 1, updated_at: clock.now().toISOString() })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .returning((eb) => [
        eb.selectFrom('enterprises').select('enterprises.name').whereRef('enterprises.id', '=', 'appeals.enterprise_id').as('enterprise_name'),
        eb.selectFrom('enterprises').select('enterprises.credit_code').whereRef('enterprises.id', '=', 'appeals.enterprise_id').as('credit_code'),
        eb.selectFrom('enterprises').select('enterprises.region_code').whereRef('enterprises.id', '=', 'appeals.enterprise_id').as('region_code'),
        eb.selectFrom('users').select('users.display_name').where('users.id', '=', actor.userId).as('actor_display_name'),
      ])
      .executeTakeFirst();
    if (!bumped) {
      // Missing, invisible (404) or stale (409): on PostgreSQL the UPDATE waited for the winner, whose commit a new statement now sees.
      const { row, facts } = await loadVisibleWithFacts(trx, id, actor);
      throw stale(await buildAppeal(trx, row, actor, facts));
    }
    const { actor_display_name, ...appeal } = bumped;
    const row = appeal as AppealRow;
    const facts = await accessFacts(trx, row);
    if (!canViewAppeal(actor, facts)) throw notFound();
    if (!transitions[action].from.includes(row.status as AppealStatus)) throw wrongState(action);
    const named: NamedActor = { ...actor, displayName: actor_display_name ?? null };
    return { row, facts, actor: named };
  }

  /** The part an action is about: one of this appeal's, and (for a unit's actions) one of the actor's unit. */
  async function partFor(trx: Trx, appealId: string, partId: string, action: AppealAction, actor: Actor, asManager: boolean) {
    const parts = await selectParts(trx, [appealId]);
    partsRead.set(trx, parts);
    const part = parts.find((candidate) => candidate.id === partId);
    if (!part || (!asManager && part.organisation_id !== actor.organisationId)) throw notFound();
    if (!transitions[action].part!.includes(part.status as AppealPart['status'])) throw wrongState(action);
    const problem = partPrecondition(action, part);
    if (problem) throw new AppError('CONFLICT', { reason: problem });
    return part;
  }

  /** The appeal row each open step's transaction will answer with, kept as the step changes it. */
  const current = new WeakMap<Trx, AppealRow>();

  async function setStatus(trx: Trx, id: string, status: AppealStatus, extra: Partial<{ decline_reason: string; merged_into_id: string; rating: string; rating_comment: string | null; redo_count: number; supervised: number }> = {}) {
    await trx.updateTable('appeals').set({ status, ...extra }).where('id', '=', id).execute();
    const row = current.get(trx);
    if (row?.id === id) Object.assign(row, { status, ...extra });
  }

  /** The parts `partFor` read in a step's transaction, under the appeal's lock (nothing else writes them meanwhile). */
  const partsRead = new WeakMap<Trx, PartRow[]>();

  /** The appeal's parts as `partFor` read them, once this step moved one of them to a new status. */
  const movedTo = (trx: Trx, part: PartRow, status: string) => partsRead.get(trx)!.map((candidate) => (candidate.id === part.id ? { ...candidate, status } : candidate));

  /** After a part moved: the case's state follows from its parts (all of them, as they now are). */
  async function settle(trx: Trx, row: AppealRow, parts: ReadonlyArray<{ status: string }>) {
    const status = statusFromParts(parts);
    if (status !== row.status) await setStatus(trx, row.id, status);
    return status;
  }

  /** The enterprise's people for a notice: its managers (read with the access facts) and who submitted the appeal. */
  const enterprisePeople = (row: AppealRow, facts: AppealAccessFacts) => [...new Set([...facts.managerIds, ...(row.submitted_by ? [row.submitted_by] : [])])];

  /**
   * One step in one transaction, answering with the appeal as the transaction leaves it (what a read after the
   * commit shows): the row as the step changed it, and its parts, events and files read at the end.
   */
  async function act<T>(id: string, version: number, action: AppealAction, ctx: RequestContext, change: (trx: Trx, row: AppealRow, actor: NamedActor, facts: AppealAccessFacts) => Promise<T>): Promise<Appeal> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const opened = await begin(trx, id, version, action, actor);
      const after = { ...opened.row };
      current.set(trx, after);
      await change(trx, opened.row, opened.actor, opened.facts);
      return buildAppeal(trx, after, actor, opened.facts);
    });
  }

  const accept = (id: string, input: ActionInput<'accept'>, ctx: RequestContext) =>
    act(id, input.version, 'accept', ctx, async (trx, row, actor, facts) => {
      await setStatus(trx, id, 'accepted');
      await record(trx, row, actor, ctx.ip, { action: 'accept', from: row.status, to: 'accepted' });
      await tell(trx, row, enterprisePeople(row, facts), 'accepted', '已受理', actor);
    });

  const decline = (id: string, input: ActionInput<'decline'>, ctx: RequestContext) =>
    act(id, input.version, 'decline', ctx, async (trx, row, actor, facts) => {
      await setStatus(trx, id, 'declined', { decline_reason: input.reason });
      await record(trx, row, actor, ctx.ip, { action: 'decline', from: row.status, to: 'declined', data: { reason: input.reason } });
      await tell(trx, row, enterprisePeople(row, facts), 'declined', `${appealActionNamesZh.decline}：${input.reason}`, actor);
    });

  /** A duplicate joins an open appeal of the same enterprise (both histories say so; the target's version moves). */
  const merge = (id: string, input: ActionInput<'merge'>, ctx: RequestContext) =>
    act(id, input.version, 'merge', ctx, async (trx, row, actor, facts) => {
      const target = await selectAppeal(trx, input.intoId);
      if (!target || target.id === row.id || target.enterprise_id !== row.enterprise_id || closedStatuses.includes(target.status as AppealStatus)) {
        throw invalidFields([{ field: 'intoId', message: 'an open appeal of the same enterprise' }]);
      }
      await setStatus(trx, id, 'merged', { merged_into_id: target.id });
      await record(trx, row, actor, ctx.ip, { action: 'merge', from: row.status, to: 'merged', data: { intoId: target.id, intoNumber: target.number } });
      await record(trx, target, actor, ctx.ip, { action: 'merge', from: target.status, to: target.status, data: { mergedFromId: row.id, mergedFromNumber: row.number } });
      await trx.updateTable('appeals').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', target.id).execute();
      await tell(trx, row, enterprisePeople(row, facts), 'merged', `与诉求 ${target.number} 合并办理`, actor);
    });

  const dispatch = (id: string, input: ActionInput<'dispatch'>, ctx: RequestContext) =>
    act(id, input.version, 'dispatch', ctx, async (trx, row, actor, facts) => {
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
      const status = await settle(trx, row, [...existing, ...created.map(({ part }) => part)]);
      for (const { part, due } of created) {
        await record(trx, row, actor, ctx.ip, { action: 'dispatch', part, from: row.status, to: status, partTo: 'dispatched', data: { days: part.days, dueDate: due.date, estimated: due.estimated, part: part.part } });
      }
      await tell(trx, row, await unitPeople(trx, input.parts.map((part) => part.organisationId)), 'dispatched', '已交办到本单位，请签收', actor);
      if (row.status === 'accepted' && status !== row.status) await tell(trx, row, enterprisePeople(row, facts), 'dispatched', `已交办：${units.map((unit) => unit.name).join('、')}`, actor);
    });

  /** A unit's step on its part. */
  function partAction<K extends 'sign' | 'return' | 'pause' | 'resume' | 'requestExtension' | 'answer'>(key: K, action: AppealAction) {
    return (id: string, partId: string, input: ActionInput<K>, ctx: RequestContext) =>
      act(id, input.version, action, ctx, async (trx, row, actor, facts) => {
        const part = await partFor(trx, id, partId, action, actor, false);
        await onPart[key](trx, row, part, input as never, actor, ctx.ip, facts);
      });
  }

  const onPart = {
    async sign(trx: Trx, row: AppealRow, part: PartRow, _input: ActionInput<'sign'>, actor: NamedActor, ip: string | null, facts: AppealAccessFacts) {
      await trx.updateTable('appeal_parts').set({ status: 'signed', signed_at: clock.now().toISOString() }).where('id', '=', part.id).execute();
      const status = await settle(trx, row, movedTo(trx, part, 'signed'));
      await record(trx, row, actor, ip, { action: 'sign', part, from: row.status, to: status, partFrom: part.status, partTo: 'signed' });
    },
    async return(trx: Trx, row: AppealRow, part: PartRow, input: ActionInput<'return'>, actor: NamedActor, ip: string | null, facts: AppealAccessFacts) {
      await trx.updateTable('appeal_parts').set({ status: 'returned', return_count: part.return_count + 1 }).where('id', '=', part.id).execute();
      const status = await settle(trx, row, movedTo(trx, part, 'returned'));
      await record(trx, row, actor, ip, { action: 'return', part, from: row.status, to: status, partFrom: part.status, partTo: 'returned', data: { reason: input.reason } });
      await tell(trx, row, await officersFor(trx, row.region_code), 'returned', `${part.organisation_name} 退单：${input.reason}`, actor);
    },
    async pause(trx: Trx, row: AppealRow, part: PartRow, input: ActionInput<'pause'>, actor: NamedActor, ip: string | null, facts: AppealAccessFacts) {
      await trx.updateTable('appeal_parts').set({ paused_since: today() }).where('id', '=', part.id).execute();
      await record(trx, row, actor, ip, { action: 'pause', part, from: row.status, to: row.status, data: { reason: input.reason, since: today() } });
      await tell(trx, row, enterprisePeople(row, facts), 'paused', `${part.organisation_name} 等待企业补充材料：${input.reason}`, actor);
    },
    async resume(trx: Trx, row: AppealRow, part: PartRow, _input: ActionInput<'resume'>, actor: NamedActor, ip: string | null, facts: AppealAccessFacts) {
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
    async requestExtension(trx: Trx, row: AppealRow, part: PartRow, input: ActionInput<'requestExtension'>, actor: NamedActor, ip: string | null, facts: AppealAccessFacts) {
      const granted = await grantedExtensionDays(trx, part.id);
      if (granted + input.days > MAX_EXTENSION_DAYS) throw invalidFields([{ field: 'days', message: 'at most {n} more working days', params: { n: MAX_EXTENSION_DAYS - granted } } as never]);
      await trx.updateTable('appeal_parts').set({ extension_days: input.days, extension_reason: input.reason, extension_requested_at: clock.now().toISOString() }).where('id', '=', part.id).execute();
      await record(trx, row, actor, ip, { action: 'request_extension', part, from: row.status, to: row.status, data: { days: input.days, reason: input.reason } });
      await tell(trx, row, await officersFor(trx, row.region_code), 'extension-requested', `${part.organisation_name} 申请延期 ${input.days} 个工作日`, actor);
    },
    async answer(trx: Trx, row: AppealRow, part: PartRow, input: ActionInput<'answer'>, actor: NamedActor, ip: string | null, facts: AppealAccessFacts) {
      const now = clock.now();
      await trx.updateTable('appeal_parts').set({ status: 'answered', answered_at: now.toISOString(), answered_on: chinaDate(now), answer: input.answer }).where('id', '=', part.id).execute();
      const status = await settle(trx, row, movedTo(trx, part, 'answered'));
      await record(trx, row, actor, ip, { action: 'answer', part, from: row.status, to: status, partFrom: part.status, partTo: 'answered', data: { answer: input.answer, dueDate: part.due_date, onTime: chinaDate(now) <= part.due_date } });
      if (status === 'answered') await tell(trx, row, enterprisePeople(row, facts), 'answered', '已办结答复，请评价', actor);
    },
  };

  async function grantedExtensionDays(executor: Executor, partId: string) {
    const decisions = await executor.selectFrom('appeal_events').select('data').where('part_id', '=', partId).where('action', '=', 'decide_extension').execute();
    return decisions.map((event) => JSON.parse(event.data ?? '{}') as { approve?: boolean; days?: number }).reduce((sum, data) => sum + (data.approve ? (data.days ?? 0) : 0), 0);
  }

  const decideExtension = (id: string, partId: string, input: ActionInput<'decideExtension'>, ctx: RequestContext) =>
    act(id, input.version, 'decide_extension', ctx, async (trx, row, actor, facts) => {
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

  /**
   * 撤回交办: the dispatcher takes back a unit's part that is not answered yet (dispatched to the wrong unit, or a
   * joint unit no longer needed). The part ends without counting for its unit; the case then follows from the
   * remaining parts as after a return (none open → back to 已受理 to dispatch again; all answered → 已办结·待评价).
   * A pending extension request or pause of the part ends with it.
   */
  const withdraw = (id: string, partId: string, input: ActionInput<'withdraw'>, ctx: RequestContext) =>
    act(id, input.version, 'withdraw', ctx, async (trx, row, actor, facts) => {
      const part = await partFor(trx, id, partId, 'withdraw', actor, true);
      await trx
        .updateTable('appeal_parts')
        .set({ status: 'withdrawn', paused_since: null, extension_days: null, extension_reason: null, extension_requested_at: null })
        .where('id', '=', part.id)
        .execute();
      const status = await settle(trx, row, movedTo(trx, part, 'withdrawn'));
      await record(trx, row, actor, ctx.ip, { action: 'withdraw', part, from: row.status, to: status, partFrom: part.status, partTo: 'withdrawn', data: { reason: input.reason } });
      await tell(trx, row, await unitPeople(trx, [part.organisation_id]), 'withdrawn', `已撤回对${part.organisation_name}的交办：${input.reason}`, actor);
      if (status === 'answered') await tell(trx, row, enterprisePeople(row, facts), 'answered', '已办结答复，请评价', actor);
    });

  /** The enterprise's rating, or one an officer took on a return call (回访). 不满意 reopens the case (重办). */
  function rateAs(via: 'enterprise' | 'callback') {
    return (id: string, input: ActionInput<'rate'>, ctx: RequestContext) =>
      act(id, input.version, 'rate', ctx, async (trx, row, actor, facts) => {
        if (via === 'enterprise') {
          if (!facts.managerIds.includes(actor.userId)) throw notFound();
        }
        const redo = input.rating === 'dissatisfied' && row.redo_count < MAX_REDO;
        await setStatus(trx, id, redo ? 'in_progress' : 'rated', { rating: input.rating, rating_comment: input.comment ?? null, ...(redo ? { redo_count: row.redo_count + 1 } : {}) });
        await record(trx, row, actor, ctx.ip, { action: 'rate', from: row.status, to: redo ? 'in_progress' : 'rated', data: { rating: input.rating, comment: input.comment ?? null, via } });
        // Read once: nothing below writes a part before the redo loop.
        const answeredParts = (await selectParts(trx, [id])).filter((part) => part.status === 'answered');
        const unitIds = answeredParts.map((part) => part.organisation_id);
        await tell(trx, row, [...(await officersFor(trx, row.region_code)), ...(await unitPeople(trx, unitIds))], 'rated', `企业评价：${appealRatingNamesZh[input.rating]}`, actor);
        if (!redo) return;
        const today_ = today();
        const parts = answeredParts;
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
    act(id, input.version, 'urge', ctx, async (trx, row, actor, facts) => {
      const open = (await selectParts(trx, [id])).filter((part) => isOpenPart(part.status));
      if (open.length === 0) throw wrongState('urge');
      for (const part of open) await record(trx, row, actor, ctx.ip, { action: 'urge', part, from: row.status, to: row.status, data: { message: input.message ?? null, dueDate: part.due_date } });
      await tell(trx, row, await unitPeople(trx, open.map((part) => part.organisation_id)), 'urged', `${appealActionNamesZh.urge}${input.message ? `：${input.message}` : ''}`, actor);
    });

  const supervise = (id: string, input: ActionInput<'supervise'>, ctx: RequestContext) =>
    act(id, input.version, 'supervise', ctx, async (trx, row, actor, facts) => {
      await setStatus(trx, id, row.status as AppealStatus, { supervised: 1 });
      await record(trx, row, actor, ctx.ip, { action: 'supervise', from: row.status, to: row.status, data: { instruction: input.instruction } });
      const units = (await selectParts(trx, [id])).filter((part) => isActivePart(part.status)).map((part) => part.organisation_id);
      await tell(trx, row, [...(await unitPeople(trx, units)), ...(await officersFor(trx, row.region_code))], 'supervised', `领导督办：${input.instruction}`, actor);
    });

  const archive = (id: string, input: ActionInput<'archive'>, ctx: RequestContext) =>
    act(id, input.version, 'archive', ctx, async (trx, row, actor, facts) => {
      await setStatus(trx, id, 'archived');
      await record(trx, row, actor, ctx.ip, { action: 'archive', from: row.status, to: 'archived', data: { note: input.note ?? null } });
    });

  return {
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
    withdraw,
    rate: rateAs('enterprise'),
    rateOnCallback: rateAs('callback'),
    urge,
    supervise,
    archive,
  };
}
