import type { CalendarSpan } from '../../platform/calendar.js';
import { type Counters, type Cycle, type KpiEvent, emptyCounters, parseEventData } from './appeal-kpi-replay.js';

/**
 * The same figures as `computeUnitKpis`, kept as a summary per appeal so that any period can be answered without
 * reading the events again. Replaying an appeal's events does not depend on the period: what the period decides is
 * only which facts count (a dispatch, a sign, a return, an answer, a rating, each with its day) and which cycles are
 * overdue at its end. So the replay is done once, the facts and the cycles' final state are kept; the facts of the
 * cases in a scope are then summed per day and unit (`aggregateSummaries`, once per scope and stamp), and a period
 * sums the days it covers and checks the few cycles that could be overdue (`tallyAggregate`). New events continue
 * each appeal's replay where it stopped.
 *
 * Equal to `computeUnitKpis` over the same events, including the order in which units first appear (it decides the
 * order of ties in the report): each counted fact carries the id of its event.
 */
type Fact =
  | { kind: 'submit'; day: string }
  | { kind: 'dispatch'; id: number; day: string; unit: string; part: string }
  /** Counted when one of the part's dispatches before it (their days) falls in the period. */
  | { kind: 'sign'; id: number; unit: string; dispatchDays: readonly string[]; part: string }
  | { kind: 'return'; id: number; day: string; unit: string; part: string }
  | { kind: 'answer'; id: number; day: string; unit: string; onTime: boolean; handlingDays: number; part: string }
  /** The units that had answered the case when it was rated, in the order of their parts. */
  | { kind: 'rate'; id: number; day: string; satisfied: boolean; units: readonly string[] };

interface PartState {
  /** The id of the part's first dispatch: the order in which `computeUnitKpis` meets its cycles. */
  order: number;
  cycles: Cycle[];
  /** Days of its dispatches so far; replaced, never appended in place (signs keep the array they saw). */
  dispatchDays: readonly string[];
  /** Withdrawn (撤回交办): its facts were taken out and its cycles are never overdue. */
  withdrawn?: boolean;
}

export interface AppealSummary {
  /** The latest day of any of its events (a case closed before a period began does not count in it). */
  lastDay: string;
  parts: Map<string, PartState>;
  /** Parts in the order they were first dispatched (the units a rating is credited to). */
  partOrder: string[];
  facts: Fact[];
}

export const emptySummary = (): AppealSummary => ({ lastDay: '', parts: new Map(), partOrder: [], facts: [] });

