import type { KpiReport, UnitKpi } from '@qinqing/contracts';
import type { Actor } from '../../platform/actor.js';
import type { Calendar, CalendarSpan } from '../../platform/calendar.js';
import type { Db } from '../../platform/db/database.js';
import { closedStatuses } from './appeal-rules.js';
import { visibleAppeals } from './appeals.access.js';

/**
 * Unit KPIs (domain-rules §5) recomputed from the appeal events alone — never from counters anyone could type
 * in, and never from the parts' current columns: a reassignment, a return or a pause shows in the figures.
 *
 * A unit's part lives in cycles: a dispatch (or a 重办) starts one with a deadline; pauses and approved
 * extensions move that deadline (the events carry the new date); an answer, a return or a withdrawal ends it.
 * For a period [from, to] (China calendar days):
 * - dispatched: parts dispatched in the period; signed: those of them signed (签收率 = signed ÷ dispatched);
 * - answered: cycles answered in the period, on time when answered on or before the deadline then in force;
 * - overdue: cycles whose deadline fell in the period, before today, and were not answered by the period's end
 *   (a paused cycle is not overdue); 按期办结率 = on time ÷ (answered + overdue);
 * - rated / satisfied: ratings given in the period, counted for every unit that answered the case;
 *   满意率 = (满意 + 基本满意) ÷ rated;
 * - returns: 退单 in the period;
 * - average handling days: working days from the cycle's start to its answer, paused working days excluded.
 */
export interface KpiEvent {
  appeal_id: string;
  part_id: string | null;
  organisation_id: string | null;
  action: string;
  day: string;
  data: string | null;
}

interface Cycle {
  unit: string;
  start: string;
  due: string;
  pausedDays: number;
  paused: boolean;
  answeredOn: string | null;
  ended: boolean;
}

type Counters = Omit<UnitKpi, 'organisationId' | 'organisationName' | 'signRate' | 'onTimeRate' | 'satisfactionRate' | 'averageHandlingDays'> & { handlingDays: number[] };

const emptyCounters = (): Counters => ({ dispatched: 0, signed: 0, answered: 0, answeredOnTime: 0, overdue: 0, rated: 0, satisfied: 0, returns: 0, handlingDays: [] });

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000);

