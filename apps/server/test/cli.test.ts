import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { verifyPassword } from '../src/platform/auth/passwords.js';
import { createTestClock } from '../src/platform/clock.js';
import { backupDatabase, countRows, restoreDatabase } from '../src/platform/backup.js';
import { type DatabaseHandle, type DatabaseTarget, openDatabase } from '../src/platform/db/database.js';
import { STRONG_PASSWORD, TEST_PG_ROLE, TEST_SECRET_KEY, type TestApp, asOwnerWithoutTriggers, createTestApp, createTestDatabase, dialects, login, makeUser, uniqueName } from './harness.js';

const serverDir = resolve(import.meta.dirname, '..');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `tsx src/cli.ts …` as a child process against the given database, optionally feeding stdin. */
function runCli(target: DatabaseTarget, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: target.url, QINQING_SECRET_KEY: TEST_SECRET_KEY, QINQING_PG_APP_ROLE: TEST_PG_ROLE, LANG: 'C', LC_ALL: '', ...options.env };
  if (!options.env?.QINQING_NEW_PASSWORD) delete env.QINQING_NEW_PASSWORD;
  // `node --import tsx` is what `npx tsx` runs, without npx's start-up cost.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: serverDir, env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}


describe.each(dialects())('backup and restore on %s', (dialect) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    dir = mkdtempSync(join(tmpdir(), 'qinqing-backup-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores exactly the rows of the backup, with an intact audit chain and the app role still least-privileged', async () => {
    const users = [await makeUser(t), await makeUser(t, { roles: ['leader'] }), await makeUser(t)];
    await login(t, users[0]);
    await login(t, users[1]);
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: users[2].username, password: 'Wrong#Pass123' } });

    const file = join(dir, 'nested', 'qinqing.backup');
    const { file: written, counts: atBackup } = await backupDatabase(t.target, file);
    expect(written).toBe(file);
    expect(atBackup).toEqual(await countRows(t.db));
    expect(atBackup).toMatchObject({ users: 3, sessions: 2, login_attempts: 3, audit_events: 3 });
    expect(Object.keys(atBackup)).not.toContain('schema_migrations');

    const later = await makeUser(t);
    await login(t, later);
    expect((await countRows(t.db)).audit_events).toBe(atBackup.audit_events + 1);

    // The server stops before a restore.
    await t.database.destroy();
    const restored = await restoreDatabase(t.target, file, { pgAppRole: TEST_PG_ROLE });
    expect(restored).toEqual(atBackup);

    const runtime: DatabaseHandle = openDatabase(t.target, { pgRole: dialect === 'postgres' ? TEST_PG_ROLE : undefined });
    try {
      expect(await countRows(runtime.db)).toEqual(atBackup);
      expect(await runtime.db.selectFrom('users').select('username').where('username', '=', later.username).executeTakeFirst()).toBeUndefined();
      expect(await verifyAuditChain(runtime.db)).toEqual({ intact: true, checked: atBackup.audit_events, firstBrokenId: null, reason: null });
      // Grants survive the restore: the runtime role writes ordinary tables but still cannot rewrite the trail.
      await makeUser({ db: runtime.db, clock: t.clock });
      await expect(runtime.db.deleteFrom('audit_events').execute()).rejects.toThrow(dialect === 'sqlite' ? /append-only/ : /permission denied/);
    } finally {
      await runtime.destroy();
    }
  });

  it('refuses to restore a file that is not a backup, and leaves the database as it was', async () => {
    const { target, drop } = await createTestDatabase(dialect);
    const bogus = join(dir, 'not-a-backup');
    writeFileSync(bogus, 'hello, this is not a database');
    try {
      await expect(restoreDatabase(target, bogus, { pgAppRole: TEST_PG_ROLE })).rejects.toThrow(dialect === 'sqlite' ? /not a SQLite database/ : /pg_restore failed/);
      const owner = openDatabase(target, { poolSize: 1 });
      try {
        expect(await countRows(owner.db)).toMatchObject({ users: 0, audit_events: 0 });
      } finally {
        await owner.destroy();
      }
    } finally {
      await drop();
    }
  });
});

