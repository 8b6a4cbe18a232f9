import type { KpiReport, UnitKpi } from '@qinqing/contracts';
import type { ExpressionBuilder } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { Calendar, CalendarSpan } from '../../platform/calendar.js';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { type Counters, computeUnitKpis, ratio } from './appeal-kpi-replay.js';
import { type AppealSummary, type KpiAggregate, aggregateSummaries, applyKpiEvent, emptySummary, tallyAggregate } from './appeal-kpi-summaries.js';
import { isOverdueOn } from './appeal-rows.js';
import { closedStatuses } from './appeal-rules.js';
import { visibleAppeals } from './appeals.access.js';

/**
 * The unit KPI report (GET /api/appeals/kpis): how each figure is defined is in `appeal-kpi-replay.ts`; how any
 * period is answered from per-appeal summaries kept across requests is in `appeal-kpi-summaries.ts`. This file keeps
 * those summaries per instance, refreshed with only the newer events, shares a computation between identical
 * requests in flight, and limits how many distinct ones run at once.
 */

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
    .where((eb) => isOverdueOn(eb, today))
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
