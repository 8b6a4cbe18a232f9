import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditCode } from '@qinqing/contracts';
import { demoAccounts, demoOrganisations } from '../src/modules/demo/demo-accounts.js';
import { DEFAULT_ENTERPRISES, DEFAULT_MANAGERS, buildDemoWorld } from '../src/modules/demo/demo-world.js';
import { type DemoLoadSummary, isEmpty, seedDemo } from '../src/modules/demo/demo.seed.js';
import { planAppealYear, planSpan } from '../src/modules/demo/demo-appeal-plan.js';
import { createCalendar } from '../src/platform/calendar.js';
import { industryByCode, regionByCode } from '../src/modules/reference/reference.js';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { type DatabaseTarget, openDatabase } from '../src/platform/db/database.js';
import { STRONG_PASSWORD, TEST_PG_ROLE, TEST_SECRET_KEY, type TestApp, createAuditService, createTestApp, createTestDatabase, dialects, login } from './harness.js';

describe('the demo world (generator)', () => {
  const world = buildDemoWorld();
  const enterprises = world.enterprises(0, world.enterpriseCount);

  it('is 崇福镇 at the seed article’s scale: 929 enterprises, 4,723 manager slots, about 30 enterprises per instructor', () => {
    expect(enterprises).toHaveLength(DEFAULT_ENTERPRISES);
    let managers = 0;
    for (let index = 0; index < world.enterpriseCount; index++) managers += world.managersOf(index).count;
    expect(managers).toBe(DEFAULT_MANAGERS);
    const perInstructor = new Map<number, number>();
    for (let index = 0; index < world.enterpriseCount; index++) perInstructor.set(world.instructorOf(index), (perInstructor.get(world.instructorOf(index)) ?? 0) + 1);
    expect(perInstructor.size).toBe(world.instructorCount);
    for (const count of perInstructor.values()) expect(count).toBeGreaterThanOrEqual(20), expect(count).toBeLessThanOrEqual(40);
  });

  it('is deterministic: two builds give the same names and credit codes, and an enterprise does not depend on the town’s size', () => {
    const again = buildDemoWorld({ enterprises: DEFAULT_ENTERPRISES }).enterprises(0, DEFAULT_ENTERPRISES);
    expect(again.map((e) => [e.creditCode, e.name])).toEqual(enterprises.map((e) => [e.creditCode, e.name]));
    expect(buildDemoWorld({ enterprises: 5000 }).enterprise(700)).toEqual(enterprises[700]);
    const otherSeed = buildDemoWorld({ seed: 7 }).enterprises(0, 50);
    expect(otherSeed.map((e) => e.creditCode)).not.toEqual(enterprises.slice(0, 50).map((e) => e.creditCode));
  });

  it('gives every enterprise a valid, unique credit code (no errors, no warnings) and a unique name', () => {
    const problems = enterprises.map((e) => ({ code: e.creditCode, check: checkCreditCode(e.creditCode) })).filter(({ check }) => !check.valid || check.warnings.length > 0);
    expect(problems).toEqual([]);
    expect(new Set(enterprises.map((e) => e.creditCode)).size).toBe(enterprises.length);
    expect(new Set(enterprises.map((e) => e.name)).size).toBe(enterprises.length);
    expect(enterprises.filter((e) => e.creditCode.startsWith('91330483')).length / enterprises.length).toBeGreaterThan(0.8);
    expect(enterprises.some((e) => e.creditCode.startsWith('92'))).toBe(true);
  });

  it('stays unique and valid past the two-character trade names (22,500) on a larger town', () => {
    const big = buildDemoWorld({ enterprises: 30_000 });
    const sample = big.enterprises(22_000, 23_000);
    expect(new Set(sample.map((e) => e.name)).size).toBe(sample.length);
    expect(sample.every((e) => checkCreditCode(e.creditCode).valid && checkCreditCode(e.creditCode).warnings.length === 0)).toBe(true);
    expect(big.managerCount).toBe(Math.round((30_000 * DEFAULT_MANAGERS) / DEFAULT_ENTERPRISES));
  });

  it('uses only industries and regions of the reference data: 崇福’s trades, its villages', () => {
    for (const e of enterprises) {
      expect(industryByCode(e.industryCode), e.industryCode).toBeDefined();
      expect(regionByCode(e.regionCode)?.parent, e.regionCode).toBe('330483107');
    }
    const bySector = new Map<string, number>();
    for (const e of enterprises) bySector.set(e.sector, (bySector.get(e.sector) ?? 0) + 1);
    const largest = [...bySector.entries()].sort((a, b) => b[1] - a[1])[0][0];
    expect(largest).toBe('fur');
  });

  it('has a plausible share of 规上 enterprises (revenue ≥ 2000 万元) and skewed land areas', () => {
    const above = enterprises.filter((e) => (e.revenue ?? 0) >= 2000).length / enterprises.length;
    expect(above).toBeGreaterThan(0.25);
    expect(above).toBeLessThan(0.35);
    const small = enterprises.filter((e) => e.landArea <= 30).length / enterprises.length;
    expect(small).toBeGreaterThan(0.6);
    expect(Math.max(...enterprises.map((e) => e.landArea))).toBeGreaterThan(150);
    expect(enterprises.filter((e) => e.status === 'operating').length / enterprises.length).toBeGreaterThan(0.85);
  });

  it('names the demo enterprise organisation after enterprise 0', () => {
    expect(world.organisations.find((org) => org.key === 'fur')?.name).toBe(enterprises[0].name);
    expect(world.organisations.filter((org) => org.kind === 'bank')).toHaveLength(12);
    expect(world.organisations.filter((org) => org.regionCode?.startsWith('3306')).map((org) => org.regionCode).sort()).toEqual(['330600', '330602', '330603', '330604', '330624', '330681', '330683']);
  });
});

