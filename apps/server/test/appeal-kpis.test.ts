import fc from 'fast-check';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KpiEvent, computeUnitKpis } from '../src/modules/appeals/appeal-kpi-replay.js';
import { type AppealSummary, aggregateSummaries, applyKpiEvent, emptySummary, tallyAggregate } from '../src/modules/appeals/appeal-kpi-summaries.js';
import { computeReportFromEvents, createAppealKpis } from '../src/modules/appeals/appeal-kpis.js';
import type { Actor } from '../src/platform/actor.js';
import { type Calendar, type CalendarSpan, createCalendar } from '../src/platform/calendar.js';
import { openDatabase } from '../src/platform/db/database.js';
import { type AppealWorld, appealWorld, call, setChinaDay } from './appeals-fixture.js';
import { type TestApp, createTestApp, createTestDatabase, dialects } from './harness.js';

/** The units in their order, with their counters, and the totals. */
function comparable(result: ReturnType<typeof computeUnitKpis>) {
  return { totals: result.totals, units: [...result.units.entries()] };
}

describe('KPI summaries, against the replay of the events', () => {
  let span: CalendarSpan;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    // A real calendar (a migrated database with its 2025–2026 notices) for the working days.
    const created = await createTestDatabase('sqlite');
    drop = created.drop;
    const database = openDatabase(created.target);
    span = await createCalendar({ db: database.db }).span('2025-12-01', '2027-03-31');
    await database.destroy();
  });
  afterAll(async () => drop?.());

  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const units = ['u1', 'u2', 'u3'];
  const step = fc.record({
    appeal: fc.integer({ min: 0, max: 3 }),
    part: fc.integer({ min: 0, max: 2 }),
    unit: fc.constantFrom(...units),
    action: fc.constantFrom('submit', 'dispatch', 'dispatch', 'sign', 'sign', 'return', 'pause', 'resume', 'decide_extension', 'answer', 'answer', 'redo', 'rate', 'accept', 'withdraw'),
    gap: fc.integer({ min: 0, max: 4 }),
    due: fc.integer({ min: 0, max: 12 }),
    flag: fc.boolean(),
  });

  it('answers every period and day exactly as computeUnitKpis over the relevant cases, also when the events come in several batches', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 80 }),
        fc.array(fc.tuple(fc.integer({ min: -5, max: 70 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 79 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (steps, periods, cut, open) => {
          let n = 0;
          const events: Array<KpiEvent & { id: number }> = steps.map((s, i) => {
            n += s.gap;
            const partId = `a${s.appeal}p${s.part}`;
            const data =
              s.action === 'dispatch' || s.action === 'redo'
                ? { dueDate: day(n + s.due) }
                : s.action === 'resume'
                  ? { dueDate: day(n + s.due), pausedDays: s.due % 3 }
                  : s.action === 'decide_extension'
                    ? { approve: s.flag, dueDate: day(n + s.due) }
                    : s.action === 'rate'
                      ? { rating: s.flag ? 'satisfied' : 'dissatisfied' }
                      : null;
            const perPart = !['submit', 'rate', 'accept'].includes(s.action);
            return { id: i + 1, appeal_id: `a${s.appeal}`, part_id: perPart ? partId : null, organisation_id: perPart ? s.unit : null, action: s.action, day: day(n), data: data ? JSON.stringify(data) : null };
          });
          // Continue the replays after `cut` events, as a refresh does with the events written since.
          const summaries = new Map<string, AppealSummary>();
          const apply = (batch: typeof events) => {
            for (const event of batch) {
              if (!summaries.has(event.appeal_id)) summaries.set(event.appeal_id, emptySummary());
              applyKpiEvent(summaries.get(event.appeal_id)!, event, span);
            }
          };
          apply(events.slice(0, cut));
          apply(events.slice(cut));
          // Whether each case is open now: a closed case counts only in periods that begin on or before its last step.
          const aggregate = aggregateSummaries([...summaries.entries()].map(([id, summary]) => ({ summary, open: open[Number(id.slice(1))]! })));
          for (const [start, length, after] of periods) {
            const period = { from: day(start), to: day(start + length) };
            const today = day(n + after);
            const relevant = new Set([...summaries.entries()].filter(([id, summary]) => open[Number(id.slice(1))] || summary.lastDay >= period.from).map(([id]) => id));
            const replayed = computeUnitKpis(events.filter((event) => relevant.has(event.appeal_id)), period, today, span);
            expect(comparable(tallyAggregate(aggregate, period, today))).toEqual(comparable(replayed));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** Counts the statements an instance sends, by what they read. */
function statementCounter(compile: (node: RootOperationNode) => string) {
  const sqlOf = new Map<unknown, string>();
  const sent: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs) {
      sqlOf.set(args.queryId, compile(args.node));
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const sql = sqlOf.get(args.queryId);
      if (sql) sent.push(sql);
      return args.result;
    },
  };
  return { plugin, sent, reset: () => sent.splice(0) };
}

describe.each(dialects())('KPI report kept up to date on %s', (dialect) => {
  let t: TestApp;
  let w: AppealWorld;
  let calendar: Calendar;
  let leader: Actor;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2026-03-02');
    w = await appealWorld(t);
    calendar = createCalendar({ db: t.db });
    leader = { userId: w.leader.userId, username: 'leader', roles: ['leader'], organisationId: w.town, regionCode: '330483107', via: 'token', pending: null };
  });
  afterAll(async () => t?.close());

  const go = (who: AppealWorld['officer'], appeal: { id: string; version: number }, path: string, body: Record<string, unknown> = {}) =>
    call(t, who, 'POST', `/api/appeals/${appeal.id}${path}`, { version: appeal.version, ...body });
  async function dispatched(title: string, organisationId: string, days: number) {
    const appeal = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title, description: '需要协调解决。' });
    const accepted = await go(w.officer, appeal, '/accept');
    const sent = await go(w.officer, accepted, '/dispatch', { parts: [{ organisationId, days }] });
    return { appeal: sent, partId: sent.parts[0].id as string };
  }
  const period = { from: '2026-03-01', to: '2026-03-31' };
  const kpiUrl = `/api/appeals/kpis?from=${period.from}&to=${period.to}`;

  it('continues from the events written since, and matches a replay from scratch; a calendar change starts over', async () => {
    setChinaDay(t, '2026-03-02'); // Monday
    const first = await dispatched('路灯不亮', w.power, 3); // due 03-05
    let a = await go(w.powerHandler, first.appeal, `/parts/${first.partId}/sign`);
    const second = await dispatched('校门口积水', w.school, 2); // due 03-04
    setChinaDay(t, '2026-03-03');
    const before = await call(t, w.leader, 'GET', kpiUrl);
    expect(before).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, period, '2026-03-03'));
    expect(before.units.find((unit: { organisationId: string }) => unit.organisationId === w.power)).toMatchObject({ dispatched: 1, signed: 1, answered: 0 });

    // New steps: the app's instance replays only them; its report equals a replay of everything, and a new instance's.
    setChinaDay(t, '2026-03-05');
    a = await go(w.powerHandler, a, `/parts/${first.partId}/answer`, { answer: '已修复' });
    await go(w.manager, a, '/rate', { rating: 'satisfied' });
    await go(w.schoolHandler, second.appeal, `/parts/${second.partId}/return`, { reason: '不属本单位' });
    const third = await dispatched('供电不稳', w.power, 1);
    await go(w.powerHandler, third.appeal, `/parts/${third.partId}/sign`);
    setChinaDay(t, '2026-03-10');
    const after = await call(t, w.leader, 'GET', kpiUrl);
    const fromScratch = await computeReportFromEvents({ db: t.db, calendar }, leader, period, '2026-03-10');
    expect(after).toEqual(fromScratch);
    expect(await createAppealKpis({ db: t.db, calendar }).report(leader, period, '2026-03-10')).toEqual(fromScratch);
    expect(after.units.find((unit: { organisationId: string }) => unit.organisationId === w.power)).toMatchObject({
      dispatched: 2,
      signed: 2,
      answered: 1,
      answeredOnTime: 1,
      overdue: 1, // 供电不稳, due 03-06, not answered
      rated: 1,
      satisfied: 1,
      averageHandlingDays: 3, // (03-02, 03-05]
    });
    expect(after.units.find((unit: { organisationId: string }) => unit.organisationId === w.school)).toMatchObject({ dispatched: 1, returns: 1 });
    // Other periods are answered from the same summaries.
    for (const other of [{ from: '2026-03-05', to: '2026-03-05' }, { from: '2026-02-01', to: '2026-03-04' }, { from: '2026-03-06', to: '2026-12-31' }]) {
      const url = `/api/appeals/kpis?from=${other.from}&to=${other.to}`;
      expect(await call(t, w.leader, 'GET', url)).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, other, '2026-03-10'));
    }

    // 03-04 becomes a day off: 3 → 2 working days of handling; the kept summaries are replayed under the new calendar.
    await call(t, w.officer, 'PUT', '/api/calendar/days/2026-03-04', { isWorkday: false, name: '测试停工日' });
    const holiday = await call(t, w.leader, 'GET', kpiUrl);
    expect(holiday.units.find((unit: { organisationId: string }) => unit.organisationId === w.power).averageHandlingDays).toBe(2);
    expect(holiday).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, period, '2026-03-10'));
    await t.app.inject({ method: 'DELETE', url: '/api/calendar/days/2026-03-04', headers: w.officer.headers });
    expect((await call(t, w.leader, 'GET', kpiUrl)).units.find((unit: { organisationId: string }) => unit.organisationId === w.power).averageHandlingDays).toBe(3);
  });

  it('computes a report once for concurrent requests, and reads the events and the visible appeals once for different periods', async () => {
    const counter = statementCounter((node) => t.db.getExecutor().compileQuery(node, { queryId: 'count' } as never).sql);
    const kpis = createAppealKpis({ db: t.db.withPlugin(counter.plugin), calendar, concurrency: 2 });
    const today = '2026-03-10';
    const eventReads = () => counter.sent.filter((sql) => /from "appeal_events"/.test(sql) && /order by/.test(sql)).length;
    const visibleReads = () => counter.sent.filter((sql) => /select "appeals"\."id", "appeals"\."status"/.test(sql)).length;

    const same = await Promise.all(Array.from({ length: 8 }, () => kpis.report(leader, period, today)));
    for (const report of same) expect(report).toBe(same[0]);
    expect(same[0]).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, period, today));
    expect(eventReads()).toBe(1);
    expect(visibleReads()).toBe(1);

    counter.reset();
    const periods = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-03-05', '2026-03-09'].map((from) => ({ from, to: '2026-04-30' }));
    const reports = await Promise.all(periods.map((p) => kpis.report(leader, p, today)));
    expect(eventReads()).toBe(0); // nothing new since: the summaries are current
    expect(visibleReads()).toBe(0); // and so are the leader's visible appeals
    for (const [k, p] of periods.entries()) expect(reports[k]).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, p, today));

    // A new step: the next reports, asked together, share one read of the events written since.
    setChinaDay(t, '2026-03-10');
    await dispatched('道路破损', w.school, 5);
    counter.reset();
    const next = await Promise.all(periods.map((p) => kpis.report(leader, p, today)));
    expect(eventReads()).toBe(1);
    expect(visibleReads()).toBe(1);
    for (const [k, p] of periods.entries()) expect(next[k]).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, p, today));
  });

  it('replays from scratch when an event is dated after the report day', async () => {
    const kpis = createAppealKpis({ db: t.db, calendar });
    // The clock set back: events of 03-10 exist; a report "as of" 03-06 leaves them out, as the replay does.
    const report = await kpis.report(leader, period, '2026-03-06');
    expect(report).toEqual(await computeReportFromEvents({ db: t.db, calendar }, leader, period, '2026-03-06'));
    expect(report).not.toEqual(await kpis.report(leader, period, '2026-03-10'));
  });
});
