import type { UnitKpi } from '@qinqing/contracts';
import type { CalendarSpan } from '../../platform/calendar.js';

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
 * - average handling days: working days from the cycle's start to its answer, paused working days excluded;
 * - a part the office withdrew (撤回交办) counts for its unit in none of these, in any period: it was not the unit's
 *   failure (a rating given while it stood answered stays credited, as the rating was of that answer).
 */
export interface KpiEvent {
  appeal_id: string;
  part_id: string | null;
  organisation_id: string | null;
  action: string;
  day: string;
  data: string | null;
}

export interface Cycle {
  unit: string;
  start: string;
  due: string;
  pausedDays: number;
  paused: boolean;
  answeredOn: string | null;
  ended: boolean;
}

export type Counters = Omit<UnitKpi, 'organisationId' | 'organisationName' | 'signRate' | 'onTimeRate' | 'satisfactionRate' | 'averageHandlingDays'> & {
  /** Handling days of the answers counted: their sum (whole days) and number. */
  handlingSum: number;
  handled: number;
};

export const emptyCounters = (): Counters => ({ dispatched: 0, signed: 0, answered: 0, answeredOnTime: 0, overdue: 0, rated: 0, satisfied: 0, returns: 0, handlingSum: 0, handled: 0 });

export const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000);

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
  /** Parts withdrawn (撤回交办) at any time: none of their facts count. */
  const withdrawn = new Set(events.filter((event) => event.action === 'withdraw' && event.part_id).map((event) => event.part_id!));

  for (const event of events) {
    const data = parseEventData(event.data);
    const partId = event.part_id;
    const cycle = partId ? current(partId) : undefined;
    switch (event.action) {
      case 'submit':
        if (inPeriod(event.day)) totals.submitted += 1;
        break;
      case 'dispatch':
        if (!partId || !event.organisation_id) break;
        cycles.set(partId, [{ unit: event.organisation_id, start: event.day, due: String(data.dueDate), pausedDays: 0, paused: false, answeredOn: null, ended: false }]);
        if (inPeriod(event.day) && !withdrawn.has(partId)) {
          unit(event.organisation_id).dispatched += 1;
          dispatchedInPeriod.add(partId);
        }
        break;
      case 'sign':
        if (partId && event.organisation_id && dispatchedInPeriod.has(partId)) unit(event.organisation_id).signed += 1;
        break;
      case 'return':
        if (cycle) cycle.ended = true;
        if (event.organisation_id && inPeriod(event.day) && !(partId && withdrawn.has(partId))) unit(event.organisation_id).returns += 1;
        break;
      case 'withdraw':
        if (cycle) cycle.ended = true;
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
        if (inPeriod(event.day) && !withdrawn.has(partId!)) {
          const counters = unit(cycle.unit);
          counters.answered += 1;
          if (event.day <= cycle.due) counters.answeredOnTime += 1;
          counters.handlingSum += Math.max(0, span.workdaysBetween(cycle.start, event.day).days - cycle.pausedDays);
          counters.handled += 1;
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
  for (const [partId, partCycles] of cycles) {
    if (withdrawn.has(partId)) continue;
    for (const cycle of partCycles) {
      if (cycle.paused || !inPeriod(cycle.due) || cycle.due >= today) continue;
      const answeredInTime = cycle.answeredOn !== null && cycle.answeredOn <= period.to;
      const endedOtherwise = cycle.ended && cycle.answeredOn === null;
      if (!answeredInTime && !endedOtherwise) unit(cycle.unit).overdue += 1;
    }
  }

  return { units, totals };
}

/** An event's `data` column, parsed (null → no data). */
export const parseEventData = (data: string | null) => (data ? (JSON.parse(data) as Record<string, unknown>) : {});
