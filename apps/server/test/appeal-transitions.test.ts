import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, dialects } from './harness.js';
import { type AppealWorld, type Caller, appealWorld, call, setChinaDay } from './appeals-fixture.js';

/**
 * The loop of domain-rules §5, written out by hand: in each state, exactly these steps are open. The server keeps
 * its own table (appeal-rules.ts); this one is the specification it is checked against.
 * In `in_progress` the power company's part is signed; in `dispatched` it waits for signature.
 */
const allowed: Record<string, string[]> = {
  pending: ['accept', 'decline', 'merge'],
  accepted: ['merge', 'dispatch', 'supervise'],
  declined: ['archive'],
  merged: [],
  dispatched: ['dispatch', 'sign', 'return', 'withdraw', 'urge', 'supervise'],
  in_progress: ['dispatch', 'pause', 'request_extension', 'answer', 'withdraw', 'urge', 'supervise'],
  answered: ['rate', 'callback_rating', 'supervise'],
  rated: ['archive'],
  archived: [],
};
const states = Object.keys(allowed);
const steps = ['accept', 'decline', 'merge', 'dispatch', 'sign', 'return', 'withdraw', 'pause', 'resume', 'request_extension', 'decide_extension', 'answer', 'rate', 'callback_rating', 'urge', 'supervise', 'archive'];

