import { randomBytes } from 'node:crypto';
import type { Role } from '@qinqing/contracts';
import type { AuditEntry, AuditService } from '../../platform/audit/audit.service.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { newTotpSecret, totpUri } from '../../platform/auth/totp.js';
import type { Clock } from '../../platform/clock.js';
import { newId, sm4Decrypt, sm4Encrypt } from '../../platform/crypto.js';
import type { Db, Trx } from '../../platform/db/database.js';
import { dialectOf } from '../../platform/db/dialect.js';
import type { Database } from '../../platform/db/schema.js';
import { refreshStatistics } from '../../platform/db/database.js';
import { createTimeline } from '../../platform/timeline.js';
import { insertUser, replaceRoles } from '../accounts/users.repository.js';
import { checkEnterpriseInput } from '../enterprises/enterprise-input.js';
import { type EnterpriseRow, indexForSearch, parseList } from '../enterprises/enterprises.repository.js';
import { demoAccounts, demoTotpRoles } from './demo-accounts.js';
import { type AppealHistorySummary, appealCountFor, historyStartsAt, playAppealYear, visitCountFor } from './demo-appeals.js';
import { type DemoEnterprise, type DemoPerson, type DemoWorld, type DemoWorldOptions, buildDemoWorld } from './demo-world.js';

export interface DemoSeedDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretKey: string;
}

export interface DemoLoadProgress {
  enterprises: number;
  totalEnterprises: number;
  managers: number;
}

export interface DemoLoadOptions extends DemoWorldOptions {
  /** A world already built (the CLI prints its size first); otherwise built from the options. */
  world?: DemoWorld;
  /** Who the audit row and the timeline name: the CLI operator, or the server's start-up. */
  actor?: { userId: string | null; username: string; roles: readonly string[] };
  /** Enterprises per transaction; the default loads the people and enterprises in one (the history follows). */
  chunkSize?: number;
  onProgress?: (progress: DemoLoadProgress) => void;
  /** Appeals played over the year before now; default appealCountFor(enterprises), 0 for no history at all. */
  appeals?: number;
  /** Visits in that year; default visitCountFor(enterprises). */
  visits?: number;
}

export interface DemoLoadSummary {
  enterprises: number;
  managers: number;
  instructors: number;
  leaders: number;
  organisations: number;
  accounts: number;
  /** The played year of appeals and visits (null when none was played). */
  appeals: AppealHistorySummary | null;
}

/** True when the database has no accounts yet, the only time the demo is loaded. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !row;
}

/**
 * Load the demo town of 崇福镇 (929 enterprises, 4,723 managers by default; any size for benchmarks): organisations,
 * the ten demo accounts with `password`, the town's leaders, instructors, officers and the units' handlers, and the
 * enterprises with their managers, instructors, tags, search index and `enterprise.created` events; then a year of
 * appeals and visits played through their services up to now (demo-appeals.ts); one audit row records the load. Only
 * the demo accounts have a known password: every generated account shares the hash of a random secret nobody keeps.
 *
 * With a history the town is built as of a year ago (the platform's go-live), so that the enterprise files and the
 * audit trail stay in time order. The people and enterprises load in one transaction (or one per chunk); each step
 * of the history is a transaction of its own, as it would be for a person.
 */