/** The demo's "now" in these tests (20:00 in China on a Wednesday): its history is the year before. */
const END = new Date('2026-11-25T12:00:00.000Z');

describe.each(dialects())('the demo town loaded (%s)', (dialect) => {
  let t: TestApp;
  let loadMs = 0;
  let summary: DemoLoadSummary;
  const world = buildDemoWorld();

  beforeAll(async () => {
    t = await createTestApp(dialect, { isDemo: true });
    t.clock.set(END);
    expect(await isEmpty(t.db)).toBe(true);
    const started = performance.now();
    summary = await seedDemo({ db: t.db, clock: t.clock, audit: createAuditService({ clock: t.clock }), secretKey: TEST_SECRET_KEY }, STRONG_PASSWORD, { world });
    loadMs = performance.now() - started;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const count = async (table: 'enterprises' | 'enterprise_events' | 'enterprise_instructors' | 'organisations') => {
    const row = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('holds 929 enterprises, 4,723 distinct managers bound, an instructor for each, one creation event each, one audit row', async () => {
    expect(await count('enterprises')).toBe(DEFAULT_ENTERPRISES);
    const managers = await t.db.selectFrom('enterprise_managers').select((eb) => eb.fn.count<number>('user_id').distinct().as('n')).executeTakeFirstOrThrow();
    expect(Number(managers.n)).toBe(DEFAULT_MANAGERS);
    const enterpriseRole = await t.db.selectFrom('user_roles').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'enterprise').executeTakeFirstOrThrow();
    expect(Number(enterpriseRole.n)).toBe(DEFAULT_MANAGERS);
    expect(await count('enterprise_instructors')).toBe(DEFAULT_ENTERPRISES);
    const events = await t.db.selectFrom('enterprise_events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'enterprise.created').executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(DEFAULT_ENTERPRISES);
    const audits = await t.db.selectFrom('audit_events').select(['action', 'detail']).where('action', '=', 'demo.seed').execute();
    expect(audits).toHaveLength(1);
    expect((await verifyAuditChain(t.db)).intact).toBe(true);
    expect(await count('organisations')).toBe(demoOrganisations.length);
    // Start-up loads it, with its year of history, in a few seconds (generous here: CI machines and PostgreSQL vary).
    expect(loadMs).toBeLessThan(dialect === 'sqlite' ? 30_000 : 60_000);
  });

  it('stores the generated enterprises as generated, with their scale derived from revenue', async () => {
    const rows = await t.db.selectFrom('enterprises').select(['credit_code', 'name', 'scale', 'revenue']).execute();
    const byCode = new Map(rows.map((row) => [row.credit_code, row]));
    for (const e of world.enterprises(0, world.enterpriseCount)) {
      const row = byCode.get(e.creditCode);
      expect(row?.name).toBe(e.name);
      expect(row?.scale).toBe((e.revenue ?? 0) >= 2000 ? 'above' : 'below');
    }
  });

  it('gives only the demo accounts a known password; generated accounts must change theirs', async () => {
    const demoNames = demoAccounts.map((account) => account.username);
    const generated = await t.db.selectFrom('users').select(['username', 'must_change_password', 'password_hash']).where('username', 'not in', demoNames).execute();
    expect(generated.length).toBeGreaterThan(DEFAULT_MANAGERS);
    expect(generated.every((user) => user.must_change_password === 1)).toBe(true);
    const demoHash = await t.db.selectFrom('users').select('password_hash').where('username', '=', 'officer').executeTakeFirstOrThrow();
    expect(generated.some((user) => user.password_hash === demoHash.password_hash)).toBe(false);
  });

  it('lets the demo officer (崇福镇) see the whole town, and search it', async () => {
    const session = await login(t, { id: '', username: 'officer', password: STRONG_PASSWORD, roles: ['officer'] });
    const all = await t.app.inject({ method: 'GET', url: '/api/enterprises?pageSize=5', headers: session.headers });
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBe(DEFAULT_ENTERPRISES);
    const fur = await t.app.inject({ method: 'GET', url: `/api/enterprises?industry=19&pageSize=5`, headers: session.headers });
    expect(fur.json().total).toBe(world.enterprises(0, world.enterpriseCount).filter((e) => e.industryCode.startsWith('19')).length);
    const byName = await t.app.inject({ method: 'GET', url: `/api/enterprises?q=${encodeURIComponent(world.enterprise(0).name.slice(3, 8))}`, headers: session.headers });
    expect(byName.json().items.map((item: { name: string }) => item.name)).toContain(world.enterprise(0).name);
  });

  it('binds the demo enterprise account to exactly one real enterprise, the one its organisation is named after', async () => {
    const session = await login(t, { id: '', username: 'enterprise', password: STRONG_PASSWORD, roles: ['enterprise'] });
    const mine = await t.app.inject({ method: 'GET', url: '/api/enterprises', headers: session.headers });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().total).toBe(1);
    expect(mine.json().items[0].name).toBe(world.enterprise(0).name);
    const organisation = await t.db
      .selectFrom('users')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select('organisations.name')
      .where('users.username', '=', 'enterprise')
      .executeTakeFirstOrThrow();
    expect(organisation.name).toBe(world.enterprise(0).name);
  });

  it('gives the demo instructor their share of enterprises', async () => {
    const session = await login(t, { id: '', username: 'instructor', password: STRONG_PASSWORD, roles: ['instructor'] });
    const assigned = await t.app.inject({ method: 'GET', url: '/api/enterprises', headers: session.headers });
    expect(assigned.json().total).toBeGreaterThanOrEqual(20);
    expect(assigned.json().total).toBeLessThanOrEqual(40);
  });

  const countOf = async (table: 'appeals' | 'appeal_events' | 'visits', where?: [string, string]) => {
    let query = t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a column of the table named by the caller
    if (where) query = query.where(where[0] as any, '=', where[1]);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  it('plays a year of appeals through the service: every state, overdue and 不满意 cases, the same counts for this seed and day', async () => {
    const rows = await t.db.selectFrom('appeals').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').orderBy('status').execute();
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    // Deterministic: the seed and the end date decide the whole script (ids and hashes aside).
    expect(byStatus).toEqual({ accepted: 2, answered: 3, archived: 156, declined: 3, dispatched: 2, in_progress: 17, merged: 8, pending: 2, rated: 86 });
    expect(summary.appeals).toMatchObject({ appeals: 279, open: 26, overdue: 3, byStatus });
    expect(await countOf('appeals')).toBeGreaterThanOrEqual(250);
    const actions = Object.fromEntries(
      (await t.db.selectFrom('appeal_events').select(['action', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('action').execute()).map((row) => [row.action, Number(row.n)]),
    );
    for (const action of ['decline', 'merge', 'return', 'pause', 'resume', 'request_extension', 'decide_extension', 'redo', 'urge', 'report', 'supervise', 'archive']) {
      expect(actions[action], action).toBeGreaterThan(0);
    }
    const ratings = await t.db.selectFrom('appeal_events').select('data').where('action', '=', 'rate').execute();
    const byRating = ratings.map((row) => JSON.parse(row.data!).rating as string).reduce<Record<string, number>>((counts, rating) => ({ ...counts, [rating]: (counts[rating] ?? 0) + 1 }), {});
    expect(byRating.satisfied).toBeGreaterThan(byRating.basically_satisfied);
    expect(byRating.basically_satisfied).toBeGreaterThan(byRating.dissatisfied);
    expect(byRating.dissatisfied).toBe(actions.redo);
    // Joint handling (会办) with two units, late answers.
    const joint = await t.db.selectFrom('appeal_parts').select('appeal_id').groupBy('appeal_id').having((eb) => eb.fn.countAll(), '>', 1).execute();
    expect(joint.length).toBeGreaterThan(10);
    const answers = await t.db.selectFrom('appeal_events').select('data').where('action', '=', 'answer').execute();
    const late = answers.filter((row) => JSON.parse(row.data!).onTime === false).length;
    expect(late).toBeGreaterThan(0);
    expect(late / answers.length).toBeLessThan(0.2);
    // Submitted on the web, after visits, on the hotline and at symposiums.
    const origins = await t.db.selectFrom('appeals').select('origin_kind').groupBy('origin_kind').execute();
    expect(origins.map((row) => row.origin_kind).sort()).toEqual(['hotline', 'symposium', 'visit', 'web']);
  });

  it('keeps every step on the record in time order: one appeal event, one timeline entry and one audit row each, in a chain that verifies', async () => {
    const events = await countOf('appeal_events');
    const audited = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', 'like', 'appeal.%').executeTakeFirstOrThrow();
    const filed = await t.db.selectFrom('enterprise_events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', 'like', 'appeal.%').executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(events);
    expect(Number(filed.n)).toBe(events);
    const times = (await t.db.selectFrom('audit_events').select('at').orderBy('id').execute()).map((row) => row.at);
    expect(times.every((at, k) => k === 0 || times[k - 1] <= at)).toBe(true);
    expect(times.at(-1)).toBe(END.toISOString());
    expect(times[0] >= new Date(END.getTime() - 367 * 86_400_000).toISOString()).toBe(true);
    const chain = await verifyAuditChain(t.db);
    expect(chain).toMatchObject({ intact: true, checked: times.length });
    const notices = await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', 'like', 'appeal.%').executeTakeFirstOrThrow();
    expect(Number(notices.n)).toBeGreaterThan(events / 2);
  });

  it('leaves work waiting for every role today: the power station signs, the enterprise rates, the officer accepts, the leader reads the KPIs', async () => {
    const handler = await login(t, { id: '', username: 'handler', password: STRONG_PASSWORD, roles: ['handler'] });
    const todo = await t.app.inject({ method: 'GET', url: '/api/appeals?todo=true&pageSize=50', headers: handler.headers });
    expect(todo.statusCode).toBe(200);
    let toSign = 0;
    for (const item of todo.json().items as Array<{ id: string }>) {
      const appeal = (await t.app.inject({ method: 'GET', url: `/api/appeals/${item.id}`, headers: handler.headers })).json();
      if ((appeal.allowedActions as string[]).some((action) => action.startsWith('sign:'))) toSign += 1;
    }
    expect(toSign).toBeGreaterThanOrEqual(3);
    const unread = await t.app.inject({ method: 'GET', url: '/api/notifications?unread=true', headers: handler.headers });
    expect(unread.json().total).toBeGreaterThanOrEqual(3);

    const enterprise = await login(t, { id: '', username: 'enterprise', password: STRONG_PASSWORD, roles: ['enterprise'] });
    const mine = (await t.app.inject({ method: 'GET', url: '/api/appeals?pageSize=50', headers: enterprise.headers })).json();
    expect(mine.total).toBeGreaterThanOrEqual(2);
    const waiting = (mine.items as Array<{ id: string; status: string }>).filter((item) => item.status === 'answered');
    expect(waiting).toHaveLength(1);
    const toRate = (await t.app.inject({ method: 'GET', url: `/api/appeals/${waiting[0].id}`, headers: enterprise.headers })).json();
    expect(toRate.allowedActions).toEqual(['rate']);
    expect(toRate.parts).toHaveLength(2);

    const officer = await login(t, { id: '', username: 'officer', password: STRONG_PASSWORD, roles: ['officer'] });
    const officerTodo = (await t.app.inject({ method: 'GET', url: '/api/appeals?todo=true&pageSize=50', headers: officer.headers })).json();
    const statuses = (officerTodo.items as Array<{ status: string }>).map((item) => item.status);
    expect(statuses).toEqual(expect.arrayContaining(['pending', 'accepted']));
    const overdue = (await t.app.inject({ method: 'GET', url: '/api/appeals?overdue=true&pageSize=50', headers: officer.headers })).json();
    expect(overdue.total).toBe(3);
    expect((overdue.items as Array<{ supervised: boolean }>).some((item) => item.supervised)).toBe(true);

    const leader = await login(t, { id: '', username: 'leader', password: STRONG_PASSWORD, roles: ['leader'] });
    const kpis = await t.app.inject({ method: 'GET', url: '/api/appeals/kpis?from=2025-11-25&to=2026-11-25', headers: leader.headers });
    expect(kpis.statusCode).toBe(200);
    const report = kpis.json();
    expect(report.totals.submitted).toBeGreaterThanOrEqual(250);
    expect(report.totals.overdue).toBe(3);
    expect(report.totals.satisfactionRate).toBeGreaterThan(0.9);
    expect(report.totals.satisfactionRate).toBeLessThan(1);
    expect(report.units.length).toBeGreaterThanOrEqual(12);
    const power = report.units.find((unit: { organisationName: string }) => unit.organisationName.includes('供电所'));
    expect(power.dispatched).toBeGreaterThan(20);
    expect(power.signRate).toBeGreaterThan(0.8);
    expect(power.onTimeRate).toBeGreaterThan(0.5);
    expect(report.units.some((unit: { onTimeRate: number | null }) => unit.onTimeRate !== null && unit.onTimeRate < 1)).toBe(true);
    expect(report.units.reduce((sum: number, unit: { returns: number }) => sum + unit.returns, 0)).toBeGreaterThan(0);
  });

  it('records visits to over a hundred enterprises, two liaison points and four quarterly symposiums with attendance, linked to the appeals they raised', async () => {
    expect(summary.appeals).toMatchObject({ visits: 194, visitedEnterprises: 178, plannedVisits: 3, liaisonPoints: 2, symposiums: 4 });
    const done = await t.db.selectFrom('visits').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('enterprise_id').distinct().as('enterprises')]).where('status', '=', 'done').executeTakeFirstOrThrow();
    expect(Number(done.n)).toBeGreaterThanOrEqual(150);
    expect(Number(done.enterprises)).toBeGreaterThanOrEqual(100);
    // Every appeal raised after a visit names it, and the visit's problem names the appeal.
    const fromVisits = await t.db.selectFrom('appeals').select(['id', 'origin_id']).where('origin_kind', '=', 'visit').execute();
    const linked = await t.db.selectFrom('visits').select(['id', 'problems']).where('id', 'in', fromVisits.map((row) => row.origin_id!)).execute();
    const problemAppeals = new Set(linked.flatMap((row) => (JSON.parse(row.problems) as Array<{ appealId: string | null }>).map((problem) => problem.appealId)));
    expect(fromVisits.length).toBeGreaterThan(50);
    expect(fromVisits.every((row) => problemAppeals.has(row.id))).toBe(true);
    const instructor = await login(t, { id: '', username: 'instructor', password: STRONG_PASSWORD, roles: ['instructor'] });
    const planned = (await t.app.inject({ method: 'GET', url: '/api/visits?status=planned', headers: instructor.headers })).json();
    expect(planned.total).toBe(3);

    const officer = await login(t, { id: '', username: 'officer', password: STRONG_PASSWORD, roles: ['officer'] });
    const points = (await t.app.inject({ method: 'GET', url: '/api/liaison-points', headers: officer.headers })).json();
    expect(points.items.map((point: { name: string }) => point.name).sort()).toEqual(['中节能产业园企情联络点', '崇福皮毛协会企情联络点']);
    const symposiums = (await t.app.inject({ method: 'GET', url: '/api/symposiums?pageSize=10', headers: officer.headers })).json();
    expect(symposiums.total).toBe(4);
    expect(new Set(symposiums.items.map((item: { quarter: string }) => item.quarter)).size).toBe(4);
    for (const symposium of symposiums.items as Array<{ attendeeCount: number; appealCount: number; heldOn: string }>) {
      expect(symposium.attendeeCount).toBeGreaterThanOrEqual(5);
      expect(symposium.appealCount).toBe(1);
      expect(symposium.heldOn < '2026-11-25').toBe(true);
    }
  });

  it('plans the same script twice for one seed and day, another for another seed', async () => {
    const { from, to } = planSpan(END);
    const span = await createCalendar({ db: t.db }).span(from, to);
    const limits = Object.fromEntries((await t.db.selectFrom('appeal_categories').select(['code', 'deadline_days']).execute()).map((row) => [row.code, row.deadline_days]));
    const options = { appeals: 279, visits: 204, end: END, span, limits };
    const first = planAppealYear(world, options);
    expect(planAppealYear(world, options)).toEqual(first);
    const other = planAppealYear(buildDemoWorld({ seed: 7 }), options);
    expect(other.stories.map((story) => story.title)).not.toEqual(first.stories.map((story) => story.title));
    expect(first.steps.every((step, k) => k === 0 || first.steps[k - 1].at <= step.at)).toBe(true);
    expect(first.steps.at(-1)!.at).toBeLessThanOrEqual(END.getTime());
  });
});

/** `tsx src/cli.ts …` against a database, as an operator would run it. */
function runCli(target: DatabaseTarget, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: target.url, QINQING_SECRET_KEY: TEST_SECRET_KEY, QINQING_PG_APP_ROLE: TEST_PG_ROLE, LANG: 'C', LC_ALL: '' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: resolve(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe.each(dialects())('qinqing demo (%s)', (dialect) => {
  it('builds the town at another size into an empty database, with progress, and refuses a database that has enterprises', async () => {
    const { target, drop } = await createTestDatabase(dialect);
    try {
      const first = await runCli(target, ['demo', '--enterprises', '1500', '--managers', '2000']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('100 %  1500 enterprises, 2000 managers');
      // The history scales with the town: 0.3 appeals and 0.22 visits per enterprise.
      expect(first.stdout).toMatch(/a year of history: 450 appeals \(\d+ open, \d+ overdue\), \d{3} visits, 2 liaison points, 4 symposiums/);
      const handle = openDatabase(target);
      try {
        const enterprises = await handle.db.selectFrom('enterprises').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(enterprises.n)).toBe(1500);
        const managers = await handle.db.selectFrom('enterprise_managers').select((eb) => eb.fn.count<number>('user_id').distinct().as('n')).executeTakeFirstOrThrow();
        expect(Number(managers.n)).toBe(2000);
        const names = await handle.db.selectFrom('enterprises').select('name').where('name', '=', buildDemoWorld({ enterprises: 1500 }).enterprise(1499).name).execute();
        expect(names).toHaveLength(1);
      } finally {
        await handle.destroy();
      }
      const again = await runCli(target, ['demo', '--enterprises', '1000']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already holds 1500 enterprises');
    } finally {
      await drop();
    }
  }, 180_000);
});