describe.each(dialects())('the appeal transition table on %s', (dialect) => {
  let t: TestApp;
  let w: AppealWorld;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2026-03-02');
    w = await appealWorld(t);
  });
  afterAll(async () => t?.close());

  async function submit(title: string) {
    return call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'other', title, description: '状态机测试' });
  }

  /** A fresh appeal brought to a state along the loop; returns it as the API shows it. */
  async function reach(state: string) {
    let appeal = await submit(`到达 ${state}`);
    const go = async (who: Caller, path: string, body: Record<string, unknown> = {}) => {
      appeal = await call(t, who, 'POST', `/api/appeals/${appeal.id}${path}`, { version: appeal.version, ...body });
    };
    if (state === 'pending') return appeal;
    if (state === 'declined') return go(w.officer, '/decline', { reason: '已进入诉讼程序' }).then(() => appeal);
    if (state === 'merged') {
      const target = await submit('合并目标');
      return go(w.officer, '/merge', { intoId: target.id }).then(() => appeal);
    }
    await go(w.officer, '/accept');
    if (state === 'accepted') return appeal;
    await go(w.officer, '/dispatch', { parts: [{ organisationId: w.power }] });
    if (state === 'dispatched') return appeal;
    const partId = appeal.parts[0].id;
    await go(w.powerHandler, `/parts/${partId}/sign`);
    if (state === 'in_progress') return appeal;
    await go(w.powerHandler, `/parts/${partId}/answer`, { answer: '已办结' });
    if (state === 'answered') return appeal;
    await go(w.manager, '/rate', { rating: 'satisfied' });
    if (state === 'rated') return appeal;
    await go(w.officer, '/archive');
    return appeal;
  }

  function request(step: string, appeal: { id: string; parts: Array<{ id: string }> }, other: string): { who: Caller; path: string; body: Record<string, unknown> } {
    const part = appeal.parts[0]?.id ?? '00000000-0000-4000-8000-000000000000';
    switch (step) {
      case 'accept':
        return { who: w.officer, path: '/accept', body: {} };
      case 'decline':
        return { who: w.officer, path: '/decline', body: { reason: '不属于受理范围' } };
      case 'merge':
        return { who: w.officer, path: '/merge', body: { intoId: other } };
      case 'dispatch':
        return { who: w.officer, path: '/dispatch', body: { parts: [{ organisationId: w.school }] } };
      case 'sign':
      case 'resume':
        return { who: w.powerHandler, path: `/parts/${part}/${step}`, body: {} };
      case 'return':
      case 'pause':
        return { who: w.powerHandler, path: `/parts/${part}/${step}`, body: { reason: '理由' } };
      case 'withdraw':
        return { who: w.officer, path: `/parts/${part}/withdraw`, body: { reason: '交办单位有误' } };
      case 'request_extension':
        return { who: w.powerHandler, path: `/parts/${part}/extension`, body: { days: 3, reason: '需要协调' } };
      case 'decide_extension':
        return { who: w.officer, path: `/parts/${part}/extension/decision`, body: { approve: true } };
      case 'answer':
        return { who: w.powerHandler, path: `/parts/${part}/answer`, body: { answer: '答复' } };
      case 'rate':
        return { who: w.manager, path: '/rate', body: { rating: 'basically_satisfied' } };
      case 'callback_rating':
        return { who: w.officer, path: '/callback-rating', body: { rating: 'satisfied' } };
      case 'urge':
        return { who: w.officer, path: '/urge', body: {} };
      case 'supervise':
        return { who: w.leader, path: '/supervise', body: { instruction: '抓紧办理' } };
      case 'archive':
        return { who: w.officer, path: '/archive', body: {} };
      default:
        throw new Error(step);
    }
  }

  it('opens exactly the specified steps in every state, and a refused step changes nothing', async () => {
    const other = await submit('另一件未办结诉求');
    const mismatches: string[] = [];
    for (const state of states) {
      const sample = await reach(state);
      expect(sample.status, state).toBe(state);
      // What the screen offers is what the table allows (the part's steps carry its id).
      const offered = (await call(t, w.officer, 'GET', `/api/appeals/${sample.id}`)).allowedActions.map((action: string) => action.split(':')[0]);
      for (const action of offered) if (!allowed[state].includes(action)) mismatches.push(`${state}: officer is offered ${action}`);
      for (const step of steps) {
        const appeal = await reach(state);
        const { who, path, body } = request(step, appeal, other.id);
        const response = await t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}${path}`, headers: who.headers, payload: { version: appeal.version, ...body } });
        const expected = allowed[state].includes(step);
        if (expected !== (response.statusCode === 200)) mismatches.push(`${state} + ${step} → ${response.statusCode} ${expected ? '(should be allowed)' : '(should be refused)'}`);
        if (!expected) {
          expect([404, 409], `${state} + ${step}`).toContain(response.statusCode);
          const after = await call(t, w.officer, 'GET', `/api/appeals/${appeal.id}`);
          if (after.version !== appeal.version || after.events.length !== appeal.events.length) mismatches.push(`${state} + ${step} was refused but changed the appeal`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000); // every step × every state: ~2–7 s alone, several times that beside the other suites on 2 cores

  it('lets a 重办 happen at most twice, then the 不满意 rating stands', async () => {
    let appeal = await reach('answered');
    const partId = appeal.parts[0].id;
    for (const round of [1, 2]) {
      appeal = await call(t, w.manager, 'POST', `/api/appeals/${appeal.id}/rate`, { version: appeal.version, rating: 'dissatisfied' });
      expect(appeal).toMatchObject({ status: 'in_progress', redoCount: round });
      appeal = await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${partId}/answer`, { version: appeal.version, answer: `第 ${round + 1} 次答复` });
    }
    appeal = await call(t, w.manager, 'POST', `/api/appeals/${appeal.id}/rate`, { version: appeal.version, rating: 'dissatisfied' });
    expect(appeal).toMatchObject({ status: 'rated', rating: 'dissatisfied', redoCount: 2 });
  });

  it('counts a part returned by every unit as back with the dispatcher, who can dispatch again', async () => {
    let appeal = await reach('dispatched');
    appeal = await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${appeal.parts[0].id}/return`, { version: appeal.version, reason: '不属于供电所职责' });
    expect(appeal.status).toBe('accepted');
    expect(appeal.parts[0]).toMatchObject({ status: 'returned', returnCount: 1 });
    appeal = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, { version: appeal.version, parts: [{ organisationId: w.school }] });
    expect(appeal.status).toBe('dispatched');
    expect(appeal.units).toEqual([expect.stringContaining('小学')]);
    // The returning unit still sees the case it returned (it is on its record), but can no longer act on it.
    const seen = await call(t, w.powerHandler, 'GET', `/api/appeals/${appeal.id}`);
    expect(seen.allowedActions).toEqual([]);
  });
});

/**
 * Random sequences of steps against a model of the loop kept by this test: the server must allow exactly what
 * the model allows, no appeal may go missing, and the KPIs the server recomputes from its events must equal the
 * figures the model counted as the steps happened.
 */
describe.each(dialects())('appeal KPIs against a model on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2026-01-05');
  });
  afterAll(async () => t?.close());

  type Unit = 'power' | 'school';
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'submit' as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), i: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('dispatch' as const), i: fc.nat(3), units: fc.constantFrom<Unit[]>(['power'], ['school'], ['power', 'school']) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('sign' as const, 'return' as const, 'answer' as const), i: fc.nat(3), unit: fc.constantFrom<Unit>('power', 'school') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), i: fc.nat(3), unit: fc.constantFrom<Unit>('power', 'school') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('rate' as const), i: fc.nat(3), rating: fc.constantFrom('satisfied', 'basically_satisfied', 'dissatisfied') }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 3 }) }) },
  );

  interface ModelPart {
    status: 'dispatched' | 'signed' | 'returned' | 'answered' | 'withdrawn';
    partId: string;
    cycles: Array<{ due: string; answeredOn: string | null; ended: boolean }>;
    /** What this part added to its unit's figures: a withdrawal (撤回交办) takes all of it back. */
    counted: { dispatched: number; signed: number; answered: number; answeredOnTime: number };
  }
  interface ModelAppeal {
    id: string;
    version: number;
    status: string;
    redo: number;
    parts: Partial<Record<Unit, ModelPart>>;
  }

  function statusFromParts(parts: ModelPart[]): string {
    const active = parts.filter((part) => part.status !== 'returned' && part.status !== 'withdrawn');
    if (active.length === 0) return 'accepted';
    if (active.every((part) => part.status === 'answered')) return 'answered';
    if (active.some((part) => part.status === 'signed' || part.status === 'answered')) return 'in_progress';
    return 'dispatched';
  }

  it('agrees with the model on every step, loses no appeal, and its KPIs equal the model’s counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: dialect === 'sqlite' ? 40 : 25 }), async (ops) => {
        const w = await appealWorld(t);
        const start = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
        const today = () => new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
        const appeals: ModelAppeal[] = [];
        const kpi = { power: { dispatched: 0, signed: 0, returns: 0, answered: 0, answeredOnTime: 0, rated: 0, satisfied: 0 }, school: { dispatched: 0, signed: 0, returns: 0, answered: 0, answeredOnTime: 0, rated: 0, satisfied: 0 } };
        const unitId = (unit: Unit) => (unit === 'power' ? w.power : w.school);
        const handler = (unit: Unit) => (unit === 'power' ? w.powerHandler : w.schoolHandler);

        const attempt = async (appeal: ModelAppeal, who: Caller, path: string, body: Record<string, unknown>, allowedByModel: boolean) => {
          const response = await t.app.inject({ method: 'POST', url: `/api/appeals/${appeal.id}${path}`, headers: who.headers, payload: { version: appeal.version, ...body } });
          expect(response.statusCode === 200, `${appeal.status} ${path} → ${response.statusCode} ${response.body}`).toBe(allowedByModel);
          if (!allowedByModel) return null;
          const result = response.json();
          appeal.version = result.version;
          return result;
        };

        for (const step of ops) {
          if (step.kind === 'submit') {
            const created = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'other', title: '模型诉求', description: '随机步骤' });
            appeals.push({ id: created.id, version: created.version, status: 'pending', redo: 0, parts: {} });
            continue;
          }
          if (step.kind === 'advance') {
            t.clock.advance(step.days * 86_400_000);
            continue;
          }
          if (appeals.length === 0) continue;
          const appeal = appeals[step.i % appeals.length];
          if (step.kind === 'accept') {
            const ok = appeal.status === 'pending';
            if (await attempt(appeal, w.officer, '/accept', {}, ok)) appeal.status = 'accepted';
          } else if (step.kind === 'dispatch') {
            const ok = ['accepted', 'dispatched', 'in_progress'].includes(appeal.status) && step.units.every((unit) => !appeal.parts[unit] || ['returned', 'withdrawn'].includes(appeal.parts[unit]!.status));
            const result = await attempt(appeal, w.officer, '/dispatch', { parts: step.units.map((unit) => ({ organisationId: unitId(unit) })) }, ok);
            if (result) {
              for (const unit of step.units) {
                const part = [...result.parts].reverse().find((candidate: { organisationId: string }) => candidate.organisationId === unitId(unit));
                appeal.parts[unit] = { status: 'dispatched', partId: part.id, cycles: [{ due: part.dueDate, answeredOn: null, ended: false }], counted: { dispatched: 1, signed: 0, answered: 0, answeredOnTime: 0 } };
                kpi[unit].dispatched += 1;
              }
              appeal.status = statusFromParts(Object.values(appeal.parts));
              expect(result.status).toBe(appeal.status);
            }
          } else if (step.kind === 'rate') {
            const ok = appeal.status === 'answered';
            const result = await attempt(appeal, w.manager, '/rate', { rating: step.rating }, ok);
            if (result) {
              for (const [unit, part] of Object.entries(appeal.parts) as Array<[Unit, ModelPart]>) {
                if (part.status !== 'answered') continue;
                kpi[unit].rated += 1;
                if (step.rating !== 'dissatisfied') kpi[unit].satisfied += 1;
              }
              if (step.rating === 'dissatisfied' && appeal.redo < 2) {
                appeal.redo += 1;
                appeal.status = 'in_progress';
                for (const part of Object.values(appeal.parts)) {
                  if (part.status !== 'answered') continue;
                  part.status = 'signed';
                  part.cycles.push({ due: result.parts.find((candidate: { id: string }) => candidate.id === part.partId).dueDate, answeredOn: null, ended: false });
                }
              } else appeal.status = 'rated';
              expect(result.status).toBe(appeal.status);
            }
          } else if (step.kind === 'withdraw') {
            const part = appeal.parts[step.unit];
            const ok = !!part && ['dispatched', 'in_progress'].includes(appeal.status) && ['dispatched', 'signed'].includes(part.status);
            const result = await attempt(appeal, w.officer, `/parts/${part?.partId ?? '00000000-0000-4000-8000-000000000000'}/withdraw`, { reason: '交办单位有误' }, ok);
            if (result && part) {
              part.status = 'withdrawn';
              part.cycles.at(-1)!.ended = true;
              // Nothing of a withdrawn part counts for its unit (its ratings given before stay).
              for (const key of ['dispatched', 'signed', 'answered', 'answeredOnTime'] as const) kpi[step.unit][key] -= part.counted[key];
              appeal.status = statusFromParts(Object.values(appeal.parts));
              expect(result.status).toBe(appeal.status);
            }
          } else {
            const part = appeal.parts[step.unit];
            const partOk = !!part && ['dispatched', 'in_progress'].includes(appeal.status);
            const ok = partOk && (step.kind === 'answer' ? part!.status === 'signed' && appeal.status === 'in_progress' : part!.status === 'dispatched');
            const partId = part?.partId ?? '00000000-0000-4000-8000-000000000000';
            const body = step.kind === 'return' ? { reason: '不属本单位' } : step.kind === 'answer' ? { answer: '已办理' } : {};
            const result = await attempt(appeal, handler(step.unit), `/parts/${partId}/${step.kind}`, body, ok);
            if (result && part) {
              const cycle = part.cycles.at(-1)!;
              if (step.kind === 'sign') {
                part.status = 'signed';
                kpi[step.unit].signed += 1;
                part.counted.signed += 1;
              } else if (step.kind === 'return') {
                part.status = 'returned';
                cycle.ended = true;
                kpi[step.unit].returns += 1;
              } else {
                part.status = 'answered';
                cycle.answeredOn = today();
                cycle.ended = true;
                kpi[step.unit].answered += 1;
                part.counted.answered += 1;
                if (today() <= cycle.due) {
                  kpi[step.unit].answeredOnTime += 1;
                  part.counted.answeredOnTime += 1;
                }
              }
              appeal.status = statusFromParts(Object.values(appeal.parts));
              expect(result.status).toBe(appeal.status);
            }
          }
        }

        // No appeal lost: the enterprise's list holds every one, each in the model's state.
        const listed = await call(t, w.officer, 'GET', `/api/appeals?enterpriseId=${w.enterprise.id}&pageSize=200`);
        expect(listed.total).toBe(appeals.length);
        const byId = new Map(listed.items.map((item: { id: string; status: string }) => [item.id, item.status]));
        for (const appeal of appeals) expect(byId.get(appeal.id)).toBe(appeal.status);

        const report = await call(t, w.leader, 'GET', `/api/appeals/kpis?from=${start}&to=${today()}`);
        for (const unit of ['power', 'school'] as Unit[]) {
          const row = report.units.find((candidate: { organisationId: string }) => candidate.organisationId === unitId(unit));
          const cycles = appeals.flatMap((appeal) => (appeal.parts[unit]?.status === 'withdrawn' ? [] : (appeal.parts[unit]?.cycles ?? [])));
          const overdue = cycles.filter((cycle) => !cycle.ended && cycle.due >= start && cycle.due <= today() && cycle.due < today()).length;
          const expected = { ...kpi[unit], overdue };
          if (!row) {
            expect(expected).toEqual({ dispatched: 0, signed: 0, returns: 0, answered: 0, answeredOnTime: 0, rated: 0, satisfied: 0, overdue: 0 });
            continue;
          }
          expect({ dispatched: row.dispatched, signed: row.signed, returns: row.returns, answered: row.answered, answeredOnTime: row.answeredOnTime, rated: row.rated, satisfied: row.satisfied, overdue: row.overdue }).toEqual(expected);
          expect(row.signRate).toBe(expected.dispatched ? Math.round((expected.signed / expected.dispatched) * 10_000) / 10_000 : null);
        }
      }),
      { numRuns: dialect === 'sqlite' ? 30 : 15 },
    );
  }, 240_000);
});