export async function seedDemo(deps: DemoSeedDeps, password: string, options: DemoLoadOptions = {}): Promise<DemoLoadSummary> {
  const { db, clock, audit, secretKey } = deps;
  const world = options.world ?? buildDemoWorld(options);
  const end = clock.now();
  const appealCount = options.appeals ?? appealCountFor(world.enterpriseCount);
  const loadedAt = appealCount > 0 ? historyStartsAt(end) : end;
  const now = loadedAt.toISOString();
  const dialect = dialectOf(db);
  const timeline = createTimeline({ clock: { now: () => loadedAt } });
  const actor = options.actor ?? { userId: null, username: 'demo', roles: [] };
  const timelineActor = { userId: actor.userId ?? '', username: actor.username };
  // argon2 costs ~50 ms a hash: twice per load, never per generated account.
  const [knownHash, unknownHash] = await Promise.all([hashPassword(password), hashPassword(randomBytes(32).toString('base64'))]);

  const organisationIds = new Map<string, string>();
  const accountIds = new Map<Role, string>();
  const instructorIds: string[] = [];
  let previousEnterpriseId: string | null = null;
  let accounts = 0;

  /** Organisations, the ten demo accounts, leaders and instructors. */
  async function loadPeople(trx: Trx) {
    await trx.insertInto('settings').values({ key: 'demo', value: 'true' }).execute();
    const organisations = world.organisations.map((org) => {
      const id = newId();
      organisationIds.set(org.key, id);
      return { id, name: org.name, kind: org.kind, region_code: org.regionCode, parent_id: org.parent ? organisationIds.get(org.parent)! : null, is_enabled: 1, created_at: now, updated_at: now };
    });
    await insertMany(trx, 'organisations', organisations);
    for (const account of demoAccounts) {
      const id = newId();
      accountIds.set(account.username, id);
      const withTotp = demoTotpRoles.includes(account.username);
      await insertUser(trx, {
        id,
        username: account.username,
        displayName: account.displayName,
        organisationId: organisationIds.get(account.organisation)!,
        phone: account.phone,
        passwordHash: knownHash,
        mustChangePassword: false,
        totpSecretEnc: withTotp ? sm4Encrypt(newTotpSecret(), secretKey) : null,
        now,
      });
      await replaceRoles(trx, id, [account.username]);
    }
    // Their passwords are set now, whatever the town's history: no forced change at the first sign-in.
    await trx.updateTable('users').set({ password_changed_at: end.toISOString() }).where('id', 'in', [...accountIds.values()]).execute();
    instructorIds.push(accountIds.get('instructor')!);
    const staff: Array<{ person: DemoPerson; organisation: string; role: Role; id: string }> = world.leaders.map((person) => ({ person, organisation: 'chongfu', role: 'leader', id: newId() }));
    for (const member of world.staff) staff.push({ person: member, organisation: member.organisation, role: member.role, id: newId() });
    for (let k = 1; k < world.instructorCount; k++) {
      const id = newId();
      instructorIds.push(id);
      staff.push({ person: world.instructor(k), organisation: 'econ', role: 'instructor', id });
    }
    await insertMany(trx, 'users', staff.map(({ person, organisation, id }) => generatedUser(id, person, organisationIds.get(organisation)!, unknownHash, now)));
    await insertMany(trx, 'user_roles', staff.map(({ id, role }) => ({ user_id: id, role })));
    accounts += demoAccounts.length + staff.length;
  }

  /** Enterprises [from, to) with everything that hangs off them. */
  async function loadEnterprises(trx: Trx, from: number, to: number) {
    const generated = world.enterprises(from, to);
    const rows = generated.map((enterprise) => enterpriseRow(enterprise, now));
    await insertMany(trx, 'enterprises', rows);
    await insertMany(trx, 'enterprise_tags', rows.flatMap((row) => parseList<string>(row.tags).map((tag) => ({ enterprise_id: row.id, tag }))));
    await indexForSearch(trx, dialect, rows, { fresh: true });
    await timeline.appendMany(
      trx,
      timelineActor,
      rows.map((row) => ({ enterpriseId: row.id, type: 'enterprise.created', summary: `建档：${row.name}`, data: { creditCode: row.credit_code, source: 'demo' } })),
    );

    const managers: Database['users'][] = [];
    const bindings: Database['enterprise_managers'][] = [];
    rows.forEach((row, offset) => {
      const index = from + offset;
      const { first, count } = world.managersOf(index);
      for (let slot = first; slot < first + count; slot++) {
        const userId = slot === 0 ? accountIds.get('enterprise')! : newId();
        if (slot > 0) managers.push(generatedUser(userId, world.manager(slot), null, unknownHash, now));
        bindings.push({ enterprise_id: row.id, user_id: userId, via: 'officer', bound_at: now });
        // A few owners run two firms: bound to the previous enterprise too (already written, even across chunks).
        const second = world.secondEnterpriseOf(slot, index);
        const secondId = second === null ? null : second === index - 1 ? (offset > 0 ? rows[offset - 1].id : previousEnterpriseId) : null;
        if (secondId) bindings.push({ enterprise_id: secondId, user_id: userId, via: 'officer', bound_at: now });
      }
    });
    previousEnterpriseId = rows[rows.length - 1]?.id ?? previousEnterpriseId;
    await insertMany(trx, 'users', managers);
    await insertMany(trx, 'user_roles', managers.map((user) => ({ user_id: user.id, role: 'enterprise' })));
    await insertMany(trx, 'enterprise_managers', bindings);
    await insertMany(trx, 'enterprise_instructors', rows.map((row, offset) => ({ enterprise_id: row.id, user_id: instructorIds[world.instructorOf(from + offset)], assigned_at: now })));
    accounts += managers.length;
  }

  let appeals: AppealHistorySummary | null = null;
  const summary = (): DemoLoadSummary => ({
    enterprises: world.enterpriseCount,
    managers: world.managerCount,
    instructors: world.instructorCount,
    leaders: world.leaders.length + 1,
    organisations: world.organisations.length,
    accounts,
    appeals,
  });

  async function recordLoad(trx: Trx) {
    const entry: AuditEntry = { actor, action: 'demo.seed', objectType: 'demo', objectId: null, ip: null, result: 'success', detail: { seed: world.seed, ...summary() } };
    await audit.append(trx, entry);
  }

  const chunkSize = options.chunkSize ?? world.enterpriseCount;
  const phases: Array<(trx: Trx) => Promise<void>> = [loadPeople];
  for (let from = 0; from < world.enterpriseCount; from += chunkSize) {
    const to = Math.min(world.enterpriseCount, from + chunkSize);
    phases.push(async (trx) => {
      await loadEnterprises(trx, from, to);
      options.onProgress?.({ enterprises: to, totalEnterprises: world.enterpriseCount, managers: world.managersOf(to - 1).first + world.managersOf(to - 1).count });
    });
  }

  if (options.chunkSize === undefined) {
    await db.transaction().execute(async (trx) => {
      for (const phase of phases) await phase(trx);
    });
  } else {
    for (const phase of phases) await db.transaction().execute(phase);
  }
  if (appealCount > 0) appeals = await playAppealYear({ db, secretKey }, world, { count: appealCount, visits: options.visits ?? visitCountFor(world.enterpriseCount), end });
  await db.transaction().execute(recordLoad);
  await refreshStatistics(db);
  return summary();
}

