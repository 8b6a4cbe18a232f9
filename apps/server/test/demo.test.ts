import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditCode } from '@qinqing/contracts';
import { demoAccounts, demoOrganisations } from '../src/modules/demo/demo-accounts.js';
import { DEFAULT_ENTERPRISES, DEFAULT_MANAGERS, buildDemoWorld } from '../src/modules/demo/demo-world.js';
import { isEmpty, seedDemo } from '../src/modules/demo/demo.seed.js';
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

describe.each(dialects())('the demo town loaded (%s)', (dialect) => {
  let t: TestApp;
  let loadMs = 0;
  const world = buildDemoWorld();

  beforeAll(async () => {
    t = await createTestApp(dialect, { isDemo: true });
    expect(await isEmpty(t.db)).toBe(true);
    const started = performance.now();
    await seedDemo({ db: t.db, clock: t.clock, audit: createAuditService({ clock: t.clock }), secretKey: TEST_SECRET_KEY }, STRONG_PASSWORD, { world });
    loadMs = performance.now() - started;
  });
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
    // Start-up loads it in a few seconds (generous here: CI machines and PostgreSQL vary).
    expect(loadMs).toBeLessThan(20_000);
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
  });
});
