import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, dialects, makeEnterprise, signedIn } from './harness.js';
import { SWEEP_EVERY_MS, SWEEP_JOB, scheduleSweep } from '../src/modules/appeals/appeal-jobs.js';
import { createJobs } from '../src/platform/jobs.js';
import { type AppealWorld, appealWorld, call, makeUnit, setChinaDay, tokenCaller } from './appeals-fixture.js';

describe.each(dialects())('appeals on %s', (dialect) => {
  let t: TestApp;
  let w: AppealWorld;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2025-09-26');
    w = await appealWorld(t);
  });
  afterAll(async () => t?.close());

  async function submit(title = '厂区高压线需要迁移', categoryCode = 'utilities', who = w.manager, enterpriseId = w.enterprise.id) {
    return call(t, who, 'POST', '/api/appeals', { enterpriseId, categoryCode, title, description: '新厂房扩建，10kV 线路横穿地块，\n需要供电公司迁改。' });
  }

  it('runs the whole loop on the working-day clock, writing the timeline, the audit trail and notices in each step', async () => {
    setChinaDay(t, '2025-09-26');
    const submitted = await submit();
    expect(submitted).toMatchObject({ status: 'pending', version: 1, number: expect.stringMatching(/^SQ2025-\d{6}$/), origin: { kind: 'api' } }); // the manager calls with a token
    expect(submitted.contactPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);

    const accepted = await call(t, w.officer, 'POST', `/api/appeals/${submitted.id}/accept`, { version: 1 });
    expect(accepted).toMatchObject({ status: 'accepted', version: 2 });
    expect(accepted.allowedActions).toContain('dispatch');

    // 2025-09-26 + 5 working days = 2025-10-10 (09-28 Sunday works; 10-01…10-08 off), domain-rules §4.
    const dispatched = await call(t, w.officer, 'POST', `/api/appeals/${submitted.id}/dispatch`, { version: 2, parts: [{ organisationId: w.power, days: 5 }] });
    expect(dispatched.status).toBe('dispatched');
    expect(dispatched.parts).toHaveLength(1);
    expect(dispatched.parts[0]).toMatchObject({ status: 'dispatched', dueDate: '2025-10-10', dueEstimated: false, isLead: true });
    const partId = dispatched.parts[0].id as string;

    const seen = await call(t, w.powerHandler, 'GET', `/api/appeals/${submitted.id}`);
    expect(seen.allowedActions).toEqual(expect.arrayContaining([`sign:${partId}`, `return:${partId}`]));

    const signed = await call(t, w.powerHandler, 'POST', `/api/appeals/${submitted.id}/parts/${partId}/sign`, { version: 3 });
    expect(signed).toMatchObject({ status: 'in_progress' });
    expect(signed.parts[0].status).toBe('signed');

    setChinaDay(t, '2025-10-09');
    const answered = await call(t, w.powerHandler, 'POST', `/api/appeals/${submitted.id}/parts/${partId}/answer`, { version: 4, answer: '已完成线路迁改方案，10 月底前施工。' });
    expect(answered.status).toBe('answered');
    expect(answered.allowedActions).toEqual([]);

    const forManager = await call(t, w.manager, 'GET', `/api/appeals/${submitted.id}`);
    expect(forManager.allowedActions).toEqual(['rate']);
    expect((await call(t, w.officer, 'GET', `/api/appeals/${submitted.id}`)).allowedActions).toEqual(['callback_rating', 'supervise'].filter((action) => action !== 'supervise'));
    expect(forManager.events.at(-1).actorName).toMatch(/^测试 /); // people by name, not account
    const rated = await call(t, w.manager, 'POST', `/api/appeals/${submitted.id}/rate`, { version: 5, rating: 'satisfied', comment: '很及时' });
    expect(rated).toMatchObject({ status: 'rated', rating: 'satisfied' });
    const archived = await call(t, w.officer, 'POST', `/api/appeals/${submitted.id}/archive`, { version: 6 });
    expect(archived.status).toBe('archived');
    expect(archived.events.map((event: { action: string }) => event.action)).toEqual(['submit', 'accept', 'dispatch', 'sign', 'answer', 'rate', 'archive']);

    const timeline = await t.db.selectFrom('enterprise_events').select(['type', 'summary']).where('enterprise_id', '=', w.enterprise.id).where('type', 'like', 'appeal.%').orderBy('id').execute();
    expect(timeline.map((row) => row.type)).toEqual(['appeal.submit', 'appeal.accept', 'appeal.dispatch', 'appeal.sign', 'appeal.answer', 'appeal.rate', 'appeal.archive']);
    expect(timeline[2].summary).toContain('国网桐乡市供电公司');
    const audited = await t.db.selectFrom('audit_events').select('action').where('object_id', '=', submitted.id).orderBy('id').execute();
    expect(audited.map((row) => row.action)).toEqual(timeline.map((row) => row.type));
    const notices = await t.db.selectFrom('notifications').select(['user_id', 'kind']).where('link', '=', `/appeals/${submitted.id}`).execute();
    expect(notices).toEqual(expect.arrayContaining([
      { user_id: w.officer.userId, kind: 'appeal.submitted' },
      { user_id: w.powerHandler.userId, kind: 'appeal.dispatched' },
      { user_id: w.manager.userId, kind: 'appeal.answered' },
    ]));
  });

  it('keeps the deadline on the calendar through joint handling, pauses and extensions', async () => {
    setChinaDay(t, '2026-04-30');
    const appeal = await submit('工人子女入学', 'workforce');
    await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/accept`, { version: 1 });
    const dispatched = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, {
      version: 2,
      parts: [
        { organisationId: w.school, part: '安排插班', days: 3, isLead: true },
        { organisationId: w.power, part: '宿舍用电', days: 5 },
      ],
    });
    const school = dispatched.parts.find((part: { organisationId: string }) => part.organisationId === w.school);
    const power = dispatched.parts.find((part: { organisationId: string }) => part.organisationId === w.power);
    expect(school.dueDate).toBe('2026-05-08'); // 2026-04-30 + 3 (§4)
    expect(power.dueDate).toBe('2026-05-11'); // 05-09 is a 调休 Saturday
    await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/sign`, { version: 3 });

    // Waiting for the enterprise from 05-06 to 05-11: (05-06, 05-11] holds 05-07, 05-08, 05-09 (Saturday, 调休 workday) and 05-11.
    setChinaDay(t, '2026-05-06');
    const paused = await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/pause`, { version: 4, reason: '等待企业提供户籍材料' });
    expect(paused.parts.find((part: { id: string }) => part.id === school.id).pausedSince).toBe('2026-05-06');
    await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/answer`, { version: 5, answer: 'x' }, 409);
    setChinaDay(t, '2026-05-11');
    const resumed = await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/resume`, { version: 5 });
    const afterPause = resumed.parts.find((part: { id: string }) => part.id === school.id);
    const expected = await call(t, w.officer, 'GET', `/api/calendar/add-workdays?from=2026-05-08&days=${afterPause.pausedDays}`);
    expect(afterPause.pausedDays).toBeGreaterThan(0);
    expect(afterPause.dueDate).toBe(expected.date);

    // An extension: asked by the unit, approved by the officer; never more than 20 working days in all.
    await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/extension`, { version: 6, days: 21, reason: '需教育局统筹' }, 400);
    await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/extension`, { version: 6, days: 15, reason: '需教育局统筹' });
    const approved = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/extension/decision`, { version: 7, approve: true });
    const extended = approved.parts.find((part: { id: string }) => part.id === school.id);
    expect(extended.dueDate).toBe((await call(t, w.officer, 'GET', `/api/calendar/add-workdays?from=${afterPause.dueDate}&days=15`)).date);
    const tooMuch = await t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/parts/${school.id}/extension`, headers: w.schoolHandler.headers, payload: { version: 8, days: 6, reason: '再延' } });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().details[0].field).toBe('days');
  });

  it('gives one of two people acting on the same version the change and the other a 409 with the current state', async () => {
    const appeal = await submit('并发受理');
    const officer2 = await tokenCaller(t, ['officer'], w.town);
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/accept`, headers: w.officer.headers, payload: { version: 1 } }),
      t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/decline`, headers: officer2.headers, payload: { version: 1, reason: '重复' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({ code: 'CONFLICT', details: { current: { id: appeal.id, version: 2 } } });
    const current = await call(t, w.officer, 'GET', `/api/appeals/${appeal.id}`);
    expect(current.events).toHaveLength(2);
  });

  it('lets each party see only its own appeals; the supervisor reads all and changes nothing; banks see none', async () => {
    const mine = await submit('我的诉求');
    const other = await makeEnterprise(t);
    const otherAppeal = await call(t, w.officer, 'POST', '/api/appeals', { enterpriseId: other.id, categoryCode: 'policy', title: '别家的诉求', description: '...' });
    expect(otherAppeal.origin.kind).toBe('api'); // a token caller is another system
    await call(t, w.manager, 'GET', `/api/appeals/${otherAppeal.id}`, undefined, 404);
    const managerList = await call(t, w.manager, 'GET', '/api/appeals?pageSize=200');
    expect(managerList.items.map((item: { id: string }) => item.id)).toContain(mine.id);
    expect(managerList.items.map((item: { id: string }) => item.id)).not.toContain(otherAppeal.id);
    // An enterprise user cannot raise an appeal for someone else's enterprise.
    const foreign = await t.app.inject({ method: 'POST', url: '/api/appeals', headers: w.manager.headers, payload: { enterpriseId: other.id, categoryCode: 'policy', title: 't', description: 'd' } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().details[0].field).toBe('enterpriseId');

    await call(t, w.officer, 'POST', `/api/appeals/${otherAppeal.id}/accept`, { version: 1 });
    await call(t, w.officer, 'POST', `/api/appeals/${otherAppeal.id}/dispatch`, { version: 2, parts: [{ organisationId: w.school }] });
    await call(t, w.powerHandler, 'GET', `/api/appeals/${otherAppeal.id}`, undefined, 404);
    await call(t, w.schoolHandler, 'GET', `/api/appeals/${otherAppeal.id}`);
    const powerList = await call(t, w.powerHandler, 'GET', '/api/appeals?pageSize=200');
    expect(powerList.items.map((item: { id: string }) => item.id)).not.toContain(otherAppeal.id);

    const all = await call(t, w.supervisor, 'GET', '/api/appeals?pageSize=200');
    expect(all.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining([mine.id, otherAppeal.id]));
    const supervisorSees = await call(t, w.supervisor, 'GET', `/api/appeals/${mine.id}`);
    expect(supervisorSees.allowedActions).toEqual([]);
    await call(t, w.supervisor, 'POST', `/api/appeals/${mine.id}/accept`, { version: 1 }, 404);
    const banker = await signedIn(t, ['bank']);
    const bank = { userId: banker.user.id, organisationId: '', headers: banker.session.headers };
    await call(t, bank, 'GET', '/api/appeals', undefined, 404);
    await call(t, bank, 'GET', `/api/appeals/${mine.id}`, undefined, 404);
  });

  it('reopens an appeal rated 不满意 (重办) with a new deadline, and merges duplicates', async () => {
    setChinaDay(t, '2026-02-12');
    const appeal = await submit('污水管网接入', 'environment');
    await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/accept`, { version: 1 });
    const dispatched = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, { version: 2, parts: [{ organisationId: w.power, days: 5 }] });
    const partId = dispatched.parts[0].id;
    expect(dispatched.parts[0].dueDate).toBe('2026-02-26');
    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${partId}/sign`, { version: 3 });
    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${partId}/answer`, { version: 4, answer: '已协调' });
    setChinaDay(t, '2026-03-02');
    const redone = await call(t, w.manager, 'POST', `/api/appeals/${appeal.id}/rate`, { version: 5, rating: 'dissatisfied', comment: '还没通' });
    expect(redone).toMatchObject({ status: 'in_progress', redoCount: 1, rating: 'dissatisfied' });
    expect(redone.parts[0]).toMatchObject({ status: 'signed', dueDate: '2026-03-09' });
    expect(redone.events.map((event: { action: string }) => event.action).slice(-2)).toEqual(['rate', 'redo']);

    const first = await submit('申请出口退税政策解读', 'export');
    const similar = await call(t, w.manager, 'GET', `/api/appeals/similar?enterpriseId=${w.enterprise.id}&title=${encodeURIComponent('出口退税政策')}`);
    expect(similar[0].id).toBe(first.id);
    const duplicate = await submit('出口退税政策咨询', 'export');
    const merged = await call(t, w.officer, 'POST', `/api/appeals/${duplicate.id}/merge`, { version: 1, intoId: first.id });
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: first.id });
    const bad = await t.app.inject({ method: 'POST', url: `/api/appeals/${first.id}/merge`, headers: w.officer.headers, payload: { version: 2, intoId: first.id } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('intoId');
  });

  it('urges on the working day after the deadline and reports five working days later, once each', async () => {
    setChinaDay(t, '2025-09-30');
    const appeal = await submit('用电增容', 'utilities');
    await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/accept`, { version: 1 });
    const dispatched = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, { version: 2, parts: [{ organisationId: w.power, days: 3 }] });
    expect(dispatched.parts[0].dueDate).toBe('2025-10-11');
    const sweep = () => t.app.appeals.sweepOverdue();
    setChinaDay(t, '2025-10-11');
    expect(await sweep()).toEqual({ urged: 0, reported: 0 });
    setChinaDay(t, '2025-10-12'); // Sunday: not a working day, no 催办 yet
    expect(await sweep()).toEqual({ urged: 0, reported: 0 });
    const overdue = await call(t, w.officer, 'GET', `/api/appeals?overdue=true&pageSize=200`);
    expect(overdue.items.map((item: { id: string }) => item.id)).toContain(appeal.id);
    setChinaDay(t, '2025-10-13');
    // Two instances sweeping at the same moment urge once.
    const [first, second] = await Promise.all([sweep(), sweep()]);
    expect(first.urged + second.urged).toBeGreaterThanOrEqual(1);
    expect((await sweep()).urged).toBe(0);
    const urges = await t.db.selectFrom('appeal_events').select('id').where('appeal_id', '=', appeal.id).where('action', '=', 'urge').execute();
    expect(urges).toHaveLength(1);
    setChinaDay(t, '2025-10-20');
    expect((await sweep()).reported).toBeGreaterThanOrEqual(1);
    const after = await call(t, w.officer, 'GET', `/api/appeals/${appeal.id}`);
    expect(after.events.map((event: { action: string }) => event.action)).toEqual(['submit', 'accept', 'dispatch', 'urge', 'report']);
    const leaderNotice = await t.db.selectFrom('notifications').select('kind').where('user_id', '=', w.leader.userId).where('link', '=', `/appeals/${appeal.id}`).execute();
    expect(leaderNotice.map((row) => row.kind)).toEqual(['appeal.reported']);
    const supervised = await call(t, w.leader, 'POST', `/api/appeals/${appeal.id}/supervise`, { version: after.version, instruction: '请供电公司本周内解决' });
    expect(supervised.supervised).toBe(true);

    // In production the sweep is a self-renewing job: one queued at a time, whoever schedules it.
    const jobs = createJobs({ db: t.db, clock: t.clock });
    await scheduleSweep(jobs, () => t.clock.now());
    await scheduleSweep(jobs, () => t.clock.now());
    const queued = () => t.db.withTables<{ jobs: { kind: string; status: string; run_after: string | null } }>().selectFrom('jobs').select(['status', 'run_after']).where('kind', '=', SWEEP_JOB).where('status', '=', 'queued').execute();
    expect(await queued()).toHaveLength(1);
    expect(await t.app.worker.drain()).toBe(1);
    const next = await queued();
    expect(next).toHaveLength(1);
    expect(Date.parse(String(next[0].run_after)) - t.clock.now().getTime()).toBe(SWEEP_EVERY_MS);
  });

  it('recomputes unit KPIs from the events: on time up to the deadline day, late after it, returns, pauses and ratings', async () => {
    const water = await makeUnit(t, 'outside_unit', null, '崇福水务');
    const waterHandler = await tokenCaller(t, ['handler'], water);
    const go = async (who: typeof w.officer, appeal: { id: string; version: number }, path: string, body: Record<string, unknown> = {}) =>
      call(t, who, 'POST', `/api/appeals/${appeal.id}${path}`, { version: appeal.version, ...body });
    const dispatchedTo = async (title: string, days: number) => {
      const appeal = await submit(title, 'utilities');
      const accepted = await go(w.officer, appeal, '/accept');
      const dispatched = await go(w.officer, accepted, '/dispatch', { parts: [{ organisationId: water, days }] });
      return { appeal: dispatched, partId: dispatched.parts[0].id as string };
    };
    setChinaDay(t, '2026-06-01'); // Monday
    const onTime = await dispatchedTo('按期', 3); // due 06-04
    const late = await dispatchedTo('超期办结', 3); // due 06-04
    await dispatchedTo('超期未办', 3); // due 06-04
    const returned = await dispatchedTo('退单', 3);
    const paused = await dispatchedTo('暂停', 3);
    expect(onTime.appeal.parts[0].dueDate).toBe('2026-06-04');
    let a = await go(waterHandler, onTime.appeal, `/parts/${onTime.partId}/sign`);
    let b = await go(waterHandler, late.appeal, `/parts/${late.partId}/sign`);
    await go(waterHandler, returned.appeal, `/parts/${returned.partId}/return`, { reason: '不属于水务' });
    let p = await go(waterHandler, paused.appeal, `/parts/${paused.partId}/sign`);
    p = await go(waterHandler, p, `/parts/${paused.partId}/pause`, { reason: '等企业图纸' }); // paused from Monday 06-01
    setChinaDay(t, '2026-06-04'); // the deadline day itself is in time
    a = await go(waterHandler, a, `/parts/${onTime.partId}/answer`, { answer: '已接入' });
    p = await go(waterHandler, p, `/parts/${paused.partId}/resume`); // 3 working days paused → due 06-09
    expect(p.parts[0]).toMatchObject({ pausedDays: 3, dueDate: '2026-06-09' });
    setChinaDay(t, '2026-06-05');
    b = await go(waterHandler, b, `/parts/${late.partId}/answer`, { answer: '晚了一天' });
    p = await go(waterHandler, p, `/parts/${paused.partId}/answer`, { answer: '暂停不计入' });
    await go(w.manager, a, '/rate', { rating: 'satisfied' });
    await go(w.manager, b, '/rate', { rating: 'basically_satisfied' });
    await go(w.manager, p, '/rate', { rating: 'dissatisfied' }); // → 重办, a new cycle due 06-10
    setChinaDay(t, '2026-06-15');
    const report = await call(t, w.leader, 'GET', '/api/appeals/kpis?from=2026-06-01&to=2026-06-30');
    const row = report.units.find((unit: { organisationId: string }) => unit.organisationId === water);
    expect(row).toMatchObject({
      organisationName: '崇福水务',
      dispatched: 5,
      signed: 3, // neither the returned one nor 超期未办 was signed
      signRate: 0.6,
      answered: 3,
      answeredOnTime: 2, // on the deadline day, and the paused one within its moved deadline
      overdue: 2, // 超期未办 (due 06-04) and the 重办 cycle (due 06-10), both unanswered
      onTimeRate: 0.4,
      rated: 3,
      satisfied: 2,
      satisfactionRate: 0.6667,
      returns: 1,
      // (06-01, 06-04] = 3, (06-01, 06-05] = 4, and 4 − 3 paused = 1 → 8 / 3
      averageHandlingDays: 2.7,
    });
    // The same report again comes from the instance's cache; a calendar edit or a new step invalidates it.
    const again = await call(t, w.leader, 'GET', '/api/appeals/kpis?from=2026-06-01&to=2026-06-30');
    expect(again.units.find((unit: { organisationId: string }) => unit.organisationId === water).averageHandlingDays).toBe(2.7);
    await call(t, w.officer, 'PUT', '/api/calendar/days/2026-06-03', { isWorkday: false, name: '测试停工日' });
    const afterHoliday = await call(t, w.leader, 'GET', '/api/appeals/kpis?from=2026-06-01&to=2026-06-30');
    expect(afterHoliday.units.find((unit: { organisationId: string }) => unit.organisationId === water).averageHandlingDays).toBeLessThan(2.7);
    await t.app.inject({ method: 'DELETE', url: '/api/calendar/days/2026-06-03', headers: w.officer.headers });
    const restored = await call(t, w.leader, 'GET', '/api/appeals/kpis?from=2026-06-01&to=2026-06-30');
    expect(restored.units.find((unit: { organisationId: string }) => unit.organisationId === water).averageHandlingDays).toBe(2.7);
    const drill = await call(t, w.leader, 'GET', `/api/appeals?organisationId=${water}&overdue=true`);
    expect(drill.total).toBe(2);
    // The drill-down lists the cases the unit worked on in the period, whenever they were submitted.
    expect((await call(t, w.leader, 'GET', `/api/appeals?organisationId=${water}&from=2026-06-05&to=2026-06-30&dates=activity`)).total).toBe(2);
    // On 06-04: 按期 was answered, 暂停 resumed, and 超期未办 fell due without an answer.
    expect((await call(t, w.leader, 'GET', `/api/appeals?organisationId=${water}&from=2026-06-04&to=2026-06-04&dates=activity`)).total).toBe(3);
    expect((await call(t, w.leader, 'GET', `/api/appeals?organisationId=${water}&from=2026-06-05&to=2026-06-30`)).total).toBe(0);
    const forWater = await call(t, waterHandler, 'GET', `/api/appeals?organisationId=${water}&pageSize=200`);
    expect(forWater.items.map((item: { myPartStatus: string }) => item.myPartStatus).sort()).toEqual(['answered', 'answered', 'dispatched', 'returned', 'signed']);
    await call(t, w.leader, 'GET', '/api/appeals/kpis?from=2026-06-30&to=2026-06-01', undefined, 400);
  });

  it("withdraws a unit's unanswered part (撤回交办): a reason, the version, the unit loses the case, and it can be dispatched again", async () => {
    setChinaDay(t, '2026-08-03'); // Monday
    const v = await appealWorld(t); // its own units, so their KPIs are this test's alone
    const appeal = await submit('撤回交办', 'utilities', v.manager, v.enterprise.id);
    await call(t, v.officer, 'POST', `/api/appeals/${appeal.id}/accept`, { version: 1 });
    const joint = await call(t, v.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, { version: 2, parts: [{ organisationId: v.power, days: 5 }, { organisationId: v.school, days: 5 }] });
    const power = joint.parts.find((part: { organisationId: string }) => part.organisationId === v.power);
    const school = joint.parts.find((part: { organisationId: string }) => part.organisationId === v.school);
    const signed = await call(t, v.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${power.id}/sign`, { version: 3 });
    expect(signed.status).toBe('in_progress');
    const officerView = await call(t, v.officer, 'GET', `/api/appeals/${appeal.id}`);
    expect(officerView.allowedActions).toEqual(expect.arrayContaining([`withdraw:${power.id}`, `withdraw:${school.id}`]));
    // A unit cannot withdraw (it returns instead): it is not offered the step, and the route refuses it.
    expect((await call(t, v.powerHandler, 'GET', `/api/appeals/${appeal.id}`)).allowedActions.some((action: string) => action.startsWith('withdraw'))).toBe(false);
    const byUnit = await t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/parts/${power.id}/withdraw`, headers: v.powerHandler.headers, payload: { version: 4, reason: '不归我们' } });
    expect(byUnit.statusCode).toBe(404);

    // The reason is required: a 400 naming it, and nothing written.
    for (const payload of [{ version: 4 }, { version: 4, reason: '   ' }]) {
      const missing = await t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/parts/${power.id}/withdraw`, headers: v.officer.headers, payload });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().details.map((detail: { field: string }) => detail.field)).toContain('reason');
    }
    const unchanged = await call(t, v.officer, 'GET', `/api/appeals/${appeal.id}`);
    expect(unchanged).toMatchObject({ version: 4, status: 'in_progress' });
    expect(unchanged.events).toHaveLength(officerView.events.length);
    // A stale version: 409 with the current state.
    const stale = await t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/parts/${power.id}/withdraw`, headers: v.officer.headers, payload: { version: 3, reason: '交办单位有误' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().details.current).toMatchObject({ version: 4 });

    // The signed power part is withdrawn; the school's part remains, so the case waits for its signature.
    const withdrawn = await call(t, v.officer, 'POST', `/api/appeals/${appeal.id}/parts/${power.id}/withdraw`, { version: 4, reason: '交办单位有误，应由学校办理' });
    expect(withdrawn).toMatchObject({ version: 5, status: 'dispatched' });
    expect(withdrawn.parts.find((part: { id: string }) => part.id === power.id).status).toBe('withdrawn');
    expect(withdrawn.units).toEqual([expect.stringContaining('小学')]);
    expect(withdrawn.events.at(-1)).toMatchObject({ action: 'withdraw', partId: power.id, fromStatus: 'in_progress', toStatus: 'dispatched', data: { reason: '交办单位有误，应由学校办理' } });
    // Once is enough: a withdrawn part takes no more steps.
    await call(t, v.officer, 'POST', `/api/appeals/${appeal.id}/parts/${power.id}/withdraw`, { version: 5, reason: '再次撤回' }, 409);

    // The power company no longer sees the case, nor has it in its 待办 or list.
    await call(t, v.powerHandler, 'GET', `/api/appeals/${appeal.id}`, undefined, 404);
    await call(t, v.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${power.id}/answer`, { version: 5, answer: '已办' }, 404);
    const powerTodo = await call(t, v.powerHandler, 'GET', '/api/appeals?todo=true&pageSize=200');
    expect(powerTodo.items.map((item: { id: string }) => item.id)).not.toContain(appeal.id);
    expect((await call(t, v.powerHandler, 'GET', '/api/appeals?pageSize=200')).items.map((item: { id: string }) => item.id)).not.toContain(appeal.id);

    // The last open part withdrawn: back to the dispatcher (已受理), who dispatches again.
    const back = await call(t, v.officer, 'POST', `/api/appeals/${appeal.id}/parts/${school.id}/withdraw`, { version: 5, reason: '企业已自行解决部分，改派' });
    expect(back).toMatchObject({ status: 'accepted', version: 6 });
    expect(back.allowedActions).toContain('dispatch');
    await call(t, v.schoolHandler, 'GET', `/api/appeals/${appeal.id}`, undefined, 404);
    const again = await call(t, v.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, { version: 6, parts: [{ organisationId: v.power, days: 5 }] });
    expect(again.status).toBe('dispatched');
    const seenAgain = await call(t, v.powerHandler, 'GET', `/api/appeals/${appeal.id}`);
    const newPart = again.parts.find((part: { organisationId: string; status: string }) => part.organisationId === v.power && part.status === 'dispatched');
    expect(seenAgain.allowedActions).toContain(`sign:${newPart.id}`);

    // Timeline, audit trail and the notice to the unit's handlers.
    const timeline = await t.db.selectFrom('enterprise_events').select(['type', 'summary']).where('enterprise_id', '=', v.enterprise.id).where('type', '=', 'appeal.withdraw').orderBy('id').execute();
    expect(timeline.filter((row) => row.summary.includes('撤回交办'))).toHaveLength(2);
    expect(timeline.some((row) => row.summary.includes('国网桐乡市供电公司'))).toBe(true);
    const audited = await t.db.selectFrom('audit_events').select('action').where('object_id', '=', appeal.id).where('action', '=', 'appeal.withdraw').execute();
    expect(audited).toHaveLength(2);
    const notices = await t.db.selectFrom('notifications').select(['user_id', 'kind', 'title']).where('link', '=', `/appeals/${appeal.id}`).where('kind', '=', 'appeal.withdrawn').execute();
    expect(notices.map((notice) => notice.user_id).sort()).toEqual([v.powerHandler.userId, v.schoolHandler.userId].sort());
    expect(notices.find((notice) => notice.user_id === v.powerHandler.userId)!.title).toContain('撤回');

    // KPIs: the withdrawn parts count for no unit — only the new dispatch to the power company does.
    const report = await call(t, v.leader, 'GET', '/api/appeals/kpis?from=2026-08-03&to=2026-08-03');
    const powerRow = report.units.find((row: { organisationId: string }) => row.organisationId === v.power);
    expect(powerRow).toMatchObject({ dispatched: 1, signed: 0, returns: 0, answered: 0, overdue: 0 });
    expect(report.units.find((row: { organisationId: string }) => row.organisationId === v.school)).toBeUndefined();
  });

  it('lists what waits for each role (待办)', async () => {
    setChinaDay(t, '2026-07-01');
    const todo = async (who: typeof w.officer) => new Set((await call(t, who, 'GET', '/api/appeals?todo=true&pageSize=200')).items.map((item: { id: string }) => item.id));
    const fresh = await submit('待办：新诉求');
    expect(await todo(w.officer)).toContain(fresh.id);
    expect(await todo(w.powerHandler)).not.toContain(fresh.id);
    const accepted = await call(t, w.officer, 'POST', `/api/appeals/${fresh.id}/accept`, { version: 1 });
    expect(await todo(w.officer)).toContain(fresh.id); // still to dispatch
    const dispatched = await call(t, w.officer, 'POST', `/api/appeals/${fresh.id}/dispatch`, { version: accepted.version, parts: [{ organisationId: w.power, days: 1 }] });
    expect(await todo(w.officer)).not.toContain(fresh.id);
    expect(await todo(w.powerHandler)).toContain(fresh.id);
    // A unit's 待办 starts with what awaits its signature, and shows its own part's state and deadline.
    const handlerTodo = (await call(t, w.powerHandler, 'GET', '/api/appeals?todo=true&pageSize=200')).items;
    const firstSigned = handlerTodo.findIndex((item: { myPartStatus: string }) => item.myPartStatus === 'signed');
    const lastWaiting = handlerTodo.findLastIndex((item: { myPartStatus: string }) => item.myPartStatus === 'dispatched');
    expect(firstSigned === -1 || lastWaiting < firstSigned).toBe(true);
    expect(handlerTodo.find((item: { id: string }) => item.id === fresh.id)).toMatchObject({ myPartStatus: 'dispatched', myPartDueDate: '2026-07-02' });
    expect(await todo(w.schoolHandler)).not.toContain(fresh.id);
    setChinaDay(t, '2026-07-06');
    expect(await todo(w.leader)).toContain(fresh.id); // overdue since 07-02
    const signed = await call(t, w.powerHandler, 'POST', `/api/appeals/${fresh.id}/parts/${dispatched.parts[0].id}/sign`, { version: dispatched.version });
    const answered = await call(t, w.powerHandler, 'POST', `/api/appeals/${fresh.id}/parts/${dispatched.parts[0].id}/answer`, { version: signed.version, answer: '已处理' });
    expect(await todo(w.powerHandler)).not.toContain(fresh.id);
    expect(await todo(w.leader)).not.toContain(fresh.id);
    expect(await todo(w.manager)).toContain(fresh.id); // to rate
    await call(t, w.manager, 'POST', `/api/appeals/${fresh.id}/rate`, { version: answered.version, rating: 'satisfied' });
    expect(await todo(w.manager)).not.toContain(fresh.id);
    expect((await call(t, w.supervisor, 'GET', '/api/appeals?todo=true')).total).toBe(0);
  });

  it('keeps categories editable without ever overwriting one by adding it again', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/appeal-categories', headers: w.officer.headers, payload: { code: 'school_bus', name: '校车接送', nameEn: 'School bus', deadlineDays: 4 } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'school_bus', deadlineDays: 4, isEnabled: true });
    const again = await t.app.inject({ method: 'POST', url: '/api/appeal-categories', headers: w.officer.headers, payload: { code: 'school_bus', name: '覆盖', nameEn: 'Overwrite', deadlineDays: 9 } });
    expect(again.statusCode).toBe(400);
    expect(again.json().details[0]).toMatchObject({ field: 'code', message: '该代码已被使用' });
    await call(t, w.officer, 'PUT', '/api/appeal-categories/no_such', { name: '无', nameEn: 'None', deadlineDays: 3 }, 404);
    const disabled = await call(t, w.officer, 'PUT', '/api/appeal-categories/school_bus', { name: '校车接送', nameEn: 'School bus', deadlineDays: 6, isEnabled: false });
    expect(disabled).toMatchObject({ deadlineDays: 6, isEnabled: false });
    const refused = await t.app.inject({ method: 'POST', url: '/api/appeals', headers: w.manager.headers, payload: { enterpriseId: w.enterprise.id, categoryCode: 'school_bus', title: '校车', description: '...' } });
    expect(refused.json().details[0].field).toBe('categoryCode');
  });

  it('keeps attachments recognised by their content, served only as downloads to those who may see the appeal', async () => {
    const appeal = await submit('附现场照片');
    const upload = (filename: string, bytes: Buffer, who = w.manager) => {
      const boundary = '----qinqing' + Math.random().toString(16).slice(2);
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}/attachments`, headers: { ...who.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    };
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
    const created = await upload('../../现场照片.png', png);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ filename: '现场照片.png', contentType: 'image/png', size: 108 });
    // A script renamed to .png, or an HTML page, is refused by its bytes.
    const fake = await upload('evil.png', Buffer.from('<script>alert(1)</script>'));
    expect(fake.statusCode).toBe(400);
    expect(fake.json().details[0]).toMatchObject({ field: 'file', message: expect.stringMatching(/PDF/) });
    const shown = await call(t, w.officer, 'GET', `/api/appeals/${appeal.id}`);
    expect(shown.attachments).toHaveLength(1);
    const download = await t.app.inject({ method: 'GET', url: `/api/appeals/${appeal.id}/attachments/${created.json().id}`, headers: w.officer.headers });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.rawPayload.equals(png)).toBe(true);
    // Someone who may not see the appeal cannot fetch its files either.
    const stranger = await tokenCaller(t, ['enterprise']);
    const denied = await t.app.inject({ method: 'GET', url: `/api/appeals/${appeal.id}/attachments/${created.json().id}`, headers: stranger.headers });
    expect(denied.statusCode).toBe(404);
  });

  it('takes appeals from a hotline through the Open311 face', async () => {
    const services = await call(t, w.officer, 'GET', '/api/open311/services');
    expect(services.map((service: { service_code: string }) => service.service_code)).toContain('utilities');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/open311/requests',
      headers: w.officer.headers,
      payload: { service_code: 'utilities', credit_code: w.enterprise.creditCode, description: '来电反映厂区停电频繁', last_name: '王', first_name: '先生', phone: '13900001111', external_id: '12345-2026-0001' },
    });
    expect(created.statusCode).toBe(201);
    const [{ service_request_id: number }] = created.json();
    const [status] = await call(t, w.officer, 'GET', `/api/open311/requests/${number}`);
    expect(status).toMatchObject({ service_request_id: number, status: 'open', service_code: 'utilities' });
    const bad = await t.app.inject({ method: 'POST', url: '/api/open311/requests', headers: w.officer.headers, payload: { service_code: 'nope', credit_code: w.enterprise.creditCode, description: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('service_code');
  });
});