describe.each(dialects())('qinqing CLI on %s', (dialect) => {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  let owner: DatabaseHandle;
  beforeAll(async () => {
    ({ target, drop } = await createTestDatabase(dialect));
    owner = openDatabase(target, { poolSize: 1 });
  });
  afterAll(async () => {
    await owner?.destroy();
    await drop?.();
  });

  const findUser = (username: string) => owner.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const createUserArgs = (username: string, ...roles: string[]) => ['create-user', '--username', username, '--display-name', '测试管理员', ...roles.flatMap((role) => ['--role', role])];

  // Each child process costs most of a second, so these read-only runs go side by side.
  it('migrate exits 0; create-user refuses a weak password and two administrator roles, writing nothing', async () => {
    const weakName = uniqueName('weak');
    const twoHatsName = uniqueName('twohats');
    const before = await countRows(owner.db);
    const [migrated, weak, twoHats] = await Promise.all([
      runCli(target, ['migrate']),
      runCli(target, createUserArgs(weakName, 'sysadmin'), { env: { QINQING_NEW_PASSWORD: 'abc12345' } }),
      runCli(target, createUserArgs(twoHatsName, 'sysadmin', 'auditadmin'), { stdin: `${STRONG_PASSWORD}\n` }),
    ]);
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout).toMatch(/up to date/);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/does not meet the security policy: at least 3 of: lower case, upper case, digits, symbols/);
    expect(weak.stderr).not.toMatch(/\n\s+at /);
    expect(twoHats.code).toBe(1);
    expect(twoHats.stderr).toMatch(/三员/);
    expect(await findUser(weakName)).toBeUndefined();
    expect(await findUser(twoHatsName)).toBeUndefined();
    expect(await countRows(owner.db)).toEqual(before);
  });

  it('create-user and reset-password set passwords that must be changed at sign-in, audited as the CLI', async () => {
    const newName = uniqueName('secadmin');
    const existing = await makeUser({ db: owner.db, clock: createTestClock(new Date()) });
    const temporary = 'Harbour#Lamp2027';
    // One after the other: two SQLite processes writing at once can fail with "database is locked" (deferred BEGIN).
    const created = await runCli(target, createUserArgs(newName, 'secadmin'), { stdin: `${STRONG_PASSWORD}\n` });
    const reset = await runCli(target, ['reset-password', '--username', existing.username], { env: { QINQING_NEW_PASSWORD: temporary } });
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(reset).toMatchObject({ code: 0, stderr: '' });
    const cli = `cli:${userInfo().username}`;

    const user = await findUser(newName);
    expect(user).toMatchObject({ display_name: '测试管理员', must_change_password: 1, is_enabled: 1 });
    expect(await verifyPassword(user!.password_hash, STRONG_PASSWORD)).toBe(true);
    expect(await owner.db.selectFrom('user_roles').select('role').where('user_id', '=', user!.id).execute()).toEqual([{ role: 'secadmin' }]);
    const createdAudit = await owner.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.create').where('object_id', '=', user!.id).executeTakeFirstOrThrow();
    expect(createdAudit).toMatchObject({ result: 'success', actor_user_id: null, actor_username: cli });

    const resetRow = await findUser(existing.username);
    expect(resetRow?.must_change_password).toBe(1);
    expect(await verifyPassword(resetRow!.password_hash, temporary)).toBe(true);
    const resetAudit = await owner.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.password.reset').where('object_id', '=', existing.id).executeTakeFirstOrThrow();
    expect(resetAudit).toMatchObject({ result: 'success', actor_user_id: null, actor_username: cli });
  });

  it('appeals sweep runs the overdue sweep and says what it did', async () => {
    const run = await runCli(target, ['appeals', 'sweep']);
    expect(run).toMatchObject({ code: 0, stdout: 'overdue sweep: 0 parts urged (催办), 0 reported (通报)\n' });
    expect((await runCli(target, ['appeals', 'frobnicate'])).code).toBe(2);
  });

  it('audit verify exits 0 on an intact chain and 1 naming the first tampered row', async () => {
    const rows = (await countRows(owner.db)).audit_events;
    expect(rows).toBeGreaterThan(0);
    const intact = await runCli(target, ['audit', 'verify']);
    expect(intact).toMatchObject({ code: 0, stdout: `audit chain intact: ${rows} rows\n` });

    await asOwnerWithoutTriggers(target, 'UPDATE audit_events SET detail = $1 WHERE id = $2', ['{"after":{"roles":["officer"]}}', 1]);
    const broken = await runCli(target, ['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^audit chain broken at row 1: content does not match its hash/);
  });
});

describe('qinqing CLI usage', () => {
  it('answers an unknown command with the usage text and exit 2', async () => {
    const run = await runCli({ dialect: 'sqlite', url: join(tmpdir(), 'qinqing-unused.db') }, ['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "frobnicate"[\s\S]*Usage: qinqing/);
  });
});
