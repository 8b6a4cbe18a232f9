// The demo town's year of appeals (and the visits, liaison points and symposiums around them), played through the
// modules' services on a clock set to each step's time: the appeal events, the enterprise files' timelines, the
// audit chain, the notifications and the KPIs all follow from the same calls a person would make. The script comes
// from demo-appeal-plan.ts and demo-visit-plan.ts; the people it names are looked up in demo-cast.ts.

import { sql } from 'kysely';
import type { Appeal, AppealPart, AppealStatus, VisitProblem } from '@qinqing/contracts';
import type { RequestContext } from '../../platform/actor.js';
import { createAuditService } from '../../platform/audit/audit.service.js';
import { createCalendar } from '../../platform/calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/dialect.js';
import { createJobs } from '../../platform/jobs.js';
import { createNotifications } from '../../platform/notifications.js';
import { createTimeline } from '../../platform/timeline.js';
import { isOverdueOn } from '../appeals/appeal-rows.js';
import { chinaDate } from '../appeals/appeal-rules.js';
import { createAppealsService } from '../appeals/appeals.service.js';
import { createEnterprisesService } from '../enterprises/enterprises.service.js';
import { createNotificationsService } from '../notifications/notifications.service.js';
import { createLiaisonService } from '../visits/liaison.service.js';
import { createVisitsService } from '../visits/visits.service.js';
import { demoAccounts } from './demo-accounts.js';
import { type AppealStep, type Step, planAppealYear, planSpan } from './demo-appeal-plan.js';
import type { UnitKey } from './demo-appeal-templates.js';
import { castOf } from './demo-cast.js';
import type { VisitStep } from './demo-visit-plan.js';
import type { DemoWorld } from './demo-world.js';

export { historyStartsAt } from './demo-plan-clock.js';
export { visitCountFor } from './demo-visit-plan.js';

/** About 0.3 appeals a year per enterprise (≈ 280 for the town's 929), at most 3,000. */
export function appealCountFor(enterprises: number): number {
  return Math.min(3000, Math.round(enterprises * 0.3));
}


export interface AppealHistorySummary {
  appeals: number;
  byStatus: Partial<Record<AppealStatus, number>>;
  /** Not yet closed or rated: pending, accepted, dispatched, in progress, answered (awaiting the rating). */
  open: number;
  /** Parts past their deadline now (not paused). */
  overdue: number;
  /** Visits recorded (done), to this many enterprises; planned ones still ahead. */
  visits: number;
  visitedEnterprises: number;
  plannedVisits: number;
  liaisonPoints: number;
  symposiums: number;
}

/**
 * Plan and play `count` appeals and `visits` visits over the year ending at `end` (the load's "now") into a
 * database that holds the demo world. One transaction per step, as each service makes for a person; steps in time
 * order, so the audit chain's times never go back.
 */
