import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Role, createUserInputSchema, violatesAdminSeparation } from '@qinqing/contracts';
import { type Config, loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { createUsersService } from '../modules/accounts/users.service.js';
import { findUserRowByUsername } from '../modules/accounts/users.repository.js';
import { demoAccounts } from '../modules/demo/demo-accounts.js';
import { MAX_ENTERPRISES, buildDemoWorld } from '../modules/demo/demo-world.js';
import { isEmpty, seedDemo } from '../modules/demo/demo.seed.js';
import type { Actor, RequestContext } from '../platform/actor.js';
import { createAuditService, verifyAuditChain } from '../platform/audit/audit.service.js';
import { createSessionStore } from '../platform/auth/sessions.js';
import { type RowCounts, backupDatabase, restoreDatabase } from '../platform/backup.js';
import { systemClock } from '../platform/clock.js';
import { type DatabaseTarget, type Db, openDatabase } from '../platform/db/database.js';
import { describeIssue } from '../platform/http/error-handler.js';
import type { Locale } from '../platform/messages.js';
import { databaseTargetOf, openRuntime } from '../platform/runtime.js';
import { createSettings } from '../platform/settings.js';
import { resolveSecretKey } from '../platform/secret-key.js';
import { CliError, EXIT, type ExitCode } from './cli-error.js';
import { readNewPassword } from './password-input.js';

export interface CliContext {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  locale: Locale;
}

export type Command = (args: string[], ctx: CliContext) => Promise<ExitCode>;

/** Field names of service errors, as the flags the operator typed. */
export const FLAG_OF_FIELD: Record<string, string> = {
  username: '--username',
  displayName: '--display-name',
  organisationId: '--organisation-id',
  phone: '--phone',
  roles: '--role',
};

const print = (ctx: CliContext, text: string) => ctx.stdout.write(`${text}\n`);

/** `migrate`: bring the schema up to date with the owning account and re-grant the runtime role. */
export const migrate: Command = async (args, ctx) => {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig(ctx.env);
  const target = databaseTargetOf(config);
  const owner = openDatabase(target, { poolSize: 1 });
  try {
    const applied = await migrateToLatest(owner.db, { pgAppRole: config.QINQING_PG_APP_ROLE, secretKey: () => resolveSecretKey(config.QINQING_SECRET_KEY, target) });
    if (applied.length === 0) print(ctx, `database is up to date (${owner.location})`);
    else print(ctx, `applied ${applied.length} migration(s) to ${owner.location}:\n${applied.map((name) => `  ${name}`).join('\n')}`);
    return EXIT.ok;
  } finally {
    await owner.destroy();
  }
};

/** `create-user`: an account (typically the first 三员 administrators) that must change its password at first sign-in. */
export const createUser: Command = async (args, ctx) => {
  const { values } = parseArgs({
    args,
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      role: { type: 'string', multiple: true },
      'organisation-id': { type: 'string' },
      phone: { type: 'string' },
    },
    strict: true,
  });
  const parsed = createUserInputSchema.omit({ password: true }).safeParse({
    username: values.username,
    displayName: values['display-name'],
    roles: values.role ?? [],
    organisationId: values['organisation-id'],
    phone: values.phone,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${FLAG_OF_FIELD[String(issue.path[0])] ?? String(issue.path[0])}: ${describeIssue(issue as never, ctx.locale)}`);
    throw new CliError(`invalid arguments:\n${lines.join('\n')}`, EXIT.usage);
  }
  const input = parsed.data;
  if (input.roles.length === 0) throw new CliError('give at least one --role', EXIT.usage);
  // Checked again by the service; here so the operator is not asked for a password first.
  if (violatesAdminSeparation(input.roles as Role[])) {
    throw new CliError('三员分立: one account cannot hold two of sysadmin, secadmin and auditadmin; create separate accounts', EXIT.refused);
  }

  return withUsersService(ctx, async ({ users, db, actorContext }) => {
    if (await findUserRowByUsername(db, input.username)) throw new CliError(`username ${input.username} is already taken`, EXIT.refused);
    const password = await readNewPassword({ fromEnv: ctx.env.QINQING_NEW_PASSWORD, input: ctx.stdin, output: ctx.stderr });
    const user = await users.createUser({ ...input, password }, actorContext);
    print(ctx, `created user ${user.username} (${user.id}) with roles ${user.roles.join(', ')}; the password must be changed at first sign-in`);
    return EXIT.ok;
  });
};

/** `reset-password`: a temporary password, to be changed at next sign-in; ends the user's sessions. */
export const resetPassword: Command = async (args, ctx) => {
  const { values } = parseArgs({ args, options: { username: { type: 'string' } }, strict: true });
  if (!values.username) throw new CliError('give --username', EXIT.usage);
  const username = values.username;
  return withUsersService(ctx, async ({ users, db, actorContext }) => {
    const user = await findUserRowByUsername(db, username);
    if (!user) throw new CliError(`no user named ${username}`, EXIT.refused);
    const password = await readNewPassword({ fromEnv: ctx.env.QINQING_NEW_PASSWORD, input: ctx.stdin, output: ctx.stderr });
    await users.resetPassword(user.id, password, actorContext);
    print(ctx, `password of ${username} reset; it must be changed at next sign-in, and the user's sessions have ended`);
    return EXIT.ok;
  });
};

