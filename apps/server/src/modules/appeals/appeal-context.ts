import { type AppealAction, appealActionNamesZh } from '@qinqing/contracts';
import type { Actor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Calendar } from '../../platform/calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, Dialect, Executor, Trx } from '../../platform/db/database.js';
import type { Notifications } from '../../platform/notifications.js';
import type { Timeline } from '../../platform/timeline.js';
import { isWithinRegion } from '../enterprises/enterprises.access.js';
import { chinaDate } from './appeal-rules.js';
import type { PartRow } from './appeal-rows.js';

/** How appeals tell people (platform/notifications: in-app at once, e-mail and robot webhooks from the job table). */
export type Notify = Notifications['notify'];

export interface AppealsServiceDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
  calendar: Calendar;
  notify: Notify;
}

/** What an appeal's record and notices name: enough of the case to write its history and link to it. */
export type AppealRef = { id: string; number: string; title: string; enterprise_id: string };

/** An actor with the display name a step already read for it (`null`: no such user; absent: not read). */
export type NamedActor = Actor & { displayName?: string | null };

/** One step as it is recorded: the action, the part it was about, the case's and the part's states, its data. */
export interface Step {
  action: AppealAction;
  part?: Pick<PartRow, 'id' | 'organisation_id'> & { organisation_name?: string };
  from?: string | null;
  to?: string | null;
  partFrom?: string | null;
  partTo?: string | null;
  data?: Record<string, unknown>;
}

/**
 * What every part of the appeals service shares: its dependencies, today's date in China, the record of a step
 * (appeal event + enterprise timeline + audit row, in the change's transaction) and who is told what.
 */
export function createAppealContext(deps: AppealsServiceDeps) {
  const { clock, audit, timeline, notify } = deps;
  const today = () => chinaDate(clock.now());

  /** Enabled users holding a role, narrowed in SQL to some organisations or to units whose area holds a region. */
  async function usersWithRole(executor: Executor, role: string, where: { organisationIds: string[] } | { areaOf: string }) {
    let query = executor
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select('users.id')
      .where('user_roles.role', '=', role)
      .where('users.is_enabled', '=', 1);
    query = 'organisationIds' in where
      ? query.where('users.organisation_id', 'in', where.organisationIds.length ? where.organisationIds : [''])
      : query.where('organisations.region_code', 'in', regionsContaining(where.areaOf));
    return (await query.execute()).map((row) => row.id);
  }

  const officersFor = (executor: Executor, region: string) => usersWithRole(executor, 'officer', { areaOf: region });
  const leadersFor = (executor: Executor, region: string) => usersWithRole(executor, 'leader', { areaOf: region });
  const unitPeople = (executor: Executor, organisationIds: string[]) => usersWithRole(executor, 'handler', { organisationIds });

  async function tell(trx: Trx, appeal: AppealRef, userIds: string[], kind: string, what: string, actor: Actor | null) {
    const recipients = [...new Set(userIds)].filter((id) => id !== actor?.userId);
    if (recipients.length === 0) return;
    await notify(trx, {
      userIds: recipients,
      kind: `appeal.${kind}`,
      title: `诉求 ${appeal.number}：${what}`,
      body: `「${appeal.title}」${what}`,
      link: `/appeals/${appeal.id}`,
      enterpriseId: appeal.enterprise_id,
    });
  }

  /** One step: its appeal event, the enterprise file's timeline entry and the audit row, in the change's transaction. */
  async function record(trx: Trx, appeal: AppealRef, actor: NamedActor | null, ip: string | null, step: Step) {
    const now = clock.now();
    // The history shows people by name (张三), not by account (zhangsan): the name the step already read, else read here.
    const person =
      actor?.displayName !== undefined ? { display_name: actor.displayName } : actor?.userId ? await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst() : undefined;
    await trx
      .insertInto('appeal_events')
      .values({
        appeal_id: appeal.id,
        part_id: step.part?.id ?? null,
        organisation_id: step.part?.organisation_id ?? null,
        action: step.action,
        from_status: step.from ?? null,
        to_status: step.to ?? null,
        part_from: step.partFrom ?? null,
        part_to: step.partTo ?? null,
        actor_user_id: actor?.userId || null,
        actor_name: person?.display_name ?? actor?.username ?? '系统',
        at: now.toISOString(),
        day: chinaDate(now),
        data: step.data ? JSON.stringify(step.data) : null,
      })
      .execute();
    const unit = step.part?.organisation_name ? `（${step.part.organisation_name}）` : '';
    await timeline.append(trx, actor, {
      enterpriseId: appeal.enterprise_id,
      type: `appeal.${step.action}`,
      summary: `诉求 ${appeal.number}「${appeal.title}」${appealActionNamesZh[step.action]}${unit}`,
      data: { appealId: appeal.id, number: appeal.number, ...(step.to ? { status: step.to } : {}), ...(step.data ?? {}) },
    });
    await audit.append(trx, {
      actor: actor ?? { userId: null, username: 'system', roles: [] },
      action: `appeal.${step.action}`,
      objectType: 'appeal',
      objectId: appeal.id,
      ip,
      result: 'success',
      detail: { number: appeal.number, ...(step.part ? { partId: step.part.id, organisationId: step.part.organisation_id } : {}), from: step.from, to: step.to, ...(step.data ?? {}) },
    });
  }

  return { ...deps, today, record, tell, officersFor, leadersFor, unitPeople };
}

export type AppealContext = ReturnType<typeof createAppealContext>;

/** The division codes whose area holds a region: 330483107200 → 330000, 330400, 330483, 330483107, 330483107200. */
export function regionsContaining(region: string): string[] {
  const codes = [`${region.slice(0, 2)}0000`, `${region.slice(0, 4)}00`, region.slice(0, 6)];
  if (region.length >= 9) codes.push(region.slice(0, 9));
  if (region.length >= 12) codes.push(region.slice(0, 12));
  return [...new Set(codes)].filter((code) => isWithinRegion(region, code));
}