export async function playAppealYear(deps: { db: Db; secretKey: string }, world: DemoWorld, options: { count: number; visits: number; end: Date }): Promise<AppealHistorySummary> {
  const { db, secretKey } = deps;
  const dialect = dialectOf(db);
  const calendar = createCalendar({ db });
  const { from, to } = planSpan(options.end);
  const categories = await db.selectFrom('appeal_categories').select(['code', 'deadline_days']).execute();
  const limits = Object.fromEntries(categories.map((category) => [category.code, category.deadline_days]));
  const plan = planAppealYear(world, { appeals: options.count, visits: options.visits, end: options.end, span: await calendar.span(from, to), limits });

  let now = plan.startsAt;
  const clock: Clock = { now: () => new Date(now) };
  const audit = createAuditService({ clock });
  const timeline = createTimeline({ clock });
  const jobs = createJobs({ db, clock });
  const notifications = createNotifications({ db, clock, secretKey, jobs, config: { webhookHosts: [] } });
  const inbox = createNotificationsService({ db, clock, audit, secretKey, notifications });
  const appeals = createAppealsService({ db, dialect, clock, audit, timeline, calendar, notify: notifications.notify });
  const visits = createVisitsService({ db, clock, audit, timeline, enterprises: createEnterprisesService({ db, dialect, clock, audit, timeline }) });
  const liaison = createLiaisonService({ db, clock, audit, timeline });
  const cast = await castOf(db, world, plan);

  const demoUsernames = new Set<string>(demoAccounts.map((account) => account.username));
  const cases = new Map<number, { id: string; version: number; parts: AppealPart[] }>();
  const storyOf = new Map<string, number>();
  const visitRecords = new Map<number, { id: string; problems: VisitProblem[] }>();
  const visitOfStory = new Map(plan.visits.filter((visit) => visit.appealStory !== null).map((visit) => [visit.appealStory!, visit.index]));
  const pointIds = new Map<number, string>();
  const symposiumIds = new Map<number, { id: string; suggestions: Array<{ id: string }> }>();

  /** The overdue sweep and merges move versions behind our back: read them again. */
  async function refreshVersions() {
    const rows = await db.selectFrom('appeals').select(['id', 'version']).where('status', 'in', ['dispatched', 'in_progress']).execute();
    for (const row of rows) {
      const story = storyOf.get(row.id);
      if (story !== undefined) cases.get(story)!.version = row.version;
    }
  }
  const partOf = (story: number, unit: UnitKey) => {
    const organisationId = cast.unit(unit);
    const part = cases.get(story)!.parts.find((candidate) => candidate.organisationId === organisationId && candidate.status !== 'returned' && candidate.status !== 'withdrawn');
    if (!part) throw new Error(`no ${unit} part`);
    return part.id;
  };

  async function perform(step: Step) {
    now = step.at;
    if (step.do === 'sweep') {
      const { urged, reported } = await appeals.sweepOverdue();
      if (urged + reported > 0) await refreshVersions();
      return;
    }
    try {
      const actor = cast.actorFor(step);
      const ctx: RequestContext = { actor, ip: null };
      // The people a visitor signs in as have read their notifications whenever they last worked.
      if (demoUsernames.has(actor.username)) await inbox.markAllRead(ctx);
      if (isAppealStep(step)) {
        const appeal = await playAppealStep(step, ctx);
        cases.set(step.story, { id: appeal.id, version: appeal.version, parts: appeal.parts });
        storyOf.set(appeal.id, step.story);
      } else {
        await playVisitStep(step, ctx);
      }
    } catch (error) {
      const detail = error instanceof Error ? `${error.message} ${JSON.stringify((error as { details?: unknown }).details ?? '')}` : String(error);
      const what = step.story >= 0 ? `appeal ${step.story} (${plan.stories[step.story].title})` : JSON.stringify(step);
      throw new Error(`demo history: ${step.do} of ${what} at ${new Date(step.at).toISOString()} failed: ${detail}`, { cause: error });
    }
  }

  async function playAppealStep(step: Exclude<AppealStep, { do: 'sweep' }>, ctx: RequestContext): Promise<Appeal> {
    const story = plan.stories[step.story];
    const current = cases.get(story.index);
    const id = current?.id ?? '';
    const version = current?.version ?? 0;
    switch (step.do) {
      case 'submit': {
        const visit = visitOfStory.get(story.index);
        const symposium = story.symposium === undefined ? undefined : symposiumIds.get(story.symposium);
        const origin = visit !== undefined ? { kind: 'visit' as const, id: visitRecords.get(visit)!.id } : symposium ? { kind: 'symposium' as const, id: symposium.id } : undefined;
        return appeals.submitAppeal(cast.submission(story, origin), ctx);
      }
      case 'accept':
        return appeals.accept(id, { version }, ctx);
      case 'decline':
        return appeals.decline(id, { version, reason: step.reason }, ctx);
      case 'merge': {
        const target = cases.get(step.into)!;
        const merged = await appeals.merge(id, { version, intoId: target.id }, ctx);
        target.version += 1;
        return merged;
      }
      case 'dispatch':
        return appeals.dispatch(id, { version, parts: step.parts.map((part) => ({ organisationId: cast.unit(part.unit), part: part.part, days: part.days, isLead: part.isLead })) }, ctx);
      case 'sign':
        return appeals.sign(id, partOf(story.index, step.unit), { version }, ctx);
      case 'return':
        return appeals.returnPart(id, partOf(story.index, step.unit), { version, reason: step.reason }, ctx);
      case 'pause':
        return appeals.pause(id, partOf(story.index, step.unit), { version, reason: step.reason }, ctx);
      case 'resume':
        return appeals.resume(id, partOf(story.index, step.unit), { version }, ctx);
      case 'requestExtension':
        return appeals.requestExtension(id, partOf(story.index, step.unit), { version, days: step.days, reason: step.reason }, ctx);
      case 'decideExtension':
        return appeals.decideExtension(id, partOf(story.index, step.unit), { version, approve: step.approve, comment: step.comment }, ctx);
      case 'answer':
        return appeals.answer(id, partOf(story.index, step.unit), { version, answer: step.answer }, ctx);
      case 'rate': {
        const input = { version, rating: step.rating, comment: step.comment };
        return story.rater === 'enterprise' ? appeals.rate(id, input, ctx) : appeals.rateOnCallback(id, input, ctx);
      }
      case 'urge':
        return appeals.urge(id, { version, message: step.message }, ctx);
      case 'supervise':
        return appeals.supervise(id, { version, instruction: step.instruction }, ctx);
      case 'archive':
        return appeals.archive(id, { version }, ctx);
    }
  }

  async function playVisitStep(step: VisitStep, ctx: RequestContext): Promise<void> {
    switch (step.do) {
      case 'visit':
      case 'planVisit': {
        const visit = plan.visits[step.visit];
        const enterpriseId = cast.enterprise(visit.enterpriseIndex);
        const details = { peopleMet: [visit.personMet], topics: visit.topics, summary: visit.summary, problems: visit.problems.map((text) => ({ text })), followUps: visit.followUps };
        const input = step.do === 'visit' ? { enterpriseId, status: 'done' as const, visitedOn: visit.date, ...details } : { enterpriseId, status: 'planned' as const, plannedOn: visit.date };
        const { visit: created } = await visits.createVisit(input, ctx);
        visitRecords.set(visit.index, { id: created.id, problems: created.problems });
        return;
      }
      case 'recordVisit': {
        const visit = plan.visits[step.visit];
        const record = visitRecords.get(visit.index)!;
        const { visit: recorded } = await visits.recordVisit(record.id, { visitedOn: visit.date, peopleMet: [visit.personMet], topics: visit.topics, summary: visit.summary, problems: visit.problems.map((text) => ({ text })), followUps: visit.followUps }, ctx);
        visitRecords.set(visit.index, { id: recorded.id, problems: recorded.problems });
        return;
      }
      case 'cancelVisit':
        await visits.cancelVisit(visitRecords.get(step.visit)!.id, step.reason, ctx);
        return;
      case 'linkVisit': {
        const record = visitRecords.get(step.visit)!;
        await visits.linkProblemAppeal(record.id, record.problems[0].id, cases.get(step.story)!.id, ctx);
        return;
      }
      case 'liaisonPoint': {
        const point = plan.points[step.point];
        const created = await liaison.createLiaisonPoint(
          { name: point.name, regionCode: world.organisations.find((org) => org.key === 'chongfu')!.regionCode!, contactName: point.contactName, contactPhone: point.contactPhone, address: point.address, memberIds: point.members.map((index) => cast.enterprise(index)) },
          ctx,
        );
        pointIds.set(point.index, created.id);
        return;
      }
      case 'symposium': {
        const symposium = plan.symposiums[step.symposium];
        const created = await liaison.createSymposium(
          {
            liaisonPointId: pointIds.get(symposium.point)!,
            heldOn: symposium.heldOn,
            topic: symposium.topic,
            location: symposium.location,
            notes: symposium.notes,
            suggestions: symposium.suggestions.map((suggestion) => ({ enterpriseId: suggestion.enterpriseIndex === null ? null : cast.enterprise(suggestion.enterpriseIndex), text: suggestion.text })),
          },
          ctx,
        );
        symposiumIds.set(symposium.index, { id: created.id, suggestions: created.suggestions });
        return;
      }
      case 'attendance': {
        const symposium = plan.symposiums[step.symposium];
        const attendees = symposium.attendees.map((attendee) => ({ enterpriseId: cast.enterprise(attendee.enterpriseIndex), personName: attendee.personName }));
        await liaison.replaceAttendance(symposiumIds.get(symposium.index)!.id, { attendees }, ctx);
        return;
      }
      case 'linkSuggestion': {
        const held = symposiumIds.get(step.symposium)!;
        await liaison.linkSuggestionAppeal(held.id, held.suggestions[0].id, cases.get(step.story)!.id, ctx);
        return;
      }
    }
  }

  // Thousands of small transactions into a fresh demo database: on SQLite they need not each wait for the disk.
  const restoreDurability = await relaxDurability(db);
  try {
    for (const step of plan.steps) await perform(step);
  } finally {
    await restoreDurability();
  }
  return summarise(db, chinaDate(options.end));
}