/** Continue an appeal's replay with one of its events (events of one appeal in id order). */
export function applyKpiEvent(summary: AppealSummary, event: KpiEvent & { id: number }, span: Pick<CalendarSpan, 'workdaysBetween'>) {
  if (event.day > summary.lastDay) summary.lastDay = event.day;
  const partId = event.part_id;
  const unitId = event.organisation_id;
  let part = partId ? summary.parts.get(partId) : undefined;
  const cycle = part?.cycles.at(-1);
  switch (event.action) {
    case 'submit':
      summary.facts.push({ kind: 'submit', day: event.day });
      break;
    case 'dispatch': {
      if (!partId) break;
      if (!summary.partOrder.includes(partId)) summary.partOrder.push(partId);
      if (!unitId) break;
      const data = parseEventData(event.data);
      if (!part) {
        part = { order: event.id, cycles: [], dispatchDays: [] };
        summary.parts.set(partId, part);
      }
      part.cycles = [{ unit: unitId, start: event.day, due: String(data.dueDate), pausedDays: 0, paused: false, answeredOn: null, ended: false }];
      part.dispatchDays = [...part.dispatchDays, event.day];
      if (!part.withdrawn) summary.facts.push({ kind: 'dispatch', id: event.id, day: event.day, unit: unitId, part: partId });
      break;
    }
    case 'sign':
      if (part && !part.withdrawn && unitId && part.dispatchDays.length > 0) summary.facts.push({ kind: 'sign', id: event.id, unit: unitId, dispatchDays: part.dispatchDays, part: partId! });
      break;
    case 'return':
      if (cycle) cycle.ended = true;
      if (unitId && !part?.withdrawn) summary.facts.push({ kind: 'return', id: event.id, day: event.day, unit: unitId, part: partId ?? '' });
      break;
    case 'withdraw':
      // Nothing of the part counts for its unit any more, in any period: its facts so far are taken out.
      if (cycle) cycle.ended = true;
      if (!partId) break;
      if (!part) {
        part = { order: event.id, cycles: [], dispatchDays: [] };
        summary.parts.set(partId, part);
      }
      part.withdrawn = true;
      summary.facts = summary.facts.filter((fact) => !('part' in fact) || fact.part !== partId);
      break;
    case 'pause':
      if (cycle) cycle.paused = true;
      break;
    case 'resume':
      if (cycle) {
        const data = parseEventData(event.data);
        cycle.paused = false;
        cycle.pausedDays += Number(data.pausedDays ?? 0);
        cycle.due = String(data.dueDate);
      }
      break;
    case 'decide_extension':
      if (cycle) {
        const data = parseEventData(event.data);
        if (data.approve) cycle.due = String(data.dueDate);
      }
      break;
    case 'answer':
      if (!cycle) break;
      if (!part!.withdrawn) summary.facts.push({
        kind: 'answer',
        id: event.id,
        day: event.day,
        unit: cycle.unit,
        onTime: event.day <= cycle.due,
        handlingDays: Math.max(0, span.workdaysBetween(cycle.start, event.day).days - cycle.pausedDays),
        part: partId!,
      });
      cycle.answeredOn = event.day;
      cycle.ended = true;
      break;
    case 'redo':
      if (part && cycle) part.cycles.push({ unit: cycle.unit, start: event.day, due: String(parseEventData(event.data).dueDate), pausedDays: 0, paused: false, answeredOn: null, ended: false });
      break;
    case 'rate': {
      const answering = new Set<string>();
      for (const id of summary.partOrder) {
        const last = summary.parts.get(id)?.cycles.at(-1);
        if (last && last.answeredOn !== null) answering.add(last.unit);
      }
      summary.facts.push({ kind: 'rate', id: event.id, day: event.day, satisfied: parseEventData(event.data).rating !== 'dissatisfied', units: [...answering] });
      break;
    }
  }
}

/** Sort keys of a unit's first appearance: a counted fact's event (then its place among the rated units), then overdue cycles. */
const FACT_SLOTS = 4096;
const OVERDUE_KEYS = 2 ** 52;

/** One day's counted facts of the cases in a scope: per unit, its counters and the sort key of its first fact that day. */
interface DayBucket {
  day: string;
  submitted: number;
  rated: number;
  ratedSatisfied: number;
  units: Map<string, { key: number; counters: Counters }>;
}

/**
 * The facts of the cases in one scope, summed per day and unit, and the cycles that could be overdue in some period:
 * a period then sums the days it covers (at most units × days) instead of passing over every fact.
 */
export interface KpiAggregate {
  /** In day order. */
  days: DayBucket[];
  /** Signs whose part was dispatched on several different days: counted when one of them falls in the period. */
  multiSigns: Array<{ unit: string; key: number; days: readonly string[] }>;
  /**
   * Cycles neither paused, nor ended without an answer, nor answered by their deadline — the only ones a period can
   * count overdue — with their case's relevance (open, or its latest day).
   */
  candidates: Array<{ unit: string; key: number; due: string; answeredOn: string | null; open: boolean; lastDay: string }>;
}

/** A unit's counters in `units`, made on first use; the unit keeps the smallest ordering key it was seen with. */
function unitCounters(units: Map<string, { key: number; counters: Counters }>, id: string, key: number): Counters {
  const entry = units.get(id);
  if (!entry) {
    const counters = emptyCounters();
    units.set(id, { key, counters });
    return counters;
  }
  if (key < entry.key) entry.key = key;
  return entry.counters;
}

const counterFields = ['dispatched', 'signed', 'answered', 'answeredOnTime', 'overdue', 'rated', 'satisfied', 'returns', 'handlingSum', 'handled'] as const;

