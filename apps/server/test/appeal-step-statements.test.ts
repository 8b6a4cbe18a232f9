import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, dialects } from './harness.js';
import { type AppealWorld, type Caller, appealWorld, call, setChinaDay } from './appeals-fixture.js';

/**
 * What one appeal step costs in SQL statements (every statement the driver runs for the request, BEGIN and COMMIT
 * included: on PostgreSQL each is a round trip), and that the step's answer is the appeal as a fresh read shows it.
 */
let statements = 0;
function countStatements() {
  const probe = new SQLite(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const restore: Array<() => void> = [];
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = statementProto[name];
    statementProto[name] = function (this: unknown, ...args: unknown[]) {
      statements += 1;
      return original.apply(this, args);
    };
    restore.push(() => (statementProto[name] = original));
  }
  const clientProto = pg.Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const query = clientProto.query;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    statements += 1;
    return query.apply(this, args);
  };
  restore.push(() => (clientProto.query = query));
  return () => restore.forEach((undo) => undo());
}

describe.each(dialects())('statements per appeal step on %s', (dialect) => {
  let t: TestApp;
  let w: AppealWorld;
  let stop: () => void;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2026-03-02');
    w = await appealWorld(t);
    stop = countStatements();
  });
  afterAll(async () => {
    stop?.();
    await t?.close();
  });

  it('answers each step with the committed appeal, in a bounded number of statements', async () => {
    const submitted = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title: '厂区道路需要修缮', description: '路面破损。' });
    const id = submitted.id as string;
    const costs: Record<string, number> = {};
    let version = 1;
    async function step(name: string, who: Caller, url: string, body: Record<string, unknown> = {}) {
      const before = statements;
      const answer = await call(t, who, 'POST', `/api/appeals/${id}${url}`, { version, ...body });
      costs[name] = statements - before;
      version = answer.version;
      // The answer is what the same person sees when they open the page afterwards.
      expect(answer).toEqual(await call(t, who, 'GET', `/api/appeals/${id}`));
      return answer;
    }
    // What authenticating a request costs, to tell it apart from the step.
    const before = statements;
    await call(t, w.officer, 'GET', '/api/appeal-categories');
    const baseline = statements - before;

    await step('accept', w.officer, '/accept');
    const dispatched = await step('dispatch', w.officer, '/dispatch', { parts: [{ organisationId: w.power, days: 5 }, { organisationId: w.school, days: 5 }] });
    const [power, school] = dispatched.parts.map((part: { id: string }) => part.id);
    await step('sign', w.powerHandler, `/parts/${power}/sign`);
    await step('return', w.schoolHandler, `/parts/${school}/return`, { reason: '不属于本单位职责' });
    await step('urge', w.officer, '/urge', { message: '请尽快' });
    await step('supervise', w.leader, '/supervise', { instruction: '本周内办结' });
    await step('pause', w.powerHandler, `/parts/${power}/pause`, { reason: '等企业补材料' });
    await step('resume', w.powerHandler, `/parts/${power}/resume`);
    await step('request_extension', w.powerHandler, `/parts/${power}/extension`, { days: 3, reason: '施工排期' });
    await step('decide_extension', w.officer, `/parts/${power}/extension/decision`, { approve: true });
    await step('answer', w.powerHandler, `/parts/${power}/answer`, { answer: '已修缮完毕。' });
    await step('rate (不满意, 重办)', w.manager, '/rate', { rating: 'dissatisfied', comment: '还有坑' });
    await step('answer again', w.powerHandler, `/parts/${power}/answer`, { answer: '坑也补好了。' });
    await step('rate', w.manager, '/rate', { rating: 'satisfied' });
    const archived = await step('archive', w.officer, '/archive');
    expect(archived.status).toBe('archived');

    // Merge and decline, on appeals of their own.
    const duplicate = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title: '厂区道路破损', description: '同上。' });
    const other = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title: '想要一个新厂区', description: '不属于诉求。' });
    const open = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title: '路灯不亮', description: '夜班不安全。' });
    for (const [name, appeal, url, body] of [['merge', duplicate, '/merge', { intoId: open.id }], ['decline', other, '/decline', { reason: '不属于诉求范围' }]] as const) {
      const before = statements;
      const answer = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}${url}`, { version: 1, ...body });
      costs[name] = statements - before;
      expect(answer).toEqual(await call(t, w.officer, 'GET', `/api/appeals/${appeal.id}`));
    }
    expect((await call(t, w.officer, 'GET', `/api/appeals/${open.id}`)).version).toBe(2);

    const perStep = Object.fromEntries(Object.entries(costs).map(([name, count]) => [name, count - baseline]));
    const mean = Object.values(perStep).reduce((sum, count) => sum + count, 0) / Object.keys(perStep).length;
    console.log(`${dialect}: authenticating a request ${baseline} statements; each step beyond that ${JSON.stringify(perStep)}, mean ${mean.toFixed(1)}`);
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThanOrEqual(20); // ~25 before the step read its row, facts and answer once
  });
});
