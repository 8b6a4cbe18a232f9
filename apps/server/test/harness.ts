import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { type CreateEnterpriseInput, type Role, computeCheckCharacter, computeOrgCodeCheckCharacter } from '@qinqing/contracts';
import { createEnterprisesService } from '../src/modules/enterprises/enterprises.service.js';
import { createTimeline } from '../src/platform/timeline.js';
import { type AppOptions, buildApp } from '../src/app.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { insertUser } from '../src/modules/accounts/users.repository.js';
import { createAuditService } from '../src/platform/audit/audit.service.js';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { newTotpSecret, totpCodeAt } from '../src/platform/auth/totp.js';
import { createTestClock } from '../src/platform/clock.js';
import { newId, randomToken, sm4Encrypt } from '../src/platform/crypto.js';
import { type DatabaseHandle, type DatabaseTarget, type Dialect, openDatabase } from '../src/platform/db/database.js';

export const TEST_SECRET_KEY = '00112233445566778899aabbccddeeff';
export const TEST_PG_ROLE = 'qinqing_app';
export const STRONG_PASSWORD = 'Lotus#River2026';

/** The dialects this run covers: SQLite always, PostgreSQL when global-setup provided one. */
export function dialects(): Dialect[] {
  return inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty, migrated database of the given dialect; removed by `drop`. */
export async function createTestDatabase(dialect: Dialect): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-test-'));
    const target: DatabaseTarget = { dialect, url: join(dir, 'test.db') };
    const owner = openDatabase(target);
    await migrateToLatest(owner.db);
    await owner.destroy();
    return { target, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = inject('pgUrl');
  if (!base) throw new Error('no PostgreSQL for this run');
  const name = `qq_test_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { dialect, url: url.toString() };
  const owner = openDatabase(target, { poolSize: 1 });
  await migrateToLatest(owner.db, { pgAppRole: TEST_PG_ROLE });
  await owner.destroy();
  return {
    target,
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      // Let the app's closed pool finish saying goodbye: forcing the drop while a socket is still closing makes the
      // server send that client a FATAL error, which surfaces as an unhandled error in whichever test ran last.
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  db: DatabaseHandle['db'];
  dialect: Dialect;
  target: DatabaseTarget;
  clock: ReturnType<typeof createTestClock>;
  close(): Promise<void>;
}

/** A running app (no network: use app.inject) over its own fresh database, with a clock the test controls. */
export async function createTestApp(dialect: Dialect, options: { passwordProfile?: 'dengbao' | 'asvs'; isDemo?: boolean; notifications?: AppOptions['notifications'] } = {}): Promise<TestApp> {
  const { target, drop } = await createTestDatabase(dialect);
  const database = openDatabase(target, { pgRole: dialect === 'postgres' ? TEST_PG_ROLE : undefined });
  const clock = createTestClock(new Date());
  const app = await buildApp({ db: database.db, dialect, secretKey: TEST_SECRET_KEY, clock, passwordProfile: options.passwordProfile, isDemo: options.isDemo, notifications: options.notifications });
  return {
    app,
    database,
    db: database.db,
    dialect,
    target,
    clock,
    close: async () => {
      await app.close();
      await database.destroy();
      await drop();
    },
  };
}

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string) {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
}

let sequence = 0;
export function uniqueName(prefix: string) {
  sequence += 1;
  return `${prefix}${sequence}${randomToken(3).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  roles: Role[];
  totpSecret?: string;
}

/** Insert a user directly (its own organisation unless given), optionally with TOTP already enrolled. */
export async function makeUser(
  t: Pick<TestApp, 'db' | 'clock'>,
  options: { roles?: Role[]; password?: string; withTotp?: boolean; mustChangePassword?: boolean; organisationId?: string; username?: string; phone?: string } = {},
): Promise<TestUser> {
  const roles = options.roles ?? ['officer'];
  const password = options.password ?? STRONG_PASSWORD;
  const username = options.username ?? uniqueName(roles[0] ?? 'user');
  const now = t.clock.now().toISOString();
  let organisationId = options.organisationId;
  if (!organisationId) {
    organisationId = newId();
    await t.db.insertInto('organisations').values({ id: organisationId, name: uniqueName('单位'), kind: 'department', region_code: '330483107', parent_id: null, is_enabled: 1, created_at: now, updated_at: now }).execute();
  }
  const totpSecret = options.withTotp ? newTotpSecret() : undefined;
  const id = newId();
  await insertUser(t.db, {
    id,
    username,
    displayName: `测试 ${username}`,
    organisationId,
    phone: options.phone ?? '13800001234',
    passwordHash: await cachedHash(password),
    mustChangePassword: options.mustChangePassword ?? false,
    totpSecretEnc: totpSecret ? sm4Encrypt(totpSecret, TEST_SECRET_KEY) : null,
    now,
  });
  if (roles.length) await t.db.insertInto('user_roles').values(roles.map((role) => ({ user_id: id, role }))).execute();
  return { id, username, password, roles, totpSecret };
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Sign in through the API; TOTP users get a code for the test clock's current step. */
export async function login(t: Pick<TestApp, 'app' | 'clock'>, user: TestUser): Promise<Session> {
  const body: Record<string, string> = { username: user.username, password: user.password };
  if (user.totpSecret) body.totpCode = totpCodeAt(user.totpSecret, t.clock.now());
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body });
  if (response.statusCode !== 200) throw new Error(`login ${user.username} failed: ${response.statusCode} ${response.body}`);
  const setCookie = [response.headers['set-cookie']].flat().find((value) => value?.startsWith('qq_session='))!;
  const cookie = setCookie.split(';')[0];
  const csrf = response.json().csrfToken as string;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

/** A signed-in user of the given roles (TOTP enrolled when the role needs it). */
export async function signedIn(t: TestApp, roles: Role[]): Promise<{ user: TestUser; session: Session }> {
  const withTotp = roles.some((role) => ['sysadmin', 'secadmin', 'auditadmin', 'bank'].includes(role));
  const user = await makeUser(t, { roles, withTotp });
  return { user, session: await login(t, user) };
}

export async function countRows(t: Pick<TestApp, 'db'>, table: 'audit_events' | 'users' | 'organisations' | 'sessions' | 'api_tokens' | 'settings' | 'user_roles') {
  const row = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lastAudit(t: Pick<TestApp, 'db'>) {
  return t.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

/** Run SQL as the database owner with the append-only triggers off: what an intruder with file or owner access could do. */
export async function asOwnerWithoutTriggers(target: DatabaseTarget, statement: string, params: unknown[]) {
  if (target.dialect === 'sqlite') {
    const raw = new SQLite(target.url);
    try {
      const triggers = raw.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'`).all() as { name: string; sql: string }[];
      for (const trigger of triggers) raw.exec(`DROP TRIGGER ${trigger.name}`);
      raw.prepare(statement.replace(/\$\d/g, '?')).run(...params);
      for (const trigger of triggers) raw.exec(trigger.sql);
    } finally {
      raw.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await client.query(statement, params);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
  } finally {
    await client.end();
  }
}

let creditSequence = 0;
/** A fresh, valid credit code (both check characters right) registered in 桐乡 by default. */
export function validCreditCode(prefix = '91330483'): string {
  creditSequence += 1;
  const body = `${String(creditSequence % 1000).padStart(3, '0')}${randomToken(8).toUpperCase().replace(/[^0-9]/g, '7')}`.slice(0, 8);
  const first17 = `${prefix}${body}${computeOrgCodeCheckCharacter(body)}`;
  return `${first17}${computeCheckCharacter(first17)}`;
}

/** Register an enterprise through the service (audit, timeline and search index included), in 崇福镇 by default. */
export async function makeEnterprise(t: Pick<TestApp, 'db' | 'dialect' | 'clock'>, input: Partial<CreateEnterpriseInput> = {}) {
  const service = createEnterprisesService({ db: t.db, dialect: t.dialect, clock: t.clock, audit: createAuditService({ clock: t.clock }), timeline: createTimeline({ clock: t.clock }) });
  const actor = { userId: '', username: 'test-factory', roles: ['officer' as Role], organisationId: null, regionCode: '330483107', via: 'cli' as const, pending: null };
  const { enterprise } = await service.createEnterprise(
    { creditCode: validCreditCode(), name: uniqueName('桐乡市测试企业'), industryCode: '1931', regionCode: '330483107200', revenue: 1500, landArea: 20, ...input },
    { actor, ip: null },
  );
  return enterprise;
}

export { createAuditService, totpCodeAt };