/** The pure computation: events in id order (all of them, up to now), the period, today and a loaded calendar span. */
export function computeUnitKpis(events: readonly KpiEvent[], period: { from: string; to: string }, today: string, span: Pick<CalendarSpan, 'workdaysBetween'>) {
  const inPeriod = (day: string) => day >= period.from && day <= period.to;
  const units = new Map<string, Counters>();
  const unit = (id: string) => units.get(id) ?? units.set(id, emptyCounters()).get(id)!;
  const cycles = new Map<string, Cycle[]>();
  const current = (partId: string) => cycles.get(partId)?.at(-1);
  const dispatchedInPeriod = new Set<string>();
  /** The parts of each appeal, to credit a rating to the units that answered it. */
  const partsOf = new Map<string, string[]>();
  const totals = { submitted: 0, ratedSatisfied: 0, rated: 0 };

  for (const event of events) {
    const data = event.data ? (JSON.parse(event.data) as Record<string, unknown>) : {};
    const partId = event.part_id;
    const cycle = partId ? current(partId) : undefined;
    switch (event.action) {
      case 'submit':
        if (inPeriod(event.day)) totals.submitted += 1;
        break;
      case 'dispatch':
        if (!partId || !event.organisation_id) break;
        cycles.set(partId, [{ unit: event.organisation_id, start: event.day, due: String(data.dueDate), pausedDays: 0, paused: false, answeredOn: null, ended: false }]);
        if (inPeriod(event.day)) {
          unit(event.organisation_id).dispatched += 1;
          dispatchedInPeriod.add(partId);
        }
        break;
      case 'sign':
        if (partId && event.organisation_id && dispatchedInPeriod.has(partId)) unit(event.organisation_id).signed += 1;
        break;
      case 'return':
        if (cycle) cycle.ended = true;
        if (event.organisation_id && inPeriod(event.day)) unit(event.organisation_id).returns += 1;
        break;
      case 'pause':
        if (cycle) cycle.paused = true;
        break;
      case 'resume':
        if (cycle) {
          cycle.paused = false;
          cycle.pausedDays += Number(data.pausedDays ?? 0);
          cycle.due = String(data.dueDate);
        }
        break;
      case 'decide_extension':
        if (cycle && data.approve) cycle.due = String(data.dueDate);
        break;
      case 'answer':
        if (!cycle) break;
        cycle.answeredOn = event.day;
        cycle.ended = true;
        if (inPeriod(event.day)) {
          const counters = unit(cycle.unit);
          counters.answered += 1;
          if (event.day <= cycle.due) counters.answeredOnTime += 1;
          counters.handlingDays.push(Math.max(0, span.workdaysBetween(cycle.start, event.day).days - cycle.pausedDays));
        }
        break;
      case 'redo':
        if (partId && cycle) cycles.get(partId)!.push({ unit: cycle.unit, start: event.day, due: String(data.dueDate), pausedDays: 0, paused: false, answeredOn: null, ended: false });
        break;
      case 'rate': {
        if (!inPeriod(event.day)) break;
        const satisfied = data.rating !== 'dissatisfied';
        totals.rated += 1;
        if (satisfied) totals.ratedSatisfied += 1;
        const answering = new Set<string>();
        for (const id of partsOf.get(event.appeal_id) ?? []) {
          const last = cycles.get(id)!.at(-1)!;
          if (last.answeredOn !== null) answering.add(last.unit);
        }
        for (const id of answering) {
          unit(id).rated += 1;
          if (satisfied) unit(id).satisfied += 1;
        }
        break;
      }
    }
    if (partId && event.action === 'dispatch') partsOf.set(event.appeal_id, [...(partsOf.get(event.appeal_id) ?? []), partId]);
  }

  // Cycles whose deadline passed within the period without an answer by its end.
  for (const partCycles of cycles.values()) {
    for (const cycle of partCycles) {
      if (cycle.paused || !inPeriod(cycle.due) || cycle.due >= today) continue;
      const answeredInTime = cycle.answeredOn !== null && cycle.answeredOn <= period.to;
      const endedOtherwise = cycle.ended && cycle.answeredOn === null;
      if (!answeredInTime && !endedOtherwise) unit(cycle.unit).overdue += 1;
    }
  }

  return { units, totals };
}

/** Reports kept per instance; each is reused only while nothing it depends on has changed in the database. */
const REPORT_CACHE_SIZE = 50;