/** `audit verify`: walk the hash chain; exit 1 at the first row that does not hold. */
export const audit: Command = async (args, ctx) => {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || positionals[0] !== 'verify') throw new CliError('usage: qinqing audit verify', EXIT.usage);
  const config = loadConfig(ctx.env);
  const target = existingTarget(config);
  const owner = openDatabase(target, { poolSize: 1 });
  try {
    const result = await verifyAuditChain(owner.db);
    if (result.intact) {
      print(ctx, `audit chain intact: ${result.checked} rows`);
      return EXIT.ok;
    }
    print(ctx, `audit chain broken at row ${result.firstBrokenId}: ${result.reason} (${result.checked} rows before it intact)`);
    return EXIT.refused;
  } finally {
    await owner.destroy();
  }
};

/** `backup <file>`: a consistent copy while the server runs. */
export const backup: Command = async (args, ctx) => {
  const file = singleFile(args, 'backup');
  const config = loadConfig(ctx.env);
  const target = existingTarget(config);
  const result = await backupDatabase(target, file);
  print(ctx, `backup written to ${result.file}`);
  printCounts(ctx, result.counts);
  const key = config.QINQING_SECRET_KEY || target.dialect === 'postgres' ? 'QINQING_SECRET_KEY' : join(dirname(target.url), 'secret.key');
  print(ctx, `keep ${key} safe as well: two-factor secrets in the backup are encrypted with it`);
  return EXIT.ok;
};