/** Sum the summaries of a scope's cases (each with whether the case is open now) per day and unit. */
export function aggregateSummaries(cases: Iterable<{ summary: AppealSummary; open: boolean }>): KpiAggregate {
  const byDay = new Map<string, DayBucket>();
  const bucket = (day: string) => {
    let found = byDay.get(day);
    if (!found) byDay.set(day, (found = { day, submitted: 0, rated: 0, ratedSatisfied: 0, units: new Map() }));
    return found;
  };
  const unit = (day: string, id: string, key: number) => unitCounters(bucket(day).units, id, key);
  const multiSigns: KpiAggregate['multiSigns'] = [];
  const candidates: KpiAggregate['candidates'] = [];
  for (const { summary, open } of cases) {
    for (const fact of summary.facts) {
      switch (fact.kind) {
        case 'submit':
          bucket(fact.day).submitted += 1;
          break;
        case 'dispatch':
          unit(fact.day, fact.unit, fact.id * FACT_SLOTS).dispatched += 1;
          break;
        case 'sign': {
          const days = [...new Set(fact.dispatchDays)];
          if (days.length === 1) unit(days[0]!, fact.unit, fact.id * FACT_SLOTS).signed += 1;
          else multiSigns.push({ unit: fact.unit, key: fact.id * FACT_SLOTS, days });
          break;
        }
        case 'return':
          unit(fact.day, fact.unit, fact.id * FACT_SLOTS).returns += 1;
          break;
        case 'answer': {
          const counters = unit(fact.day, fact.unit, fact.id * FACT_SLOTS);
          counters.answered += 1;
          if (fact.onTime) counters.answeredOnTime += 1;
          counters.handlingSum += fact.handlingDays;
          counters.handled += 1;
          break;
        }
        case 'rate': {
          const day = bucket(fact.day);
          day.rated += 1;
          if (fact.satisfied) day.ratedSatisfied += 1;
          fact.units.forEach((id, k) => {
            const counters = unit(fact.day, id, fact.id * FACT_SLOTS + k);
            counters.rated += 1;
            if (fact.satisfied) counters.satisfied += 1;
          });
          break;
        }
      }
    }
    for (const part of summary.parts.values()) {
      if (part.withdrawn) continue;
      part.cycles.forEach((cycle, k) => {
        if (cycle.paused || (cycle.ended && cycle.answeredOn === null)) return;
        // Answered by the deadline: answered by the end of any period the deadline falls in.
        if (cycle.answeredOn !== null && cycle.answeredOn <= cycle.due) return;
        candidates.push({ unit: cycle.unit, key: OVERDUE_KEYS + part.order * FACT_SLOTS + k, due: cycle.due, answeredOn: cycle.answeredOn, open, lastDay: summary.lastDay });
      });
    }
  }
  const days = [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { days, multiSigns, candidates };
}

/**
 * `computeUnitKpis` for a period over the cases of an aggregate that are relevant to it (open, or moved since the
 * period began — a fact dated in the period always is), each case's events all on or before today: the same units
 * in the same order, with the same figures.
 */
export function tallyAggregate(aggregate: KpiAggregate, period: { from: string; to: string }, today: string) {
  const inPeriod = (day: string) => day >= period.from && day <= period.to;
  const seen = new Map<string, { key: number; counters: Counters }>();
  const unit = (id: string, key: number) => unitCounters(seen, id, key);
  const totals = { submitted: 0, ratedSatisfied: 0, rated: 0 };
  const { days } = aggregate;
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (days[middle]!.day < period.from) low = middle + 1;
    else high = middle;
  }
  for (let i = low; i < days.length && days[i]!.day <= period.to; i += 1) {
    const day = days[i]!;
    totals.submitted += day.submitted;
    totals.rated += day.rated;
    totals.ratedSatisfied += day.ratedSatisfied;
    for (const [id, entry] of day.units) {
      const counters = unit(id, entry.key);
      for (const field of counterFields) counters[field] += entry.counters[field];
    }
  }
  for (const sign of aggregate.multiSigns) if (sign.days.some(inPeriod)) unit(sign.unit, sign.key).signed += 1;
  for (const cycle of aggregate.candidates) {
    if (!inPeriod(cycle.due) || cycle.due >= today) continue;
    if (!cycle.open && cycle.lastDay < period.from) continue;
    if (cycle.answeredOn !== null && cycle.answeredOn <= period.to) continue;
    unit(cycle.unit, cycle.key).overdue += 1;
  }
  const units = new Map([...seen.entries()].sort((a, b) => a[1].key - b[1].key).map(([id, entry]) => [id, entry.counters]));
  return { units, totals };
}