function isAppealStep(step: Exclude<Step, { do: 'sweep' }>): step is Exclude<AppealStep, { do: 'sweep' }> {
  return step.story >= 0 && !['linkVisit', 'linkSuggestion'].includes(step.do);
}

/**
 * SQLite only: synchronous=NORMAL and no automatic checkpoints (each would wait for the disk) until the returned
 * function puts the previous settings back and checkpoints once. WAL stays consistent; a power cut during the
 * load loses at most its last steps.
 */
async function relaxDurability(db: Db): Promise<() => Promise<void>> {
  if (dialectOf(db) !== 'sqlite') return async () => {};
  const read = async (pragma: string) => Object.values((await sql.raw<Record<string, number>>(`PRAGMA ${pragma}`).execute(db)).rows[0] ?? {})[0];
  const synchronous = Number(await read('synchronous'));
  const checkpoint = Number(await read('wal_autocheckpoint'));
  await sql`PRAGMA synchronous = NORMAL`.execute(db);
  await sql`PRAGMA wal_autocheckpoint = 0`.execute(db);
  return async () => {
    await sql.raw(`PRAGMA synchronous = ${synchronous}`).execute(db);
    await sql.raw(`PRAGMA wal_autocheckpoint = ${checkpoint}`).execute(db);
    await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db);
  };
}

async function summarise(db: Db, today: string): Promise<AppealHistorySummary> {
  const rows = await db.selectFrom('appeals').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)])) as Partial<Record<AppealStatus, number>>;
  const overdue = await db
    .selectFrom('appeal_parts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => isOverdueOn(eb, today))
    .executeTakeFirstOrThrow();
  const done = await db.selectFrom('visits').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('enterprise_id').distinct().as('enterprises')]).where('status', '=', 'done').executeTakeFirstOrThrow();
  const planned = await db.selectFrom('visits').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'planned').executeTakeFirstOrThrow();
  const points = await db.selectFrom('liaison_points').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const symposiums = await db.selectFrom('symposiums').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const open = (['pending', 'accepted', 'dispatched', 'in_progress', 'answered'] as const).reduce((sum, status) => sum + (byStatus[status] ?? 0), 0);
  return {
    appeals: rows.reduce((sum, row) => sum + Number(row.n), 0),
    byStatus,
    open,
    overdue: Number(overdue.n),
    visits: Number(done.n),
    visitedEnterprises: Number(done.enterprises),
    plannedVisits: Number(planned.n),
    liaisonPoints: Number(points.n),
    symposiums: Number(symposiums.n),
  };
}