/** `restore <file> --yes`: replace every row with the backup's, then migrate and re-grant. Stop the server first. */
export const restore: Command = async (args, ctx) => {
  const { values, positionals } = parseArgs({ args, options: { yes: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new CliError('usage: qinqing restore <file> --yes', EXIT.usage);
  const config = loadConfig(ctx.env);
  const target = databaseTargetOf(config);
  const where = describeTarget(target);
  if (!values.yes) {
    throw new CliError(`restore replaces every row in ${where}; stop the server, then run again with --yes`, EXIT.usage);
  }
  const counts = await restoreDatabase(target, positionals[0], { pgAppRole: config.QINQING_PG_APP_ROLE, secretKey: () => resolveSecretKey(config.QINQING_SECRET_KEY, target) });
  print(ctx, `restored ${positionals[0]} into ${where}`);
  printCounts(ctx, counts);
  return EXIT.ok;
};

/**
 * `demo --enterprises N [--managers M]`: the deterministic demo town of 崇福镇 at any size (benchmarks), into an
 * empty database, in transactions of 10,000 enterprises with a progress line every 10 %, then its year of appeals
 * and visits (0.3 appeals and 0.22 visits per enterprise, at most 3,000 and 2,000).
 */
export const demo: Command = async (args, ctx) => {
  const { values } = parseArgs({ args, options: { enterprises: { type: 'string' }, managers: { type: 'string' } }, strict: true });
  const enterprises = countOption(values.enterprises ?? '929', '--enterprises', MAX_ENTERPRISES);
  const managers = values.managers === undefined ? undefined : countOption(values.managers, '--managers', 10 * MAX_ENTERPRISES);
  const config = loadConfig(ctx.env);
  const { database, secretKey } = await openRuntime(config);
  try {
    const { db } = database;
    const existing = await db.selectFrom('enterprises').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(existing.n) > 0) {
      throw new CliError(`${database.location} already holds ${existing.n} enterprises; the demo loads only into an empty database (set DATABASE_URL to a new file or database)`, EXIT.refused);
    }
    if (!(await isEmpty(db))) {
      throw new CliError(`${database.location} already has accounts; the demo brings its own, so it loads only into an empty database (set DATABASE_URL to a new file or database)`, EXIT.refused);
    }
    const world = buildDemoWorld({ enterprises, managers });
    print(ctx, `loading the demo town of 崇福镇 into ${database.location}: ${world.enterpriseCount} enterprises, ${world.managerCount} managers, ${world.instructorCount} instructors`);
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    let nextReport = 0.1;
    const summary = await seedDemo({ db, clock: systemClock, audit: createAuditService({ clock: systemClock }), secretKey }, config.QINQING_DEMO_PASSWORD, {
      world,
      actor: { userId: null, username: cliActor().username, roles: [] },
      chunkSize: 10_000,
      onProgress: ({ enterprises: done, totalEnterprises, managers: bound }) => {
        if (done / totalEnterprises + 1e-9 < nextReport && done < totalEnterprises) return;
        while (nextReport <= done / totalEnterprises + 1e-9) nextReport += 0.1;
        print(ctx, `  ${String(Math.round((100 * done) / totalEnterprises)).padStart(3)} %  ${done} enterprises, ${bound} managers  (${seconds()} s)`);
      },
    });
    print(ctx, `demo loaded in ${seconds()} s: ${summary.enterprises} enterprises, ${summary.managers} managers, ${summary.accounts} accounts, ${summary.organisations} organisations`);
    if (summary.appeals) {
      const { appeals, open, overdue, visits, liaisonPoints, symposiums } = summary.appeals;
      print(ctx, `  a year of history: ${appeals} appeals (${open} open, ${overdue} overdue), ${visits} visits, ${liaisonPoints} liaison points, ${symposiums} symposiums`);
    }
    print(ctx, `demo accounts (${demoAccountNames()}) use QINQING_DEMO_PASSWORD; start the server to see their TOTP secrets`);
    return EXIT.ok;
  } finally {
    await database.destroy();
  }
};

const demoAccountNames = () => demoAccounts.map((account) => account.username).join(', ');

function countOption(value: string, flag: string, max: number): number {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(`${flag} must be a whole number from 1 to ${max}`, EXIT.usage);
  return n;
}

interface UsersContext {
  users: ReturnType<typeof createUsersService>;
  db: Db;
  actorContext: RequestContext;
}

/** The same runtime (migrated, least-privilege connection) and services the server uses, acting as the CLI. */
async function withUsersService(ctx: CliContext, run: (deps: UsersContext) => Promise<ExitCode>): Promise<ExitCode> {
  const config = loadConfig(ctx.env);
  const { database } = await openRuntime(config);
  try {
    const { db } = database;
    const users = createUsersService({
      db,
      clock: systemClock,
      audit: createAuditService({ clock: systemClock }),
      sessions: createSessionStore({ db, clock: systemClock }),
      settings: createSettings({ db, defaultPasswordProfile: config.QINQING_PASSWORD_PROFILE }),
    });
    return await run({ users, db, actorContext: { actor: cliActor(), ip: null } });
  } finally {
    await database.destroy();
  }
}

/**
 * The CLI acts without an account: the audit row gets no user id and names the operating-system user, so the
 * trail shows who at the console did it. (Actor.userId is typed non-null for signed-in requests; the users
 * service only passes it on to the audit row, where null means "no account".)
 */
function cliActor(osUser = currentOsUser()): Actor {
  return { userId: '', username: `cli:${osUser}`, roles: [], organisationId: null, regionCode: null, via: 'cli', pending: null };
}

function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers may run under a uid with no passwd entry.
    return `uid${process.getuid?.() ?? '?'}`;
  }
}

/** The configured database, refusing to create an empty SQLite file where the operator expected data. */
function existingTarget(config: Config): DatabaseTarget {
  const target = databaseTargetOf(config);
  if (target.dialect === 'postgres') return target;
  if (target.url === ':memory:') throw new CliError('DATABASE_URL is :memory:; there is nothing to read', EXIT.usage);
  if (!existsSync(target.url)) throw new CliError(`no database at ${target.url} (set DATABASE_URL)`, EXIT.failed);
  return target;
}

/** Where the data lives, for messages: the file, or the URL without its password. */
function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return target.url;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.toString();
}

function singleFile(args: string[], command: string): string {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new CliError(`usage: qinqing ${command} <file>`, EXIT.usage);
  return positionals[0];
}

function printCounts(ctx: CliContext, counts: RowCounts) {
  const width = Math.max(...Object.keys(counts).map((name) => name.length));
  for (const [table, n] of Object.entries(counts)) print(ctx, `  ${table.padEnd(width)}  ${n}`);
}