/** A generated enterprise as a table row, through the same checks a form or an import passes. */
export function enterpriseRow(enterprise: DemoEnterprise, now: string): EnterpriseRow {
  const checked = checkEnterpriseInput(
    {
      creditCode: enterprise.creditCode,
      name: enterprise.name,
      formerNames: enterprise.formerNames,
      legalRepresentative: enterprise.legalRepresentative,
      registeredCapital: enterprise.registeredCapital,
      establishedOn: enterprise.establishedOn,
      industryCode: enterprise.industryCode,
      regionCode: enterprise.regionCode,
      revenue: enterprise.revenue,
      landArea: enterprise.landArea,
      park: enterprise.park,
      address: enterprise.address,
      contacts: enterprise.contacts,
      tags: enterprise.tags,
      status: enterprise.status,
    },
    { mayOverride: false },
  );
  if (!checked.ok || checked.result.warnings.length > 0) {
    const problems = checked.ok ? checked.result.warnings : checked.issues;
    throw new Error(`demo enterprise ${enterprise.index} (${enterprise.creditCode}) fails the registry's checks: ${problems.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`);
  }
  return { id: newId(), ...checked.result.values, created_at: now, updated_at: now };
}

/** The columns insertUser writes, for generated accounts (bulk): an unusable password that must be changed. */
function generatedUser(id: string, person: DemoPerson, organisationId: string | null, passwordHash: string, now: string): Database['users'] {
  return {
    id,
    username: person.username,
    display_name: person.displayName,
    organisation_id: organisationId,
    phone: person.phone,
    password_hash: passwordHash,
    password_changed_at: now,
    must_change_password: 1,
    is_enabled: 1,
    failed_attempts: 0,
    locked_until: null,
    totp_secret_enc: null,
    is_totp_enabled: 0,
    totp_last_step: null,
    last_login_at: null,
    created_at: now,
    updated_at: now,
  };
}

// Both dialects bind at most 32,766 (SQLite) or 65,535 (PostgreSQL) parameters a statement.
const MAX_PARAMETERS = 30_000;

/** Multi-row inserts of as many rows as the parameter limit allows (≥ 1,000 for every demo table). */
async function insertMany<T extends keyof Database>(trx: Trx, table: T, rows: Array<Record<string, unknown>>) {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]).length));
  for (let start = 0; start < rows.length; start += perStatement) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one helper for several tables; rows are typed by their callers
    await trx.insertInto(table).values(rows.slice(start, start + perStatement) as any).execute();
  }
}

/** The demo accounts' TOTP secrets, for the start-up banner. */
export async function demoTotpSecrets(db: Db, secretKey: string): Promise<Array<{ username: string; secret: string; uri: string }>> {
  const rows = await db.selectFrom('users').select(['username', 'totp_secret_enc']).where('username', 'in', demoTotpRoles).where('is_totp_enabled', '=', 1).orderBy('username').execute();
  return rows.map((row) => {
    const secret = sm4Decrypt(row.totp_secret_enc!, secretKey);
    return { username: row.username, secret, uri: totpUri(secret, row.username) };
  });
}