export function createAppealKpis({ db, calendar }: { db: Db; calendar: Calendar }) {
  const cache = new Map<string, KpiReport>();

  /**
   * KPIs of the units over the appeals the actor may see. A dashboard is opened again and again while nothing
   * happens, so a report is kept under a key that includes what it was computed from — the newest appeal event,
   * the calendar's and the organisations' latest change, today — read from the database on every request: any
   * instance that sees a new step or a calendar edit computes afresh; nothing is shared between instances.
   */
  async function report(actor: Actor, period: { from: string; to: string }, today: string): Promise<KpiReport> {
    const stamp = await db
      .selectNoFrom((eb) => [
        eb.selectFrom('appeal_events').select((inner) => inner.fn.max('id').as('v')).as('events'),
        eb.selectFrom('calendar_days').select((inner) => inner.fn.max('updated_at').as('v')).as('calendar'),
        eb.selectFrom('calendar_days').select((inner) => inner.fn.countAll().as('v')).as('calendar_rows'),
        eb.selectFrom('calendar_years').select((inner) => inner.fn.countAll().as('v')).as('years'),
        eb.selectFrom('organisations').select((inner) => inner.fn.max('updated_at').as('v')).as('organisations'),
      ])
      .executeTakeFirstOrThrow();
    const scope = { user: actor.userId, roles: [...actor.roles].sort(), region: actor.regionCode, organisation: actor.organisationId };
    const key = JSON.stringify({ scope, period, today, stamp });
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const fresh = await compute(actor, period, today);
    cache.set(key, fresh);
    if (cache.size > REPORT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return fresh;
  }

  async function compute(actor: Actor, period: { from: string; to: string }, today: string): Promise<KpiReport> {
    const visible = db.selectFrom('appeals').innerJoin('enterprises', 'enterprises.id', 'appeals.enterprise_id').where(visibleAppeals(actor));
    // Only cases that moved since the period began, or are still open (a deadline may fall in the period without
    // an event in it): the history of cases closed before the period cannot change its figures.
    const relevant = visible
      .select('appeals.id')
      .where((eb) =>
        eb.or([
          eb('appeals.status', 'not in', [...closedStatuses]),
          eb.exists(eb.selectFrom('appeal_events as moved').select('moved.id').whereRef('moved.appeal_id', '=', 'appeals.id').where('moved.day', '>=', period.from)),
        ]),
      );
    const events = await db
      .selectFrom('appeal_events')
      .select(['appeal_events.appeal_id', 'appeal_events.part_id', 'appeal_events.organisation_id', 'appeal_events.action', 'appeal_events.day', 'appeal_events.data'])
      .where('appeal_events.appeal_id', 'in', relevant)
      .where('appeal_events.day', '<=', today)
      .orderBy('appeal_events.id')
      .execute();
    const first = events.reduce((min, event) => (event.day < min ? event.day : min), period.from);
    const span = await calendar.span(first, today > period.to ? today : period.to);
    const { units, totals } = computeUnitKpis(events, period, today, span);

    const names = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...units.keys(), '']).execute();
    const nameOf = new Map(names.map((row) => [row.id, row.name]));
    const unitRows: UnitKpi[] = [...units.entries()]
      .map(([id, c]) => ({
        organisationId: id,
        organisationName: nameOf.get(id) ?? id,
        dispatched: c.dispatched,
        signed: c.signed,
        signRate: ratio(c.signed, c.dispatched),
        answered: c.answered,
        answeredOnTime: c.answeredOnTime,
        overdue: c.overdue,
        onTimeRate: ratio(c.answeredOnTime, c.answered + c.overdue),
        rated: c.rated,
        satisfied: c.satisfied,
        satisfactionRate: ratio(c.satisfied, c.rated),
        returns: c.returns,
        averageHandlingDays: c.handlingDays.length ? Math.round((c.handlingDays.reduce((a, b) => a + b, 0) / c.handlingDays.length) * 10) / 10 : null,
      }))
      .sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) || b.dispatched - a.dispatched || a.organisationName.localeCompare(b.organisationName));

    const open = await visible.select((eb) => eb.fn.countAll<number>().as('n')).where('appeals.status', 'not in', [...closedStatuses]).executeTakeFirstOrThrow();
    const overdueNow = await visible
      .innerJoin('appeal_parts', 'appeal_parts.appeal_id', 'appeals.id')
      .select((eb) => eb.fn.count<number>('appeal_parts.id').as('n'))
      .where('appeal_parts.status', 'in', ['dispatched', 'signed'])
      .where('appeal_parts.paused_since', 'is', null)
      .where('appeal_parts.due_date', '<', today)
      .executeTakeFirstOrThrow();
    return {
      from: period.from,
      to: period.to,
      units: unitRows,
      totals: {
        submitted: totals.submitted,
        open: Number(open.n),
        overdue: Number(overdueNow.n),
        answered: unitRows.reduce((sum, row) => sum + row.answered, 0),
        satisfactionRate: ratio(totals.ratedSatisfied, totals.rated),
      },
    };
  }

  return { report };
}
