import type { KpiReport, UnitKpi } from '@qinqing/contracts';
import type { ExpressionBuilder } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { Calendar, CalendarSpan } from '../../platform/calendar.js';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
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

interface Cycle {
  unit: string;
  start: string;
  due: string;
  pausedDays: number;
  paused: boolean;
  answeredOn: string | null;
  ended: boolean;
}

type Counters = Omit<UnitKpi, 'organisationId' | 'organisationName' | 'signRate' | 'onTimeRate' | 'satisfactionRate' | 'averageHandlingDays'> & {
  /** Handling days of the answers counted: their sum (whole days) and number. */
  handlingSum: number;
  handled: number;
};

const emptyCounters = (): Counters => ({ dispatched: 0, signed: 0, answered: 0, answeredOnTime: 0, overdue: 0, rated: 0, satisfied: 0, returns: 0, handlingSum: 0, handled: 0 });

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
  /** Parts withdrawn (撤回交办) at any time: none of their facts count. */
  const withdrawn = new Set(events.filter((event) => event.action === 'withdraw' && event.part_id).map((event) => event.part_id!));

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

const parseData = (data: string | null) => (data ? (JSON.parse(data) as Record<string, unknown>) : {});

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
      const data = parseData(event.data);
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
        const data = parseData(event.data);
        cycle.paused = false;
        cycle.pausedDays += Number(data.pausedDays ?? 0);
        cycle.due = String(data.dueDate);
      }
      break;
    case 'decide_extension':
      if (cycle) {
        const data = parseData(event.data);
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
      if (part && cycle) part.cycles.push({ unit: cycle.unit, start: event.day, due: String(parseData(event.data).dueDate), pausedDays: 0, paused: false, answeredOn: null, ended: false });
      break;
    case 'rate': {
      const answering = new Set<string>();
      for (const id of summary.partOrder) {
        const last = summary.parts.get(id)?.cycles.at(-1);
        if (last && last.answeredOn !== null) answering.add(last.unit);
      }
      summary.facts.push({ kind: 'rate', id: event.id, day: event.day, satisfied: parseData(event.data).rating !== 'dissatisfied', units: [...answering] });
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

/** Reports kept per instance; each is reused only while nothing it depends on has changed in the database. */
const REPORT_CACHE_SIZE = 50;
/** Scopes whose cases' sums are kept (per stamp, as the reports). */
const SCOPE_CACHE_SIZE = 16;
/**
 * Distinct reports computed at once per instance; others wait their turn, in order. Measured with 50 different
 * periods asked at once on the county database (bench/README.md, "Appeals"): the time to answer all 50 is the same
 * from 1 to 50 at once (one event loop does the work), but with no limit every one waits for the last; with 4 the
 * first are answered early, PostgreSQL's round trips still overlap, and at most 4 reports' counters live at once.
 */
export const KPI_CONCURRENCY = 4;

const eventColumns = ['appeal_events.id', 'appeal_events.appeal_id', 'appeal_events.part_id', 'appeal_events.organisation_id', 'appeal_events.action', 'appeal_events.day', 'appeal_events.data'] as const;

/** What a report's figures depend on besides the events: changes to either invalidate what was kept. */
function calendarStamp(eb: ExpressionBuilder<Database, never>) {
  return [
    eb.selectFrom('calendar_days').select((inner) => inner.fn.max('updated_at').as('v')).as('calendar'),
    eb.selectFrom('calendar_days').select((inner) => inner.fn.countAll().as('v')).as('calendar_rows'),
    eb.selectFrom('calendar_years').select((inner) => inner.fn.countAll().as('v')).as('years'),
  ] as const;
}

/** The summaries of every appeal of the database, as of the events up to `lastSeen`, under one calendar. */
interface KpiState {
  calendarKey: string;
  /** The highest event id replayed, and how many events were replayed (ids ≤ lastSeen committed later show as a difference). */
  lastSeen: number;
  seen: number;
  firstDay: string | null;
  lastDay: string | null;
  span: CalendarSpan | null;
  appeals: Map<string, AppealSummary>;
}

/** Run at most `max` tasks at once; the others wait in arrival order. */
function limiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

type Period = { from: string; to: string };

export function createAppealKpis({ db, calendar, concurrency = KPI_CONCURRENCY }: { db: Db; calendar: Calendar; concurrency?: number }) {
  const cache = new Map<string, KpiReport>();
  /** Reports being computed, by key: a second request for the same report waits for the first one's answer. */
  const inflight = new Map<string, Promise<KpiReport>>();
  const limit = limiter(concurrency);
  let state: KpiState | null = null;
  let refreshing: Promise<KpiState> | null = null;
  const byScope = new Map<string, Promise<{ aggregate: KpiAggregate; open: number }>>();

  /**
   * KPIs of the units over the appeals the actor may see. A dashboard is opened again and again while nothing
   * happens, so a report is kept under a key that includes what it was computed from — the newest appeal event,
   * the calendar's and the organisations' latest change, today — read from the database on every request: any
   * instance that sees a new step or a calendar edit computes afresh; nothing is shared between instances.
   * Requests for a report being computed share that computation; at most `concurrency` different reports are
   * computed at once.
   */
  async function report(actor: Actor, period: Period, today: string): Promise<KpiReport> {
    const stamp = await db
      .selectNoFrom((eb) => [
        eb.selectFrom('appeal_events').select((inner) => inner.fn.max('id').as('v')).as('events'),
        ...calendarStamp(eb),
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
    const pending = inflight.get(key);
    if (pending) return pending;
    const wanted = { events: Number(stamp.events ?? 0), calendarKey: JSON.stringify([stamp.calendar, stamp.calendar_rows, stamp.years]), scopeKey: JSON.stringify({ scope, stamp }) };
    const computing = limit(() => compute(actor, period, today, wanted))
      .then((fresh) => {
        cache.set(key, fresh);
        if (cache.size > REPORT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        return fresh;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, computing);
    return computing;
  }

  /** The summaries, brought up to at least the event and calendar the request saw (one refresh at a time). */
  async function summaries(wanted: { events: number; calendarKey: string; scopeKey: string }): Promise<KpiState> {
    for (;;) {
      if (state && state.calendarKey === wanted.calendarKey && state.lastSeen >= wanted.events) return state;
      if (!refreshing) {
        refreshing = refresh().finally(() => {
          refreshing = null;
        });
        return refreshing;
      }
      await refreshing.catch(() => undefined);
    }
  }

  /**
   * Replay the events not replayed yet — all of them when the calendar changed, or when an event with an id at or
   * below the last one replayed appeared since (PostgreSQL takes ids before commit, so a slower transaction can commit
   * a lower id after a higher one was read: the count of ids up to the last one shows it). No transaction: SQLite's
   * would take the write lock (`begin immediate`), and the count check does not need one — whatever commits late is
   * seen by the next refresh, which happens, as for the reports kept, when the newest event id changes. The calendar
   * stamp is read before the calendar, so an edit in between only costs one more replay.
   */
  async function refresh(): Promise<KpiState> {
    try {
      const calendarRow = await db.selectNoFrom((eb) => calendarStamp(eb)).executeTakeFirstOrThrow();
      const calendarKey = JSON.stringify([calendarRow.calendar, calendarRow.calendar_rows, calendarRow.years]);
      let base = state && state.calendarKey === calendarKey ? state : null;
      if (base) {
        const counted = await db
          .selectFrom('appeal_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', '<=', base.lastSeen)
          .executeTakeFirstOrThrow();
        if (Number(counted.n) !== base.seen) base = null;
      }
      const after = base?.lastSeen ?? 0;
      const rows = await db.selectFrom('appeal_events').select(eventColumns).where('appeal_events.id', '>', after).orderBy('appeal_events.id').execute();
      const next: KpiState = base ?? { calendarKey, lastSeen: 0, seen: 0, firstDay: null, lastDay: null, span: null, appeals: new Map() };
      if (rows.length === 0) return (state = next);
      let firstDay = next.firstDay ?? rows[0]!.day;
      let lastDay = next.lastDay ?? rows[0]!.day;
      for (const row of rows) {
        if (row.day < firstDay) firstDay = row.day;
        if (row.day > lastDay) lastDay = row.day;
      }
      const span = next.span && next.span.from <= firstDay && next.span.to >= lastDay ? next.span : await calendar.span(firstDay, lastDay);
      // Synchronous from here: no report reads the summaries half-updated.
      state = null;
      for (const row of rows) {
        const id = Number(row.id);
        let summary = next.appeals.get(row.appeal_id);
        if (!summary) next.appeals.set(row.appeal_id, (summary = emptySummary()));
        applyKpiEvent(summary, { ...row, id }, span);
        next.lastSeen = id;
      }
      next.seen += rows.length;
      next.firstDay = firstDay;
      next.lastDay = lastDay;
      next.span = span;
      return (state = next);
    } catch (error) {
      state = null;
      throw error;
    }
  }

  /**
   * The cases the actor may see, summed per day and unit (with how many are open), kept per scope under the same
   * stamp as the reports: every period asked under one stamp shares one read of the visible cases (a county leader
   * sees every case — 6,000 rows at county scale) and one pass over their summaries.
   */
  function scopeAggregate(actor: Actor, scopeKey: string, current: KpiState) {
    let found = byScope.get(scopeKey);
    if (found) {
      byScope.delete(scopeKey);
      byScope.set(scopeKey, found);
      return found;
    }
    found = visibleOf(db, actor)
      .select(['appeals.id', 'appeals.status'])
      .execute()
      .then((rows) => {
        const closed = new Set<string>(closedStatuses);
        const cases: Array<{ summary: AppealSummary; open: boolean }> = [];
        let open = 0;
        for (const row of rows) {
          const isOpen = !closed.has(row.status);
          if (isOpen) open += 1;
          const summary = current.appeals.get(row.id);
          if (summary) cases.push({ summary, open: isOpen });
        }
        return { aggregate: aggregateSummaries(cases), open };
      });
    found.catch(() => byScope.delete(scopeKey));
    byScope.set(scopeKey, found);
    if (byScope.size > SCOPE_CACHE_SIZE) byScope.delete(byScope.keys().next().value!);
    return found;
  }

  async function compute(actor: Actor, period: Period, today: string, wanted: { events: number; calendarKey: string; scopeKey: string }): Promise<KpiReport> {
    const current = await summaries(wanted);
    // An event dated after today (only a clock set back does that) is left out of the report: replay from scratch.
    if (current.lastDay !== null && current.lastDay > today) return computeReportFromEvents({ db, calendar }, actor, period, today);
    const { aggregate, open } = await scopeAggregate(actor, wanted.scopeKey, current);
    const { units, totals } = tallyAggregate(aggregate, period, today);
    return assemble(db, actor, period, today, units, totals, open);
  }

  return { report };
}

function visibleOf(db: Db, actor: Actor) {
  return db.selectFrom('appeals').innerJoin('enterprises', 'enterprises.id', 'appeals.enterprise_id').where(visibleAppeals(actor));
}

/** The report from its units' counters: names, rates, the order, and the current totals. */
async function assemble(db: Db, actor: Actor, period: Period, today: string, units: Map<string, Counters>, totals: { submitted: number; ratedSatisfied: number; rated: number }, open?: number): Promise<KpiReport> {
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
      averageHandlingDays: c.handled ? Math.round((c.handlingSum / c.handled) * 10) / 10 : null,
    }))
    .sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) || b.dispatched - a.dispatched || a.organisationName.localeCompare(b.organisationName));

  const visible = visibleOf(db, actor);
  const openCount =
    open ?? Number((await visible.select((eb) => eb.fn.countAll<number>().as('n')).where('appeals.status', 'not in', [...closedStatuses]).executeTakeFirstOrThrow()).n);
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
      open: openCount,
      overdue: Number(overdueNow.n),
      answered: unitRows.reduce((sum, row) => sum + row.answered, 0),
      satisfactionRate: ratio(totals.ratedSatisfied, totals.rated),
    },
  };
}

/**
 * The report replayed from the events alone, nothing kept: what the summaries must always equal (the tests compare
 * them), and the answer when an event is dated after today.
 */
export async function computeReportFromEvents({ db, calendar }: { db: Db; calendar: Calendar }, actor: Actor, period: Period, today: string): Promise<KpiReport> {
  const visible = visibleOf(db, actor);
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
  return assemble(db, actor, period, today, units, totals);
}
